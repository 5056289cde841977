"""``procflow sample``: the benchmarks' synthetic year, seeded, as a command."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from procflow import vietnam_calendar
from procflow.bulk import classify
from procflow.cli import main
from procflow.sample import ROW_GROUP
from tests.legal.engines import SPECS


def test_same_seed_same_rows(tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert main(["sample", "400", "-o", str(tmp_path / f"{name}.parquet"), "--seed", "7"]) == 0
    a, b = (pq.read_table(tmp_path / f"{n}.parquet") for n in "ab")
    assert a.equals(b)
    assert a.num_rows == 400
    main(["sample", "400", "-o", str(tmp_path / "c.parquet"), "--seed", "8"])
    assert not a.equals(pq.read_table(tmp_path / "c.parquet"))


def test_parquet_has_row_groups_and_dictionaries(tmp_path: Path) -> None:
    out = tmp_path / "year.parquet"
    main(["sample", str(ROW_GROUP + 10), "-o", str(out)])
    meta = pq.ParquetFile(out)
    assert meta.metadata.num_row_groups == 2
    assert pa.types.is_dictionary(meta.schema_arrow.field("field").type)
    assert pa.types.is_string(meta.schema_arrow.field("dossier_id").type)


def test_csv_and_parquet_classify_alike(tmp_path: Path) -> None:
    from procflow import load_procedures

    main(["sample", "300", "-o", str(tmp_path / "s.csv"), "--seed", "3"])
    main(["sample", "300", "-o", str(tmp_path / "s.parquet"), "--seed", "3"])
    cal, library = vietnam_calendar(), load_procedures(SPECS)
    got = [
        classify(tmp_path / f"s.{ext}", procedures=library, calendar=cal)
        for ext in ("csv", "parquet")
    ]
    assert got[0].rejected.num_rows == got[1].rejected.num_rows == 0
    for name in ("dossier_id", "due_at", "outcome", "rule"):
        assert got[0].table[name].to_pylist() == got[1].table[name].to_pylist()


@pytest.mark.parametrize("bad", ["out.txt", "out"])
def test_other_extensions_are_refused(
    tmp_path: Path, bad: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sample", "10", "-o", str(tmp_path / bad)]) == 2
    assert "parquet" in capsys.readouterr().err
    assert not (tmp_path / bad).exists()
