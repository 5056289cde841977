"""Properties of working-day and working-hour arithmetic."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from procflow import WorkCalendar, vietnam_calendar

from .strategies import dates, instants, shifts


@pytest.fixture(scope="module")
def package_vn() -> holidays.HolidayBase:
    """The holidays package's own Vietnam calendar: an independent oracle."""
    return holidays.country_holidays("VN", years=range(2015, 2031))


@given(d=dates, n=shifts)
def test_count_inverts_add(cal: WorkCalendar, d: date, n: int) -> None:
    assert cal.count_working_days(d, cal.add_working_days(d, n)) == n


@given(d=dates, n=st.integers(1, 60))
def test_add_lands_on_a_later_working_day(cal: WorkCalendar, d: date, n: int) -> None:
    result = cal.add_working_days(d, n)
    assert result > d
    assert cal.is_working_day(result)


# The package's own data: procflow's shipped Government decisions (which the package lacks,
# e.g. 2/1/2026) are left out so that the two read the same days.
PACKAGE_ONLY = vietnam_calendar(decisions=False)


@given(d=dates, n=st.integers(1, 60))
def test_add_agrees_with_holidays_package(
    package_vn: holidays.HolidayBase, d: date, n: int
) -> None:
    assert PACKAGE_ONLY.add_working_days(d, n) == package_vn.get_nth_working_day(d, n)


@given(a=dates, days=st.integers(0, 120))
def test_count_agrees_with_holidays_package(
    package_vn: holidays.HolidayBase, a: date, days: int
) -> None:
    b = a + timedelta(days=days)
    expected = package_vn.get_working_days_count(a + timedelta(days=1), b) if days else 0
    assert PACKAGE_ONLY.count_working_days(a, b) == expected


@given(d=dates)
def test_is_working_day_agrees_with_holidays_package(
    package_vn: holidays.HolidayBase, d: date
) -> None:
    assert PACKAGE_ONLY.is_working_day(d) == package_vn.is_working_day(d)


@given(t=instants, quarters=st.integers(0, 400))
def test_hours_between_inverts_add_hours(cal: WorkCalendar, t: datetime, quarters: int) -> None:
    hours = quarters / 4
    assert cal.working_hours_between(t, cal.add_working_hours(t, hours)) == hours


@given(t=instants, quarters=st.integers(1, 400))
def test_add_hours_ends_inside_office_hours_of_a_working_day(
    cal: WorkCalendar, t: datetime, quarters: int
) -> None:
    end = cal.add_working_hours(t, quarters / 4)
    assert end > t
    assert cal.is_working_day(end.date())
    assert any(s.start < end.time() <= s.end for s in cal.office_hours.sessions)


@given(t1=instants, t2=instants)
def test_hours_between_is_antisymmetric(cal: WorkCalendar, t1: datetime, t2: datetime) -> None:
    assert cal.working_hours_between(t1, t2) == -cal.working_hours_between(t2, t1)
