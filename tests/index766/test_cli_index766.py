"""``procflow index766``: period forms, one JSON object per group, the workbook, errors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import pytest

from procflow import load_procedures, read_dossiers, vietnam_calendar
from procflow.cli import main
from procflow.cli_index766 import parse_period
from procflow.errors import InputError
from procflow.findings import FindingCode
from procflow.index766 import build_index, read_extra_columns

ROOT = Path(__file__).parents[2]
EXAMPLE = str(ROOT / "examples" / "dossiers-2025.csv")
SPECS = str(ROOT / "specs")


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-03", date(2026, 3, 1), date(2026, 3, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2026-Q2", date(2026, 4, 1), date(2026, 6, 30)),
        ("2026q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("2026H1", date(2026, 1, 1), date(2026, 6, 30)),
        ("2026-H2", date(2026, 7, 1), date(2026, 12, 31)),
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_period_forms(text: str, start: date, end: date) -> None:
    assert parse_period(text) == (start, end)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-13", "a month number is 1 to 12"),
        ("2026-Q5", "a quarter number is 1 to 4"),
        ("2026H3", "a half number is 1 to 2"),
        ("03/2026", "expected YYYY-MM, YYYY-Qn, YYYYHn or YYYY"),
        ("", "got ''"),
    ],
)
def test_bad_period_is_named(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_period(text)


def test_bad_period_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["index766", EXAMPLE, "--period", "Q1-2025", "--specs", SPECS]) == 2
    assert "'Q1-2025'" in capsys.readouterr().err


def test_json_one_object_per_group(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["index766", EXAMPLE, "--period", "2025-03", "--by", "agency", "--specs", SPECS]
    assert main([*args, "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    objects = [json.loads(line) for line in lines]
    assert [o["key"] for o in objects][-1] == "total"
    assert len(objects) == 5  # four agencies and the total
    total = objects[-1]
    assert total["period_start"] == "2025-03-01"
    ind = total["indicators"]["2.1"]
    assert {"value", "points", "max_points", "counts"} <= set(ind)
    assert ind["max_points"] == 20
    assert ind["counts"]["dossiers"] == total["dossiers"]
    assert sum(o["dossiers"] for o in objects[:-1]) == total["dossiers"]
    assert all(s["why"] for s in total["against_21"])


def test_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "index.xlsx"
    assert main(["index766", EXAMPLE, "--period", "2025-Q1", "--specs", SPECS, "-o", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["766", "2.1"]
    rows = list(book["766"].iter_rows(values_only=True))
    assert rows[1][:3] == ("group", "dossiers", "2.1 (%)")
    assert rows[-1][0] == "total"
    assert book["2.1"].max_row > 1


def test_text_lists_why(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["index766", EXAMPLE, "--period", "2025-01", "--specs", SPECS, "--why"]) == 0
    out = capsys.readouterr().out
    assert "after the due date" in out
    assert "points" in out.splitlines()[-1]


def test_report_findings_columns(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["report", EXAMPLE, "--from", "2025-01-01", "--to", "2025-03-31", "--specs", SPECS]
    assert main([*args, "--by", "agency", "--format", "csv", "--findings"]) == 0
    lines = capsys.readouterr().out.splitlines()
    head = lines[0].split(",")
    assert head[-8:] == [f"finding_{code.value}" for code in FindingCode]
    rows = [dict(zip(head, line.split(","), strict=True)) for line in lines[1:]]
    assert rows[-1]["key"] == "total"
    late = "finding_late_without_apology"
    assert sum(int(r[late]) for r in rows[:-1]) == int(rows[-1][late])
    # Late without an apology: finished late (the report's column) or still overdue without one.
    assert int(rows[-1][late]) >= int(rows[-1]["resolved_late_without_apology"])


def test_report_findings_json(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["report", EXAMPLE, "--from", "2025-01-01", "--to", "2025-03-31", "--specs", SPECS]
    assert main([*args, "--findings"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data["total"]["findings"]) == [code.value for code in FindingCode]


def test_report_findings_sheet_and_png_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    args = ["report", EXAMPLE, "--from", "2025-01-01", "--to", "2025-01-31", "--specs", SPECS]
    out = tmp_path / "r.xlsx"
    assert main([*args, "--by", "agency", "--findings", "-o", str(out)]) == 0
    sheet = openpyxl.load_workbook(out)["Phát hiện"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:2] == ("key", "late_without_apology")
    assert rows[-1][0] == "total"
    assert main([*args, "--findings", "-o", str(tmp_path / "r.png")]) == 2
    assert (
        "--findings adds columns to JSON, CSV and XLSX reports, not png" in capsys.readouterr().err
    )


def _per_dossier_lines(path: str, start: date, end: date, by: str | None) -> list[str]:
    """What ``index766 --json`` prints, from the per-dossier builder."""
    index = build_index(
        read_dossiers(path),
        load_procedures(SPECS),
        vietnam_calendar(),
        start=start,
        end=end,
        by=by,
        extra=read_extra_columns(path, [by] if by else []),
    )
    head = {"period_start": str(start), "period_end": str(end), "by": by}
    return [
        json.dumps({**head, **group.model_dump(mode="json")}, ensure_ascii=False)
        for group in [*index.groups, index.total]
    ]


def _must_not_run(*args: object, **kwargs: object) -> NoReturn:
    raise AssertionError("this builder must not read this file")


@pytest.mark.parametrize(
    ("period", "by"), [("2025-Q1", "agency"), ("2025", None), ("2025-07", "service_level")]
)
def test_json_of_a_wide_file_is_the_per_dossier_builders(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, period: str, by: str | None
) -> None:
    # The wide file is read by the columnar builder: the per-dossier one is not called.
    monkeypatch.setattr("procflow.cli_index766.build_index", _must_not_run)
    args = ["index766", EXAMPLE, "--period", period, "--specs", SPECS, "--json"]
    assert main([*args, *(["--by", by] if by else [])]) == 0
    printed = capsys.readouterr().out.splitlines()
    monkeypatch.undo()
    assert printed == _per_dossier_lines(EXAMPLE, *parse_period(period), by)


def test_an_event_log_goes_dossier_by_dossier(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "log.csv"
    log.write_text(
        "dossier_id,event,at,result,time_limit,agency\n"
        "A,received,2025-03-03T09:00:00,,03 ngày làm việc,Sở Tư pháp\n"
        "A,finished,2025-03-10T10:00:00,granted,,\n"
        "B,received,2025-03-03T09:00:00,,03 ngày làm việc,UBND xã\n"
        "B,apology_issued,2025-03-04T09:00:00,,,\n"
        "C,received,2025-03-04T09:00:00,,03 ngày làm việc,UBND xã\n"
        "C,supplement_requested,2025-03-05T15:00:00,,,\n",
        encoding="utf-8",
    )
    monkeypatch.setattr("procflow.index766_bulk.build_index_bulk", _must_not_run)
    args = ["index766", str(log), "--period", "2025-03", "--by", "agency", "--json"]
    assert main([*args, "--specs", SPECS]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed == _per_dossier_lines(str(log), date(2025, 3, 1), date(2025, 3, 31), "agency")
    total = json.loads(printed[-1])
    assert total["dossiers"] == 3
    assert total["findings"]["late_without_apology"] == 1  # A; B apologised
    assert total["findings"]["request_outside_window"] == 1  # C: 10 working hours in


def test_why_text_is_the_per_dossier_builders(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["index766", EXAMPLE, "--period", "2025-02", "--by", "agency", "--specs", SPECS]
    assert main([*args, "--why"]) == 0
    fast = capsys.readouterr()
    # The same command on the per-dossier builder: tell the file apart as an event log would.
    monkeypatch.setattr("procflow.reportfile._engine_reads", lambda *a: False)
    assert main([*args, "--why"]) == 0
    slow = capsys.readouterr()
    assert (fast.out, fast.err) == (slow.out, slow.err)
    assert "against 2.1" in fast.out


def _findings_of(capsys: pytest.CaptureFixture[str], args: list[str]) -> dict[str, Any]:
    assert main([*args, "--findings"]) == 0
    data = json.loads(capsys.readouterr().out)
    return {row["key"]: row["findings"] for row in [*data["rows"], data["total"]]}


@pytest.mark.parametrize(
    "extra",
    [
        ["--to", "2025-06-30", "--by", "agency"],
        ["--to", "2025-03-31T12:00", "--by", "field"],  # a period ending at noon
        ["--to", "2025-12-31", "--by", "unit"],
        ["--to", "2025-12-31", "--duplicates", "last"],
    ],
    ids=["agency", "noon", "unit", "duplicates-last"],
)
def test_report_findings_on_both_paths(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, extra: list[str]
) -> None:
    args = ["report", EXAMPLE, "--from", "2025-01-01", *extra, "--specs", SPECS]
    monkeypatch.setattr("procflow.cli_index766.build_index", _must_not_run)
    fast = _findings_of(capsys, args)
    monkeypatch.undo()
    monkeypatch.setattr("procflow.reportfile._engine_reads", lambda *a: False)
    assert fast == _findings_of(capsys, args)
    assert fast["total"]["late_without_apology"] > 0


def test_report_findings_count_the_reports_dossiers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A bad optional column of the index rejects no row from the report's findings; a
    # repeated id is counted as the report counts it (--duplicates last: the last row).
    path = tmp_path / "rows.csv"
    path.write_text(
        "dossier_id,received_at,finished_at,time_limit,satisfaction\n"
        "A,2025-03-03T09:00:00,2025-03-04T10:00:00,03 ngày làm việc,\n"
        "A,2025-03-03T09:00:00,2025-03-12T10:00:00,03 ngày làm việc,\n"
        "B,2025-03-03T09:00:00,2025-03-12T10:00:00,03 ngày làm việc,nine\n",
        encoding="utf-8",
    )
    args = ["report", str(path), "--from", "2025-03-01", "--to", "2025-03-31", "--accept-rejects"]
    found = _findings_of(capsys, [*args, "--duplicates", "last"])
    assert found["total"]["late_without_apology"] == 2
    assert _findings_of(capsys, args)["total"]["late_without_apology"] == 1  # A refused


def test_workbook_is_the_per_dossier_builders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    args = ["index766", EXAMPLE, "--period", "2025-Q2", "--by", "agency", "--specs", SPECS]
    assert main([*args, "-o", str(tmp_path / "fast.xlsx")]) == 0
    monkeypatch.setattr("procflow.reportfile._engine_reads", lambda *a: False)
    assert main([*args, "-o", str(tmp_path / "slow.xlsx")]) == 0

    def cells(name: str) -> dict[str, list[tuple[Any, ...]]]:
        book = openpyxl.load_workbook(tmp_path / name)
        return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}

    fast = cells("fast.xlsx")
    assert fast == cells("slow.xlsx")
    assert len(fast["2.1"]) > 1
