"""Bulk classification of dossiers in the wide interchange format: a columnar engine.

:func:`classify` gives, for every row, what :func:`procflow.evaluate` gives for that
dossier (due dates, outcome, rule, time used and left, Decision 766 view), computed with
numpy over the calendar's precomputed working-day arrays: no Python loop per row on the
hot path. The rules are the per-dossier path's, written once more in array form:

* times become seconds (local time) and positions (working seconds since the calendar's
  start, from the prefix counts of working days); a shift by n working days is one index
  into the sorted working days, a shift by working hours is a division by the day length;
* the effective receipt (cut-off, office hours, days off, Saturday reception), the day and
  hour models, calendar days and same day, supplement restart, pause and none, withdrawal
  and ``as_of`` follow :mod:`procflow.deadline` and :mod:`procflow.evaluation` line by line.

Rows the array path does not take — a value that does not parse as the common ISO forms,
a time zone offset, sub-second times, an inconsistent timeline, a date outside the
calendar — go through the per-dossier path, which reads, checks and evaluates them one by
one (and rejects those it cannot). So every row is classified exactly as
:func:`procflow.evaluate` would, and ``rows in = rows classified + rows rejected``, always.
The tests check this row by row on random and large inputs.

Needs the ``bulk`` extra (numpy, pyarrow).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal, NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from procflow.calendar import WorkCalendar, to_local, vietnam_calendar
from procflow.deadline import resolve_model
from procflow.errors import InputError, ProcflowError
from procflow.evaluation import Outcome, Procedures, evaluate
from procflow.index766 import on_time_21
from procflow.interchange import (
    WIDE_COLUMNS,
    Rejected,
    open_parquet,
    parquet_batches,
    row_to_dossier,
)
from procflow.io import atomic_outputs, refuse_overwrite
from procflow.law import outcome as law_outcome
from procflow.law.codes import model_code, policy_code, unit_code
from procflow.law.due import due as law_due
from procflow.law.due import period_last
from procflow.law.index import CalendarIndex
from procflow.law.outcome import apology_timely, d766_on_time
from procflow.law.receipt import Receipt, receive
from procflow.law.stops import cycle, extend, return_at
from procflow.parsing import parse_clock
from procflow.procedure import (
    DEFAULT_RETURN_DAYS,
    DEFAULT_SUPPLEMENT_WINDOW,
    ApologyDue,
    Procedure,
    ProcedureLibrary,
    SupplementPolicy,
)
from procflow.report import GroupBy, Report, Tally, period_bounds
from procflow.sheets import FORMULA_START
from procflow.timelimit import CountingModel, TimeLimit

__all__ = [
    "ALERT_COLUMNS",
    "OUTPUT_COLUMNS",
    "BulkResult",
    "alerts",
    "build_report",
    "classify",
    "classify_dask",
    "classify_file",
    "csv_safe_table",
    "max_event_time",
    "output_format",
]

_EPOCH = date(1970, 1, 1).toordinal()
_DAY = 86400
_TIME_COLUMNS = (
    "received_at",
    "finished_at",
    "withdrawn_at",
    "supplement_requested_at",
    "supplement_received_at",
    "apology_issued_at",
    "apology_new_due_at",
    "due_at",
)
_EVENT_COLUMNS = (
    "received_at",
    "finished_at",
    "withdrawn_at",
    "supplement_requested_at",
    "supplement_received_at",
    "apology_issued_at",
)
"""The time columns that record events (the others are dates promised)."""
_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")
_NAT = np.iinfo(np.int64).min  # missing time, in seconds
_OUTCOMES = [o.value for o in Outcome]
_RULES = [rule_id for rule_id, _ in law_outcome.RULES]
_OUTCOME_OF_RULE = np.array([_OUTCOMES.index(outcome) for _, outcome in law_outcome.RULES])
_CHANNEL_BITS = {"": 2, "online": 1, "in_person": 2, "post": 4}  # "" is in person
_ALL_CHANNELS = 7

OUTPUT_COLUMNS = (
    "index",
    "dossier_id",
    "procedure_id",
    "channel",
    "office",
    "agency",
    "field",
    "received_at",
    "finished_at",
    "withdrawn_at",
    "result",
    "due_at",
    "effective_due_at",
    "d766_due_at",
    "outcome",
    "rule",
    "used_hours",
    "used_days",
    "remaining_hours",
    "supplement_requests",
    "clock_stopped",
    "waiting_for_applicant",
    "apology",
    "apology_timely",
    "d766_on_time",
    "returned_at",
)
"""Columns of the classified table. ``index`` is the row's 0-based position in the source;
``outcome`` and ``rule`` are strings; ``result``, ``procedure_id``, ``channel``, ``office``,
``agency`` and ``field`` are dictionary-encoded strings (categoricals in pandas)."""


class BulkResult(NamedTuple):
    """What :func:`classify` returns: the classified rows and the rejected ones.

    Attributes:
        table: One row per classified dossier, columns :data:`OUTPUT_COLUMNS`.
        rejected: One row per rejected row: ``index`` (0-based position in the source),
            ``row`` (the spreadsheet row: index + 2, the header being row 1),
            ``dossier_id`` and ``reason``.
    """

    table: pa.Table
    rejected: pa.Table


# -- the calendar as arrays -----------------------------------------------------------------


def _day_of(seconds: np.ndarray) -> np.ndarray:
    days: np.ndarray = seconds // _DAY
    return days


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


def _csv_options(path: Path) -> tuple[pacsv.ReadOptions, pacsv.ConvertOptions]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = handle.readline()
    names: list[str] = next(iter(csv.reader([header])), [])
    types = {name: pa.string() for name in names}
    return (
        pacsv.ReadOptions(encoding="utf8", block_size=1 << 24),
        pacsv.ConvertOptions(column_types=types, strings_can_be_null=False),
    )


def _read_csv(path: Path) -> pa.Table:
    read, convert = _csv_options(path)
    try:
        return pacsv.read_csv(path, read_options=read, convert_options=convert)
    except (OSError, pa.ArrowInvalid) as exc:
        raise InputError(f"{path}: cannot read CSV: {exc}") from exc


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


def _codes(table: pa.Table, name: str) -> tuple[np.ndarray, list[str]]:
    """Dictionary codes of a text column: (code per row, distinct trimmed values).

    Trimming the few distinct values, not every row, keeps this cheap on large tables.
    """
    if name not in table.column_names:
        return np.zeros(table.num_rows, dtype=np.int64), [""]
    column = pc.cast(table[name], pa.string())
    encoded = pc.dictionary_encode(column).combine_chunks()
    values = [v.strip() for v in encoded.dictionary.to_pylist()]
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


_FIELDS = (
    ("value", float, 0.0),
    ("unit", np.int8, 0),
    ("cutoff", np.int64, -1),
    ("model", np.int8, 0),
    ("policy", np.int8, 0),
    ("window", float, np.inf),
    ("apology_end", bool, False),
    ("return_days", np.int64, -1),
    ("channels", np.int8, _ALL_CHANNELS),
)
"""The counting rules of a row, as the rule core's codes: name, dtype, value if unknown."""

