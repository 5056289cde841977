"""The due instant of a limit counted from an effective receipt.

* Day model: close of office on the n-th working day after the effective receipt day
  (working days), on the next working day on or after it (same day), or on the last day
  of a period of calendar days, weeks or months, moved to the next working day when it
  is off (Civil Code 2015 Art. 147-148).
* Hour model: n working hours from the effective start (one working day = the office
  hours' length).
* Clock model: n clock hours from the effective start (Civil Code 2015 Art. 144, 147(1)).

References:
    Civil Code 2015 Art. 144-148; Decree 61/2018/NĐ-CP Art. 2 (time limits in working days).
"""

from __future__ import annotations

from procflow.law.codes import (
    CALENDAR_DAYS,
    CLOCK,
    HOUR,
    MONTHS,
    SAME_DAY,
    WEEKS,
    WORKING_DAYS,
    WORKING_HOURS,
)
from procflow.law.index import CalendarIndex
from procflow.law.ops import Vec, any_, maximum, round_int, to_int, where
from procflow.law.receipt import Receipt

__all__ = ["due", "period_last"]


def period_last(ix: CalendarIndex, eff: Vec, n: Vec, unit: Vec) -> Vec:
    """Day index of the last day of a period of ``n`` calendar days, weeks or months.

    The day of receipt is not counted (Art. 147); a period of weeks ends on the same
    weekday, one of months on the same date or the month's last day (Art. 148(1)).
    """
    last = where(unit == WEEKS, ix.add_weeks(eff, n), eff + n)
    if not any_(unit == MONTHS):
        return last
    return where(unit == MONTHS, ix.add_months(eff, where(unit == MONTHS, n, 0)), last)


def due(ix: CalendarIndex, r: Receipt, value: Vec, unit: Vec, model: Vec) -> Vec:
    """The due instant (ticks) of a limit of ``value`` ``unit`` counted by ``model``.

    Args:
        ix: The calendar.
        r: The effective receipt.
        value: The limit's number.
        unit: Its unit code (:data:`procflow.law.codes.UNITS`).
        model: The counting model code (:data:`procflow.law.codes.MODELS`).
    """
    whole = maximum(to_int(value), 0)
    by_days = ix.add_days(r.eff, where(unit == WORKING_DAYS, whole, 0))
    day = by_days
    if any_(unit == SAME_DAY):
        day = where(unit == SAME_DAY, ix.next_working(r.eff), day)
    periodic = (unit == CALENDAR_DAYS) | (unit == WEEKS) | (unit == MONTHS)
    if any_(periodic):
        last = period_last(ix, r.eff, where(periodic, whole, 0), unit)
        day = where(periodic, ix.next_working(last), day)
    out = ix.closing(day)
    if any_(model == HOUR):
        hours = where(unit == WORKING_HOURS, value, value * (ix.length / (3600 * ix.tick)))
        moved = round_int(hours * 3600) * ix.tick
        by_hour = ix.instant(where(model == HOUR, ix.position(r.start) + moved, 0))
        out = where(model == HOUR, by_hour, out)
    if any_(model == CLOCK):
        out = where(model == CLOCK, r.start + round_int(value * 3600) * ix.tick, out)
    return out
