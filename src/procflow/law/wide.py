"""One wide row: a dossier as a table row carries it, judged start to end.

A wide-format row (docs/formats.md) holds a receipt, at most one supplement request and
its receipt, a finish or a withdrawal, and an apology. :func:`judge` runs the whole rule
core on it, in the order :func:`procflow.evaluate` runs it on an event log:

1. effective receipt and the original due date (:mod:`~procflow.law.receipt`,
   :mod:`~procflow.law.due`);
2. the supplement request (:func:`~procflow.law.stops.cycle`): under ``restart`` the count
   starts again from the supplement's receipt, a paused wait is a stop, an open wait under
   ``restart`` has no due date, an unanswered request past the return window returns it;
3. the stop moves the due date (:func:`~procflow.law.stops.extend`); while it is open the
   dossier is read as of the moment its clock stopped;
4. the first-match outcome (:func:`~procflow.law.outcome.classify`);
5. the working hours used and left (:func:`time_used`), Decision 766's due date with the
   supplement waiting subtracted (:func:`d766_due`), the apology's timeliness.

Every engine of the columnar path runs this one source: the numpy engine
(:mod:`procflow.bulk.engine`) on arrays, computing each branch only on the rows that take
it (:func:`~procflow.law.ops.rows`), and the compiled engine (:mod:`procflow.bulk.compiled`)
row by row. Instants are ticks; a missing one is :data:`~procflow.law.codes.MISSING`.
An event log with several supplement cycles or other waits is folded by the per-dossier
path, which calls the same :func:`~procflow.law.stops.cycle`,
:func:`~procflow.law.stops.wait` and :func:`~procflow.law.stops.extend` once per cycle.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from procflow.law.codes import MISSING
from procflow.law.due import due, period_last
from procflow.law.index import CalendarIndex
from procflow.law.ops import (
    Vec,
    full,
    maximum,
    minimum,
    not_,
    pick,
    put,
    rows,
    some,
    to_int,
    where,
)
from procflow.law.outcome import apology_timely, classify, d766_on_time
from procflow.law.receipt import receive
from procflow.law.stops import cycle, extend, return_at, wait

__all__ = ["Clock", "Judged", "clock", "d766_due", "judge", "seen", "time_used"]


def seen(t: Vec, view: Vec) -> Vec:
    """``t`` if it happened by the view, else missing (later events are not known yet)."""
    return where((t != MISSING) & (t <= view), t, MISSING)


def _moved(
    ix: CalendarIndex,
    due_at: Vec,
    eff: Vec,
    lo: Vec,
    hi: Vec,
    moves: Vec,
    value: Vec,
    unit: Vec,
    model: Vec,
) -> Vec:
    """``due_at`` moved by the stop ``[lo, hi]`` where ``moves`` (on those rows only)."""
    k = rows(moves)
    if not some(k):
        return due_at
    unit_k = pick(unit, k)
    last = period_last(ix, pick(eff, k), maximum(to_int(pick(value, k)), 0), unit_k)
    moved = extend(
        ix, pick(due_at, k), last, pick(lo, k), pick(hi, k), True, unit_k, pick(model, k)
    )
    return put(due_at, k, moved.due)


class Clock(NamedTuple):
    """Where one wide row's clock stands at the view (:func:`clock`).

    Attributes:
        start: The effective start of the count in force (after a restart, the
            supplement's receipt).
        original_due: The due instant counted from the receipt.
        effective: The due instant in force, moved by the stop (any value if not known).
        read_at: The instant the dossier is judged at: the end point, or when its clock
            stopped while a paused wait is open.
        lo: The stop's start within the count.
        hi: The stop's end within the count.
        returned_at: When it was returned for want of the supplement, or missing.
        end_point: The finish, the withdrawal or the view.
        first_start: The effective start counted from the receipt.
        first_eff: The effective receipt day (day index).
        closed: The stop is closed and not counted.
        open_stop: A paused wait is still open.
        waiting: Still waiting for the applicant's supplement.
        due_known: The clock runs (not waiting under ``restart``).
        outside: Under ``restart``, the request came after its window: it only pauses.
    """

    start: Vec
    original_due: Vec
    effective: Vec
    read_at: Vec
    lo: Vec
    hi: Vec
    returned_at: Vec
    end_point: Vec
    first_start: Vec
    first_eff: Vec
    closed: Vec
    open_stop: Vec
    waiting: Vec
    due_known: Vec
    outside: Vec


def clock(
    ix: CalendarIndex,
    view: Vec,
    received: Vec,
    finished: Vec,
    withdrawn: Vec,
    requested: Vec,
    supplied: Vec,
    value: Vec,
    unit: Vec,
    model: Vec,
    cutoff: Vec,
    policy: Vec,
    window: Vec,
    return_days: Vec,
) -> Clock:
    """Run one wide row's clock: receipt, due, the supplement cycle as a stop, the return.

    Args:
        ix: The calendar.
        view: The instant judged at (ticks).
        received: The receipt (ticks).
        finished: The finish, or missing (events after the view already removed).
        withdrawn: The withdrawal, or missing.
        requested: The supplement request, or missing.
        supplied: The supplement's receipt, or missing.
        value: The limit's value.
        unit: The limit's unit code.
        model: The counting model code.
        cutoff: The receipt cut-off (seconds after midnight, -1 for none).
        policy: The supplement policy code.
        window: The restart window in working hours (``inf`` for none).
        return_days: Working days before an unanswered request returns it (-1: never).
    """
    has_req, has_rec = requested != MISSING, supplied != MISSING
    unfinished = not_(finished != MISSING) & not_(withdrawn != MISSING)
    end_point = where(finished != MISSING, finished, where(withdrawn != MISSING, withdrawn, view))
    first = receive(ix, received, cutoff)
    original_due = due(ix, first, value, unit, model)
    no = full(received, False)
    counts, restarts, pauses, no_clock, outside = no, no, no, no, no
    s = rows(has_req)
    if some(s):
        cyc = cycle(
            ix,
            pick(policy, s),
            pick(requested, s),
            pick(has_rec, s),
            pick(first.start, s),
            pick(original_due, s),
            pick(window, s) * 3600 * ix.tick,
            not_(pick(unfinished, s)),
        )
        counts, restarts = put(no, s, cyc.counts), put(no, s, cyc.restarts)
        pauses, no_clock = put(no, s, cyc.pauses), put(no, s, cyc.no_clock)
        outside = put(no, s, cyc.outside)
    start, base_eff, base_due = first.start, first.eff, original_due
    r = rows(restarts)
    if some(r):
        again = receive(ix, pick(supplied, r), pick(cutoff, r))
        start, base_eff = put(start, r, again.start), put(base_eff, r, again.eff)
        base_due = put(base_due, r, due(ix, again, pick(value, r), pick(unit, r), pick(model, r)))
    # The cycle as a stop: paused, or under restart open at the end.
    stop = has_req & pauses
    w = wait(requested, supplied, start, end_point, unfinished)
    lo, open_stop = w.lo, stop & w.open
    read_at = where(open_stop, minimum(end_point, lo), end_point)
    closed = stop & w.closed & (lo < read_at)
    hi = minimum(w.hi, read_at)
    waiting = unfinished & has_req & not_(has_rec)
    effective = _moved(ix, base_due, base_eff, lo, hi, closed, value, unit, model)
    returned_at = full(received, MISSING)
    w = rows(waiting & counts & (return_days >= 0))
    if some(w):
        back = return_at(ix, pick(requested, w), pick(return_days, w))
        returned_at = put(returned_at, w, where(back <= view, back, MISSING))
    return Clock(
        start=start,
        original_due=original_due,
        effective=effective,
        read_at=read_at,
        lo=lo,
        hi=hi,
        returned_at=returned_at,
        end_point=end_point,
        first_start=first.start,
        first_eff=first.eff,
        closed=closed,
        open_stop=open_stop,
        waiting=waiting,
        due_known=not_(waiting & no_clock),
        outside=outside,
    )


def time_used(ix: CalendarIndex, k: Clock) -> tuple[Vec, Vec]:
    """Working hours used (less the stop not counted) and left to the due date.

    Hours left are NaN where the due date is not known.
    """
    hour = 3600 * ix.tick
    p_start, p_read = ix.position(k.start), ix.position(k.read_at)
    nc_lo, nc_hi = maximum(k.lo, k.start), minimum(k.hi, k.read_at)
    not_counted = full(k.start, 0.0)
    m = rows(k.closed & (nc_lo < nc_hi))
    if some(m):
        stopped = ix.position(pick(nc_hi, m)) - ix.position(pick(nc_lo, m))
        not_counted = put(not_counted, m, stopped / hour)
    used = where(k.read_at > k.start, (p_read - p_start) / hour - not_counted, 0.0)
    remaining = where(k.due_known, (ix.position(k.effective) - p_read) / hour, math.nan)
    return maximum(used, 0.0), remaining


def d766_due(
    ix: CalendarIndex,
    k: Clock,
    requested: Vec,
    supplied: Vec,
    value: Vec,
    unit: Vec,
    model: Vec,
) -> Vec:
    """Decision 766's due date: supplement waiting subtracted from the original due date."""
    w = wait(requested, supplied, k.first_start, k.end_point, False)
    moves = (requested != MISSING) & (w.lo < w.hi)
    return _moved(ix, k.original_due, k.first_eff, w.lo, w.hi, moves, value, unit, model)


class Judged(NamedTuple):
    """One wide row judged at the view (:func:`judge`): the engines' output columns.

    Attributes:
        due_at: The original due instant.
        effective_due_at: The due instant in force, or missing while the clock is off.
        d766_due_at: Decision 766's due instant.
        returned_at: When it was returned for want of a supplement, or missing.
        rule: The index into :data:`~procflow.law.outcome.RULES` of the outcome's rule.
        used_hours: Working hours used.
        remaining_hours: Working hours left to the due date (NaN if not known).
        clock_stopped: The clock does not run (an open paused wait, or no due date).
        waiting: Waiting for the applicant's supplement.
        apology: An apology was issued.
        apology_timely: It was issued in time.
        d766_on_time: Decision 766's on-time indicator (finished rows).
        request_outside_window: Under ``restart``, the supplement request came after the
            window after receipt (a compliance finding).
    """

    due_at: Vec
    effective_due_at: Vec
    d766_due_at: Vec
    returned_at: Vec
    rule: Vec
    used_hours: Vec
    remaining_hours: Vec
    clock_stopped: Vec
    waiting: Vec
    apology: Vec
    apology_timely: Vec
    d766_on_time: Vec
    request_outside_window: Vec


def judge(
    ix: CalendarIndex,
    view: Vec,
    received: Vec,
    finished: Vec,
    withdrawn: Vec,
    requested: Vec,
    supplied: Vec,
    apologised: Vec,
    value: Vec,
    unit: Vec,
    model: Vec,
    cutoff: Vec,
    policy: Vec,
    window: Vec,
    return_days: Vec,
    at_limit_end: Vec,
) -> Judged:
    """Judge one wide row (or a batch of them) at ``view``: the module docstring's steps.

    The instants after the view must already be missing (:func:`seen`); the arguments are
    those of :func:`clock`, with ``apologised`` the apology's issue (or missing) and
    ``at_limit_end`` whether the procedure allows an apology until the due time.
    """
    k = clock(
        ix,
        view,
        received,
        finished,
        withdrawn,
        requested,
        supplied,
        value,
        unit,
        model,
        cutoff,
        policy,
        window,
        return_days,
    )
    is_finished = finished != MISSING
    rule = classify(
        ix,
        withdrawn != MISSING,
        is_finished,
        k.returned_at != MISSING,
        k.due_known,
        finished,
        k.effective,
        k.read_at,
    )
    used, remaining = time_used(ix, k)
    d766 = d766_due(ix, k, requested, supplied, value, unit, model)
    has_apology = apologised != MISSING
    timely = full(received, False)
    a = rows(has_apology)
    if some(a):
        judged = where(pick(k.due_known, a), pick(k.effective, a), pick(k.original_due, a))
        timely = put(
            timely, a, apology_timely(ix, pick(apologised, a), judged, pick(at_limit_end, a))
        )
    requests = where(requested != MISSING, 1, 0)
    return Judged(
        due_at=k.original_due,
        effective_due_at=where(k.due_known, k.effective, MISSING),
        d766_due_at=d766,
        returned_at=k.returned_at,
        rule=rule,
        used_hours=used,
        remaining_hours=remaining,
        clock_stopped=k.open_stop | not_(k.due_known),
        waiting=k.waiting,
        apology=has_apology,
        apology_timely=timely,
        d766_on_time=d766_on_time(is_finished, finished, d766, requests),
        request_outside_window=k.outside,
    )
