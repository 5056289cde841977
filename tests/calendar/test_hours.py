"""Working hours over office hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from procflow import VN_TZ, CalendarError, OfficeHours, WorkCalendar, vietnam_calendar

HCMC = OfficeHours.parse("07:30-11:30, 13:00-17:00")


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        pytest.param("2024-09-04T08:00", 8, "2024-09-04T17:00", id="one-day-ends-at-close"),
        pytest.param("2024-09-04T08:00", 4, "2024-09-04T12:00", id="half-day-ends-at-noon"),
        pytest.param("2024-09-04T10:00", 3, "2024-09-04T14:00", id="over-lunch"),
        pytest.param("2024-09-04T12:30", 1, "2024-09-04T14:00", id="start-in-lunch"),
        pytest.param("2024-09-04T06:00", 1, "2024-09-04T09:00", id="start-before-opening"),
        pytest.param("2024-09-04T18:00", 1, "2024-09-05T09:00", id="start-after-close"),
        pytest.param("2024-08-30T15:00", 4, "2024-09-04T10:00", id="over-weekend-and-holiday"),
        pytest.param("2024-05-03T16:00", 2, "2024-05-04T09:00", id="swapped-saturday-has-hours"),
        pytest.param("2024-09-04T09:15", 0.25, "2024-09-04T09:30", id="quarter-hour"),
        pytest.param("2024-09-04T09:00", 0, "2024-09-04T09:00", id="zero"),
    ],
)
def test_add_working_hours(cal: WorkCalendar, start: str, hours: float, expected: str) -> None:
    assert cal.add_working_hours(datetime.fromisoformat(start), hours) == datetime.fromisoformat(
        expected
    )


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        ("2024-09-04T08:00", "2024-09-04T17:00", 8.0),
        ("2024-09-04T07:00", "2024-09-04T18:00", 8.0),
        ("2024-09-04T11:00", "2024-09-04T14:00", 2.0),
        ("2024-08-30T15:00", "2024-09-04T11:00", 5.0),
        ("2024-09-04T11:00", "2024-09-04T09:00", -2.0),
        ("2024-09-07T09:00", "2024-09-08T16:00", 0.0),
    ],
)
def test_working_hours_between(cal: WorkCalendar, start: str, end: str, hours: float) -> None:
    assert (
        cal.working_hours_between(datetime.fromisoformat(start), datetime.fromisoformat(end))
        == hours
    )


def test_hcmc_office_hours() -> None:
    cal = vietnam_calendar(years=[2024], office_hours=HCMC)
    assert HCMC.day_hours == 8.0
    assert cal.add_working_hours(datetime(2024, 9, 4, 7, 30), 4) == datetime(2024, 9, 4, 11, 30)
    assert cal.add_working_hours(datetime(2024, 9, 4, 7, 30), 8) == datetime(2024, 9, 4, 17, 0)


def test_aware_datetimes_convert_to_vietnam_time(cal: WorkCalendar) -> None:
    start = datetime(2024, 9, 4, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội
    result = cal.add_working_hours(start, 1)
    assert result == datetime(2024, 9, 4, 9, 0, tzinfo=VN_TZ)
    assert result.utcoffset() == timedelta(hours=7)


def test_negative_hours_are_refused(cal: WorkCalendar) -> None:
    with pytest.raises(ValueError, match="-1"):
        cal.add_working_hours(datetime(2024, 9, 4, 9), -1)


@pytest.mark.parametrize("text", ["08:00-12:00, 11:00-17:00", "12:00-08:00", "8h-12h"])
def test_bad_office_hours_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"\d\d:\d\d|8h"):
        OfficeHours.parse(text)


def test_office_hours_error_is_a_calendar_error() -> None:
    with pytest.raises(CalendarError, match="'8h-12h'"):
        OfficeHours.parse("8h-12h")


def test_opening_and_closing(cal: WorkCalendar) -> None:
    assert cal.opening_at(date(2024, 9, 4)).time() == time(8)
    assert cal.closing_at(date(2024, 9, 4)).time() == time(17)
