"""The interchange format for dossier exports from one-stop systems.

Two shapes, in CSV (UTF-8, header row) or Parquet (needs ``pyarrow``, the ``bulk`` extra):

* **wide**: one row a dossier, columns :data:`WIDE_COLUMNS`;
* **event log** (long): one row an event, columns :data:`LOG_COLUMNS`, rows of one dossier
  sharing its ``dossier_id``; the dossier's attributes (``procedure_id``, ``time_limit``,
  ``channel``...) may stand on any of its rows.

Times are ISO 8601, local time unless they carry an offset. Every row is accounted for:
what cannot be read becomes a :class:`Rejected` entry with its row number (the spreadsheet
row: the header is row 1) and the reason, never dropped. See ``docs/interchange.md``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from procflow.calendar import to_local
from procflow.dossier import Dossier, EventType, check_timeline
from procflow.errors import InputError, ProcflowError
from procflow.parsing import parse_datetime

__all__ = [
    "LOG_COLUMNS",
    "WIDE_COLUMNS",
    "DossierTable",
    "Duplicates",
    "Rejected",
    "csv_encoding",
    "duplicate_reasons",
    "open_parquet",
    "parquet_batches",
    "read_columns",
    "read_dossiers",
    "read_rows",
    "record_lines",
    "row_to_dossier",
]

WIDE_COLUMNS = (
    "dossier_id",
    "procedure_id",
    "received_at",
    "finished_at",
    "result",
    "withdrawn_at",
    "channel",
    "office",
    "agency",
    "field",
    "unit",
    "officer",
    "service_level",
    "supplement_requested_at",
    "supplement_received_at",
    "apology_issued_at",
    "apology_new_due_at",
    "time_limit",
    "cutoff",
    "supplement_policy",
    "due_at",
)
"""Columns of the wide format. Required: ``dossier_id``, ``received_at``, and
``procedure_id`` or ``time_limit``; the others may be absent or empty."""

LOG_COLUMNS = (
    "dossier_id",
    "event",
    "at",
    "step",
    "unit",
    "officer",
    "reason",
    "new_due_at",
    "result",
)
"""Columns of the event log. Required: ``dossier_id``, ``event``, ``at``."""

_ATTRIBUTES = (
    "procedure_id",
    "channel",
    "office",
    "agency",
    "field",
    "unit",
    "officer",
    "service_level",
    "time_limit",
    "cutoff",
    "supplement_policy",
    "due_at",
)

# In a log, ``unit`` and ``officer`` are the event's (who acted), not the dossier's.
_LOG_ATTRIBUTES = tuple(name for name in _ATTRIBUTES if name not in ("unit", "officer"))


class Rejected(BaseModel):
    """A row (or a dossier's rows) that could not be used, and why.

    Attributes:
        row: The row number in the file (the header is row 1); for an event log, the
            dossier's first row.
        dossier_id: The dossier, if it could be read.
        reason: What is wrong, naming the column and the value.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    row: int
    dossier_id: str | None
    reason: str


class DossierTable(BaseModel):
    """Dossiers read from a file, with the rows that could not be read.

    ``len(dossiers) + len(rejected)`` accounts for every dossier in the file (every row
    of a wide file).

    Attributes:
        source: The file.
        shape: ``"wide"`` or ``"log"``.
        dossiers: The dossiers read.
        rows: The row number of each dossier, in the same order.
        rejected: The rows that could not be read.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    shape: Literal["wide", "log"]
    dossiers: tuple[Dossier, ...]
    rows: tuple[int, ...]
    rejected: tuple[Rejected, ...]

    @property
    def total(self) -> int:
        """Dossiers in the file: read plus rejected."""
        return len(self.dossiers) + len(self.rejected)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).strip()


def _time(row: Mapping[str, Any], column: str) -> datetime | None:
    value = row.get(column)
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    return parse_datetime(str(value), f"column {column}")


def row_to_dossier(row: Mapping[str, Any]) -> Dossier:
    """Build a dossier from one row of the wide format.

    Args:
        row: Column name to value (strings, or datetimes from Parquet).

    Returns:
        The dossier, its events in time order.

    Raises:
        InputError: If a value cannot be read (the message names the column and value).
        TimelineError: If the times cannot have happened in that order.
    """
    dossier_id = _text(row.get("dossier_id"))
    if not dossier_id:
        raise InputError("column dossier_id is empty")
    received = _time(row, "received_at")
    if received is None:
        raise InputError("column received_at is empty")
    events: list[dict[str, Any]] = [{"type": "received", "at": received}]
    for column, kind in (
        ("supplement_requested_at", EventType.SUPPLEMENT_REQUESTED),
        ("supplement_received_at", EventType.SUPPLEMENT_RECEIVED),
        ("apology_issued_at", EventType.APOLOGY_ISSUED),
        ("finished_at", EventType.FINISHED),
        ("withdrawn_at", EventType.WITHDRAWN),
    ):
        at = _time(row, column)
        if at is None:
            continue
        event: dict[str, Any] = {"type": kind.value, "at": at}
        if kind is EventType.FINISHED:
            event["result"] = _text(row.get("result")) or "granted"
        if kind is EventType.APOLOGY_ISSUED:
            event["new_due_at"] = _time(row, "apology_new_due_at")
        events.append(event)
    # Receipt first (a later event dated before it is reported as such by the timeline
    # check); the rest by time, the order above breaking ties.
    events[1:] = sorted(events[1:], key=lambda e: to_local(e["at"]))
    return _dossier(dossier_id, row, events)


def _dossier(dossier_id: str, attrs: Mapping[str, Any], events: list[dict[str, Any]]) -> Dossier:
    data: dict[str, Any] = {"id": dossier_id, "events": events}
    for name in _ATTRIBUTES:
        value = attrs.get(name)
        if name == "due_at":
            due = _time(attrs, "due_at")
            if due is not None:
                data["due_at"] = due
            continue
        text = _text(value)
        if text:
            data[name] = text
    try:
        dossier = Dossier.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(_problem(e) for e in exc.errors())
        raise InputError(problems) from exc
    check_timeline(dossier)
    return dossier


def _problem(error: Any) -> str:
    """One validation error as "column: message (got 'value')"."""
    where = ".".join(map(str, error["loc"])) or "row"
    text = f"{where}: {error['msg'].removeprefix('Value error, ')}"
    value = error.get("input")
    if isinstance(value, str | int | float) and repr(value) not in text:
        text += f" (got {value!r})"
    return text


def _parquet(path: Path) -> Any:
    """The pyarrow.parquet module, or an error saying how to install it."""
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise InputError(
            f"{path}: reading Parquet needs pyarrow: pip install 'procflow[bulk]'"
        ) from exc
    return pq


_CORRUPT_PARQUET = "not a readable Parquet file (corrupt or truncated?)"


def open_parquet(path: str | Path) -> Any:
    """Open a Parquet file (a ``pyarrow.parquet.ParquetFile``), naming it if it is unreadable.

    Raises:
        InputError: If pyarrow is missing, or the file is missing, corrupt or truncated.
    """
    path = Path(path)
    pq = _parquet(path)
    try:
        return pq.ParquetFile(path)
    except OSError as exc:
        if exc.strerror:  # missing file, permission
            raise InputError(f"{path}: cannot open: {exc.strerror}") from exc
        raise InputError(f"{path}: {_CORRUPT_PARQUET}: {exc}") from exc
    except ValueError as exc:  # pyarrow.ArrowInvalid
        raise InputError(f"{path}: {_CORRUPT_PARQUET}: {exc}") from exc


def parquet_batches(path: str | Path, batch_size: int = 65_536) -> Iterator[Any]:
    """The record batches of a Parquet file; a corrupt page is an error naming the file.

    Raises:
        InputError: If the file cannot be opened or a batch cannot be decoded.
    """
    parquet = open_parquet(path)
    batches = parquet.iter_batches(batch_size=batch_size)
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            return
        except (OSError, ValueError) as exc:
            raise InputError(f"{path}: {_CORRUPT_PARQUET}: {exc}") from exc
        yield batch


def csv_encoding(path: str | Path) -> str:
    """The text encoding of a CSV file by its byte order mark: UTF-16, UTF-8 with BOM, or UTF-8.

    Other encodings (Windows-1258, Windows-1252) have no mark: they are read only when
    named (``encoding=``, ``--encoding``); as UTF-8 they are refused with an error.
    """
    try:
        with Path(path).open("rb") as handle:
            start = handle.read(4)
    except OSError as exc:
        raise InputError(f"{path}: cannot open: {exc.strerror}") from exc
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return "utf-8-sig"


def _not_encoded(path: Path, codec: str, line: int, exc: UnicodeDecodeError) -> InputError:
    return InputError(
        f"{path}: line {line} is not {codec} text ({exc.reason}); if the file is in another "
        "encoding, name it with --encoding (encoding=...), e.g. --encoding cp1258 for "
        "Windows-1258 or --encoding cp1252"
    )


def read_rows(
    path: str | Path, encoding: str | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(row number, row)`` from a CSV or Parquet file (header is row 1).

    A CSV row's number is the line of the file it starts on, blank lines and line breaks
    in quoted cells included; blank lines are skipped. The encoding is ``encoding``, or
    else the file's byte order mark (UTF-16, UTF-8), or UTF-8 (:func:`csv_encoding`).

    Raises:
        InputError: If the file cannot be opened, or Parquet is asked for without pyarrow.
    """
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        number = 1
        for batch in parquet_batches(path):
            for record in batch.to_pylist():
                number += 1
                yield number, record
        return
    codec = encoding or csv_encoding(path)
    try:
        handle = path.open(encoding=codec, newline="")
    except (OSError, LookupError) as exc:
        raise InputError(f"{path}: cannot open: {getattr(exc, 'strerror', None) or exc}") from exc
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, [])
            # A record's number is the file line it starts on: blank lines and line breaks
            # inside quoted cells count, as in an editor.
            before = reader.line_num
            for cells in reader:
                number, before = before + 1, reader.line_num
                if cells:
                    padded: list[str | None] = [*cells, *[None] * (len(header) - len(cells))]
                    yield number, dict(zip(header, padded, strict=False))
        except UnicodeDecodeError as exc:
            raise _not_encoded(path, codec, reader.line_num + 1, exc) from exc


