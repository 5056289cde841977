"""``procflow index766``: period forms, one JSON object per group, the workbook, errors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from procflow.cli import main
from procflow.cli_index766 import parse_period
from procflow.errors import InputError
from procflow.findings import FindingCode

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
