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

from procflow.dossier import Dossier, EventType, check_timeline
from procflow.errors import InputError, ProcflowError
from procflow.parsing import parse_datetime

__all__ = [
    "LOG_COLUMNS",
    "WIDE_COLUMNS",
    "DossierTable",
    "Rejected",
    "open_parquet",
    "parquet_batches",
    "read_columns",
    "read_dossiers",
    "read_rows",
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
    events[1:] = sorted(events[1:], key=lambda e: e["at"].replace(tzinfo=None))
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


def read_rows(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(row number, row)`` from a CSV or Parquet file (header is row 1).

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
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError(f"{path}: cannot open: {exc.strerror}") from exc
    with handle:
        reader = csv.DictReader(handle)
        for number, record in enumerate(reader, start=2):
            yield number, dict(record)


def read_columns(path: str | Path) -> Sequence[str] | None:
    """The column names of a CSV or Parquet file, or None if it cannot be read."""
    try:
        return _columns(Path(path))
    except InputError:
        return None


def _columns(path: Path) -> Sequence[str]:
    if path.suffix.lower() == ".parquet":
        return list(open_parquet(path).schema_arrow.names)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return next(csv.reader(handle), [])
    except OSError as exc:
        raise InputError(f"{path}: cannot open: {exc.strerror}") from exc


def read_dossiers(path: str | Path, shape: Literal["wide", "log"] | None = None) -> DossierTable:
    """Read dossiers from a wide or event-log file (CSV or Parquet).

    Args:
        path: The file.
        shape: ``"wide"`` or ``"log"``; None tells them apart by the columns (a log has an
            ``event`` column).

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
    columns = _columns(path)
    if shape is None:
        shape = "log" if "event" in columns else "wide"
    required = ("dossier_id", "event", "at") if shape == "log" else ("dossier_id", "received_at")
    missing = [c for c in required if c not in columns]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)} for the {shape} format")
    if shape == "wide":
        dossiers, rows, rejected = _read_wide(path)
    else:
        dossiers, rows, rejected = _read_log(path)
    return DossierTable(
        source=str(path),
        shape=shape,
        dossiers=tuple(dossiers),
        rows=tuple(rows),
        rejected=tuple(rejected),
    )


def _read_wide(path: Path) -> tuple[list[Dossier], list[int], list[Rejected]]:
    dossiers: list[Dossier] = []
    rows: list[int] = []
    rejected: list[Rejected] = []
    for number, record in read_rows(path):
        try:
            dossiers.append(row_to_dossier(record))
            rows.append(number)
        except ProcflowError as exc:
            rejected.append(
                Rejected(
                    row=number, dossier_id=_text(record.get("dossier_id")) or None, reason=str(exc)
                )
            )
    return dossiers, rows, rejected


def _read_log(path: Path) -> tuple[list[Dossier], list[int], list[Rejected]]:
    grouped: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    rejected: list[Rejected] = []
    for number, record in read_rows(path):
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