def record_lines(path: str | Path, records: int, encoding: str | None = None) -> list[int] | None:
    """The line each record of a CSV file starts on, or None when record n is on line n + 2.

    Readers that count records (the columnar engine) number a record by its position;
    when the file has blank lines or line breaks inside quoted cells, this gives the
    file's own line numbers instead, as :func:`read_rows` does.

    Args:
        path: The CSV file.
        records: How many records were read from it (a quick check first: one line each).
        encoding: Its text encoding (default: :func:`csv_encoding`).

    Raises:
        InputError: If the file cannot be read.
    """
    path = Path(path)
    codec = encoding or csv_encoding(path)
    if codec in ("utf-8-sig", "utf-8"):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{path}: cannot open: {exc.strerror}") from exc
        lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
        if lines == records + 1 and b"\n\n" not in data and b"\n\r\n" not in data:
            return None  # one line a record: its line is its position + 2
    numbers = [number for number, _ in read_rows(path, encoding)]
    return None if numbers == list(range(2, len(numbers) + 2)) else numbers


def read_columns(path: str | Path, encoding: str | None = None) -> Sequence[str] | None:
    """The column names of a CSV or Parquet file, or None if it cannot be read."""
    try:
        return _columns(Path(path), encoding)
    except InputError:
        return None


