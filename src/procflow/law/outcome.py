"""The outcome table (first match wins), Decision 766 timing and apology timing.

Outcomes follow domain brief §5: finished on a date before the due date is early, on the
due date by its due time on time, after it late; unfinished at the view is in time or
overdue; withdrawn is withdrawn; an unanswered supplement request past the return window
is returned.
"""

from __future__ import annotations

from procflow.law.index import CalendarIndex
from procflow.law.ops import Vec, not_, where

__all__ = ["RULES", "apology_deadline", "apology_timely", "classify", "d766_on_time"]

RULES: tuple[tuple[str, str], ...] = (
    ("withdrawn", "withdrawn"),
    ("finished_before_due_date", "early"),
    ("finished_by_due_time", "on_time"),
    ("finished_after_due_time", "late"),
    ("supplement_not_received", "returned"),
    ("clock_not_running", "in_time"),
    ("unfinished_by_due_time", "in_time"),
    ("unfinished_past_due_time", "overdue"),
)
"""(rule id, outcome value) in the order they are tried; the last always matches."""


def classify(
    ix: CalendarIndex,
    withdrawn: Vec,
    finished: Vec,
    returned: Vec,
    due_known: Vec,
    finished_at: Vec,
    due: Vec,
    read_at: Vec,
) -> Vec:
    """The index into :data:`RULES` of the first rule that holds.

    Args:
        ix: The calendar.
        withdrawn: The dossier was withdrawn.
        finished: It was finished.
        returned: It was returned for want of a supplement.
        due_known: The clock runs (not waiting for a supplement under ``restart``).
        finished_at: When it finished (any value if not).
        due: The effective due instant (any value if not known).
        read_at: The instant it is judged at (the view, or when its clock stopped).
    """
    known = finished & due_known
    conditions = (
        withdrawn,
        known & (ix.day_of(finished_at) < ix.day_of(due)),
        known & (finished_at <= due),
        finished,
        returned,
        not_(due_known),
        read_at <= due,
    )
    rule: Vec = len(conditions)
    for number in range(len(conditions) - 1, -1, -1):  # the first that holds wins
        rule = where(conditions[number], number, rule)
    return rule


def d766_on_time(finished: Vec, finished_at: Vec, d766_due: Vec, requests: Vec) -> Vec:
    """Decision 766's on-time test: finished by its due date with at most one request.

    Early counts as on time; supplement waiting is subtracted from ``d766_due`` by the
    caller (:func:`procflow.law.stops.extend`).
    """
    return finished & (finished_at <= d766_due) & (requests <= 1)


def apology_deadline(ix: CalendarIndex, due: Vec, at_limit_end: Vec) -> Vec:
    """The latest instant an apology with a new date may be issued (ticks).

    By default at least one working day before the due date: until the end of the working
    day before it; ``at_limit_end`` procedures: until the due time (Decree 297/2025/NĐ-CP
    Art. 6(5); Decree 61/2018/NĐ-CP Art. 19 as amended by Decree 107/2021/NĐ-CP).
    """
    before = ix.add_days(ix.day_of(due), -1)
    return where(at_limit_end, due, ix.at(before + 1, 0) - 1)


def apology_timely(ix: CalendarIndex, issued: Vec, due: Vec, at_limit_end: Vec) -> Vec:
    """Whether an apology with a new date issued at ``issued`` was in time."""
    return issued <= apology_deadline(ix, due, at_limit_end)
