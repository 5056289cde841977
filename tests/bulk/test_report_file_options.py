"""The columnar report of a file: repeated ids across batches, and named text encodings.

Both give what the per-dossier path gives on the same file: the same rejected rows (the
file's own line numbers, the same reasons) and the same counts.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from procflow import InputError, build_report, bulk, read_dossiers, vietnam_calendar
from procflow.cli import main
from procflow.interchange import Duplicates
from procflow.reportfile import FileReporter
from procflow.server import create_app

CAL = vietnam_calendar(years=[2025])
START, END = date(2025, 3, 1), date(2025, 3, 31)
HEADER = "dossier_id,received_at,finished_at,field,time_limit\n"
# File lines 2, 3, (4 blank), 5, 6, 7. A is on lines 2 and 6: in two batches of 2 rows.
# 03 working days from Monday 2025-03-03 09:00: due Thursday 2025-03-06 17:00.
ROWS = (
    "A,2025-03-03T09:00:00,2025-03-04T09:00:00,Hôn nhân,3 working days\n"
    "B,2025-03-03T09:00:00,2025-03-05T09:00:00,Tư pháp,3 working days\n"
    "\n"
    "C,2025-03-03T09:00:00,2025-03-06T16:00:00,Hôn nhân,3 working days\n"
    "A,2025-03-03T09:00:00,2025-03-20T09:00:00,Hôn nhân,3 working days\n"
    "D,2025-03-03T09:00:00,,Tư pháp,3 working days\n"
)
REFUSED = (
    "duplicate dossier id 'A' on rows 2, 6: refused; "
    "keep the last with duplicates='last' (--duplicates last)"
)
SUPERSEDED = "duplicate dossier id 'A' (rows 2, 6): superseded by row 6 (duplicates='last')"


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "export.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    return path


def _rejected(report: object) -> list[tuple[int, str]]:
    return [(r.row, r.reason) for r in report.rejected]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("keep", "expected", "late"),
    [
        ("refuse", [(2, REFUSED), (6, REFUSED)], 0),  # neither A row is counted
        ("last", [(2, SUPERSEDED)], 1),  # line 6 stands: finished 20/3, after 6/3 17:00
    ],
)
@pytest.mark.parametrize("batch_size", [2, 262_144])
def test_a_repeat_in_another_batch_is_found(
    export: Path, keep: Duplicates, expected: list[tuple[int, str]], late: int, batch_size: int
) -> None:
    engine = bulk.build_report(
        export, None, CAL, start=START, end=END, by="field", batch_size=batch_size, duplicates=keep
    )
    per_dossier = build_report(
        read_dossiers(export, duplicates=keep), None, CAL, start=START, end=END, by="field"
    )
    assert _rejected(engine) == _rejected(per_dossier) == expected
    assert engine.total.resolved_late == per_dossier.total.resolved_late == late
    assert engine.total.received_total == 5 - len(expected)
    assert engine.model_dump() == per_dossier.model_dump()


@pytest.mark.parametrize("keep", ["refuse", "last"])
def test_parquet_repeats_across_batches(tmp_path: Path, export: Path, keep: Duplicates) -> None:
    parquet = tmp_path / "export.parquet"
    table = pacsv.read_csv(export, convert_options=pacsv.ConvertOptions(strings_can_be_null=False))
    pq.write_table(table.cast(pa.schema([(n, pa.string()) for n in table.column_names])), parquet)
    engine = bulk.build_report(
        parquet, None, CAL, start=START, end=END, batch_size=2, duplicates=keep
    )
    # Parquet has no lines: row n is record n - 2, the header being row 1.
    rows = [row for row, _ in _rejected(engine)]
    assert rows == ([2, 5] if keep == "refuse" else [2])


def test_an_in_memory_table_takes_the_mode(export: Path) -> None:
    table = pacsv.read_csv(export)
    engine = bulk.build_report(table, None, CAL, start=START, end=END, duplicates="last")
    assert [row for row, _ in _rejected(engine)] == [2]


@pytest.mark.parametrize("encoding", ["cp1258", "utf-16"])
def test_a_named_encoding_is_read_by_the_engine(
    tmp_path: Path, export: Path, encoding: str
) -> None:
    path = tmp_path / f"export-{encoding}.csv"
    path.write_bytes((HEADER + ROWS).encode(encoding))
    reporter = FileReporter(path, None, CAL, encoding=encoding)
    assert reporter.table is None  # the columnar engine, streamed
    got = reporter.report(START, END, "field")
    want = FileReporter(export, None, CAL).report(START, END, "field")
    assert got.model_dump() == want.model_dump()
    assert [row.key for row in got.rows] == ["Hôn nhân", "Tư pháp"]
    assert _rejected(got) == [(2, REFUSED), (6, REFUSED)]  # the file's own lines


def test_a_legacy_file_without_its_encoding_names_the_option(tmp_path: Path) -> None:
    path = tmp_path / "legacy.csv"
    path.write_bytes((HEADER + ROWS).encode("cp1258"))
    with pytest.raises(InputError, match="--encoding"):
        bulk.build_report(path, None, CAL, start=START, end=END)


def test_cli_report_duplicates_option(export: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["report", str(export), "--years", "2025", "--from", "2025-03-01", "--to", "2025-03-31"]
    assert main(args) == 3  # rows were rejected
    refused = capsys.readouterr().out
    assert main([*args, "--duplicates", "last"]) == 3
    kept = capsys.readouterr().out
    assert refused.count("duplicate dossier id 'A'") == 2
    assert kept.count("duplicate dossier id 'A'") == 1
    assert "superseded by row 6" in kept


def test_service_report_duplicates_parameter(export: Path) -> None:
    client = TestClient(create_app(specs="specs"))
    period = {"from": "2025-03-01", "to": "2025-03-31"}

    def rejected(**extra: str) -> list[tuple[int, str]]:
        answer = client.post(
            "/v1/report",
            files={"file": ("export.csv", export.read_bytes())},
            data={**period, **extra},
        )
        assert answer.status_code == 200, answer.text
        return [(r["row"], r["reason"]) for r in answer.json()["rejected"]]

    assert rejected() == [(2, REFUSED), (6, REFUSED)]
    assert rejected(duplicates="last") == [(2, SUPERSEDED)]
    bad = client.post(
        "/v1/report",
        files={"file": ("export.csv", export.read_bytes())},
        data={**period, "duplicates": "first"},
    )
    assert bad.status_code == 422
