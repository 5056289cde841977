"""Duplicate dossier ids: found with their rows, refused by default, the last kept on request."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from procflow import bulk, read_dossiers
from procflow.calendar import vietnam_calendar
from procflow.cli import main
from procflow.interchange import Duplicates

CAL = vietnam_calendar(years=[2025])
HEADER = "dossier_id,received_at,finished_at,time_limit\n"
# Rows 2..7 of the file; A on rows 2, 4 and 7, B on row 3, C on 5 and 6 (row 6 padded).
BODY = (
    "A,2025-03-03T09:00:00,2025-03-04T09:00:00,03 ngày làm việc\n"
    "B,2025-03-03T09:00:00,2025-03-04T09:00:00,03 ngày làm việc\n"
    "A,2025-03-03T09:00:00,2025-03-20T09:00:00,03 ngày làm việc\n"
    "C,2025-03-03T09:00:00,,03 ngày làm việc\n"
    " C ,2025-03-03T09:00:00,2025-03-05T09:00:00,03 ngày làm việc\n"
    "A,2025-03-03T09:00:00,2025-03-06T17:00:00,03 ngày làm việc\n"
)


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "dup.csv"
    path.write_text(HEADER + BODY, encoding="utf-8")
    return path


def _rejected_rows(export: Path, keep: Duplicates) -> dict[str, list[tuple[int, str]]]:
    """Rejected (row, reason) by path: per-dossier reader, columnar, streamed in batches of 2."""
    table = read_dossiers(export, duplicates=keep)
    per_dossier = [(r.row, r.reason) for r in table.rejected]
    result = bulk.classify(export, calendar=CAL, duplicates=keep)
    rejected = result.rejected
    columnar = list(zip(rejected["row"].to_pylist(), rejected["reason"].to_pylist(), strict=True))
    out = export.with_name("out.parquet")
    bulk.classify_file(export, out, calendar=CAL, batch_size=2, duplicates=keep)
    bad = pq.read_table(out.with_suffix(".rejected.parquet"))
    streamed = list(zip(bad["row"].to_pylist(), bad["reason"].to_pylist(), strict=True))
    return {"per_dossier": per_dossier, "columnar": columnar, "streamed": streamed}


def test_duplicates_are_refused_with_their_rows_on_every_path(export: Path) -> None:
    found = _rejected_rows(export, "refuse")
    assert found["per_dossier"] == found["columnar"] == found["streamed"]
    rows = [row for row, _ in found["per_dossier"]]
    assert rows == [2, 4, 5, 6, 7]
    reasons = dict(found["per_dossier"])
    assert reasons[2].startswith("duplicate dossier id 'A' on rows 2, 4, 7: refused")
    assert "--duplicates last" in reasons[2]
    assert reasons[5].startswith("duplicate dossier id 'C' on rows 5, 6")


def test_keep_last_keeps_the_last_row_of_each_id(export: Path) -> None:
    found = _rejected_rows(export, "last")
    assert found["per_dossier"] == found["columnar"] == found["streamed"]
    assert [row for row, _ in found["per_dossier"]] == [2, 4, 5]
    assert dict(found["per_dossier"])[4] == (
        "duplicate dossier id 'A' (rows 2, 4, 7): superseded by row 7 (duplicates='last')"
    )
    table = read_dossiers(export, duplicates="last")
    assert [d.id for d in table.dossiers] == ["B", "C", "A"]
    assert table.rows == (3, 6, 7)
    assert table.total == 6


def test_every_row_is_accounted_for_and_no_dossier_counted_twice(export: Path) -> None:
    policies: tuple[Duplicates, ...] = ("refuse", "last")
    for keep in policies:
        result = bulk.classify(export, calendar=CAL, duplicates=keep)
        assert result.table.num_rows + result.rejected.num_rows == 6
        ids = result.table["dossier_id"].to_pylist()
        assert len(ids) == len(set(ids))


def test_cli_classify_duplicates_option(
    export: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "c.parquet"
    assert main(["classify", str(export), "-o", str(out), "--quiet", "--years", "2025"]) == 3
    assert "6 rows: 1 classified" in capsys.readouterr().out
    args = ["classify", str(export), "-o", str(out), "--quiet", "--years", "2025"]
    assert main([*args, "--duplicates", "last", "--accept-rejects"]) == 0
    assert "6 rows: 3 classified" in capsys.readouterr().out


def test_an_unknown_duplicates_policy_is_an_error(export: Path) -> None:
    with pytest.raises(ValueError, match="duplicates must be"):
        read_dossiers(export, duplicates="first")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("ids", "refused"),
    [
        (["A", "B", "C", "D"], []),  # in id order, all distinct: one comparison pass
        (["A", "B", "B", "C"], ["B", "B"]),  # in order with a repeat next to itself
        (["A", "B", " B", "C"], ["B", "B"]),  # ... equal once trimmed
        (["B", "A", "C", "A"], ["A", "A"]),  # out of order: sorted to find the repeat
        (["D", "C", "B", "A"], []),
    ],
)
def test_repeats_are_found_in_id_order_and_out_of_it(ids: list[str], refused: list[str]) -> None:
    table = pa.table(
        {
            "dossier_id": ids,
            "received_at": ["2025-03-03T09:00:00"] * len(ids),
            "time_limit": ["03 ngày làm việc"] * len(ids),
        }
    )
    rejected = bulk.classify(table, calendar=CAL).rejected
    assert sorted(d.strip() for d in rejected["dossier_id"].to_pylist()) == refused
