"""A report of a file is read in batches: the same report whatever the batch size."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest

from procflow import WorkCalendar, load_procedures
from procflow.bulk import build_report
from procflow.sample import generate, write
from tests.legal.engines import SPECS


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
@pytest.mark.parametrize("by", [None, "field", "channel"])
def test_batches_give_the_same_report(
    tmp_path: Path, cal: WorkCalendar, suffix: str, by: str | None
) -> None:
    table = generate(3_000, 2025, seed=5)
    # Two bad rows, to check that rejected rows keep the file's row numbers.
    bad = table.slice(0, 2).set_column(
        table.column_names.index("dossier_id"), "dossier_id", pa.array(["", " "])
    )
    path = tmp_path / f"year{suffix}"
    write(pa.concat_tables([table.slice(0, 1_500), bad, table.slice(1_500)]), path)
    library = load_procedures(SPECS)
    start, end = date(2025, 4, 1), date(2025, 6, 30)
    whole = build_report(path, library, cal, start=start, end=end, by=by, batch_size=1_000_000)
    batched = build_report(path, library, cal, start=start, end=end, by=by, batch_size=777)
    assert batched == whole
    assert [r.row for r in whole.rejected] == [1_502, 1_503]
    assert whole.dossiers == 3_002
