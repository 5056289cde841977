"""Clock hours, weeks and months (Civil Code 2015 Art. 144-148), through every engine."""

from __future__ import annotations

from datetime import datetime

import pytest

from procflow import TimeLimit, TimeUnit, WorkCalendar
from tests.legal.engines import ENGINES, run

CASES = [
    # (id, limit, received, due)
    ("24-clock-hours", "24 giờ", "2024-08-26T09:00", "2024-08-27T09:00"),
    ("clock-hours-cross-weekend", "48 giờ", "2024-08-30T10:00", "2024-09-01T10:00"),
    ("2-weeks-same-weekday", "02 tuần", "2025-01-06T09:00", "2025-01-20T17:00"),
    ("1-week-ends-on-holiday", "01 tuần", "2025-04-23T09:00", "2025-05-05T17:00"),
    ("1-month-short-month", "01 tháng", "2025-01-10T09:00", "2025-02-10T17:00"),
    ("1-month-to-month-end", "01 tháng", "2025-03-31T09:00", "2025-05-05T17:00"),
    ("1-month-received-on-tet", "01 tháng", "2025-01-31T09:00", "2025-03-03T17:00"),
    ("30-calendar-days", "30 ngày", "2024-08-29T10:00", "2024-09-30T17:00"),
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("limit", "received", "due"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_due_by_unit(engine: str, limit: str, received: str, due: str, cal: WorkCalendar) -> None:
    row = {"received_at": received, "time_limit": limit}
    got = run(engine, row, cal, datetime(2025, 12, 31))
    assert got["due_at"] == datetime.fromisoformat(due)


PHRASINGS = [
    ("24 giờ", 24, TimeUnit.CLOCK_HOURS),
    ("04 giờ làm việc", 4, TimeUnit.WORKING_HOURS),
    ("02 tuần", 2, TimeUnit.WEEKS),
    ("01 tháng kể từ ngày nhận đủ hồ sơ hợp lệ", 1, TimeUnit.MONTHS),
    ("Trong vòng 03 ngày làm việc", 3, TimeUnit.WORKING_DAYS),
    ("03 (ba) ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", 3, TimeUnit.WORKING_DAYS),
    ("1/2 ngày làm việc", 0.5, TimeUnit.WORKING_DAYS),
    ("0,5 ngày làm việc", 0.5, TimeUnit.WORKING_DAYS),
    ("Ngay trong ngày", 0, TimeUnit.SAME_DAY),
    ("Trong ngày làm việc tiếp theo", 1, TimeUnit.WORKING_DAYS),
    ("ngày làm việc tiếp theo kể từ khi nhận hồ sơ", 1, TimeUnit.WORKING_DAYS),
]


@pytest.mark.parametrize(("text", "value", "unit"), PHRASINGS, ids=[p[0] for p in PHRASINGS])
def test_catalogue_phrasings(text: str, value: float, unit: TimeUnit) -> None:
    assert TimeLimit.parse(text) == TimeLimit(value=value, unit=unit)


@pytest.mark.parametrize("engine", ENGINES)
def test_next_working_day_is_due_at_its_close(engine: str, cal: WorkCalendar) -> None:
    # Friday 30/8/2024: the next working day is Wednesday 4/9 (National Day 2-3/9).
    row = {"received_at": "2024-08-30T10:00", "time_limit": "Trong ngày làm việc tiếp theo"}
    assert run(engine, row, cal, datetime(2024, 12, 31))["due_at"] == datetime(2024, 9, 4, 17)
