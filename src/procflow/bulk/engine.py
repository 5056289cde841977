"""The classification proper: the entry point, slices, and the law calls in array form."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from procflow.bulk.assemble import _assemble, _scalar
from procflow.bulk.columns import (
    _DAY,
    _EPOCH,
    _EVENT_COLUMNS,
    _NAT,
    _OUTCOME_OF_RULE,
    _TIME_COLUMNS,
    BulkResult,
)
from procflow.bulk.reading import _CODED, Codes, _codes, _seconds, _text_column, _to_table
from procflow.bulk.rules import _Rules, _rules
from procflow.bulk.selection import Engine, RowsEngine, rows_engine
from procflow.calendar import WorkCalendar, to_local, vietnam_calendar
from procflow.errors import InputError
from procflow.evaluation import Procedures
from procflow.interchange import (
    Duplicates,
    duplicate_reasons,
    record_lines,
)
from procflow.law import outcome as law_outcome
from procflow.law.due import due as law_due
from procflow.law.due import period_last
from procflow.law.index import CalendarIndex
from procflow.law.outcome import apology_timely, d766_on_time
from procflow.law.receipt import Receipt, receive
from procflow.law.stops import cycle, extend, return_at

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
    duplicates: Duplicates | Mapping[int, str] = "refuse",
    engine: Engine = "auto",
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
        duplicates: Rows sharing a dossier id: ``"refuse"`` (default) rejects them all,
            ``"last"`` keeps the last (:func:`procflow.interchange.duplicate_reasons`);
            or the reasons already found for this batch's indexes (by :func:`classify_file`,
            over the whole file).
        engine: ``"auto"`` (default: the numpy engine, the faster one as measured, unless
            ``PROCFLOW_ENGINE`` says otherwise), ``"compiled"`` or ``"numpy"``; both give
            the same result (:mod:`procflow.bulk.selection`, ``docs/performance.md``).

    Returns:
        The classified rows and the rejected rows; together, every row of the source.

    Raises:
        InputError: If the source cannot be read or lacks ``dossier_id`` or ``received_at``,
            or the engine is unknown (or ``"compiled"`` without numba).

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
    rows = rows_engine(engine)
    table = _to_table(source)
    missing = [c for c in ("dossier_id", "received_at") if c not in table.column_names]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)} for the wide format")
    lines = None
    if isinstance(source, str | Path) and Path(source).suffix.lower() != ".parquet":
        lines = record_lines(source, table.num_rows)
    repeated = (
        dict(duplicates)
        if isinstance(duplicates, Mapping)
        else _duplicates_of(table["dossier_id"], duplicates, index_offset, lines)
    )
    result = _classify_table(
        table, procedures, calendar, as_of, index_offset, received_after_as_of, rows
    )
    return _renumber(_reject_rows(result, repeated), lines)


def _renumber(result: BulkResult, lines: list[int] | None) -> BulkResult:
    """Rejected rows numbered by the file's lines (see :func:`record_lines`)."""
    if lines is None or result.rejected.num_rows == 0:
        return result
    rejected = result.rejected
    rows = pa.array([lines[i] for i in rejected["index"].to_pylist()], pa.int64())
    return BulkResult(result.table, rejected.set_column(1, "row", rows))


def _duplicates_of(
    column: pa.ChunkedArray, keep: Duplicates, offset: int = 0, lines: list[int] | None = None
) -> dict[int, str]:
    """Index to reason for the rows a repeated dossier id rejects (few ids go to Python)."""
    ids = pc.fill_null(pc.utf8_trim_whitespace(pc.cast(column, pa.string())), "").combine_chunks()
    # Sorted, a repeated id sits next to itself: cheaper than counting a million ids by hash.
    ordered = ids.take(pc.sort_indices(ids))
    after, before = ordered.slice(1), ordered.slice(0, max(len(ordered) - 1, 0))
    same = pc.and_(pc.equal(after, before), pc.not_equal(after, ""))
    repeated = pc.unique(pc.filter(after, same))
    if len(repeated) == 0:
        return duplicate_reasons([], [], keep)
    where = np.flatnonzero(pc.is_in(ids, value_set=repeated).to_numpy(zero_copy_only=False))
    reasons = duplicate_reasons(
        ids.take(pa.array(where)).to_pylist(),
        [lines[int(i) + offset] if lines else int(i) + offset + 2 for i in where],
        keep,
    )
    return {int(where[k]) + offset: reason for k, reason in reasons.items()}


def _reject_rows(result: BulkResult, reasons: dict[int, str]) -> BulkResult:
    """Move the classified rows whose index has a reason into the rejected rows."""
    if not reasons:
        return result
    table = result.table
    moved = pc.is_in(table["index"], value_set=pa.array(list(reasons), pa.int64()))
    gone = table.filter(moved)
    extra = pa.table(
        {
            "index": gone["index"],
            "row": pc.add(gone["index"], 2),
            "dossier_id": pc.cast(gone["dossier_id"], pa.string()),
            "reason": pa.array([reasons[i] for i in gone["index"].to_pylist()], pa.string()),
        }
    )
    rejected = pa.concat_tables([result.rejected, extra.cast(result.rejected.schema)])
    return BulkResult(table.filter(pc.invert(moved)), rejected.sort_by([("index", "ascending")]))


def _classify_table(
    table: pa.Table,
    procedures: Procedures,
    calendar: WorkCalendar | None,
    as_of: datetime | date | None,
    index_offset: int,
    received_after_as_of: Literal["reject", "skip"],
    rows: RowsEngine | None = None,
) -> BulkResult:
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
            rows or _classify_arrays,
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
    rows: RowsEngine | None = None,
) -> BulkResult:
    from procflow.bulk.columns import _reads_as_level
    from procflow.bulk.supplement import _outside_window

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
    # A service level the reader does not know: the per-dossier path rejects the row, naming it.
    level_codes, levels = _codes(table, "service_level")
    odd |= np.asarray([not _reads_as_level(v) for v in levels], dtype=bool)[level_codes]
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
    out = (rows or _classify_arrays)(c, {k: v[idx] for k, v in times.items()}, rules, idx, view)
    out = {
        **out,
        # The findings' inputs: the first new date promised, a request after its window.
        "apology_new_due_at": np.where(out["apology"], new_due[idx], _NAT),
        "request_outside_window": _outside_window(c, times, rules, idx, out["due_at"], view),
    }
    skip = received_after_as_of == "skip"
    scalar = _scalar(table, np.flatnonzero(odd & ~late), procedures, cal, as_of_dt, skip)
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