RuleRow = tuple[float, int, int, int, int, float, bool, int, int]


@dataclass(frozen=True, slots=True)
class _Rules:
    value: np.ndarray
    unit: np.ndarray
    cutoff: np.ndarray
    model: np.ndarray
    policy: np.ndarray
    window: np.ndarray
    apology_end: np.ndarray
    return_days: np.ndarray
    bad: np.ndarray


def _rule_of(
    limit: TimeLimit,
    cut: time | None,
    model: CountingModel | None,
    pol: SupplementPolicy,
    window: float | None = DEFAULT_SUPPLEMENT_WINDOW,
    apology_due: ApologyDue = ApologyDue.DAY_BEFORE,
    return_days: int | None = DEFAULT_RETURN_DAYS,
    channels: frozenset[str] | None = None,
) -> RuleRow:
    chosen = resolve_model(limit, model)
    cut_s = -1 if cut is None else cut.hour * 3600 + cut.minute * 60 + cut.second
    mask = _ALL_CHANNELS if channels is None else sum(_CHANNEL_BITS[c] for c in channels)
    return (
        limit.value,
        unit_code(limit.unit),
        cut_s,
        model_code(chosen),
        policy_code(pol),
        np.inf if window is None else window,
        apology_due is ApologyDue.AT_LIMIT_END,
        -1 if return_days is None else return_days,
        mask,
    )


def _inline_rule(key: str) -> RuleRow | None:
    """Rules from inline texts "limit|cutoff|policy", or None if they do not read."""
    text, cut_text, pol_text = key.split("|")
    if not text:
        return None
    try:
        limit = TimeLimit.parse(text)
        cut = parse_clock(cut_text) if cut_text else None
        pol = SupplementPolicy(pol_text) if pol_text else SupplementPolicy.RESTART
    except (ValueError, ProcflowError):
        return None
    return _rule_of(limit, cut, None, pol)


def _spread(
    out: dict[str, np.ndarray], rows: list[RuleRow], pick: np.ndarray, use: np.ndarray
) -> None:
    """Write rule rows ``rows[pick]`` into ``out`` where ``use``."""
    if not rows:
        return
    for (name, dtype, _), values in zip(_FIELDS, zip(*rows, strict=True), strict=True):
        out[name] = np.where(use, np.asarray(values, dtype=dtype)[pick], out[name])


def _versions_in_force(procedures: Procedures, name: str) -> tuple[Procedure, ...]:
    if isinstance(procedures, ProcedureLibrary):
        return procedures.get(name, ())
    assert procedures is not None
    found = procedures.get(name)
    return () if found is None else (found,)


def _rules(codes: Codes, received: np.ndarray, procedures: Procedures) -> _Rules:
    """Counting rules per row, by procedure version or inline text; ``bad`` rows go scalar.

    Each distinct text or procedure is read once (dictionary encoding), then spread.
    """
    n = len(received)
    out = {name: np.full(n, fill, dtype=dtype) for name, dtype, fill in _FIELDS}
    bad = np.zeros(n, dtype=bool)
    pid_codes, pids = codes["procedure_id"]
    parts = [codes[name] for name in ("time_limit", "cutoff", "supplement_policy")]
    sizes = [len(values) for _, values in parts]
    combined = (parts[0][0] * sizes[1] + parts[1][0]) * sizes[2] + parts[2][0]
    # The distinct combinations, without sorting a million keys: mark, then number them.
    seen = np.zeros(sizes[0] * sizes[1] * sizes[2], dtype=bool)
    seen[combined] = True
    distinct = np.flatnonzero(seen)
    number = np.zeros(len(seen), dtype=np.int64)
    number[distinct] = np.arange(len(distinct))
    key_codes = number[combined]
    key_values = [
        f"{parts[0][1][c // (sizes[1] * sizes[2])]}|{parts[1][1][(c // sizes[2]) % sizes[1]]}|"
        f"{parts[2][1][c % sizes[2]]}"
        for c in distinct.tolist()
    ]
    inline = (
        np.asarray([p == "" for p in pids], dtype=bool)[pid_codes] if pids else np.ones(n, bool)
    )
    # Inline rules: one lookup table over the distinct texts.
    table_rules = [_inline_rule(k) for k in key_values]
    known = np.asarray([r is not None for r in table_rules], dtype=bool)
    unknown: RuleRow = tuple(fill for _, _, fill in _FIELDS)  # type: ignore[assignment]
    _spread(out, [r or unknown for r in table_rules], key_codes, inline)
    if table_rules:
        bad |= inline & ~known[key_codes]
    # Procedures: rows naming one must not also give a limit; versions by receipt date.
    no_text = (
        np.asarray([k == "||" for k in key_values], dtype=bool)[key_codes]
        if key_values
        else np.ones(n, bool)
    )
    bad |= ~inline & (~no_text | (procedures is None))
    if procedures is not None:
        day = received // _DAY
        # Every (procedure, version) gets a slot; a row finds its slot by code and date.
        slot = np.full(n, -1, dtype=np.int64)
        slots: list[RuleRow] = []
        for code, name in enumerate(pids):
            if name == "":
                continue
            mask = pid_codes == code
            for p in _versions_in_force(procedures, name):
                here = mask
                if isinstance(procedures, ProcedureLibrary):
                    lo = p.effective_from.toordinal() - _EPOCH
                    hi = (
                        p.effective_to.toordinal() - _EPOCH
                        if p.effective_to
                        else np.iinfo(np.int64).max
                    )
                    here = mask & (day >= lo) & (day <= hi)
                r = p.rules
                slot[here] = len(slots)
                slots.append(
                    _rule_of(
                        p.time_limit,
                        r.cutoff,
                        r.model,
                        r.supplement_policy,
                        r.supplement_window,
                        r.apology_due,
                        r.supplement_return_days,
                        r.cutoff_channels,
                    )
                )
        named = ~inline & ~bad
        bad |= named & (slot < 0)
        _spread(out, slots, np.maximum(slot, 0), named & (slot >= 0))
    # A cut-off for some channels only applies to the rows of those channels.
    channel_codes, channel_values = codes["channel"]
    bits = np.asarray([_CHANNEL_BITS.get(v, 0) for v in channel_values] or [2], dtype=np.int8)
    applies = (bits[channel_codes] & out["channels"]) != 0 if channel_values else True
    cutoff = np.where(applies, out["cutoff"], -1)
    return _Rules(
        value=out["value"],
        unit=out["unit"],
        cutoff=cutoff,
        model=out["model"],
        policy=out["policy"],
        window=out["window"],
        apology_end=out["apology_end"],
        return_days=out["return_days"],
        bad=bad,
    )


