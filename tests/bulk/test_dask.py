"""``classify_dask``: one task per partition, both outputs, the single-process answer."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from procflow import InputError, ProcedureLibrary, WorkCalendar, bulk, load_procedures
from procflow.bulk import parallel

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
pd = pytest.importorskip("pandas")

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "dossiers-2025.csv"
ERRORS = ROOT / "tests" / "fixtures" / "exports" / "wide-with-errors.csv"
AS_OF = datetime(2025, 9, 30, 12)


@pytest.fixture(scope="module")
def library() -> ProcedureLibrary:
    return load_procedures(ROOT / "src" / "procflow" / "specs")


def _source() -> pa.Table:
    """The example year followed by the rows with errors (some rejected), as text."""
    good, bad = bulk._read_csv(EXAMPLE), bulk._read_csv(ERRORS)
    names = [n for n in good.column_names if n in bad.column_names]
    return pa.concat_tables([good.select(names), bad.select(names)])


def _as_arrow(frame: Any) -> pa.Table:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    return table.sort_by([("index", "ascending")])


@pytest.mark.parametrize("npartitions", [1, 3, 7])
def test_partitions_give_the_single_process_table(
    cal: WorkCalendar, library: ProcedureLibrary, npartitions: int
) -> None:
    source = _source()
    expected = bulk.classify(source, procedures=library, calendar=cal, as_of=AS_OF)
    assert expected.rejected.num_rows > 0  # both outputs are exercised
    frame = dd.from_pandas(source.to_pandas(types_mapper=pd.ArrowDtype), npartitions=npartitions)
    classified, rejected = bulk.classify_dask(frame, procedures=library, calendar=cal, as_of=AS_OF)
    got, got_rejected = dask.compute(classified, rejected, scheduler="sync")
    table, bad = _as_arrow(got), _as_arrow(got_rejected)
    assert table.column_names == list(bulk.OUTPUT_COLUMNS)
    for name in bulk.OUTPUT_COLUMNS:  # every column, value for value
        assert table[name].to_pylist() == expected.table[name].to_pylist(), name
    assert bad.to_pylist() == expected.rejected.to_pylist()
    assert table.num_rows + bad.num_rows == source.num_rows  # every row accounted for


def test_each_partition_is_classified_once(
    cal: WorkCalendar, library: ProcedureLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = bulk.classify

    def counting(source: pa.Table, **options: Any) -> bulk.BulkResult:
        calls.append(source.num_rows)
        return real(source, **options)

    monkeypatch.setattr(parallel, "classify", counting)
    source = _source()
    frame = dd.from_pandas(source.to_pandas(), npartitions=4)
    classified, rejected = bulk.classify_dask(frame, procedures=library, calendar=cal, as_of=AS_OF)
    built = len(calls)  # the empty result that gives the columns' types
    assert built == 1
    dask.compute(classified, rejected, scheduler="sync")
    assert sorted(calls[built:]) == sorted(len(p) for p in frame.partitions)


def test_a_frame_without_the_required_columns_is_refused(cal: WorkCalendar) -> None:
    frame = dd.from_pandas(pd.DataFrame({"dossier_id": ["A"]}), npartitions=1)
    with pytest.raises(InputError, match="missing column"):
        bulk.classify_dask(frame, calendar=cal, as_of=AS_OF)


def test_on_a_local_cluster_of_processes(cal: WorkCalendar, library: ProcedureLibrary) -> None:
    from distributed import Client, LocalCluster

    source = bulk._read_csv(EXAMPLE)
    expected = bulk.classify(source, procedures=library, calendar=cal, as_of=AS_OF)
    frame = dd.from_pandas(source.to_pandas(), npartitions=2)
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        classified, rejected = bulk.classify_dask(
            frame, procedures=library, calendar=cal, as_of=AS_OF
        )
        got, got_rejected = client.compute([classified, rejected], sync=True)
    assert _as_arrow(got)["outcome"].to_pylist() == expected.table["outcome"].to_pylist()
    assert _as_arrow(got_rejected).num_rows == expected.rejected.num_rows
