"""Streaming a large file in batches to Parquet or CSV (:func:`classify_file`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from procflow.bulk.columns import BulkResult
from procflow.bulk.engine import _duplicates_of, _renumber, classify, max_event_time
from procflow.bulk.reading import _csv_options
from procflow.calendar import WorkCalendar, vietnam_calendar
from procflow.errors import InputError
from procflow.evaluation import Procedures
from procflow.interchange import (
    _CORRUPT_PARQUET,
    Duplicates,
    open_parquet,
    parquet_batches,
    record_lines,
)
from procflow.io import atomic_outputs, refuse_overwrite
from procflow.sheets import FORMULA_START

# -- streaming --------------------------------------------------------------------------


def csv_safe_table(table: pa.Table) -> pa.Table:
    """The table with its text columns neutralised for CSV (see :mod:`procflow.sheets`).

    Dictionary-encoded columns become plain strings, which every CSV writer takes.
    """
    columns = []
    for column in table.columns:
        kind = column.type
        if pa.types.is_dictionary(kind):
            column = pc.cast(column, kind.value_type)
            kind = kind.value_type
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            starts = pc.fill_null(pc.match_substring_regex(column, FORMULA_START.pattern), False)
            column = pc.if_else(starts, pc.binary_join_element_wise("'", column, ""), column)
        columns.append(column)
    return pa.table(columns, names=table.column_names)


def _batches(
    path: Path, batch_size: int, encoding: str | None = None
) -> tuple[Iterator[pa.RecordBatch], int | None]:
    if path.suffix.lower() == ".parquet":
        rows = open_parquet(path).metadata.num_rows
        return parquet_batches(path, batch_size), rows
    read, parse, convert = _csv_options(path, max(1 << 20, batch_size * 256), encoding)
    try:
        reader = pacsv.open_csv(
            path, read_options=read, parse_options=parse, convert_options=convert
        )
    except (OSError, pa.ArrowInvalid) as exc:
        raise InputError(f"{path}: cannot read CSV: {exc}") from exc
    return iter(reader), None


def _id_column(path: Path, encoding: str | None = None) -> pa.ChunkedArray | None:
    """A file's dossier ids alone, the other columns not read (None if it has none)."""
    if path.suffix.lower() == ".parquet":
        parquet = open_parquet(path)
        if "dossier_id" not in parquet.schema_arrow.names:
            return None
        try:
            column = parquet.read(columns=["dossier_id"]).column(0)
        except (OSError, ValueError) as exc:
            raise InputError(f"{path}: {_CORRUPT_PARQUET}: {exc}") from exc
        return pc.cast(column, pa.string())
    read, parse, convert = _csv_options(path, 1 << 24, encoding)
    if "dossier_id" not in convert.column_types:
        return None
    convert.include_columns = ["dossier_id"]
    try:
        table = pacsv.read_csv(
            path, read_options=read, parse_options=parse, convert_options=convert
        )
    except (OSError, pa.ArrowInvalid) as exc:
        hint = "; name its encoding with --encoding" if "UTF8" in str(exc) else ""
        raise InputError(f"{path}: cannot read CSV: {exc}{hint}") from exc
    return table.column(0)


def _file_duplicates(
    path: Path, duplicates: Duplicates, encoding: str | None = None
) -> tuple[dict[int, str], list[int] | None]:
    """The rows a repeated dossier id rejects anywhere in a file, and the file's lines.

    A first pass over the ``dossier_id`` column only, so that batches read afterwards
    know the repeats in other batches. Returns index to reason, and the line each CSV
    record starts on (:func:`~procflow.interchange.record_lines`; None for Parquet).
    """
    ids = _id_column(path, encoding)
    lines = None
    if path.suffix.lower() != ".parquet":
        lines = record_lines(path, 0 if ids is None else len(ids), encoding)
    repeated = {} if ids is None else _duplicates_of(ids, duplicates, 0, lines)
    return repeated, lines


OutputFormat = Literal["parquet", "csv"]
"""Formats :func:`classify_file` writes."""


def output_format(path: str | Path, given: str | None = None) -> OutputFormat:
    """The format of an output file: ``given``, or else the file's extension.

    Raises:
        InputError: If the format is not Parquet or CSV.

    Examples:
        >>> output_format("out/classified.csv"), output_format("x.data", "parquet")
        ('csv', 'parquet')
    """
    fmt = (given or Path(path).suffix.lstrip(".")).lower()
    if fmt not in ("parquet", "csv"):
        raise InputError(
            f"output {str(path)!r}: unknown format {fmt!r}; use .parquet or .csv, or --format"
        )
    return "csv" if fmt == "csv" else "parquet"


