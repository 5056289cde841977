"""The compiled engine: the rule core in one fused loop over a batch's rows (numba).

With the ``fast`` extra installed (``pip install procflow[fast]``), :func:`classify_rows`
takes the rows the numpy engine (:func:`procflow.bulk.engine._classify_arrays`) would take
and gives the same columns, computing each row once, start to end, with the rule core's
own functions (:mod:`procflow.law.compiled` compiles them from their source): no pass per
branch, no temporary arrays. The numpy engine stays the fallback and the oracle the tests
compare this loop with.

The row loop folds a wide row's one supplement cycle into a stop exactly as the numpy
engine does (the order of the calls is the same; the rules are the core's). It is
compiled once per machine: numba keeps it on disk (``cache=True``), keyed by this file and
by a digest of the rule core's source (:data:`procflow.law.compiled.STAMP`).

numba is imported when this module is, which the engine does on its first batch.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np

from procflow.bulk.columns import _NAT, _OUTCOME_OF_RULE
from procflow.law import compiled as law_compiled
from procflow.law.due import due, period_last
from procflow.law.index import CalendarIndex
from procflow.law.outcome import apology_timely, classify, d766_on_time
from procflow.law.receipt import receive
from procflow.law.stops import cycle, extend, return_at

__all__ = ["classify_rows"]

_INTS = ("due_at", "effective_due_at", "d766_due_at", "returned_at", "rule")
_FLOATS = ("used_hours", "remaining_hours")
_FLAGS = ("clock_stopped", "waiting_for_applicant", "apology", "apology_timely", "d766_on_time")


def _seen(t: int, view: int) -> int:
    """``t`` if it happened by the view, else missing."""
    return t if t != _NAT and t <= view else _NAT


def _clock(
    c: Any,
    view: int,
    rec: int,
    fin: int,
    wd: int,
    req: int,
    srec: int,
    value: float,
    unit: int,
    model: int,
    cutoff: int,
    policy: int,
    window: float,
    return_days: int,
) -> tuple[int, int, int, int, int, int, int, int, int, int, bool, bool, bool, bool]:
    """Run one row's clock: receipt, due, the supplement cycle as a stop, the return."""
    has_req, has_rec = req != _NAT, srec != _NAT
    finished, withdrawn = fin != _NAT, wd != _NAT
    unfinished = not finished and not withdrawn
    end_point = fin if finished else (wd if withdrawn else view)
    first = receive(c, rec, cutoff)
    original_due = due(c, first, value, unit, model)
    start, base_due, base_eff = first.start, original_due, first.eff
    counts = restarts = pauses = no_clock_cycle = False
    if has_req:
        cyc = cycle(
            c, policy, req, has_rec, first.start, original_due, window * 3600, not unfinished
        )
        counts, restarts, pauses = cyc.counts, cyc.restarts, cyc.pauses
        no_clock_cycle = cyc.no_clock
    if restarts:
        again = receive(c, srec, cutoff)
        start, base_eff = again.start, again.eff
        base_due = due(c, again, value, unit, model)
    # The cycle as a stop: paused, or under restart open at the end.
    stop = has_req and pauses
    lo = max(req, start)
    hi = min(srec if has_rec else end_point, end_point)
    open_stop = stop and unfinished and not has_rec
    read_at = min(end_point, lo) if open_stop else end_point
    closed = stop and lo < hi and (has_rec or not unfinished) and lo < read_at
    hi = min(hi, read_at)
    waiting = unfinished and has_req and not has_rec
    effective = base_due
    if closed:
        last = period_last(c, base_eff, max(int(value), 0), unit)
        effective = extend(
            c,
            base_due,
            last,
            lo,
            hi,
            True,
            unit,
            model,
        ).due
    returned_at = _NAT
    if waiting and counts and return_days >= 0:
        back = return_at(c, req, return_days)
        returned_at = back if back <= view else _NAT
    return (
        start,
        original_due,
        effective,
        read_at,
        lo,
        hi,
        returned_at,
        end_point,
        first.start,
        first.eff,
        closed,
        open_stop,
        waiting,
        not (waiting and no_clock_cycle),
    )


def _measure(
    c: Any,
    start: int,
    read_at: int,
    lo: int,
    hi: int,
    closed: bool,
    effective: int,
    due_known: bool,
) -> tuple[float, float]:
    """Working hours used (less the stop not counted) and left to the due date."""
    p_start, p_read = c.position(start), c.position(read_at)
    nc_lo, nc_hi = max(lo, start), min(hi, read_at)
    not_counted = 0.0
    if closed and nc_lo < nc_hi:
        not_counted = (c.position(nc_hi) - c.position(nc_lo)) / 3600
    used = (p_read - p_start) / 3600 - not_counted if read_at > start else 0.0
    remaining = (c.position(effective) - p_read) / 3600 if due_known else np.nan
    return max(used, 0.0), remaining


def _d766_due(
    c: Any,
    req: int,
    srec: int,
    end_point: int,
    start: int,
    eff: int,
    original_due: int,
    value: float,
    unit: int,
    model: int,
) -> int:
    """Decision 766's due date: supplement waiting subtracted from the original due date."""
    d_lo = max(req, start)
    d_hi = min(srec if srec != _NAT else end_point, end_point)
    if req == _NAT or d_lo >= d_hi:
        return original_due
    last = period_last(c, eff, max(int(value), 0), unit)
    moved: int = extend(c, original_due, last, d_lo, d_hi, True, unit, model).due
    return moved


for _helper in (_seen, _clock, _measure, _d766_due):
    numba.extending.register_jitable(**law_compiled.OPTIONS)(_helper)


