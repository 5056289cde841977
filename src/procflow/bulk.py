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
from collections.abc import Callable, Iterator
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
from procflow.errors import InputError, ProcflowError
from procflow.evaluation import Outcome, Procedures, evaluate
from procflow.index766 import on_time_21
from procflow.interchange import WIDE_COLUMNS, Rejected, row_to_dossier
from procflow.parsing import parse_clock
from procflow.procedure import (
    DEFAULT_SUPPLEMENT_WINDOW,
    ApologyDue,
    Procedure,
    ProcedureLibrary,
    SupplementPolicy,
)
from procflow.report import GroupBy, Report, Tally, period_bounds
from procflow.timelimit import CountingModel, TimeLimit, TimeUnit

__all__ = [
    "OUTPUT_COLUMNS",
    "BulkResult",
    "build_report",
    "classify",
    "classify_dask",
    "classify_file",
    "max_event_time",
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
_RULES = [
    "withdrawn",
    "finished_before_due_date",
    "finished_by_due_time",
    "finished_after_due_time",
    "clock_not_running",
    "unfinished_by_due_time",
    "unfinished_past_due_time",
]
# The units the array path counts come first; the rest (clock hours, weeks, months) take
# the per-dossier path, which counts every unit.
_UNITS = [
    TimeUnit.WORKING_DAYS,
    TimeUnit.WORKING_HOURS,
    TimeUnit.CALENDAR_DAYS,
    TimeUnit.SAME_DAY,
    TimeUnit.CLOCK_HOURS,
    TimeUnit.WEEKS,
    TimeUnit.MONTHS,
]
_ARRAY_UNITS = 4
_POLICIES = [SupplementPolicy.RESTART, SupplementPolicy.PAUSE, SupplementPolicy.NONE]

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


def _clock_seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _day_of(seconds: np.ndarray) -> np.ndarray:
    days: np.ndarray = seconds // _DAY
    return days


@dataclass(frozen=True, slots=True)
class _Cal:
    base: int
    n: int
    cum: np.ndarray
    isw: np.ndarray
    work: np.ndarray
    sessions: tuple[tuple[int, int], ...]
    length: int
    open_s: int
    close_s: int
    saturday: tuple[tuple[int, int], ...]
    regular_saturday: np.ndarray

    @classmethod
    def of(cls, cal: WorkCalendar) -> _Cal:
        cum = np.asarray(cal.working_day_counts, dtype=np.int64)
        n = len(cum) - 1
        base = cal.first_ordinal
        ordinals = np.arange(base, base + n)
        weekday = (ordinals + 6) % 7  # date.fromordinal(1) is a Monday (weekday 0)
        isw = np.diff(cum) > 0
        special = {
            info.date.toordinal() - base
            for info in cal.special_days(date(cal.first_year, 1, 1), date(cal.last_year, 12, 31))
        }
        regular_saturday = (weekday == 5) & ~isw
        if special:
            regular_saturday[np.fromiter(special, dtype=np.int64)] = False
        return cls(
            base=base,
            n=n,
            cum=cum,
            isw=isw,
            work=np.asarray(cal.working_ordinals, dtype=np.int64),
            sessions=tuple(cal.session_seconds),
            length=cal.office_hours.day_seconds,
            open_s=_clock_seconds(cal.opening),
            close_s=_clock_seconds(cal.closing),
            saturday=tuple(
                (_clock_seconds(s.start), _clock_seconds(s.end))
                for s in cal.office_hours.saturday_sessions
            ),
            regular_saturday=regular_saturday,
        )

    def offset(self, tod: np.ndarray) -> np.ndarray:
        total = np.zeros_like(tod)
        for s, e in self.sessions:
            total += np.clip(tod - s, 0, e - s)
        return total

    def position(self, t: np.ndarray) -> np.ndarray:
        """Working seconds from the calendar's start to each local instant (seconds)."""
        i = t // _DAY + _EPOCH - self.base
        position: np.ndarray = self.cum[i] * self.length + np.where(
            self.isw[i], self.offset(t % _DAY), 0
        )
        return position

    def time_at_offset(self, rem: np.ndarray) -> np.ndarray:
        out = np.full_like(rem, self.sessions[0][0])
        done = rem <= 0
        before = 0
        for s, e in self.sessions:
            here = ~done & (rem <= before + (e - s))
            out = np.where(here, s + rem - before, out)
            done |= here
            before += e - s
        return np.where(done, out, self.sessions[-1][1])

    def instant(self, p: np.ndarray) -> np.ndarray:
        """Earliest local instant (seconds) at which ``p`` working seconds have passed."""
        k, rem = np.divmod(p, self.length)
        at_end = (rem == 0) & (k > 0)
        k = np.where(at_end, k - 1, k)
        day = self.work[k]
        clock = np.where(at_end, self.close_s, self.time_at_offset(rem))
        return (day - _EPOCH) * _DAY + clock

    def add_days(self, i: np.ndarray, n: np.ndarray) -> np.ndarray:
        """Day index of the n-th working day strictly after day ``i`` (``i`` itself for n = 0)."""
        k = self.cum[i + 1] + n - 1
        return np.where(n > 0, self.work[np.maximum(k, 0)] - self.base, i)

    def next_working(self, i: np.ndarray) -> np.ndarray:
        """Day index of the first working day on or after day ``i``."""
        days: np.ndarray = self.work[self.cum[i]] - self.base
        return days

    def closing(self, i: np.ndarray) -> np.ndarray:
        return (i + self.base - _EPOCH) * _DAY + self.close_s

    def opening(self, i: np.ndarray) -> np.ndarray:
        return (i + self.base - _EPOCH) * _DAY + self.open_s


# -- the rules, in array form -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Receipt:
    eff: np.ndarray  # effective receipt day index
    start: np.ndarray  # effective start instant (seconds), as effective_receipt().start_at


def _receive(cal: _Cal, t: np.ndarray, cutoff: np.ndarray) -> _Receipt:
    """procflow.deadline._receive, for arrays (``cutoff`` -1 for none)."""
    i = t // _DAY + _EPOCH - cal.base
    tod = t % _DAY
    working = cal.isw[i]
    after = working & ((tod > cal.close_s) | ((cutoff >= 0) & (tod > cutoff)))
    before = working & ~after & (tod < cal.open_s)
    saturday = np.zeros_like(working)
    if cal.saturday:
        inside = np.zeros_like(working)
        for s, e in cal.saturday:
            inside |= (tod >= s) & (tod <= e)
        saturday = ~working & cal.regular_saturday[i] & inside & ((cutoff < 0) | (tod <= cutoff))
    next_after = cal.work[np.minimum(cal.cum[i + 1], len(cal.work) - 1)] - cal.base
    next_on = cal.next_working(i)
    eff = np.where(
        working & ~after, i, np.where(working, next_after, np.where(saturday, i, next_on))
    )
    start = np.where(
        working & ~after & ~before,
        t,
        np.where(before, cal.opening(i), cal.opening(cal.next_working(eff + saturday))),
    )
    return _Receipt(eff=eff, start=start)


def _due(
    cal: _Cal, r: _Receipt, value: np.ndarray, unit: np.ndarray, hour: np.ndarray
) -> np.ndarray:
    """procflow.deadline._due_local, for arrays: the due instant (seconds)."""
    whole = np.maximum(value.astype(np.int64), 0)
    day_wd = cal.add_days(r.eff, np.where(unit == 0, whole, 0))
    day_sd = cal.next_working(r.eff)
    day_cd = cal.next_working(r.eff + np.where(unit == 2, whole, 0))
    day = np.where(unit == 0, day_wd, np.where(unit == 3, day_sd, day_cd))
    hours = np.where(unit == 1, value, value * (cal.length / 3600))
    target = cal.position(r.start) + np.round(hours * 3600).astype(np.int64)
    by_hour = cal.instant(np.where(hour, target, 0))
    return np.where(hour, by_hour, cal.closing(day))


def _extend(
    cal: _Cal,
    due: np.ndarray,
    eff: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    has: np.ndarray,
    value: np.ndarray,
    unit: np.ndarray,
    hour: np.ndarray,
) -> np.ndarray:
    """procflow.evaluation._extend with at most one stop ``[lo, hi]`` per row (``has``)."""
    active = has & (lo < due)
    safe = cal.opening(np.zeros_like(due))  # a valid instant for rows without a stop
    lo = np.where(active, lo, safe)
    hi = np.where(active, hi, safe)
    # Hour model: add the working seconds of the stop.
    moved = cal.position(hi) - cal.position(lo)
    by_hour = np.where(
        moved > 0, cal.instant(cal.position(np.where(active, due, safe)) + moved), due
    )
    # Day model: the working days in (first, restart], restart per the receipt rules.
    first = lo // _DAY + _EPOCH - cal.base
    first = np.where((lo % _DAY < cal.open_s) & (first > 0), first - 1, first)
    restart = _receive(cal, hi, np.full_like(hi, -1)).eff
    days = np.maximum(cal.cum[restart + 1] - cal.cum[first + 1], 0)
    due_day = due // _DAY + _EPOCH - cal.base
    by_days = np.where(days > 0, cal.closing(cal.add_days(due_day, days)), due)
    last = eff + np.maximum(value.astype(np.int64), 0) + np.maximum(restart - first, 0)
    by_calendar = cal.closing(cal.next_working(np.where(active, last, 0)))
    out = np.where(hour, by_hour, np.where(unit == 2, by_calendar, by_days))
    return np.where(active, out, due)


# -- reading the source ---------------------------------------------------------------------


def _to_table(source: Any) -> pa.Table:
    if isinstance(source, pa.Table):
        return source
    if isinstance(source, pa.RecordBatch):
        return pa.Table.from_batches([source])
    if isinstance(source, str | Path):
        path = Path(source)
        if path.suffix.lower() == ".parquet":
            return pq.read_table(path)
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


@dataclass(frozen=True, slots=True)
class _Rules:
    value: np.ndarray
    unit: np.ndarray
    cutoff: np.ndarray
    hour: np.ndarray
    policy: np.ndarray
    window: np.ndarray
    bad: np.ndarray


def _rule_of(
    limit: TimeLimit,
    cut: time | None,
    model: CountingModel | None,
    pol: SupplementPolicy,
    window: float | None = DEFAULT_SUPPLEMENT_WINDOW,
) -> tuple[float, int, int, bool, int, float]:
    chosen = limit.default_model if model is None else model
    cut_s = -1 if cut is None else cut.hour * 3600 + cut.minute * 60 + cut.second
    return (
        limit.value,
        _UNITS.index(limit.unit),
        cut_s,
        chosen is CountingModel.HOUR,
        _POLICIES.index(pol),
        np.inf if window is None else window,
    )


def _inline_rule(key: str) -> tuple[float, int, int, bool, int, float] | None:
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


def _rules(codes: Codes, received: np.ndarray, procedures: Procedures) -> _Rules:
    """Counting rules per row, by procedure version or inline text; ``bad`` rows go scalar.

    Each distinct text or procedure is read once (dictionary encoding), then spread.
    """
    n = len(received)
    value = np.zeros(n)
    unit = np.zeros(n, dtype=np.int8)
    cutoff = np.full(n, -1, dtype=np.int64)
    hour = np.zeros(n, dtype=bool)
    policy = np.zeros(n, dtype=np.int8)
    window = np.full(n, np.inf)
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
    fill = [r if r is not None else (0.0, 0, -1, False, 0, np.inf) for r in table_rules]
    if fill:
        cols = list(zip(*fill, strict=True))
        value = np.where(inline, np.asarray(cols[0], dtype=float)[key_codes], value)
        unit = np.where(inline, np.asarray(cols[1], dtype=np.int8)[key_codes], unit)
        cutoff = np.where(inline, np.asarray(cols[2], dtype=np.int64)[key_codes], cutoff)
        hour = np.where(inline, np.asarray(cols[3], dtype=bool)[key_codes], hour)
        policy = np.where(inline, np.asarray(cols[4], dtype=np.int8)[key_codes], policy)
        window = np.where(inline, np.asarray(cols[5], dtype=float)[key_codes], window)
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
        slots: list[tuple[float, int, int, bool, int, float]] = []
        for code, name in enumerate(pids):
            if name == "":
                continue
            if isinstance(procedures, ProcedureLibrary):
                versions: tuple[Procedure, ...] = procedures.get(name, ())
            else:
                found = procedures.get(name)
                versions = () if found is None else (found,)
            if not versions:
                continue
            mask = pid_codes == code
            for p in versions:
                here = mask
                if isinstance(procedures, ProcedureLibrary):
                    lo = p.effective_from.toordinal() - _EPOCH
                    hi = (
                        p.effective_to.toordinal() - _EPOCH
                        if p.effective_to
                        else np.iinfo(np.int64).max
                    )
                    here = mask & (day >= lo) & (day <= hi)
                if p.rules.apology_due is not ApologyDue.DAY_BEFORE or p.rules.cutoff_channels:
                    # The array path judges apologies one working day before and applies
                    # a cut-off to every channel: the rest take the per-dossier path.
                    bad |= here
                    continue
                slot[here] = len(slots)
                slots.append(
                    _rule_of(
                        p.time_limit,
                        p.rules.cutoff,
                        p.rules.model,
                        p.rules.supplement_policy,
                        p.rules.supplement_window,
                    )
                )
        named = ~inline & ~bad
        bad |= named & (slot < 0)
        if slots:
            cols = list(zip(*slots, strict=True))
            use = named & (slot >= 0)
            pick = np.maximum(slot, 0)
            value = np.where(use, np.asarray(cols[0], dtype=float)[pick], value)
            unit = np.where(use, np.asarray(cols[1], dtype=np.int8)[pick], unit)
            cutoff = np.where(use, np.asarray(cols[2], dtype=np.int64)[pick], cutoff)
            hour = np.where(use, np.asarray(cols[3], dtype=bool)[pick], hour)
            policy = np.where(use, np.asarray(cols[4], dtype=np.int8)[pick], policy)
            window = np.where(use, np.asarray(cols[5], dtype=float)[pick], window)
    bad |= unit >= _ARRAY_UNITS
    return _Rules(value, unit, cutoff, hour, policy, window, bad)


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
    c = _Cal.of(cal)
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
    c: _Cal,
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
    # Room at the end of the calendar for the longest shift of these rows.
    horizon = np.where(
        rules.unit == 2, rules.value, np.where(rules.unit == 1, rules.value / 8, rules.value)
    )
    room = (
        (c.cum[-1] - c.cum[np.clip(rec // _DAY + _EPOCH - c.base, 0, c.n)]) - 2 * (horizon + 1) - 60
    )
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


def _classify_arrays(
    c: _Cal, t: dict[str, np.ndarray], rules: _Rules, idx: np.ndarray, view: int
) -> dict[str, np.ndarray]:
    value, unit, hour = rules.value[idx], rules.unit[idx], rules.hour[idx]
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

    first = _receive(c, rec, cutoff)
    original_due = _due(c, first, value, unit, hour)
    # A request at or after the due date moves nothing (procflow.evaluation.evaluate).
    req_ok = has_req & (req < original_due)
    # Decree 297/2025 Art. 6(4)(a): under restart, a request after the window is a pause.
    late_req = (req > first.start) & (
        c.position(np.where(has_req, req, first.start)) - c.position(first.start)
        > rules.window[idx] * 3600
    )
    in_win = ~((policy == 0) & late_req)
    restart = (policy == 0) & has_rec & req_ok & in_win
    base_t = np.where(restart, srec, rec)
    base = _receive(c, base_t, cutoff)
    base_due = np.where(restart, _due(c, base, value, unit, hour), original_due)
    start = base.start

    # The one supplement cycle as a stop: paused, or under restart open at the end.
    pause = ((policy == 1) | ~in_win) & req_ok
    open_end = (policy == 0) & in_win & req_ok & ~has_rec & ~unfinished
    stop = pause | open_end
    lo = np.maximum(req, start)
    hi = np.minimum(np.where(has_rec, srec, end_point), end_point)
    closed = stop & (lo < hi) & (has_rec | ~unfinished)
    open_stop = stop & unfinished & ~has_rec
    read_at = np.where(open_stop, np.minimum(end_point, lo), end_point)
    closed &= lo < read_at
    hi = np.minimum(hi, read_at)
    waiting = unfinished & has_req & ~has_rec
    no_clock = waiting & req_ok & in_win & (policy == 0)
    effective = _extend(c, base_due, base.eff, lo, hi, closed, value, unit, hour)
    due_known = ~no_clock

    # Classification: first match (procflow.evaluation.RULES); the last rule is the default.
    conditions = [
        withdrawn,
        finished & due_known & (_day_of(fin) < _day_of(effective)),
        finished & due_known & (fin <= effective),
        finished,
        ~due_known,
        read_at <= effective,
    ]
    rule = np.full(len(rec), len(conditions), dtype=np.int64)
    for number in reversed(range(len(conditions))):
        rule = np.where(conditions[number], number, rule)
    outcome_of_rule = np.array([5, 0, 1, 2, 3, 3, 4])  # index into _OUTCOMES
    outcome = outcome_of_rule[rule]

    pos = c.position
    nc_lo = np.maximum(lo, start)
    nc_hi = np.minimum(hi, read_at)
    nc_has = closed & (nc_lo < nc_hi)
    not_counted = np.where(
        nc_has,
        (pos(np.where(nc_has, nc_hi, start)) - pos(np.where(nc_has, nc_lo, start))) / 3600,
        0.0,
    )
    used = np.where(read_at > start, (pos(read_at) - pos(start)) / 3600 - not_counted, 0.0)
    used = np.maximum(used, 0.0)
    remaining = np.where(due_known, (pos(effective) - pos(read_at)) / 3600, np.nan)

    # Decision 766: supplement waiting subtracted from the original due date.
    d_lo = np.maximum(req, first.start)
    d_hi = np.minimum(np.where(has_rec, srec, end_point), end_point)
    d_has = has_req & (d_lo < d_hi)
    d766_due = _extend(c, original_due, first.eff, d_lo, d_hi, d_has, value, unit, hour)
    n_sup = has_req.astype(np.int64)
    d766 = np.where(finished, (fin <= d766_due) & (n_sup <= 1), False)

    apo = np.where(seen["apology_issued_at"], t["apology_issued_at"], _NAT)
    has_apo = apo != _NAT
    judged = np.where(due_known, effective, original_due)
    # The working day before the due date (an apology must come by then).
    deadline = c.work[np.maximum(c.cum[_day_of(judged) + _EPOCH - c.base] - 1, 0)] - c.base
    timely = has_apo & (_day_of(apo) + _EPOCH - c.base <= deadline)
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
    }


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


def _batches(path: Path, batch_size: int) -> tuple[Iterator[pa.RecordBatch], int | None]:
    if path.suffix.lower() == ".parquet":
        parquet = pq.ParquetFile(path)
        return parquet.iter_batches(batch_size=batch_size), parquet.metadata.num_rows
    read, convert = _csv_options(path)
    read = pacsv.ReadOptions(encoding="utf8", block_size=max(1 << 20, batch_size * 256))
    reader = pacsv.open_csv(path, read_options=read, convert_options=convert)
    return iter(reader), None


def classify_file(
    path: str | Path,
    out: str | Path,
    *,
    procedures: Procedures = None,
    calendar: WorkCalendar | None = None,
    as_of: datetime | date | None = None,
    batch_size: int = 262_144,
    progress: Callable[[int], None] | None = None,
) -> tuple[int, int, Path]:
    """Classify a file larger than memory, batch by batch, into a Parquet file.

    The rejected rows go to ``OUT.rejected.parquet`` beside ``out``.

    Args:
        path: The CSV or Parquet source, wide format.
        out: The Parquet file to write.
        procedures: The procedure library.
        calendar: The working calendar (default: :func:`~procflow.vietnam_calendar`).
        as_of: The instant to classify at. Default: the end of the day of the latest
            event in the file (one extra pass over its time columns).
        batch_size: Rows per batch.
        progress: Called with the number of rows done after each batch.

    Returns:
        Rows classified, rows rejected, and the path of the rejected rows' file.

    Raises:
        InputError: If the source cannot be read.
    """
    source, target = Path(path), Path(out)
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
    rejected_path = target.with_suffix(".rejected.parquet")
    target.parent.mkdir(parents=True, exist_ok=True)
    done = classified = rejected = 0
    writer = bad_writer = None
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
            if writer is None:
                writer = pq.ParquetWriter(target, result.table.schema)
                bad_writer = pq.ParquetWriter(rejected_path, result.rejected.schema)
            writer.write_table(result.table)
            assert bad_writer is not None
            bad_writer.write_table(result.rejected)
            done += batch.num_rows
            classified += result.table.num_rows
            rejected += result.rejected.num_rows
            if progress is not None:
                progress(done)
    finally:
        if writer is not None:
            writer.close()
        if bad_writer is not None:
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
) -> Report:
    """The period report of :func:`procflow.build_report`, computed on the columnar engine.

    Gives the same :class:`~procflow.Report` as the per-dossier path on the same rows
    (tested), from a wide-format source (table, DataFrame or path).

    Args:
        source: The dossiers, wide format.
        procedures: The procedure library, or None for inline rules.
        calendar: The working calendar.
        start: First day of the period.
        end: Last day of the period, or the moment it ends.
        by: Group rows by ``"field"``, ``"procedure"``, ``"office"``, ``"agency"`` or
            ``"channel"``.

    Returns:
        The report.

    Raises:
        InputError: If ``start`` or ``end`` has the wrong type or ``end`` is before
            ``start`` (naming the value).
    """
    start, as_of = period_bounds(start, end)
    group = GroupBy(by) if by is not None else None
    table = _to_table(source)
    result = classify(
        table,
        procedures=procedures,
        calendar=calendar,
        as_of=as_of,
        received_after_as_of="skip",
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
        "d766_counted": counted,
        "d766_on_time": counted & _on_time_21(t, as_of),
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
    total = Tally()
    for tally in tallies.values():
        total.merge(tally)
    rejected = tuple(
        Rejected(row=r["row"], dossier_id=r["dossier_id"], reason=r["reason"])
        for r in result.rejected.to_pylist()
    )
    return Report(
        period_start=start,
        period_end=as_of.date(),
        period_end_at=as_of,
        by=group,
        rows=tuple(tallies[k].row(k) for k in sorted(tallies)) if group is not None else (),
        total=total.row("total"),
        dossiers=table.num_rows,
        rejected=rejected,
    )


def _on_time_21(t: pa.Table, as_of: datetime) -> np.ndarray:
    """Decision 766 indicator 2.1's numerator per classified row (procflow.index766).

    The count ends at the finish, else the withdrawal, else the period end. A lone open
    supplement request requested in time ends it earlier in :func:`~procflow.index766.status_21`,
    but the Decision 766 due date then moves by the whole wait, so the result is the same.
    """

    def seconds(name: str) -> np.ndarray:
        whole = pc.cast(pc.cast(t[name], pa.timestamp("s")), pa.int64())
        values: np.ndarray = pc.fill_null(whole, _NAT).to_numpy(zero_copy_only=False)
        return values

    fin, wd = seconds("finished_at"), seconds("withdrawn_at")
    end = np.where(fin != _NAT, fin, np.where(wd != _NAT, wd, _seconds_of(as_of)))
    requests = t["supplement_requests"].to_numpy(zero_copy_only=False)
    return on_time_21(end, seconds("d766_due_at"), requests)


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
