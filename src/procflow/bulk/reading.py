"""Reading the source: a table from any input, CSV options, seconds, codes, text columns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from procflow.bulk.columns import _DAY, _FORMATS, _NAT
from procflow.errors import InputError
from procflow.interchange import (
    _columns,
    csv_encoding,
    open_parquet,
    parquet_batches,
)

# -- reading the source ---------------------------------------------------------------------


def _to_table(source: Any) -> pa.Table:
    if isinstance(source, pa.Table):
        return source
    if isinstance(source, pa.RecordBatch):
        return pa.Table.from_batches([source])
    if isinstance(source, str | Path):
        path = Path(source)
        if path.suffix.lower() == ".parquet":
            parquet = open_parquet(path)
            return pa.Table.from_batches(list(parquet_batches(path)), schema=parquet.schema_arrow)
        return _read_csv(path)
    to_arrow = getattr(source, "to_arrow", None)  # polars
    if callable(to_arrow):
        table = to_arrow()
        if isinstance(table, pa.Table):
            return table
    if type(source).__module__.startswith("pandas"):
        return pa.Table.from_pandas(source, preserve_index=False)
    raise InputError(
        f"cannot classify a {type(source).__name__}: give a pyarrow Table, a pandas or polars "
        "DataFrame, or a path to a CSV or Parquet file"
    )


def _csv_options(
    path: Path, block_size: int = 1 << 24, encoding: str | None = None
) -> tuple[pacsv.ReadOptions, pacsv.ParseOptions, pacsv.ConvertOptions]:
    names = list(_columns(path, encoding))
    types = {name: pa.string() for name in names}
    codec = encoding or csv_encoding(path)
    arrow_codec = "utf8" if codec == "utf-8-sig" else codec  # Arrow drops a UTF-8 BOM itself
    return (
        pacsv.ReadOptions(encoding=arrow_codec, block_size=block_size),
        pacsv.ParseOptions(newlines_in_values=True),  # quoted cells may hold line breaks
        pacsv.ConvertOptions(column_types=types, strings_can_be_null=False),
    )


def _read_csv(path: Path) -> pa.Table:
    read, parse, convert = _csv_options(path)
    try:
        return pacsv.read_csv(path, read_options=read, parse_options=parse, convert_options=convert)
    except (OSError, pa.ArrowInvalid) as exc:
        hint = "; name its encoding with --encoding" if "UTF8" in str(exc) else ""
        raise InputError(f"{path}: cannot read CSV: {exc}{hint}") from exc


def _seconds(column: pa.ChunkedArray | pa.Array | None, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Local seconds of a time column, and a mask of values the array path cannot take."""
    if column is None:
        return np.full(n, _NAT, dtype=np.int64), np.zeros(n, dtype=bool)
    kind = column.type
    if pa.types.is_timestamp(kind):
        raw = pc.cast(column, pa.timestamp(kind.unit, kind.tz)).cast(pa.int64())
        per_second = {"s": 1, "ms": 1000, "us": 10**6, "ns": 10**9}[kind.unit]
        missing = pc.is_null(raw).to_numpy(zero_copy_only=False)
        values = pc.fill_null(raw, 0).to_numpy(zero_copy_only=False).astype(np.int64)
        odd = ~missing & (values % per_second != 0)  # sub-second: the per-dossier path decides
        secs = values // per_second + (7 * 3600 if kind.tz is not None else 0)
        if kind.tz is not None and kind.tz not in ("UTC", "+00:00", "Etc/UTC", "Z"):
            odd = ~missing  # an unusual zone: let the per-dossier path convert it
        return np.where(missing, _NAT, secs), odd
    if pa.types.is_date(kind):
        days = pc.cast(column, pa.date32()).cast(pa.int32()).to_numpy(zero_copy_only=False)
        missing = pc.is_null(column).to_numpy(zero_copy_only=False)
        return np.where(missing, _NAT, np.nan_to_num(days).astype(np.int64) * _DAY), np.zeros(
            n, bool
        )
    text = pc.utf8_trim_whitespace(pc.cast(column, pa.string()))
    empty = pc.fill_null(pc.equal(text, ""), True)
    parsed = None
    for fmt in _FORMATS:
        attempt = pc.strptime(text, format=fmt, unit="s", error_is_null=True)
        parsed = attempt if parsed is None else pc.coalesce(parsed, attempt)
    assert parsed is not None
    bad = pc.and_(pc.invert(empty), pc.is_null(parsed)).to_numpy(zero_copy_only=False)
    values = pc.fill_null(parsed.cast(pa.int64()), 0).to_numpy(zero_copy_only=False)
    missing = empty.to_numpy(zero_copy_only=False)
    return np.where(missing | bad, _NAT, values.astype(np.int64)), bad


def _text_column(table: pa.Table, name: str) -> pa.ChunkedArray:
    """A column as trimmed strings, "" for missing (a column of "" if absent)."""
    if name not in table.column_names:
        return pa.chunked_array([pa.array([""] * table.num_rows, type=pa.string())])
    return pc.fill_null(pc.utf8_trim_whitespace(pc.cast(table[name], pa.string())), "")


def _encoded(column: pa.ChunkedArray) -> pa.DictionaryArray:
    """A column as one dictionary array of strings.

    A column that already is dictionary-encoded (Parquet as ``procflow sample`` writes it)
    keeps its codes: its chunks' dictionaries are unified, not decoded and encoded again.
    """
    if pa.types.is_dictionary(column.type) and column.num_chunks > 0:
        unified = pa.table({"c": column}).unify_dictionaries()["c"]
        indices = pa.chunked_array([chunk.indices for chunk in unified.chunks])
        dictionary = pc.cast(unified.chunk(0).dictionary, pa.string())
        return pa.DictionaryArray.from_arrays(indices.combine_chunks(), dictionary)
    encoded: pa.DictionaryArray = pc.dictionary_encode(
        pc.cast(column, pa.string())
    ).combine_chunks()
    return encoded


def _codes(table: pa.Table, name: str) -> tuple[np.ndarray, list[str]]:
    """Dictionary codes of a text column: (code per row, distinct trimmed values).

    Trimming the few distinct values, not every row, keeps this cheap on large tables.
    """
    if name not in table.column_names:
        return np.zeros(table.num_rows, dtype=np.int64), [""]
    encoded = _encoded(table[name])
    values = [(v or "").strip() for v in encoded.dictionary.to_pylist()]
    # One code per distinct trimmed value; a missing value is "".
    distinct = list(dict.fromkeys([*values, ""]))
    number = {v: k for k, v in enumerate(distinct)}
    remap = np.asarray([number[v] for v in values] + [number[""]], dtype=np.int64)
    codes = pc.fill_null(encoded.indices, len(values)).to_numpy(zero_copy_only=False)
    return remap[codes.astype(np.int64)], distinct


Codes = dict[str, tuple[np.ndarray, list[str]]]
"""Dictionary codes of the low-cardinality text columns, computed once per call."""

_CODED = (
    "procedure_id",
    "time_limit",
    "cutoff",
    "supplement_policy",
    "channel",
    "result",
    "office",
    "agency",
    "field",
)
