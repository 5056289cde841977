"""The version of a procedure in force on the day of receipt applies (domain brief §1).

A procedure amended from 1/7/2024: 03 working days until 30/6/2024 (both days included),
05 working days from 1/7/2024. The version is picked by the day the dossier was received,
not by its effective receipt day: a dossier received on Sunday 30/6/2024 counts from
Monday 1/7 under the old version. Every engine must pick the same version.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from procflow import ProcedureLibrary, WorkCalendar, vietnam_calendar
from procflow.timelimit import TimeLimit
from tests.legal.engines import ENGINES, procedure_with, run

CASES = [
    # (id, received, due)
    ("old-version-friday", "2024-06-28T10:00", "2024-07-03T17:00"),  # 3 days: Mon-Wed
    ("old-version-last-day-sunday", "2024-06-30T10:00", "2024-07-04T17:00"),  # from Mon 1/7
    ("new-version-first-day", "2024-07-01T10:00", "2024-07-08T17:00"),  # 5 days: Tue-Mon
]


@pytest.fixture(scope="module")
def library() -> ProcedureLibrary:
    old = procedure_with(time_limit=TimeLimit.parse("03 ngày làm việc")).model_copy(
        update={"effective_from": date(2020, 1, 1), "effective_to": date(2024, 6, 30)}
    )
    new = procedure_with(time_limit=TimeLimit.parse("05 ngày làm việc")).model_copy(
        update={"effective_from": date(2024, 7, 1), "effective_to": None}
    )
    return ProcedureLibrary([old, new])


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return vietnam_calendar(years=[2024])


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("received", "due"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_version_in_force_at_receipt(
    engine: str, received: str, due: str, library: ProcedureLibrary, cal: WorkCalendar
) -> None:
    row = {"received_at": received, "procedure_id": "cfs-ha-tinh"}
    got = run(engine, row, cal, datetime(2024, 12, 31), library)
    assert got["due_at"] == datetime.fromisoformat(due)


def test_no_version_before_the_first() -> None:
    old = procedure_with().model_copy(update={"effective_from": date(2024, 7, 1)})
    assert not old.in_force(date(2024, 6, 30))
    assert old.in_force_span() == (date(2024, 7, 1), date.max)
