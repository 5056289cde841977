"""pandas and polars DataFrames give the rows and the messages of the CSV file they hold.

A DataFrame has no lines: its row n is record n - 2 (the header being row 1), as in a CSV
file with one line a record, such as the fixture here. The same rows are classified, the
same are rejected, with the same row numbers and reasons, and the reports agree.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from procflow import ProcedureLibrary, bulk, load_procedures, vietnam_calendar

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")

ROOT = Path(__file__).parents[2]
ERRORS = ROOT / "tests" / "fixtures" / "exports" / "wide-with-errors.csv"
EXAMPLE = ROOT / "examples" / "dossiers-2025.csv"
CAL = vietnam_calendar(years=range(2024, 2027))
AS_OF = datetime(2025, 12, 31, 23, 59)


@pytest.fixture(scope="module")
def library() -> ProcedureLibrary:
    return load_procedures(ROOT / "src" / "procflow" / "specs")


def _frames(path: Path) -> dict[str, Any]:
    """The file as DataFrames: every column as text, and with each library's own types."""
    return {
        "pandas, text": pd.read_csv(path, dtype=str, keep_default_na=False),
        "pandas, inferred": pd.read_csv(path),
        "polars, text": pl.read_csv(path, infer_schema=False),
        "polars, inferred": pl.read_csv(path),
    }


def _rejected(result: bulk.BulkResult) -> list[tuple[int, str, str]]:
    r = result.rejected
    return list(
        zip(r["row"].to_pylist(), r["dossier_id"].to_pylist(), r["reason"].to_pylist(), strict=True)
    )


@pytest.mark.parametrize("path", [ERRORS, EXAMPLE], ids=["errors", "example"])
def test_dataframes_classify_like_their_csv(path: Path, library: ProcedureLibrary) -> None:
    expected = bulk.classify(path, procedures=library, calendar=CAL, as_of=AS_OF)
    if path == ERRORS:
        assert expected.rejected.num_rows > 0  # the messages are compared too
    for name, frame in _frames(path).items():
        got = bulk.classify(frame, procedures=library, calendar=CAL, as_of=AS_OF)
        assert _rejected(got) == _rejected(expected), name
        for column in ("index", "dossier_id", "due_at", "outcome", "rule", "used_days"):
            assert got.table[column].to_pylist() == expected.table[column].to_pylist(), (
                name,
                column,
            )
        assert got.table.num_rows + got.rejected.num_rows == len(frame), name


def test_dataframe_reports_like_the_file(library: ProcedureLibrary) -> None:
    start, end = date(2025, 1, 1), date(2025, 12, 31)
    want = bulk.build_report(EXAMPLE, library, CAL, start=start, end=end, by="field")
    for name, frame in _frames(EXAMPLE).items():
        got = bulk.build_report(frame, library, CAL, start=start, end=end, by="field")
        assert got.model_dump() == want.model_dump(), name


def test_polars_table_is_taken_as_arrow() -> None:
    frame = pl.DataFrame(
        {
            "dossier_id": ["A"],
            "received_at": [datetime(2025, 3, 3, 9)],  # a polars Datetime column
            "time_limit": ["3 working days"],
        }
    )
    result = bulk.classify(frame, calendar=CAL, as_of=AS_OF)
    assert isinstance(result.table, pa.Table)
    assert result.table["dossier_id"].to_pylist() == ["A"]
    assert result.table["due_at"].to_pylist() == [datetime(2025, 3, 6, 17)]
