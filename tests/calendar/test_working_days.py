"""Working days of the official schedules, the override precedence, and coverage."""

from __future__ import annotations

from datetime import date

import pytest

from procflow import (
    CalendarError,
    CalendarOverride,
    CoverageError,
    DayKind,
    ProcflowError,
    WorkCalendar,
    vietnam_calendar,
)

# Each row: a date, whether public offices work, why. From the government's yearly
# schedules for public servants (Labor Code 2019 Art. 112 and the yearly notices).
OFFICIAL_DAYS = [
    # 2024: Tết 08/02–14/02; 30/4 swap: Monday 29/4 off, Saturday 4/5 worked.
    ("2024-01-01", False, DayKind.HOLIDAY),
    ("2024-02-07", True, DayKind.WORKING),
    ("2024-02-08", False, DayKind.HOLIDAY),
    ("2024-02-14", False, DayKind.HOLIDAY),
    ("2024-02-15", True, DayKind.WORKING),
    ("2024-04-18", False, DayKind.HOLIDAY),
    ("2024-04-29", False, DayKind.SWAPPED_DAY_OFF),
    ("2024-04-30", False, DayKind.HOLIDAY),
    ("2024-05-01", False, DayKind.HOLIDAY),
    ("2024-05-04", True, DayKind.SWAPPED_WORKDAY),
    ("2024-05-05", False, DayKind.WEEKEND),
    ("2024-09-02", False, DayKind.HOLIDAY),
    ("2024-09-03", False, DayKind.HOLIDAY),
    ("2024-09-04", True, DayKind.WORKING),
    # 2025: Tết 25/01–02/02 (weekdays 27–31/1 off); 30/4 swap: Friday 2/5 off, Saturday 26/4 worked.
    ("2025-01-24", True, DayKind.WORKING),
    ("2025-01-27", False, DayKind.HOLIDAY),
    ("2025-01-31", False, DayKind.HOLIDAY),
    ("2025-02-03", True, DayKind.WORKING),
    ("2025-04-07", False, DayKind.HOLIDAY),
    ("2025-04-26", True, DayKind.SWAPPED_WORKDAY),
    ("2025-05-02", False, DayKind.SWAPPED_DAY_OFF),
    ("2025-09-01", False, DayKind.HOLIDAY),
    ("2025-09-02", False, DayKind.HOLIDAY),
    # 2026: Tết 14/02–22/02 (weekdays 16–20/2 off); Hùng Kings on Sunday 26/4 -> Monday 27/4 off;
    # 2/9 with 1/9, and Monday 31/8 off for Saturday 22/8 worked; 24/11 Vietnam Culture Day.
    ("2026-02-13", True, DayKind.WORKING),
    ("2026-02-16", False, DayKind.HOLIDAY),
    ("2026-02-20", False, DayKind.HOLIDAY),
    ("2026-02-23", True, DayKind.WORKING),
    ("2026-04-26", False, DayKind.HOLIDAY),
    ("2026-04-27", False, DayKind.COMPENSATORY),
    ("2026-08-22", True, DayKind.SWAPPED_WORKDAY),
    ("2026-08-31", False, DayKind.SWAPPED_DAY_OFF),
    ("2026-09-01", False, DayKind.HOLIDAY),
    ("2026-11-24", False, DayKind.HOLIDAY),
    # 2027: 1/5 on Saturday -> Monday 3/5 compensatory.
    ("2027-05-01", False, DayKind.HOLIDAY),
    ("2027-05-03", False, DayKind.COMPENSATORY),
]


@pytest.mark.parametrize(
    ("day", "working", "kind"), OFFICIAL_DAYS, ids=[r[0] for r in OFFICIAL_DAYS]
)
def test_official_schedule(cal: WorkCalendar, day: str, working: bool, kind: DayKind) -> None:
    d = date.fromisoformat(day)
    assert cal.is_working_day(d) is working
    assert cal.day_info(d).kind is kind


