"""Government decisions the holidays package lacks, applied by default (domain brief §2).

Official Letter 12729/VPCP-KGVX of 25/12/2025: Friday 2/1/2026 off, Saturday 10/1/2026 worked.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime

import pytest

import procflow.calendar as calendar_module
from procflow import CalendarOverride, DayInfo, DayKind, WorkCalendar, vietnam_calendar
from tests.legal.engines import ENGINES, run

CASES = [
    # (id, received, limit, due)
    ("new-year-2026-friday-off", "2025-12-31T10:00", "03 ngày làm việc", "2026-01-07T17:00"),
    ("saturday-10-1-2026-worked", "2026-01-09T10:00", "01 ngày làm việc", "2026-01-10T17:00"),
]


@pytest.fixture(scope="module")
def cal_2026() -> WorkCalendar:
    return vietnam_calendar(years=[2025, 2026, 2027])


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("received", "limit", "due"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_decision_days(
    engine: str, received: str, limit: str, due: str, cal_2026: WorkCalendar
) -> None:
    row = {"received_at": received, "time_limit": limit}
    got = run(engine, row, cal_2026, datetime(2026, 3, 31))
    assert got["due_at"] == datetime.fromisoformat(due)


def test_decisions_can_be_switched_off() -> None:
    cal = vietnam_calendar(years=[2026], decisions=False)
    assert cal.is_working_day(date(2026, 1, 2))
    assert not cal.is_working_day(date(2026, 1, 10))


def test_the_explanation_names_the_document(cal_2026: WorkCalendar) -> None:
    info = cal_2026.day_info(date(2026, 1, 2))
    assert info.source is not None
    assert "12729/VPCP-KGVX" in info.source


def test_user_overrides_beat_decisions() -> None:
    mine = CalendarOverride(
        date=date(2026, 1, 2), kind="working_day", name_vi="Làm việc", source="QĐ tỉnh (ví dụ)"
    )
    cal = vietnam_calendar(years=[2026], overrides=[mine])
    assert cal.is_working_day(date(2026, 1, 2))
    assert cal.day_info(date(2026, 1, 2)).source == "QĐ tỉnh (ví dụ)"


def test_a_day_the_package_gains_is_counted_once(monkeypatch: pytest.MonkeyPatch) -> None:
    real = calendar_module._package_days

    def with_the_decision(span: Sequence[int], culture_day: bool) -> Iterator[DayInfo]:
        days = list(real(span, culture_day))
        days.append(DayInfo(date=date(2026, 1, 2), kind=DayKind.HOLIDAY, name_vi="Nghỉ Tết"))
        return iter(days)

    monkeypatch.setattr(calendar_module, "_package_days", with_the_decision)
    cal = vietnam_calendar(years=[2025, 2026])
    assert cal.day_info(date(2026, 1, 2)).kind is DayKind.HOLIDAY
    # One day off, not two: 3 working days from 31/12/2025 still end on 7/1/2026.
    assert cal.add_working_days(date(2025, 12, 31), 3) == date(2026, 1, 7)