def _make_loop(stamp: str) -> Any:
    """The fused loop; ``stamp`` (the rule core's digest) is part of its cache key."""

    # Without reference counting (the caller allocates the output): faster to run and to
    # compile, as for the core (procflow.law.compiled.OPTIONS).
    @numba.njit(cache=True, nogil=True, **law_compiled.OPTIONS)  # type: ignore[untyped-decorator]
    def loop(c: Any, view: int, times: Any, rules: Any, outcome_of_rule: Any, out: Any) -> None:
        assert len(stamp) > 0  # the closure that keys the cache to the rule core's source
        rec_t, fin_t, wd_t, req_t, srec_t, apo_t = times
        value, unit, model, cutoff, policy, window, apology_end, return_days = rules
        ints, floats, flags, outcome, fin_out, wd_out = out
        n = len(rec_t)
        for i in range(n):
            rec = rec_t[i]
            fin, wd = _seen(fin_t[i], view), _seen(wd_t[i], view)
            req, srec = _seen(req_t[i], view), _seen(srec_t[i], view)
            apo = _seen(apo_t[i], view)
            (
                start,
                original_due,
                effective,
                read_at,
                lo,
                hi,
                returned_at,
                end_point,
                first_start,
                first_eff,
                closed,
                open_stop,
                waiting,
                due_known,
            ) = _clock(
                c,
                view,
                rec,
                fin,
                wd,
                req,
                srec,
                value[i],
                unit[i],
                model[i],
                cutoff[i],
                policy[i],
                window[i],
                return_days[i],
            )
            finished = fin != _NAT
            rule = classify(
                c, wd != _NAT, finished, returned_at != _NAT, due_known, fin, effective, read_at
            )
            used, remaining = _measure(c, start, read_at, lo, hi, closed, effective, due_known)
            d766_due = _d766_due(
                c,
                req,
                srec,
                end_point,
                first_start,
                first_eff,
                original_due,
                value[i],
                unit[i],
                model[i],
            )
            timely = False
            if apo != _NAT:
                judged = effective if due_known else original_due
                timely = apology_timely(c, apo, judged, apology_end[i])
            ints[0, i] = original_due
            ints[1, i] = effective if due_known else _NAT
            ints[2, i] = d766_due
            ints[3, i] = returned_at
            ints[4, i] = rule
            floats[0, i] = used
            floats[1, i] = remaining
            flags[0, i] = open_stop or not due_known
            flags[1, i] = waiting
            flags[2, i] = apo != _NAT
            flags[3, i] = timely
            flags[4, i] = d766_on_time(finished, fin, d766_due, 1 if req != _NAT else 0)
            outcome[i] = outcome_of_rule[rule]
            fin_out[i] = fin
            wd_out[i] = wd

    return loop


_LOOP = _make_loop(law_compiled.STAMP)

_TIMES_IN = (
    "received_at",
    "finished_at",
    "withdrawn_at",
    "supplement_requested_at",
    "supplement_received_at",
    "apology_issued_at",
)

_RULES_IN = (
    ("value", np.float64),
    ("unit", np.int64),
    ("model", np.int64),
    ("cutoff", np.int64),
    ("policy", np.int64),
    ("window", np.float64),
    ("apology_end", np.bool_),
    ("return_days", np.int64),
)
"""The counting rules the loop reads per row, in its order, with their dtypes."""

_TABLES: dict[int, tuple[CalendarIndex, Any]] = {}
"""The calendars' tables for compiled code, by the identity of their index (built once)."""


def _tables_of(c: CalendarIndex) -> Any:
    known = _TABLES.get(id(c))
    if known is None or known[0] is not c:
        known = (c, law_compiled.tables(c))
        _TABLES[id(c)] = known
    return known[1]


def classify_rows(
    c: CalendarIndex, t: dict[str, np.ndarray], rules: Any, idx: np.ndarray, view: int
) -> dict[str, np.ndarray]:
    """What :func:`procflow.bulk.engine._classify_arrays` gives, by the compiled loop.

    Args:
        c: The calendar (second ticks, numpy tables: ``WorkCalendar.law_arrays``).
        t: The time columns of the rows, local seconds, ``_NAT`` for missing.
        rules: The counting rules of every row of the slice (``_Rules``).
        idx: The rows of the slice these are.
        view: The instant classified at, local seconds.

    Returns:
        The output columns, by name, as the numpy engine gives them.
    """
    times = tuple(np.ascontiguousarray(t[name], dtype=np.int64) for name in _TIMES_IN)
    n = len(times[0])
    ints = np.empty((len(_INTS), n), dtype=np.int64)
    floats = np.empty((len(_FLOATS), n), dtype=np.float64)
    flags = np.empty((len(_FLAGS), n), dtype=np.bool_)
    outcome = np.empty(n, dtype=np.int8)
    fin, wd = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    row_rules = tuple(
        np.ascontiguousarray(getattr(rules, name)[idx], dtype=dtype) for name, dtype in _RULES_IN
    )
    _LOOP(
        _tables_of(c),
        view,
        times,
        row_rules,
        _OUTCOME_OF_RULE.astype(np.int8),
        (ints, floats, flags, outcome, fin, wd),
    )
    out: dict[str, np.ndarray] = {name: ints[k] for k, name in enumerate(_INTS)}
    out.update({name: floats[k] for k, name in enumerate(_FLOATS)})
    out.update({name: flags[k] for k, name in enumerate(_FLAGS)})
    out["used_days"] = floats[0] / (c.length / 3600)
    out["outcome"] = outcome
    out["supplement_requests"] = (t["supplement_requested_at"] != _NAT) & (
        t["supplement_requested_at"] <= view
    )
    out["supplement_requests"] = out["supplement_requests"].astype(np.int64)
    out["d766_known"] = fin != _NAT
    out["finished_at"] = fin
    out["withdrawn_at"] = wd
    out["received_at"] = t["received_at"]
    return out