def _columns(path: Path, encoding: str | None = None) -> Sequence[str]:
    if path.suffix.lower() == ".parquet":
        return list(open_parquet(path).schema_arrow.names)
    codec = encoding or csv_encoding(path)
    try:
        with path.open(encoding=codec, newline="") as handle:
            return next(csv.reader(handle), [])
    except (OSError, LookupError) as exc:
        raise InputError(f"{path}: cannot open: {getattr(exc, 'strerror', None) or exc}") from exc
    except UnicodeDecodeError as exc:
        raise _not_encoded(path, codec, 1, exc) from exc


Duplicates = Literal["refuse", "last"]
"""What to do with rows that share a dossier id: refuse them all (default), or keep the last."""


def duplicate_reasons(ids: Sequence[str], rows: Sequence[int], keep: Duplicates) -> dict[int, str]:
    """The rows to reject because their dossier id is on more than one row, with the reason.

    No dossier is counted twice: under ``"refuse"`` every row of a repeated id is
    rejected (which one is right cannot be known); under ``"last"`` the earlier rows are,
    and the last row of the id stands.

    Args:
        ids: The (trimmed) dossier id of each row; empty ids are left to other checks.
        rows: The row number of each, for the messages.
        keep: ``"refuse"`` or ``"last"``.

    Returns:
        Position in ``ids`` to the reason, for the rows to reject.

    Examples:
        >>> duplicate_reasons(["A", "B", "A"], [2, 3, 4], "last")
        {0: "duplicate dossier id 'A' (rows 2, 4): superseded by row 4 (duplicates='last')"}
    """
    if keep not in ("refuse", "last"):
        raise InputError(f"duplicates must be 'refuse' or 'last', got {keep!r}")
    positions: dict[str, list[int]] = {}
    for position, dossier_id in enumerate(ids):
        if dossier_id:
            positions.setdefault(dossier_id, []).append(position)
    out: dict[int, str] = {}
    for dossier_id, where in positions.items():
        if len(where) < 2:
            continue
        listed = ", ".join(str(rows[w]) for w in where)
        if keep == "last":
            for w in where[:-1]:
                out[w] = (
                    f"duplicate dossier id {dossier_id!r} (rows {listed}): "
                    f"superseded by row {rows[where[-1]]} (duplicates='last')"
                )
        else:
            for w in where:
                out[w] = (
                    f"duplicate dossier id {dossier_id!r} on rows {listed}: refused; "
                    "keep the last with duplicates='last' (--duplicates last)"
                )
    return out


