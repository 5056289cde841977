"""Effective receipt: when a dossier counts as received, and when its clock starts.

A dossier received on a working day within office hours, and not after the procedure's
cut-off, is received then; before opening, at opening that day. After closing, after the
cut-off, or on a day off it counts as received on the next working day (its clock starts
at that day's opening), except at a Saturday reception, where the Saturday is the day of
receipt and the clock starts at the next working day's opening. "After" is strict.

References:
    Civil Code 2015 Art. 147 (the day of receipt is not counted); Decree 61/2018/NĐ-CP
    Art. 15 and Decree 63/2024/NĐ-CP Art. 7 (cut-off: received after it counts from the
    next working day).
"""

from __future__ import annotations

from typing import NamedTuple

from procflow.law.index import CalendarIndex
from procflow.law.ops import Vec, not_, take, where

__all__ = ["Receipt", "receive"]


class Receipt(NamedTuple):
    """An effective receipt.

    Attributes:
        eff: Day index of the effective receipt (not counted in day limits).
        start: Instant the clock starts (hour and clock models).
        reason: Why it moved, a code of :data:`procflow.law.codes.REASONS` (0: it did not).
    """

    eff: Vec
    start: Vec
    reason: Vec


def receive(ix: CalendarIndex, t: Vec, cutoff: Vec) -> Receipt:
    """The effective receipt of a dossier received at ``t``.

    Args:
        ix: The calendar.
        t: The receipt instant (ticks).
        cutoff: The cut-off, ticks after midnight, or -1 for none.

    Returns:
        The effective receipt.
    """
    i = ix.day_of(t)
    clock = t % ix.day
    working = ix.isw[i]
    after_hours = clock > ix.close_t
    after = working & (after_hours | ((cutoff >= 0) & (clock > cutoff)))
    counted = working & not_(after)
    before = counted & (clock < ix.open_t)
    saturday: Vec = False
    if ix.saturday:
        inside: Vec = False
        for s, e in ix.saturday:
            inside = inside | ((clock >= s) & (clock <= e))
        saturday = (
            not_(working) & ix.regular_saturday[i] & inside & ((cutoff < 0) | (clock <= cutoff))
        )
    next_after = take(ix.work, ix.cum[i + 1]) - ix.base
    eff = where(counted, i, where(working, next_after, where(saturday, i, ix.next_working(i))))
    start = where(
        counted & not_(before),
        t,
        where(before, ix.opening(i), ix.opening(ix.next_working(eff + saturday))),
    )
    reason = where(
        working,
        where(after, where(after_hours, 1, 2), where(before, 3, 0)),
        where(saturday, 4, 5),
    )
    return Receipt(eff, start, reason)
