"""Streaming a large file in batches to Parquet or CSV (:func:`classify_file`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from procflow.bulk.columns import BulkResult
from procflow.bulk.engine import _renumber, classify, max_event_time
from procflow.bulk.reading import _csv_options
from procflow.calendar import WorkCalendar, vietnam_calendar
from procflow.errors import InputError
from procflow.evaluation import Procedures
from procflow.interchange import (
    _CORRUPT_PARQUET,
    Duplicates,
    csv_encoding,
    duplicate_reasons,
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
    """The file's record batches (and its row count when the file says), columns checked.

    Raises:
        InputError: If the file cannot be read, or lacks ``dossier_id`` or ``received_at``
            (naming the file), before any row is read.
    """
    if path.suffix.lower() == ".parquet":
        parquet = open_parquet(path)
        _require_columns(path, parquet.schema_arrow.names)
        return parquet_batches(path, batch_size), parquet.metadata.num_rows
    read, parse, convert = _csv_options(path, max(1 << 20, batch_size * 256), encoding)
    try:
        reader = pacsv.open_csv(
            path, read_options=read, parse_options=parse, convert_options=convert
        )
    except (OSError, pa.ArrowInvalid) as exc:
        raise InputError(f"{path}: cannot read CSV: {exc}") from exc
    _require_columns(path, reader.schema.names)
    return iter(reader), None


def _require_columns(path: Path, names: list[str]) -> None:
    missing = [c for c in ("dossier_id", "received_at") if c not in names]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)} for the wide format")


def _id_reading(path: Path, encoding: str | None) -> Iterator[pa.Array] | None:
    """A file's dossier ids, batch by batch, no other column read (None if it has none).

    Parquet reads the ``dossier_id`` column chunk alone; a CSV file is parsed in blocks
    that keep that column only.

    Raises:
        InputError: If the file cannot be read (naming it), before any id is given for a
            file that cannot be opened.
    """
    if path.suffix.lower() == ".parquet":
        parquet = open_parquet(path)
        if "dossier_id" not in parquet.schema_arrow.names:
            return None
        return _parquet_ids(path, parquet)
    read, parse, convert = _csv_options(path, 1 << 22, encoding)
    if "dossier_id" not in convert.column_types:
        return None
    convert.include_columns = ["dossier_id"]
    try:
        reader = pacsv.open_csv(
            path, read_options=read, parse_options=parse, convert_options=convert
        )
    except (OSError, pa.ArrowInvalid) as exc:
        raise _unreadable_csv(path, exc) from exc
    return _csv_ids(path, reader)


def _parquet_ids(path: Path, parquet: Any) -> Iterator[pa.Array]:
    batches = parquet.iter_batches(batch_size=_ID_BATCH, columns=["dossier_id"])
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            return
        except (OSError, ValueError) as exc:
            raise InputError(f"{path}: {_CORRUPT_PARQUET}: {exc}") from exc
        yield batch.column(0)


def _csv_ids(path: Path, reader: Any) -> Iterator[pa.Array]:
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            return
        except (OSError, pa.ArrowInvalid) as exc:
            raise _unreadable_csv(path, exc) from exc
        yield batch.column(0)


def _unreadable_csv(path: Path, exc: Exception) -> InputError:
    hint = "; name its encoding with --encoding" if "UTF8" in str(exc) else ""
    return InputError(f"{path}: cannot read CSV: {exc}{hint}")


def _trimmed(ids: pa.Array) -> pa.Array:
    """The ids as the duplicate check compares them: text, trimmed, a missing id empty."""
    text = pc.fill_null(pc.utf8_trim_whitespace(pc.cast(ids, pa.string())), "")
    return text.combine_chunks() if isinstance(text, pa.ChunkedArray) else text


_MULTIPLIER = np.uint64(0x100000001B3)  # FNV's 64-bit prime: odd, so no byte is lost


def _id_hashes(ids: pa.Array) -> np.ndarray:
    """A 64-bit hash of each dossier id (trimmed; 0 for an empty id and only for it).

    Equal ids have equal hashes. Two different ids share one seldom (among ten million
    distinct ids, a shared hash is expected about once in 300,000 files), and a repeat
    found by hash is confirmed on the ids themselves (:func:`_file_duplicates`).

    Args:
        ids: The dossier ids of a batch (any type that casts to text).

    Returns:
        One ``uint64`` per id.

    Examples:
        >>> h = _id_hashes(pa.array(["HS-1", " HS-1 ", "HS-2", "", None]))
        >>> bool(h[0] == h[1]), bool(h[0] == h[2]), h[3:].tolist()
        (True, False, [0, 0])
    """
    text = _trimmed(ids)
    count = len(text)
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int32)[
        text.offset : text.offset + count + 1
    ]
    first, last = int(offsets[0]), int(offsets[-1])
    data = text.buffers()[2]
    raw = (
        np.frombuffer(data, dtype=np.uint8)[first:last]
        if data is not None
        else np.zeros(0, dtype=np.uint8)
    )
    starts = (offsets - first).astype(np.int64)
    lengths = np.diff(starts)
    # A polynomial hash, sum of byte * P ** (bytes after it) modulo 2 ** 64, its length
    # mixed in: every byte of the batch weighted at once, then summed id by id from a
    # running total (the arrays are reused in place: this runs on every row of a file).
    longest = int(lengths.max()) if count else 0
    powers = np.empty(max(longest, 1), dtype=np.uint64)
    powers[0] = 1
    powers[1:] = _MULTIPLIER
    np.cumprod(powers, out=powers)
    after = np.repeat(starts[1:] - 1, lengths)
    after -= np.arange(len(raw), dtype=np.int64)
    weights = powers[after]
    del after
    weights *= raw
    total = np.zeros(len(raw) + 1, dtype=np.uint64)
    np.cumsum(weights, out=total[1:])
    del weights
    hashes = total[starts[1:]]
    hashes -= total[starts[:-1]]
    hashes ^= lengths.astype(np.uint64)
    hashes = _mix(hashes)
    hashes |= np.uint64(1)
    hashes[lengths == 0] = 0
    return hashes


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every input bit moves every output bit."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    mixed: np.ndarray = x ^ (x >> np.uint64(31))
    return mixed


_ID_BATCH = 1 << 16
"""Ids read at a time by the duplicate check: its arrays of a batch stay under 10 MB."""

_HASH_BLOCK = 1 << 22
"""Hashes held per block while a CSV file's row count is unknown (32 MB)."""