def test_holiday_names_are_bilingual(cal: WorkCalendar) -> None:
    info = cal.day_info(date(2024, 9, 2))
    assert info.name_vi == "Quốc khánh"
    assert info.name_en == "National Day"
    assert info.label("vi") == (
        "Quốc khánh (ngày lễ) [Công văn 8662/VPCP-KGVX ngày 03/11/2023 của Văn phòng Chính phủ"
        " (cán bộ, công chức, viên chức); Bộ luật Lao động 2019, Điều 112 khoản 1]"
    )


def test_swapped_saturday_names_the_day_off_it_replaces(cal: WorkCalendar) -> None:
    assert cal.day_info(date(2024, 5, 4)).name_vi == "Làm bù cho ngày nghỉ 29/04/2024"


@pytest.mark.parametrize(
    ("day", "with_culture_day"),
    [
        ("2026-11-24", False),
        ("2029-11-26", False),
    ],  # 2029: 24/11 is Saturday, Monday 26/11 is nghỉ bù
)
def test_culture_day_is_switchable(day: str, with_culture_day: bool) -> None:
    d = date.fromisoformat(day)
    years = [d.year]
    assert vietnam_calendar(years=years).is_working_day(d) is with_culture_day
    assert vietnam_calendar(years=years, culture_day=False).is_working_day(d) is True


def test_culture_day_not_before_2026() -> None:
    assert vietnam_calendar(years=[2025]).is_working_day(date(2025, 11, 24))


# -- precedence: override > (package working day > holiday > weekend) -------------------

SOURCE = "Công văn 1/VPCP-KGVX (test)"


def _off(day: str) -> CalendarOverride:
    return CalendarOverride(
        date=date.fromisoformat(day), kind="day_off", name_vi="Nghỉ", source=SOURCE
    )


def _work(day: str) -> CalendarOverride:
    return CalendarOverride(
        date=date.fromisoformat(day), kind="working_day", name_vi="Làm bù", source=SOURCE
    )


@pytest.mark.parametrize(
    ("override", "day", "working", "kind"),
    [
        pytest.param(
            _work("2024-09-02"),
            "2024-09-02",
            True,
            DayKind.OVERRIDE_WORKDAY,
            id="working-beats-holiday",
        ),
        pytest.param(
            _work("2024-09-07"),
            "2024-09-07",
            True,
            DayKind.OVERRIDE_WORKDAY,
            id="working-beats-weekend",
        ),
        pytest.param(
            _off("2024-05-04"),
            "2024-05-04",
            False,
            DayKind.OVERRIDE_DAY_OFF,
            id="off-beats-package-swap",
        ),
        pytest.param(
            _off("2024-09-04"),
            "2024-09-04",
            False,
            DayKind.OVERRIDE_DAY_OFF,
            id="off-beats-weekday",
        ),
    ],
)
def test_override_precedence(
    override: CalendarOverride, day: str, working: bool, kind: DayKind
) -> None:
    cal = vietnam_calendar(years=[2024], overrides=[override])
    info = cal.day_info(date.fromisoformat(day))
    assert (info.is_working, info.kind) == (working, kind)
    assert info.source == SOURCE


def test_package_precedence_swapped_saturday_beats_weekend(cal: WorkCalendar) -> None:
    assert cal.is_working_day(date(2024, 5, 4))  # a Saturday, listed in weekend_workdays


def test_package_precedence_holiday_beats_weekday(cal: WorkCalendar) -> None:
    assert not cal.is_working_day(date(2024, 4, 30))  # a Tuesday


def test_contradicting_overrides_are_an_error() -> None:
    with pytest.raises(CalendarError, match="2024-09-04"):
        vietnam_calendar(years=[2024], overrides=[_off("2024-09-04"), _work("2024-09-04")])


def test_override_needs_a_source() -> None:
    with pytest.raises(ValueError, match="source"):
        CalendarOverride.model_validate({"date": "2024-09-04", "kind": "day_off", "name_vi": "x"})


