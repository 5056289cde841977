"""Supplement requests and clock stops: what moves a due date, and what does not.

* A supplement request at or after the due date moves nothing, under every policy: the
  stop rules protect the applicant's time, not the agency's (domain brief §4).
* Under ``restart`` the whole limit counts again from the supplement's receipt, if the
  request came within the window after receipt (Decree 297/2025/NĐ-CP Art. 6(4)(a): 8
  working hours by default); a later request only pauses the clock.
* Under ``pause`` the time waiting for the applicant is not counted; under ``none`` it is.
* A stop moves a due date as the limit is counted: working hours in the hour model,
  elapsed time in the clock model, the working days in ``(A, B]`` in the day model (A the
  day the stop began, the day before if it began before opening; B the restart day by the
  receipt rules), and for periods of calendar days, weeks and months the days of the stop
  are added to the last day before Civil Code Art. 148 moves it off a day off. A stop that
  begins after the due time moves nothing.
* A request left unanswered for the procedure's return window (Decree 297/2025/NĐ-CP:
  15 working days) ends the dossier: it is returned to the applicant.
"""

from __future__ import annotations

from typing import NamedTuple

from procflow.law.codes import CALENDAR_DAYS, CLOCK, HOUR, MISSING, MONTHS, PAUSE, RESTART, WEEKS
from procflow.law.index import CalendarIndex
from procflow.law.ops import Vec, maximum, minimum, not_, where
from procflow.law.receipt import receive

__all__ = ["Cycle", "Extended", "Wait", "cycle", "extend", "return_at", "wait"]


class Cycle(NamedTuple):
    """What one supplement request does to the clock.

    Attributes:
        counts: It was made before the original due date; otherwise it moves nothing.
        outside: Under ``restart``, it came after the window: it only pauses.
        restarts: The limit counts again from the supplement's receipt.
        pauses: The waiting is not counted (``pause``, or ``restart`` outside the window,
            or ``restart`` with the dossier ended while still waiting).
        no_clock: Under ``restart``, still waiting: there is no due date until it arrives.
    """

    counts: Vec
    outside: Vec
    restarts: Vec
    pauses: Vec
    no_clock: Vec


def cycle(
    ix: CalendarIndex,
    policy: Vec,
    requested: Vec,
    supplied: Vec,
    start: Vec,
    original_due: Vec,
    window: Vec,
    ended: Vec,
) -> Cycle:
    """Judge one supplement request.

    Args:
        ix: The calendar.
        policy: Supplement policy code.
        requested: When it was requested (ticks).
        supplied: Whether the supplement was received.
        start: The effective start of the original count.
        original_due: The original due instant.
        window: The restart window in working ticks (``inf`` for none).
        ended: The dossier finished or was withdrawn.
    """
    counts = requested < original_due
    late = (requested > start) & (ix.position(requested) - ix.position(start) > window)
    restart = policy == RESTART
    outside = restart & late & counts
    in_window = counts & not_(outside)
    open_at_end = restart & in_window & not_(supplied) & ended
    return Cycle(
        counts=counts,
        outside=outside,
        restarts=restart & in_window & supplied,
        pauses=(counts & ((policy == PAUSE) | outside)) | open_at_end,
        no_clock=restart & in_window & not_(supplied) & not_(ended),
    )


class Wait(NamedTuple):
    """A wait for the applicant (a supplement, or a pause reason) within the count.

    Attributes:
        lo: Where it starts within the count: its start, or the count's start if later.
        hi: Where it ends within the count: its end, or the end point if it is still open
            (or ended after the end point).
        closed: It is over (its end came, or the dossier finished or was withdrawn) and has
            a part in the count: that part is not counted and moves the due date.
        open: The dossier is unfinished and still waiting: it is judged as of the moment
            its clock stopped (``lo``, if before the end point).
    """

    lo: Vec
    hi: Vec
    closed: Vec
    open: Vec


def wait(begin: Vec, finish: Vec, start: Vec, end_point: Vec, unfinished: Vec) -> Wait:
    """Place a wait ``[begin, finish]`` in the count ``[start, end_point]``.

    Args:
        begin: When the wait began (ticks).
        finish: When it ended, or :data:`~procflow.law.codes.MISSING` while it is open.
        start: The effective start of the count.
        end_point: The finish, the withdrawal or the view.
        unfinished: The dossier is neither finished nor withdrawn.

    Examples:
        >>> wait(5, MISSING, 3, 9, True)  # still waiting: judged at 5
        Wait(lo=5, hi=9, closed=False, open=True)
        >>> wait(1, 4, 3, 9, True)  # began before the count: only 3..4 is not counted
        Wait(lo=3, hi=4, closed=True, open=False)
        >>> wait(5, MISSING, 3, 9, False)  # finished while waiting: 5..9 is not counted
        Wait(lo=5, hi=9, closed=True, open=False)
    """
    lo = maximum(begin, start)
    has_finish = finish != MISSING
    hi = minimum(where(has_finish, finish, end_point), end_point)
    over = has_finish | not_(unfinished)
    return Wait(lo, hi, (lo < hi) & over, unfinished & not_(has_finish))


class Extended(NamedTuple):
    """A due date moved by a stop, with the last day of a period (for the next stop)."""

    due: Vec
    last: Vec


def extend(
    ix: CalendarIndex,
    due: Vec,
    last: Vec,
    lo: Vec,
    hi: Vec,
    has: Vec,
    unit: Vec,
    model: Vec,
) -> Extended:
    """Move ``due`` by the stop ``[lo, hi]`` where ``has`` (see the module docstring).

    Args:
        ix: The calendar.
        due: The due instant so far.
        last: For periods, the day index of the period's last day so far (before Art. 148).
        lo: The stop's start (ticks).
        hi: Its end.
        has: Whether there is a stop.
        unit: The limit's unit code.
        model: The counting model code.
    """
    active = has & (lo < due)
    safe = ix.opening(0)  # a valid instant for rows without a stop
    lo = where(active, lo, safe)
    hi = where(active, hi, safe)
    here = where(active, due, safe)
    moved = ix.position(hi) - ix.position(lo)
    by_hour = where(moved > 0, ix.instant(ix.position(here) + moved), due)
    by_clock = due + (hi - lo)
    first = ix.day_of(lo)
    first = where((lo % ix.day < ix.open_t) & (first > 0), first - 1, first)
    restart = receive(ix, hi, -1).eff
    days = maximum(ix.count_days(first, restart), 0)
    by_days = where(days > 0, ix.closing(ix.add_days(ix.day_of(here), days)), due)
    period = (unit == CALENDAR_DAYS) | (unit == WEEKS) | (unit == MONTHS)
    moved_last = where(active & period, last + maximum(restart - first, 0), last)
    by_period = ix.closing(ix.next_working(where(active & period, moved_last, 0)))
    out = where(
        model == HOUR,
        by_hour,
        where(model == CLOCK, by_clock, where(period, by_period, by_days)),
    )
    return Extended(where(active, out, due), moved_last)


def return_at(ix: CalendarIndex, requested: Vec, days: Vec) -> Vec:
    """When a dossier whose supplement has not arrived is returned (ticks).

    Close of office on the ``days``-th working day after the request's day.
    """
    return ix.closing(ix.add_days(ix.day_of(requested), maximum(days, 0)))