def read_dossiers(
    path: str | Path,
    shape: Literal["wide", "log"] | None = None,
    *,
    duplicates: Duplicates = "refuse",
    encoding: str | None = None,
) -> DossierTable:
    """Read dossiers from a wide or event-log file (CSV or Parquet).

    Args:
        path: The file.
        shape: ``"wide"`` or ``"log"``; None tells them apart by the columns (a log has an
            ``event`` column).
        duplicates: For a wide file, rows sharing a dossier id: ``"refuse"`` rejects them
            all, ``"last"`` keeps the last and rejects the earlier ones
            (:func:`duplicate_reasons`). A log groups its rows by id by design.
        encoding: The CSV file's text encoding (e.g. ``"cp1258"``); default: by its byte
            order mark, else UTF-8 (:func:`csv_encoding`).

    Returns:
        The dossiers and the rejected rows, every row accounted for.

    Raises:
        InputError: If the file cannot be read or lacks a required column (naming it).

    Examples:
        >>> table = read_dossiers("examples/dossiers-2025.csv")
        >>> table.total == len(table.dossiers) + len(table.rejected)
        True
    """
    path = Path(path)
    columns = _columns(path, encoding)
    if shape is None:
        shape = "log" if "event" in columns else "wide"
    required = ("dossier_id", "event", "at") if shape == "log" else ("dossier_id", "received_at")
    missing = [c for c in required if c not in columns]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)} for the {shape} format")
    if shape == "wide":
        dossiers, rows, rejected = _read_wide(path, duplicates, encoding)
    else:
        dossiers, rows, rejected = _read_log(path, encoding)
    return DossierTable(
        source=str(path),
        shape=shape,
        dossiers=tuple(dossiers),
        rows=tuple(rows),
        rejected=tuple(rejected),
    )


def _read_wide(
    path: Path, duplicates: Duplicates = "refuse", encoding: str | None = None
) -> tuple[list[Dossier], list[int], list[Rejected]]:
    read: list[tuple[int, str, Dossier | str]] = []
    for number, record in read_rows(path, encoding):
        dossier_id = _text(record.get("dossier_id"))
        try:
            read.append((number, dossier_id, row_to_dossier(record)))
        except ProcflowError as exc:
            read.append((number, dossier_id, str(exc)))
    # A row rejected for its own reason keeps it; the others of a repeated id are rejected.
    repeated = duplicate_reasons([i for _, i, _ in read], [n for n, _, _ in read], duplicates)
    dossiers: list[Dossier] = []
    rows: list[int] = []
    rejected: list[Rejected] = []
    for position, (number, dossier_id, outcome) in enumerate(read):
        reason = outcome if isinstance(outcome, str) else repeated.get(position)
        if reason is not None:
            rejected.append(Rejected(row=number, dossier_id=dossier_id or None, reason=reason))
        else:
            assert not isinstance(outcome, str)
            dossiers.append(outcome)
            rows.append(number)
    return dossiers, rows, rejected


def _read_log(
    path: Path, encoding: str | None = None
) -> tuple[list[Dossier], list[int], list[Rejected]]:
    grouped: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    rejected: list[Rejected] = []
    for number, record in read_rows(path, encoding):
        dossier_id = _text(record.get("dossier_id"))
        if not dossier_id:
            rejected.append(
                Rejected(row=number, dossier_id=None, reason="column dossier_id is empty")
            )
            continue
        grouped.setdefault(dossier_id, []).append((number, record))
    dossiers: list[Dossier] = []
    rows: list[int] = []
    for dossier_id, records in grouped.items():
        first = records[0][0]
        try:
            attrs: dict[str, Any] = {}
            events = []
            for number, record in records:
                for name in _LOG_ATTRIBUTES:
                    if name not in attrs and _text(record.get(name)):
                        attrs[name] = record[name]
                events.append(_log_event(number, record))
            dossiers.append(_dossier(dossier_id, attrs, events))
            rows.append(first)
        except ProcflowError as exc:
            rejected.append(Rejected(row=first, dossier_id=dossier_id, reason=str(exc)))
    return dossiers, rows, rejected


def _log_event(number: int, record: Mapping[str, Any]) -> dict[str, Any]:
    kind = _text(record.get("event"))
    try:
        EventType(kind)
    except ValueError:
        known = ", ".join(e.value for e in EventType)
        raise InputError(f"row {number}: unknown event {kind!r} (known: {known})") from None
    at = _time(record, "at")
    if at is None:
        raise InputError(f"row {number}: column at is empty")
    event: dict[str, Any] = {"type": kind, "at": at}
    for name in ("step", "unit", "officer", "reason", "result"):
        text = _text(record.get(name))
        if text:
            event[name] = text
    new_due = _time(record, "new_due_at")
    if new_due is not None:
        event["new_due_at"] = new_due
    return event