def test_override_shifts_deadlines() -> None:
    plain = vietnam_calendar(years=[2024])
    shifted = vietnam_calendar(years=[2024], overrides=[_off("2024-09-04")])
    assert plain.add_working_days(date(2024, 8, 30), 1) == date(2024, 9, 4)
    assert shifted.add_working_days(date(2024, 8, 30), 1) == date(2024, 9, 5)


# -- counting ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        pytest.param("2024-08-29", 3, "2024-09-05", id="domain-example-national-day"),
        pytest.param("2024-01-31", 2, "2024-02-02", id="plain-week"),
        pytest.param("2024-02-01", 2, "2024-02-05", id="over-weekend"),
        pytest.param("2024-02-07", 1, "2024-02-15", id="over-tet-2024"),
        pytest.param("2024-05-03", 1, "2024-05-04", id="swapped-saturday-counts"),
        pytest.param("2024-04-26", 3, "2024-05-04", id="over-30-4-with-swap"),
        pytest.param("2024-09-07", 1, "2024-09-09", id="from-a-saturday"),
        pytest.param("2024-09-05", 0, "2024-09-05", id="zero"),
        pytest.param("2024-09-05", -3, "2024-08-29", id="backwards"),
        pytest.param("2024-09-04", -1, "2024-08-30", id="backwards-over-holiday"),
        pytest.param("2025-01-24", 1, "2025-02-03", id="over-tet-2025"),
        pytest.param("2025-12-31", 1, "2026-01-05", id="over-new-year-2026-letter-12729"),
    ],
)
def test_add_working_days(cal: WorkCalendar, start: str, n: int, expected: str) -> None:
    assert cal.add_working_days(date.fromisoformat(start), n) == date.fromisoformat(expected)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2024-08-29", "2024-09-05", 3),
        ("2024-08-29", "2024-08-29", 0),
        ("2024-09-05", "2024-08-29", -3),
        ("2024-02-07", "2024-02-15", 1),
        ("2024-01-01", "2024-12-31", 251),
    ],
)
def test_count_working_days(cal: WorkCalendar, start: str, end: str, expected: int) -> None:
    assert cal.count_working_days(date.fromisoformat(start), date.fromisoformat(end)) == expected


# Weekdays of the year, less weekday holidays, plus worked Saturdays (counted by hand).
@pytest.mark.parametrize(("year", "working_days"), [(2024, 251), (2025, 250), (2026, 249)])
def test_working_days_per_year(cal: WorkCalendar, year: int, working_days: int) -> None:
    assert cal.count_working_days(date(year - 1, 12, 31), date(year, 12, 31)) == working_days


# -- coverage ---------------------------------------------------------------------------------


def test_date_outside_coverage_raises_with_the_date() -> None:
    cal = vietnam_calendar(years=[2024])
    with pytest.raises(CoverageError, match=r"2023-12-31.*2024–2024") as info:
        cal.is_working_day(date(2023, 12, 31))
    assert isinstance(info.value, LookupError)
    assert isinstance(info.value, ProcflowError)


def test_result_outside_coverage_raises() -> None:
    cal = vietnam_calendar(years=[2024])
    with pytest.raises(CoverageError, match="after 2024-12-30"):
        cal.add_working_days(date(2024, 12, 30), 3)
    with pytest.raises(CoverageError, match="before 2024-01-02"):
        cal.add_working_days(date(2024, 1, 2), -1)


def test_no_years_is_an_error() -> None:
    with pytest.raises(CalendarError, match="at least one year"):
        vietnam_calendar(years=[])


def test_days_off_lists_reasons(cal: WorkCalendar) -> None:
    off = cal.days_off(date(2024, 8, 29), date(2024, 9, 5))
    assert [(i.date.isoformat(), i.kind) for i in off] == [
        ("2024-08-31", DayKind.WEEKEND),
        ("2024-09-01", DayKind.WEEKEND),
        ("2024-09-02", DayKind.HOLIDAY),
        ("2024-09-03", DayKind.HOLIDAY),
    ]