class _TableWriter:
    """Appends tables to one Parquet or CSV file, opened on the first table."""

    def __init__(self, path: Path, fmt: OutputFormat) -> None:
        self.path, self.fmt = path, fmt
        self._writer: Any = None

    def write(self, table: pa.Table) -> None:
        if self.fmt == "csv":
            table = csv_safe_table(table)
        if self._writer is None:
            opener = pacsv.CSVWriter if self.fmt == "csv" else pq.ParquetWriter
            self._writer = opener(self.path, table.schema)
        self._writer.write_table(table)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()


def _empty_result(cal: WorkCalendar, as_of: datetime | date) -> BulkResult:
    empty = pa.table(
        {"dossier_id": pa.array([], pa.string()), "received_at": pa.array([], pa.string())}
    )
    return classify(empty, calendar=cal, as_of=as_of)


def classify_file(
    path: str | Path,
    out: str | Path,
    *,
    procedures: Procedures = None,
    calendar: WorkCalendar | None = None,
    as_of: datetime | date | None = None,
    batch_size: int = 262_144,
    progress: Callable[[int], None] | None = None,
    format: str | None = None,
    duplicates: Duplicates = "refuse",
    encoding: str | None = None,
) -> tuple[int, int, Path]:
    """Classify a file larger than memory, batch by batch, into a Parquet or CSV file.

    The rejected rows go to ``OUT.rejected.parquet`` (or ``.csv``) beside ``out``. Both
    files are written to temporary siblings and appear together at the end: an error or
    an interruption leaves no partial output, and an earlier output is kept as it was.

    Args:
        path: The CSV or Parquet source, wide format.
        out: The file to write.
        procedures: The procedure library.
        calendar: The working calendar (default: :func:`~procflow.vietnam_calendar`).
        as_of: The instant to classify at. Default: the end of the day of the latest
            event in the file (one extra pass over its time columns).
        batch_size: Rows per batch.
        progress: Called with the number of rows done after each batch.
        format: ``"parquet"`` or ``"csv"``; default: by the extension of ``out``.
        duplicates: Rows sharing a dossier id anywhere in the file: ``"refuse"`` rejects
            them all, ``"last"`` keeps the last.
        encoding: A CSV source's text encoding (e.g. ``"cp1258"``); default: by its byte
            order mark, else UTF-8.

    Returns:
        Rows classified, rows rejected, and the path of the rejected rows' file.

    Raises:
        InputError: If the source cannot be read, the format is unknown, or an output
            is the source (refused before anything is read).
    """
    source, target = Path(path), Path(out)
    fmt = output_format(target, format)
    rejected_path = target.with_suffix(f".rejected.{fmt}")
    refuse_overwrite([source], [target, rejected_path])
    if not source.is_file():
        raise InputError(f"{source}: no such file")
    cal = calendar or vietnam_calendar()
    # A first pass: the dossier ids (a repeated id may be in two batches) and the default as_of.
    latest: datetime | None = None
    ids = []
    batches, _ = _batches(source, batch_size, encoding)
    for batch in batches:
        if "dossier_id" in batch.schema.names:
            ids.append(pc.cast(batch.column("dossier_id"), pa.string()))
        if as_of is None:
            top = max_event_time(pa.Table.from_batches([batch]))
            if top is not None and (latest is None or top > latest):
                latest = top
    if as_of is None:
        as_of = latest.date() if latest is not None else date(cal.last_year, 12, 31)
    lines = None
    if source.suffix.lower() != ".parquet":
        lines = record_lines(source, sum(len(c) for c in ids), encoding)
    repeated = (
        _duplicates_of(pa.chunked_array(ids, pa.string()), duplicates, 0, lines) if ids else {}
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    done = classified = rejected = 0
    with atomic_outputs(target, rejected_path) as (good_tmp, bad_tmp):
        writer, bad_writer = _TableWriter(good_tmp, fmt), _TableWriter(bad_tmp, fmt)
        try:
            batches, _ = _batches(source, batch_size, encoding)
            for batch in batches:
                result = classify(
                    pa.Table.from_batches([batch]),
                    procedures=procedures,
                    calendar=cal,
                    as_of=as_of,
                    index_offset=done,
                    duplicates={
                        i: r for i, r in repeated.items() if done <= i < done + batch.num_rows
                    },
                )
                result = _renumber(result, lines)
                writer.write(result.table)
                bad_writer.write(result.rejected)
                done += batch.num_rows
                classified += result.table.num_rows
                rejected += result.rejected.num_rows
                if progress is not None:
                    progress(done)
            if done == 0:  # an empty source still gives both files, with their columns
                empty = _empty_result(cal, as_of)
                writer.write(empty.table)
                bad_writer.write(empty.rejected)
        finally:
            writer.close()
            bad_writer.close()
    return classified, rejected, rejected_path
