"""The rule core's calendar periods (Civil Code 2015 Art. 147-148) against dateutil.

``relativedelta`` is an independent statement of the same date rule: n days or weeks
later, or the same date n months later clipped to the month's last day.
"""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from procflow import TimeLimit, WorkCalendar
from procflow.deadline import period_last_day
from procflow.law.codes import unit_code
from procflow.law.due import period_last

UNITS = st.sampled_from(["calendar_days", "weeks", "months"])


def expected(day: date, n: int, unit: str) -> date:
    if unit == "weeks":
        return day + timedelta(weeks=n)
    if unit == "months":
        return day + relativedelta(months=n)
    return day + timedelta(days=n)


@given(
    day=st.dates(min_value=date(2015, 1, 1), max_value=date(2028, 12, 31)),
    n=st.integers(min_value=1, max_value=18),
    unit=UNITS,
)
def test_period_last_is_the_civil_code_rule(
    cal: WorkCalendar, day: date, n: int, unit: str
) -> None:
    limit = TimeLimit(value=n, unit=unit)
    i = day.toordinal() - cal.first_ordinal
    got = date.fromordinal(cal.first_ordinal + period_last(cal.law, i, n, unit_code(limit.unit)))
    assert got == expected(day, n, unit)
    assert period_last_day(day, limit) == got


@given(
    day=st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 1, 31)),
    n=st.integers(min_value=1, max_value=60),
    unit=UNITS,
)
def test_period_last_day_needs_no_calendar(day: date, n: int, unit: str) -> None:
    assert period_last_day(day, TimeLimit(value=n, unit=unit)) == expected(day, n, unit)