# -- classification -------------------------------------------------------------------------


def max_event_time(table: pa.Table) -> datetime | None:
    """The latest event time in a wide table (local), or None if it has none."""
    latest = None
    for name in _EVENT_COLUMNS:
        if name in table.column_names:
            secs, _ = _seconds(table[name], table.num_rows)
            valid = secs[secs != _NAT]
            if valid.size:
                top = int(valid.max())
                latest = top if latest is None else max(latest, top)
    return None if latest is None else datetime(1970, 1, 1) + timedelta(seconds=latest)


def _as_of_seconds(as_of: datetime | date) -> tuple[int, datetime]:
    local = to_local(as_of) if isinstance(as_of, datetime) else datetime.combine(as_of, time.max)
    whole = local.replace(microsecond=0)
    # A sub-second as_of: an event at the same second but before it still counts.
    return int((whole - datetime(1970, 1, 1)).total_seconds()), local


def classify(
    source: Any,
    *,
    procedures: Procedures = None,
    calendar: WorkCalendar | None = None,
    as_of: datetime | date | None = None,
    index_offset: int = 0,
    received_after_as_of: Literal["reject", "skip"] = "reject",
) -> BulkResult:
    """Classify every dossier of a wide-format source, as :func:`procflow.evaluate` would.

    Args:
        source: A pyarrow Table, a pandas or polars DataFrame, or a path to a CSV or
            Parquet file, in the wide interchange format (``docs/interchange.md``).
        procedures: The procedure library, for rows with a ``procedure_id``.
        calendar: The working calendar (default: :func:`~procflow.vietnam_calendar`).
        as_of: The instant to classify at (a date means its end); events after it are
            ignored. Default: the end of the day of the latest event in the source.
        index_offset: Added to every ``index`` (for batches of a larger source).
        received_after_as_of: ``"reject"`` (default) rejects a dossier received after
            ``as_of``, as :func:`~procflow.evaluate` does; ``"skip"`` leaves it out of both
            tables (a report of a past period does not count it).

    Returns:
        The classified rows and the rejected rows; together, every row of the source.

    Raises:
        InputError: If the source cannot be read or lacks ``dossier_id`` or ``received_at``.

    Examples:
        >>> import pyarrow as pa
        >>> rows = pa.table({"dossier_id": ["A", "B"],
        ...                  "received_at": ["2024-08-29T10:00:00", "2024-08-29T10:00:00"],
        ...                  "finished_at": ["2024-09-05T16:00:00", "2024-09-06T09:00:00"],
        ...                  "time_limit": ["03 ngày làm việc", "03 ngày làm việc"]})
        >>> result = classify(rows, calendar=vietnam_calendar(years=[2024]))
        >>> result.table["outcome"].to_pylist(), result.rejected.num_rows
        (['on_time', 'late'], 0)
    """
    table = _to_table(source)
    missing = [c for c in ("dossier_id", "received_at") if c not in table.column_names]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)} for the wide format")
    cal = calendar or vietnam_calendar()
    if as_of is None:
        latest = max_event_time(table)
        as_of = latest.date() if latest is not None else date(cal.last_year, 12, 31)
    view, as_of_dt = _as_of_seconds(as_of)
    c = cal.law_arrays
    # Slices keep the arrays small: the same memory serves every slice, in cache.
    parts = [
        _classify_slice(
            table.slice(first, _SLICE),
            c,
            cal,
            procedures,
            view,
            as_of_dt,
            index_offset + first,
            received_after_as_of,
        )
        for first in range(0, max(table.num_rows, 1), _SLICE)
    ]
    if len(parts) == 1:
        return parts[0]
    return BulkResult(
        pa.concat_tables([p.table for p in parts]), pa.concat_tables([p.rejected for p in parts])
    )


_SLICE = 131_072
"""Rows classified at a time inside :func:`classify`."""


