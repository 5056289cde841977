"""The rule core's calendar periods equal the date-level rule used in explanations."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from procflow import TimeLimit, WorkCalendar
from procflow.deadline import period_last_day
from procflow.law.codes import unit_code
from procflow.law.due import period_last

UNITS = st.sampled_from(["calendar_days", "weeks", "months"])


@given(
    day=st.dates(min_value=date(2015, 1, 1), max_value=date(2028, 12, 31)),
    n=st.integers(min_value=1, max_value=18),
    unit=UNITS,
)
def test_period_last_day_is_the_same_rule(cal: WorkCalendar, day: date, n: int, unit: str) -> None:
    limit = TimeLimit(value=n, unit=unit)
    i = day.toordinal() - cal.first_ordinal
    got = period_last(cal.law, i, n, unit_code(limit.unit))
    assert date.fromordinal(cal.first_ordinal + got) == period_last_day(day, limit)
