"""Streaming, reports on the engine, the command line, and Dask partitions."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from procflow import (
    ProcedureLibrary,
    WorkCalendar,
    build_report,
    bulk,
    load_procedures,
    read_dossiers,
)
from procflow.cli import main

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "dossiers-2025.csv"
ERRORS = ROOT / "tests" / "fixtures" / "exports" / "wide-with-errors.csv"


@pytest.fixture(scope="module")
def library() -> ProcedureLibrary:
    return load_procedures(ROOT / "src" / "procflow" / "specs")


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2025, 1, 1), date(2025, 3, 31)),
        (date(2025, 7, 1), date(2025, 12, 31)),
        (date(2025, 11, 3), date(2025, 11, 9)),
    ],
)
@pytest.mark.parametrize("by", [None, "field", "procedure", "office", "agency", "channel"])
def test_report_on_the_engine_equals_the_per_dossier_report(
    cal: WorkCalendar, library: ProcedureLibrary, start: date, end: date, by: str | None
) -> None:
    expected = build_report(read_dossiers(EXAMPLE), library, cal, start=start, end=end, by=by)
    assert bulk.build_report(EXAMPLE, library, cal, start=start, end=end, by=by) == expected


def test_report_rejections_equal(cal: WorkCalendar, library: ProcedureLibrary) -> None:
    expected = build_report(
        read_dossiers(ERRORS), library, cal, start=date(2025, 3, 1), end=date(2025, 3, 31)
    )
    got = bulk.build_report(ERRORS, library, cal, start=date(2025, 3, 1), end=date(2025, 3, 31))
    assert got == expected
    assert sorted(r.row for r in got.rejected) == [4, 5, 6, 7, 8, 9, 10]


@pytest.mark.parametrize("batch_size", [7, 1000])
def test_streaming_equals_in_memory(
    tmp_path: Path, cal: WorkCalendar, library: ProcedureLibrary, batch_size: int
) -> None:
    as_of = datetime(2025, 10, 15, 12)
    out = tmp_path / "classified.parquet"
    source = tmp_path / "source.parquet"
    pq.write_table(
        pa.concat_tables(
            [
                pq.read_table(EXAMPLE.with_suffix(".csv")) if False else bulk._read_csv(EXAMPLE),
                bulk._read_csv(ERRORS)
                .select(bulk._read_csv(ERRORS).column_names[:-1])
                .cast(
                    pa.schema([(n, pa.string()) for n in bulk._read_csv(ERRORS).column_names[:-1]])
                ),
            ],
            promote_options="permissive",
        ),
        source,
    )
    whole = bulk.classify(source, procedures=library, calendar=cal, as_of=as_of)
    classified, rejected, rejected_path = bulk.classify_file(
        source, out, procedures=library, calendar=cal, as_of=as_of, batch_size=batch_size
    )
    # Parquet keeps second timestamps as milliseconds: compare the values.
    assert pq.read_table(out).to_pylist() == whole.table.to_pylist()
    assert pq.read_table(rejected_path).to_pylist() == whole.rejected.to_pylist()
    assert classified + rejected == pq.ParquetFile(source).metadata.num_rows


def test_classify_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out" / "classified.parquet"
    args = [
        "classify",
        str(ERRORS),
        "-o",
        str(out),
        "--as-of",
        "2025-03-31T17:00",
        "--specs",
        str(ROOT / "src" / "procflow" / "specs"),
        "--progress",  # standard error is no terminal here: force the bar
    ]
    assert main(args) == 3  # rows were rejected
    text = capsys.readouterr()
    assert "7 rows rejected (exit status 3)" in text.err
    assert "9 rows: 2 classified" in text.out
    assert "7 rejected into" in text.out
    assert "classify" in text.err  # the progress bar
    assert pq.read_table(out).num_rows == 2


def test_dask_partitions_equal_single_process(cal: WorkCalendar, library: ProcedureLibrary) -> None:
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    table = bulk._read_csv(EXAMPLE)
    as_of = datetime(2025, 9, 30, 12)
    expected = bulk.classify(table, procedures=library, calendar=cal, as_of=as_of)
    frame = dd.from_pandas(table.to_pandas(), npartitions=4)
    with (
        LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0"
        ) as cluster,
        Client(cluster),
    ):
        classified, rejected = bulk.classify_dask(
            frame, procedures=library, calendar=cal, as_of=as_of
        )
        got = classified.compute().sort_values("index").reset_index(drop=True)
        got_rejected = rejected.compute().sort_values("index").reset_index(drop=True)
    want = expected.table.to_pandas()
    assert got["index"].tolist() == want["index"].tolist()
    assert got["outcome"].tolist() == want["outcome"].tolist()
    assert got["due_at"].tolist() == want["due_at"].tolist()
    assert got_rejected["row"].tolist() == expected.rejected["row"].to_pylist()


def test_field_from_the_procedure_version(
    tmp_path: Path, cal: WorkCalendar, library: ProcedureLibrary
) -> None:
    # Without a field column, rows take their procedure version's field (the household
    # business procedure has two versions).
    source = tmp_path / "no-field.csv"
    table = bulk._read_csv(EXAMPLE)
    pacsv.write_csv(table.drop_columns(["field"]), source)
    start, end = date(2025, 1, 1), date(2025, 12, 31)
    expected = build_report(read_dossiers(source), library, cal, start=start, end=end, by="field")
    got = bulk.build_report(source, library, cal, start=start, end=end, by="field")
    assert got == expected
    assert "Thành lập và hoạt động của hộ kinh doanh" in {row.key for row in got.rows}