_LINE_BLOCK = 1 << 24
"""Bytes read at a time when a CSV file's line breaks are counted."""


def _file_duplicates(
    path: Path, duplicates: Duplicates, encoding: str | None = None
) -> tuple[dict[int, str], list[int] | None]:
    """The rows a repeated dossier id rejects anywhere in a file, and the file's lines.

    A first pass over the ``dossier_id`` column only, so that batches read afterwards
    know the repeats in other batches. It keeps one 64-bit hash per row (80 MB for ten
    million rows), not the ids: the hashes are sorted, and only the rows whose hash is
    shared are read again, their ids compared exactly (two ids with one hash are told
    apart there). Returns index to reason, and the line each CSV record starts on
    (:func:`~procflow.interchange.record_lines`; None for Parquet).

    Raises:
        InputError: If ``duplicates`` is unknown, or the file cannot be read.
    """
    duplicate_reasons([], [], duplicates)  # an unknown mode is an error before any read
    reading = _id_reading(path, encoding)
    if reading is None:
        return {}, None
    hashes = _hash_all(reading, _rows_of(path))
    records = len(hashes)
    lines = None if path.suffix.lower() == ".parquet" else _record_lines(path, records, encoding)
    hashes.sort()
    # Sorted, a repeated hash sits next to itself; 0 is the empty id, left to other checks.
    same = (hashes[1:] == hashes[:-1]) & (hashes[1:] != 0)
    shared = np.unique(hashes[1:][same])
    del hashes, same
    if len(shared) == 0:
        return {}, lines
    where: list[int] = []
    found: list[str] = []
    done = 0
    for ids in _id_reading(path, encoding) or ():
        text = _trimmed(ids)
        hits = np.flatnonzero(np.isin(_id_hashes(text), shared))
        where.extend(int(i) + done for i in hits)
        found.extend(text.take(pa.array(hits, pa.int64())).to_pylist())
        done += len(text)
    reasons = duplicate_reasons(found, [lines[p] if lines else p + 2 for p in where], duplicates)
    return {where[k]: reason for k, reason in reasons.items()}, lines


def _rows_of(path: Path) -> int | None:
    """A Parquet file's row count from its footer; None for CSV (unknown until read)."""
    if path.suffix.lower() != ".parquet":
        return None
    rows: int = open_parquet(path).metadata.num_rows
    return rows


def _hash_all(batches: Iterable[pa.Array], rows: int | None) -> np.ndarray:
    """Every id's :func:`_id_hashes`, in file order, in one array.

    The array is allocated once when the row count is known, else filled block by block:
    many small arrays kept between a batch's short-lived ones would leave the freed memory
    scattered, the process's footprint growing past what it holds.
    """
    full: list[np.ndarray] = []
    block = np.empty(rows if rows is not None else _HASH_BLOCK, dtype=np.uint64)
    used = 0
    for ids in batches:
        hashes = _id_hashes(ids)
        while len(hashes):
            if used == len(block):
                full.append(block)
                block, used = np.empty(_HASH_BLOCK, dtype=np.uint64), 0
            take = min(len(hashes), len(block) - used)
            block[used : used + take] = hashes[:take]
            used, hashes = used + take, hashes[take:]
    if not full:
        return block[:used]
    return np.concatenate([*full, block[:used]])


def _record_lines(path: Path, records: int, encoding: str | None = None) -> list[int] | None:
    """:func:`~procflow.interchange.record_lines`, its quick check read in blocks.

    A file of one line a record (the usual export) is told by counting its line breaks
    block by block, without holding the file; any other is numbered by
    :func:`~procflow.interchange.record_lines` itself.
    """
    if (encoding or csv_encoding(path)) not in ("utf-8-sig", "utf-8"):
        return record_lines(path, records, encoding)
    breaks, tail, last = 0, b"", b""
    try:
        with path.open("rb") as handle:
            while block := handle.read(_LINE_BLOCK):
                joined = tail + block
                if b"\n\n" in joined or b"\n\r\n" in joined:  # a blank line
                    return record_lines(path, records, encoding)
                breaks += block.count(b"\n")
                tail, last = joined[-2:], block[-1:]
    except OSError as exc:
        raise InputError(f"{path}: cannot open: {exc.strerror}") from exc
    if breaks + (0 if last == b"\n" else 1) == records + 1:
        return None  # one line a record: its line is its position + 2
    return record_lines(path, records, encoding)


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
    if as_of is None:  # a first pass: the latest event of the file
        latest: datetime | None = None
        batches, _ = _batches(source, batch_size, encoding)
        for batch in batches:
            top = max_event_time(pa.Table.from_batches([batch]))
            if top is not None and (latest is None or top > latest):
                latest = top
        as_of = latest.date() if latest is not None else date(cal.last_year, 12, 31)
    # The ids repeated anywhere in the file: a repeat may be in another batch.
    repeated, lines = _file_duplicates(source, duplicates, encoding)
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