def _classify_slice(
    table: pa.Table,
    c: CalendarIndex,
    cal: WorkCalendar,
    procedures: Procedures,
    view: int,
    as_of_dt: datetime,
    index_offset: int,
    received_after_as_of: str,
) -> BulkResult:
    n = table.num_rows
    times: dict[str, np.ndarray] = {}
    odd = np.zeros(n, dtype=bool)
    for name in _TIME_COLUMNS:
        secs, weird = _seconds(table[name] if name in table.column_names else None, n)
        times[name] = secs
        odd |= weird
    rec = times["received_at"]
    codes: Codes = {name: _codes(table, name) for name in _CODED}
    for name, allowed in (
        ("channel", ("", "online", "in_person", "post")),
        ("result", ("", "granted", "refused")),
    ):
        column_codes, values = codes[name]
        odd |= np.asarray([v not in allowed for v in values], dtype=bool)[column_codes]
    blank = pc.match_substring_regex(pc.cast(table["dossier_id"], pa.string()), r"^\s*$")
    odd |= pc.fill_null(blank, True).to_numpy(zero_copy_only=False)
    odd |= rec == _NAT
    # Timeline checks (as check_timeline orders a wide row's events); failures go scalar.
    req, srec = times["supplement_requested_at"], times["supplement_received_at"]
    apo, new_due = times["apology_issued_at"], times["apology_new_due_at"]
    fin, wd = times["finished_at"], times["withdrawn_at"]
    present = {k: v != _NAT for k, v in times.items()}
    for name in (
        "finished_at",
        "withdrawn_at",
        "supplement_requested_at",
        "supplement_received_at",
        "apology_issued_at",
    ):
        odd |= present[name] & (times[name] < rec)
    odd |= present["supplement_received_at"] & (~present["supplement_requested_at"] | (srec < req))
    odd |= present["finished_at"] & present["withdrawn_at"]
    for name in ("supplement_requested_at", "supplement_received_at", "apology_issued_at"):
        odd |= present[name] & present["finished_at"] & (times[name] > fin)
        odd |= present[name] & present["withdrawn_at"] & (times[name] > wd)
    odd |= present["apology_issued_at"] & present["apology_new_due_at"] & (new_due <= apo)
    # Dates the calendar covers, with room for the due date: others go scalar.
    lo_s = (c.base - _EPOCH) * _DAY
    hi_s = (c.base + c.n - _EPOCH) * _DAY
    for name in _EVENT_COLUMNS:
        v = times[name]
        odd |= present[name] & ((v < lo_s) | (v >= hi_s))
    rules = _rules(codes, rec, procedures)
    odd |= rules.bad
    late = ~odd & (rec > view)  # received after as_of: rejected, as evaluate() does
    odd |= late
    # Room at the end of the calendar for the longest shift of these rows, in days.
    per_unit = np.array([1.0, 1 / 8, 1.0, 0.0, 1 / 24, 7.0, 31.0])
    horizon = rules.value * per_unit[rules.unit] + np.maximum(rules.return_days, 0)
    day_index = np.clip(rec // _DAY + _EPOCH - c.base, 0, c.n)
    room = (c.cum[-1] - c.cum[day_index]) - 2 * (horizon + 1) - 60
    odd |= room < 0
    ok = ~odd
    idx = np.flatnonzero(ok)
    out = _classify_arrays(c, {k: v[idx] for k, v in times.items()}, rules, idx, view)
    scalar = _scalar(table, np.flatnonzero(odd & ~late), procedures, cal, as_of_dt)
    late_rows = np.flatnonzero(late)
    if late_rows.size and received_after_as_of == "skip":
        return _assemble(table, codes, idx, out, scalar, index_offset)
    if late_rows.size:
        late_ids = _text_column(table, "dossier_id").take(pa.array(late_rows)).to_pylist()
        scalar += [
            (
                int(i),
                f"dossier {d!r} was received at "
                f"{(datetime(1970, 1, 1) + timedelta(seconds=int(rec[i]))).isoformat()}, "
                f"after as_of {as_of_dt.isoformat()}",
                d,
            )
            for i, d in zip(late_rows, late_ids, strict=True)
        ]
    return _assemble(table, codes, idx, out, scalar, index_offset)


def _put(default: np.ndarray, rows: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``default`` with ``values`` at ``rows`` (the branch results of a subset)."""
    out = default.copy()
    out[rows] = values
    return out


def _classify_arrays(
    c: CalendarIndex, t: dict[str, np.ndarray], rules: _Rules, idx: np.ndarray, view: int
) -> dict[str, np.ndarray]:
    """The rule core over arrays: what :func:`procflow.evaluate` computes, row by row.

    The branches only some rows take (supplement cycles, clock stops, returns, apologies)
    are computed on those rows only, then put back.
    """
    value, unit, model = rules.value[idx], rules.unit[idx], rules.model[idx]
    cutoff, policy = rules.cutoff[idx], rules.policy[idx]
    rec = t["received_at"]
    seen = {k: (v != _NAT) & (v <= view) for k, v in t.items()}
    req = np.where(seen["supplement_requested_at"], t["supplement_requested_at"], _NAT)
    srec = np.where(seen["supplement_received_at"], t["supplement_received_at"], _NAT)
    fin = np.where(seen["finished_at"], t["finished_at"], _NAT)
    wd = np.where(seen["withdrawn_at"], t["withdrawn_at"], _NAT)
    has_req, has_rec = req != _NAT, srec != _NAT
    finished, withdrawn = fin != _NAT, wd != _NAT
    unfinished = ~finished & ~withdrawn
    end_point = np.where(finished, fin, np.where(withdrawn, wd, view))
    n = len(rec)
    false = np.zeros(n, dtype=bool)

    first = receive(c, rec, cutoff)
    original_due = law_due(c, first, value, unit, model)
    start, base_due = first.start, original_due
    base_eff = first.eff
    whole = np.maximum(value.astype(np.int64), 0)

    # The one supplement cycle of a wide row (procflow.law.stops.cycle), on its rows.
    s = np.flatnonzero(has_req)
    cyc = cycle(
        c,
        policy[s],
        req[s],
        has_rec[s],
        first.start[s],
        original_due[s],
        rules.window[idx][s] * 3600,
        ~unfinished[s],
    )
    counts = _put(false, s, cyc.counts)
    restarts = _put(false, s, cyc.restarts)
    pauses = _put(false, s, cyc.pauses)
    no_clock_cycle = _put(false, s, cyc.no_clock)
    r = np.flatnonzero(restarts)
    if r.size:
        again = receive(c, srec[r], cutoff[r])
        start = _put(start, r, again.start)
        base_eff = _put(base_eff, r, again.eff)
        base_due = _put(base_due, r, law_due(c, again, value[r], unit[r], model[r]))

    # The cycle as a stop: paused, or under restart open at the end.
    stop = has_req & pauses
    lo = np.maximum(req, start)
    hi = np.minimum(np.where(has_rec, srec, end_point), end_point)
    closed = stop & (lo < hi) & (has_rec | ~unfinished)
    open_stop = stop & unfinished & ~has_rec
    read_at = np.where(open_stop, np.minimum(end_point, lo), end_point)
    closed &= lo < read_at
    hi = np.minimum(hi, read_at)
    waiting = unfinished & has_req & ~has_rec
    no_clock = waiting & no_clock_cycle
    k = np.flatnonzero(closed)
    moved = extend(
        c,
        base_due[k],
        period_last(c, base_eff[k], whole[k], unit[k]),
        lo[k],
        hi[k],
        np.ones(k.size, dtype=bool),
        unit[k],
        model[k],
    ).due
    effective = _put(base_due, k, moved)
    due_known = ~no_clock
    w = np.flatnonzero(waiting & counts & (rules.return_days[idx] >= 0))
    back = return_at(c, req[w], rules.return_days[idx][w])
    returned_at = _put(np.full(n, _NAT, dtype=np.int64), w, np.where(back <= view, back, _NAT))
    returned = returned_at != _NAT

    rule = law_outcome.classify(
        c, withdrawn, finished, returned, due_known, fin, effective, read_at
    )
    outcome = _OUTCOME_OF_RULE[rule]

    used, remaining = _time_used(c, start, read_at, lo, hi, closed, effective, due_known)
    d766_due, d766, timely = _d766_and_apology(
        c,
        t,
        rules.apology_end[idx],
        seen,
        first,
        original_due,
        effective,
        due_known,
        req,
        srec,
        end_point,
        finished,
        fin,
        unit,
        model,
        whole,
    )
    has_apo = seen["apology_issued_at"]
    n_sup = has_req.astype(np.int64)
    return {
        "due_at": original_due,
        "effective_due_at": np.where(due_known, effective, _NAT),
        "d766_due_at": d766_due,
        "outcome": outcome,
        "rule": rule,
        "used_hours": used,
        "used_days": used / (c.length / 3600),
        "remaining_hours": remaining,
        "supplement_requests": n_sup,
        "clock_stopped": open_stop | no_clock,
        "waiting_for_applicant": waiting,
        "apology": has_apo,
        "apology_timely": timely,
        "d766_on_time": d766,
        "d766_known": finished,
        "finished_at": fin,
        "withdrawn_at": wd,
        "received_at": rec,
        "returned_at": returned_at,
    }


def _time_used(
    c: CalendarIndex,
    start: np.ndarray,
    read_at: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    closed: np.ndarray,
    effective: np.ndarray,
    due_known: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Working hours used (less the stop not counted) and left to the due date."""
    pos = c.position
    p_start, p_read = pos(start), pos(read_at)
    nc_lo = np.maximum(lo, start)
    nc_hi = np.minimum(hi, read_at)
    nc = np.flatnonzero(closed & (nc_lo < nc_hi))
    not_counted = _put(np.zeros(len(start)), nc, (pos(nc_hi[nc]) - pos(nc_lo[nc])) / 3600)
    used = np.where(read_at > start, (p_read - p_start) / 3600 - not_counted, 0.0)
    remaining = np.where(due_known, (pos(effective) - p_read) / 3600, np.nan)
    return np.maximum(used, 0.0), remaining


def _d766_and_apology(
    c: CalendarIndex,
    t: dict[str, np.ndarray],
    apology_end: np.ndarray,
    seen: dict[str, np.ndarray],
    first: Receipt,
    original_due: np.ndarray,
    effective: np.ndarray,
    due_known: np.ndarray,
    req: np.ndarray,
    srec: np.ndarray,
    end_point: np.ndarray,
    finished: np.ndarray,
    fin: np.ndarray,
    unit: np.ndarray,
    model: np.ndarray,
    whole: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Decision 766's due date and on-time flag, and the apology's timeliness."""
    has_req, has_rec = req != _NAT, srec != _NAT
    n = len(req)
    # Decision 766: supplement waiting subtracted from the original due date.
    d_lo = np.maximum(req, first.start)
    d_hi = np.minimum(np.where(has_rec, srec, end_point), end_point)
    d = np.flatnonzero(has_req & (d_lo < d_hi))
    d766_moved = extend(
        c,
        original_due[d],
        period_last(c, first.eff[d], whole[d], unit[d]),
        d_lo[d],
        d_hi[d],
        np.ones(d.size, dtype=bool),
        unit[d],
        model[d],
    ).due
    d766_due = _put(original_due, d, d766_moved)
    d766 = d766_on_time(finished, fin, d766_due, has_req.astype(np.int64))
    apo = np.where(seen["apology_issued_at"], t["apology_issued_at"], _NAT)
    a = np.flatnonzero(apo != _NAT)
    judged = np.where(due_known, effective, original_due)[a]
    timely = _put(np.zeros(n, dtype=bool), a, apology_timely(c, apo[a], judged, apology_end[a]))
    return d766_due, d766, timely


def _scalar(
    table: pa.Table, rows: np.ndarray, procedures: Procedures, cal: WorkCalendar, as_of: datetime
) -> list[tuple[int, dict[str, Any] | str, str]]:
    """The per-dossier path for the rows the array path does not take.

    Returns ``(index, evaluated values or the rejection reason, dossier id)`` per row.
    """
    out: list[tuple[int, dict[str, Any] | str, str]] = []
    if rows.size == 0:
        return out
    records = table.take(pa.array(rows)).to_pylist()
    for index, record in zip(rows.tolist(), records, strict=True):
        dossier_id = "" if record.get("dossier_id") is None else str(record["dossier_id"]).strip()
        try:
            dossier = row_to_dossier({k: v for k, v in record.items() if k in WIDE_COLUMNS})
            e = evaluate(dossier, procedures, cal, as_of=as_of)
        except ProcflowError as exc:
            out.append((index, str(exc), dossier_id))
            continue
        out.append(
            (
                index,
                {
                    "due_at": e.due_at,
                    "effective_due_at": e.effective_due_at,
                    "d766_due_at": e.d766_due_at,
                    "outcome": e.outcome.value,
                    "rule": e.rule,
                    "used_hours": e.used_hours,
                    "used_days": e.used_days,
                    "remaining_hours": e.remaining_hours,
                    "supplement_requests": e.supplement_requests,
                    "clock_stopped": e.clock_stopped,
                    "waiting_for_applicant": e.waiting_for_applicant,
                    "apology": e.apology is not None,
                    "apology_timely": e.apology is not None and e.apology.timely,
                    "d766_on_time": e.d766_on_time,
                    "finished_at": e.finished_at,
                    "withdrawn_at": e.withdrawn_at,
                    "received_at": e.received_at,
                    "returned_at": e.returned_at,
                },
                dossier_id,
            )
        )
    return out


_TIMES_OUT = (
    "received_at",
    "finished_at",
    "withdrawn_at",
    "due_at",
    "effective_due_at",
    "d766_due_at",
    "returned_at",
)
_FLOATS_OUT = ("used_hours", "used_days", "remaining_hours")
_FLAGS_OUT = ("clock_stopped", "waiting_for_applicant", "apology", "apology_timely", "d766_on_time")


def _seconds_of(value: datetime | None) -> int:
    if value is None:
        return int(_NAT)
    return int((to_local(value) - datetime(1970, 1, 1)).total_seconds())


def _dictionary(
    codes: np.ndarray, texts: list[str], missing: np.ndarray | None = None
) -> pa.DictionaryArray:
    """A dictionary-encoded string column, its values made unique (a valid categorical)."""
    distinct = list(dict.fromkeys(texts))
    remap = np.asarray([distinct.index(t) for t in texts], dtype=np.int32)
    return pa.DictionaryArray.from_arrays(
        pa.array(remap[codes], type=pa.int32(), mask=missing), pa.array(distinct, pa.string())
    )


def _merge_scalar(
    full: dict[str, np.ndarray],
    keep: np.ndarray,
    scalar: list[tuple[int, dict[str, Any] | str, str]],
) -> list[tuple[int, str, str]]:
    """Write the per-dossier path's rows into the full columns; return its rejections."""
    rejected: list[tuple[int, str, str]] = []
    for i, values, dossier_id in scalar:
        if isinstance(values, str):
            rejected.append((i, values, dossier_id))
            continue
        keep[i] = True
        for name in _TIMES_OUT:
            full[name][i] = _seconds_of(values[name])
        for name in _FLOATS_OUT:
            full[name][i] = np.nan if values[name] is None else values[name]
        for name in _FLAGS_OUT:
            full[name][i] = bool(values[name])
        full["d766_known"][i] = values["d766_on_time"] is not None
        full["outcome"][i] = _OUTCOMES.index(values["outcome"])
        full["rule"][i] = _RULES.index(values["rule"])
        full["supplement_requests"][i] = values["supplement_requests"]
    return rejected


def _assemble(
    table: pa.Table,
    codes: Codes,
    idx: np.ndarray,
    out: dict[str, np.ndarray],
    scalar: list[tuple[int, dict[str, Any] | str, str]],
    offset: int,
) -> BulkResult:
    """Both paths' results into full-length columns, then one filter of the kept rows."""
    n = table.num_rows
    full: dict[str, np.ndarray] = {}
    for name in _TIMES_OUT:
        full[name] = np.full(n, _NAT, dtype=np.int64)
    for name in _FLOATS_OUT:
        full[name] = np.full(n, np.nan)
    for name in (*_FLAGS_OUT, "d766_known"):
        full[name] = np.zeros(n, dtype=bool)
    full["outcome"] = np.zeros(n, dtype=np.int8)
    full["rule"] = np.zeros(n, dtype=np.int8)
    full["supplement_requests"] = np.zeros(n, dtype=np.int64)
    for name, column in full.items():
        column[idx] = out[name]
    keep = np.zeros(n, dtype=bool)
    keep[idx] = True
    rejected = _merge_scalar(full, keep, scalar)
    kept = {name: column[keep] for name, column in full.items()}
    positions = np.flatnonzero(keep)
    mask = pa.array(keep)

    def stamp(values: np.ndarray) -> pa.Array:
        missing = values == _NAT
        return pa.array(np.where(missing, 0, values).astype("datetime64[s]"), mask=missing)

    columns: dict[str, Any] = {"index": pa.array(positions + offset, type=pa.int64())}
    columns["dossier_id"] = pc.utf8_trim_whitespace(
        pc.cast(table["dossier_id"], pa.string()).filter(mask)
    )
    for name in ("procedure_id", "channel", "office", "agency", "field"):
        column_codes, texts = codes[name]
        if name == "channel":
            texts = [t or "in_person" for t in texts]
        columns[name] = _dictionary(column_codes[keep], texts)
    finished = kept["finished_at"] != _NAT
    result_codes, result_texts = codes["result"]
    columns["result"] = _dictionary(
        result_codes[keep], [t or "granted" for t in result_texts], missing=~finished
    )
    for name in _TIMES_OUT:
        columns[name] = stamp(kept[name])
    for name in _FLOATS_OUT:
        columns[name] = pa.array(kept[name], mask=np.isnan(kept[name]))
    for name in ("clock_stopped", "waiting_for_applicant", "apology", "apology_timely"):
        columns[name] = pa.array(kept[name])
    columns["d766_on_time"] = pa.array(kept["d766_on_time"], mask=~kept["d766_known"])
    columns["supplement_requests"] = pa.array(kept["supplement_requests"])
    # The outcome and rule are plain strings, the values of procflow.Outcome and RULES.
    columns["outcome"] = pa.DictionaryArray.from_arrays(
        pa.array(kept["outcome"], pa.int8()), pa.array(_OUTCOMES, pa.string())
    ).cast(pa.string())
    columns["rule"] = pa.DictionaryArray.from_arrays(
        pa.array(kept["rule"], pa.int8()), pa.array(_RULES, pa.string())
    ).cast(pa.string())
    classified = pa.table({k: columns[k] for k in OUTPUT_COLUMNS})
    rejected.sort(key=lambda item: item[0])  # in file order
    rejected_table = pa.table(
        {
            "index": pa.array([i + offset for i, _, _ in rejected], type=pa.int64()),
            "row": pa.array([i + offset + 2 for i, _, _ in rejected], type=pa.int64()),
            "dossier_id": pa.array([d or None for _, _, d in rejected], type=pa.string()),
            "reason": pa.array([r for _, r, _ in rejected], type=pa.string()),
        }
    )
    return BulkResult(classified, rejected_table)


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


def _batches(path: Path, batch_size: int) -> tuple[Iterator[pa.RecordBatch], int | None]:
    if path.suffix.lower() == ".parquet":
        rows = open_parquet(path).metadata.num_rows
        return parquet_batches(path, batch_size), rows
    read, convert = _csv_options(path)
    read = pacsv.ReadOptions(encoding="utf8", block_size=max(1 << 20, batch_size * 256))
    reader = pacsv.open_csv(path, read_options=read, convert_options=convert)
    return iter(reader), None


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
    if as_of is None:
        latest: datetime | None = None
        batches, _ = _batches(source, batch_size)
        for batch in batches:
            top = max_event_time(pa.Table.from_batches([batch]))
            if top is not None and (latest is None or top > latest):
                latest = top
        as_of = latest.date() if latest is not None else date(cal.last_year, 12, 31)
    target.parent.mkdir(parents=True, exist_ok=True)
    done = classified = rejected = 0
    with atomic_outputs(target, rejected_path) as (good_tmp, bad_tmp):
        writer, bad_writer = _TableWriter(good_tmp, fmt), _TableWriter(bad_tmp, fmt)
        try:
            batches, _ = _batches(source, batch_size)
            for batch in batches:
                result = classify(
                    pa.Table.from_batches([batch]),
                    procedures=procedures,
                    calendar=cal,
                    as_of=as_of,
                    index_offset=done,
                )
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


# -- reports on the engine ----------------------------------------------------------------


def _limit_labels(table: pa.Table) -> tuple[np.ndarray, list[str]]:
    """Per row, the normalised limit text (as str(TimeLimit)) for grouping by procedure."""
    codes, values = _codes(table, "time_limit")
    labels = []
    for text in values:
        try:
            labels.append(str(TimeLimit.parse(text)) if text else "")
        except ProcflowError:
            labels.append("")
    return codes, labels


def build_report(
    source: Any,
    procedures: Procedures,
    calendar: WorkCalendar,
    *,
    start: date,
    end: date | datetime,
    by: str | None = None,
    batch_size: int = 262_144,
) -> Report:
    """The period report of :func:`procflow.build_report`, computed on the columnar engine.

    Gives the same :class:`~procflow.Report` as the per-dossier path on the same rows
    (tested), from a wide-format source (table, DataFrame or path). A CSV or Parquet path
    is read in batches of ``batch_size`` rows and its counters accumulated, so memory
    follows the batch, not the file.

    Args:
        source: The dossiers, wide format.
        procedures: The procedure library, or None for inline rules.
        calendar: The working calendar.
        start: First day of the period.
        end: Last day of the period, or the moment it ends.
        by: Group rows by ``"field"``, ``"procedure"``, ``"office"``, ``"agency"`` or
            ``"channel"``.
        batch_size: Rows read at a time from a file.

    Returns:
        The report.

    Raises:
        InputError: If ``start`` or ``end`` has the wrong type or ``end`` is before
            ``start`` (naming the value).
    """
    start, as_of = period_bounds(start, end)
    group = GroupBy(by) if by is not None else None
    if isinstance(source, str | Path) and Path(source).is_file():
        batches, _ = _batches(Path(source), batch_size)
        parts: Iterable[pa.Table] = (pa.Table.from_batches([b]) for b in batches)
    else:
        parts = [_to_table(source)]
    tallies: dict[str, Tally] = {}
    rejected: list[Rejected] = []
    dossiers = 0
    for table in parts:
        for key, tally in _batch_tallies(
            table, procedures, calendar, start, as_of, group, dossiers, rejected
        ).items():
            tallies.setdefault(key, Tally()).merge(tally)
        dossiers += table.num_rows
    total = Tally()
    for tally in tallies.values():
        total.merge(tally)
    return Report(
        period_start=start,
        period_end=as_of.date(),
        period_end_at=as_of,
        by=group,
        rows=tuple(tallies[k].row(k) for k in sorted(tallies)) if group is not None else (),
        total=total.row("total"),
        dossiers=dossiers,
        rejected=tuple(rejected),
    )


def _batch_tallies(
    table: pa.Table,
    procedures: Procedures,
    calendar: WorkCalendar,
    start: date,
    as_of: datetime,
    group: GroupBy | None,
    offset: int,
    rejected: list[Rejected],
) -> dict[str, Tally]:
    """The report counters of one batch, by group key; its rejected rows are appended."""
    result = classify(
        table,
        procedures=procedures,
        calendar=calendar,
        as_of=as_of,
        received_after_as_of="skip",
        index_offset=offset,
    )
    t = result.table
    n = t.num_rows

    def day(name: str) -> np.ndarray:
        days = pc.cast(pc.cast(t[name], pa.date32()), pa.int32())
        values: np.ndarray = pc.fill_null(days, -1).to_numpy(zero_copy_only=False)
        return values

    received = day("received_at")
    finished, withdrawn = day("finished_at"), day("withdrawn_at")
    ended = np.where(finished >= 0, finished, withdrawn)
    returned = day("returned_at")
    ended = np.where(returned >= 0, returned, ended)
    start_day = start.toordinal() - _EPOCH
    counted = ~((received < start_day) & (ended >= 0) & (ended < start_day))
    new = received >= start_day
    outcome = np.asarray(t["outcome"].to_numpy(zero_copy_only=False), dtype=object)
    channel = np.asarray(t["channel"].to_numpy(zero_copy_only=False), dtype=object)
    finished_ok = np.isin(outcome, ["early", "on_time", "late"])
    flags: dict[str, np.ndarray] = {
        "received_total": counted,
        "received_new": counted & new,
        "received_online": counted & new & (channel == "online"),
        "received_in_person": counted & new & (channel == "in_person"),
        "received_post": counted & new & (channel == "post"),
        "carried_over": counted & ~new,
        "withdrawn": counted & (outcome == "withdrawn"),
        "returned": counted & (outcome == "returned"),
        "d766_counted": counted,
        "d766_on_time": counted & _on_time_21(t, as_of),
        "resolved_total": counted & finished_ok,
        "resolved_early": counted & (outcome == "early"),
        "resolved_on_time": counted & (outcome == "on_time"),
        "resolved_late": counted & (outcome == "late"),
        "resolved_late_with_apology": counted
        & (outcome == "late")
        & t["apology"].to_numpy(zero_copy_only=False),
        "resolved_refused": counted
        & finished_ok
        & (
            np.asarray(pc.fill_null(t["result"], "").to_numpy(zero_copy_only=False), dtype=object)
            == "refused"
        ),
        "in_progress_total": counted & np.isin(outcome, ["in_time", "overdue"]),
        "in_progress_in_time": counted & (outcome == "in_time"),
        "in_progress_overdue": counted & (outcome == "overdue"),
        "in_progress_waiting": counted
        & np.isin(outcome, ["in_time", "overdue"])
        & t["waiting_for_applicant"].to_numpy(zero_copy_only=False),
    }
    # Group keys, as the per-dossier report computes them.
    if group is None:
        keys = np.full(n, "total", dtype=object)
    elif group is GroupBy.CHANNEL:
        keys = channel
    elif group in (GroupBy.OFFICE, GroupBy.AGENCY):
        keys = np.asarray(t[group.value].to_numpy(zero_copy_only=False), dtype=object)
    elif group is GroupBy.PROCEDURE:
        pid = np.asarray(t["procedure_id"].to_numpy(zero_copy_only=False), dtype=object)
        codes, labels = _limit_labels(table)
        label = np.asarray(labels, dtype=object)[codes[t["index"].to_numpy()]]
        keys = np.where(pid != "", pid, label)
    else:
        keys = np.asarray(t["field"].to_numpy(zero_copy_only=False), dtype=object)
        pid = np.asarray(t["procedure_id"].to_numpy(zero_copy_only=False), dtype=object)
        missing = (keys == "") & (pid != "") & (procedures is not None)
        # The field of the procedure version in force at receipt, per procedure.
        for name in {str(x) for x in pid[missing]}:
            rows = missing & (pid == name)
            for version in _versions(procedures, name):
                lo = version.effective_from.toordinal() - _EPOCH
                hi = (
                    version.effective_to.toordinal() - _EPOCH
                    if version.effective_to
                    else received.max()
                )
                here = rows & (received >= lo) & (received <= hi)
                keys[here] = version.field
    used_days = t["used_days"].to_numpy(zero_copy_only=False)
    d766 = pc.fill_null(t["d766_on_time"], False).to_numpy(zero_copy_only=False)
    tallies: dict[str, Tally] = {}
    key_of_row = keys
    for key in sorted({str(k) for k in key_of_row[counted]}):
        rows = counted & (key_of_row == key)
        tally = Tally()
        tally.counts = {name: int(np.count_nonzero(mask & rows)) for name, mask in flags.items()}
        tally.counts = {k: v for k, v in tally.counts.items() if v}
        resolved_rows = rows & finished_ok
        tally.days = [float(x) for x in used_days[resolved_rows]]
        tally.d766 = int(np.count_nonzero(d766 & resolved_rows))
        tallies[key] = tally
    rejected.extend(
        Rejected(row=r["row"], dossier_id=r["dossier_id"], reason=r["reason"])
        for r in result.rejected.to_pylist()
    )
    return tallies


def _on_time_21(t: pa.Table, as_of: datetime) -> np.ndarray:
    """Decision 766 indicator 2.1's numerator per classified row (procflow.index766).

    The count ends at the finish, else the return, else the withdrawal, else the period
    end. A lone open supplement request requested in time ends it earlier in
    :func:`~procflow.index766.status_21`, but the Decision 766 due date then moves by the
    whole wait, so the result is the same.
    """

    def seconds(name: str) -> np.ndarray:
        whole = pc.cast(pc.cast(t[name], pa.timestamp("s")), pa.int64())
        values: np.ndarray = pc.fill_null(whole, _NAT).to_numpy(zero_copy_only=False)
        return values

    fin, back, wd = seconds("finished_at"), seconds("returned_at"), seconds("withdrawn_at")
    end = np.where(fin != _NAT, fin, np.where(back != _NAT, back, wd))
    end = np.where(end != _NAT, end, _seconds_of(as_of))
    requests = t["supplement_requests"].to_numpy(zero_copy_only=False)
    on_time: np.ndarray = on_time_21(end, seconds("d766_due_at"), requests)
    return on_time


ALERT_COLUMNS = (
    "dossier_id",
    "kind",
    "due_at",
    "remaining_hours",
    "used_share",
    "note_vi",
    "note_en",
)
"""Columns of :func:`alerts`' table."""


def alerts(
    source: Any,
    *,
    procedures: Procedures = None,
    calendar: WorkCalendar | None = None,
    as_of: datetime | date | None = None,
    within_hours: float | None = None,
    within_days: float | None = None,
    share: float | None = None,
    notes: bool = False,
) -> pa.Table:
    """:func:`procflow.alerts` for a whole table of dossiers, on the columnar engine.

    The dossiers are classified at ``as_of`` (:func:`classify`) and the same rule
    (:func:`procflow.alerts.alert_kind`) picks the alerts: every overdue dossier, and the
    in-time ones within the window or past the share of their time.

    Args:
        source: The dossiers, wide format (table, DataFrame or path).
        procedures: The procedure library, for rows with a ``procedure_id``.
        calendar: The working calendar (default: :func:`~procflow.vietnam_calendar`).
        as_of: The screen's instant (default: the end of the latest event's day).
        within_hours: Warn when at most this many working hours remain.
        within_days: Warn when at most this many working days remain.
        share: Warn when at least this share (0-1) of the time is used.
        notes: Add the reasons as text (``note_vi``, ``note_en``); a dashboard that words
            its own from ``kind``, ``due_at`` and ``remaining_hours`` leaves them out.

    Returns:
        One row per alert, columns :data:`ALERT_COLUMNS` (without the notes unless asked),
        by remaining time (least first).

    Raises:
        ValueError: If ``share`` is not between 0 and 1.

    Examples:
        >>> rows = pa.table({"dossier_id": ["A", "B"],
        ...                  "received_at": ["2024-08-29T10:00:00", "2024-09-04T10:00:00"],
        ...                  "time_limit": ["03 ngày làm việc", "03 ngày làm việc"]})
        >>> from procflow import bulk
        >>> found = bulk.alerts(rows, calendar=vietnam_calendar(years=[2024]),
        ...                     as_of=datetime(2024, 9, 6, 10), within_days=1)
        >>> found.select(["dossier_id", "kind", "remaining_hours"]).to_pylist()
        [{'dossier_id': 'A', 'kind': 'overdue', 'remaining_hours': -2.0}]
    """
    from procflow.alerts import ALERT_KINDS, alert_kind, alert_note, alert_window

    if share is not None and not 0 <= share <= 1:
        raise ValueError(f"share must be between 0 and 1, got {share}")
    t = classify(source, procedures=procedures, calendar=calendar, as_of=as_of).table
    outcome = t["outcome"].to_numpy(zero_copy_only=False)
    due_known = pc.is_valid(t["effective_due_at"]).to_numpy(zero_copy_only=False)
    remaining = pc.fill_null(t["remaining_hours"], 0.0).to_numpy(zero_copy_only=False)
    used = t["used_hours"].to_numpy(zero_copy_only=False)
    overdue = outcome == "overdue"
    open_ = ((outcome == "in_time") | overdue) & due_known
    code = alert_kind(
        open_,
        overdue,
        t["clock_stopped"].to_numpy(zero_copy_only=False),
        used,
        remaining,
        alert_window(within_hours, within_days),
        share,
    )
    rows = np.flatnonzero(code > 0)
    rows = rows[np.argsort(remaining[rows], kind="stable")]
    total = used + remaining
    used_share = np.where(total > 0, used / np.where(total > 0, total, 1.0), 1.0)
    picked = t.take(pa.array(rows, type=pa.int64()))
    kinds = [ALERT_KINDS[c] for c in code[rows].tolist()]
    texts = [
        alert_note(kind, due, rest, part)
        for kind, due, rest, part in zip(
            kinds,
            picked["effective_due_at"].to_pylist(),
            remaining[rows].tolist(),
            used_share[rows].tolist(),
            strict=True,
        )
        if kind is not None and notes
    ]
    columns = {
        "dossier_id": picked["dossier_id"],
        "kind": pa.array([str(k) for k in kinds], pa.string()),
        "due_at": picked["effective_due_at"],
        "remaining_hours": pa.array(remaining[rows]),
        "used_share": pa.array(used_share[rows]),
    }
    if notes:
        columns["note_vi"] = pa.array([n.vi for n in texts], pa.string())
        columns["note_en"] = pa.array([n.en for n in texts], pa.string())
    return pa.table(columns)


def _versions(procedures: Procedures, pid: str) -> tuple[Procedure, ...]:
    """Every version of a procedure (a plain mapping has one, in force always)."""
    if procedures is None:
        return ()
    if isinstance(procedures, ProcedureLibrary):
        return procedures.get(pid, ())
    found = procedures.get(pid)
    if found is None:
        return ()
    return (found.model_copy(update={"effective_from": date.min, "effective_to": None}),)


# -- Dask ---------------------------------------------------------------------------------


def classify_dask(
    frame: Any,
    *,
    procedures: Procedures = None,
    calendar: WorkCalendar | None = None,
    as_of: datetime | date,
) -> tuple[Any, Any]:
    """Classify a Dask DataFrame partition by partition (``map_partitions``).

    Each partition is classified by :func:`classify` with the same calendar, procedures
    and ``as_of`` (which must be given: no partition knows the latest event of the
    others); ``index`` counts rows across partitions, as in the single-process result.

    Args:
        frame: A ``dask.dataframe.DataFrame`` in the wide format.
        procedures: The procedure library.
        calendar: The working calendar (default: :func:`~procflow.vietnam_calendar`).
        as_of: The instant to classify at.

    Returns:
        Two Dask DataFrames: the classified rows and the rejected rows.

    Raises:
        InputError: If dask is not installed (``pip install 'procflow[dask]'``).
    """
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - dask needs pandas
        raise InputError("classify_dask needs dask: pip install 'procflow[dask]'") from exc
    cal = calendar or vietnam_calendar()
    sizes = frame.map_partitions(len).compute()
    offsets = np.concatenate([[0], np.cumsum(np.asarray(sizes))[:-1]]).tolist()
    empty = classify(
        pa.table(
            {"dossier_id": pa.array([], pa.string()), "received_at": pa.array([], pa.string())}
        ),
        calendar=cal,
        as_of=as_of,
    )

    def run(part: Any, which: int, partition_info: dict[str, Any] | None = None) -> Any:
        number = 0 if partition_info is None else partition_info["number"]
        source = pa.Table.from_pandas(part, preserve_index=False)
        result = classify(
            source,
            procedures=procedures,
            calendar=cal,
            as_of=as_of,
            index_offset=int(offsets[number]),
        )
        return result[which].to_pandas()

    meta_table = empty.table.to_pandas()
    meta_rejected = empty.rejected.to_pandas()
    assert isinstance(meta_table, pd.DataFrame)
    return (
        frame.map_partitions(run, 0, meta=meta_table),
        frame.map_partitions(run, 1, meta=meta_rejected),
    )
