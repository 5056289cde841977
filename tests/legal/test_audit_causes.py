"""The audit names each mistake it can recognise in a printed due date (issue 11, item 10).

Each row: a dossier received at a moment with a limit, the date the source system printed,
and the cause the audit must name. procflow's own date is worked by hand in the comment
(Civil Code 2015 Art. 147: the day of receipt is not counted; Hà Nội office hours
08:00-12:00, 13:00-17:00). Limits in days are compared by date, limits in hours to the
minute.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from procflow import Dossier, WorkCalendar, audit
from procflow.audit import CAUSES


def _printed(received: str, due: str, limit: str, **rules: Any) -> Dossier:
    return Dossier.model_validate(
        {
            "id": f"{received}->{due}",
            "time_limit": limit,
            "due_at": due,
            "events": [{"type": "received", "at": received}],
            **rules,
        }
    )


CASES = [
    # Wed 31/1/2024 15:20, after the 15:00 cut-off: received Thu 1/2; Fri 2/2 day 1, Mon 5/2
    # day 2. Counting from Wednesday gives Fri 2/2.
    ("ignores_cutoff", "2024-01-31T15:20", "02 ngày làm việc", "2024-02-02T17:00", "15:00"),
    # Fri 8/4/2022: Sun 10/4 Hùng Kings, Mon 11/4 its compensatory day; Tue 12/4 day 1, Wed
    # 13/4 day 2. Working on 11/4 gives Tue 12/4.
    ("ignores_compensatory_day", "2022-04-08T10:00", "02 ngày làm việc", "2022-04-12T17:00", None),
    # Thu 2/5/2024: Fri 3/5 day 1, Saturday 4/5 worked (swap for Mon 29/4), day 2. Not
    # working that Saturday gives Mon 6/5.
    ("ignores_swapped_saturday", "2024-05-02T10:00", "02 ngày làm việc", "2024-05-06T17:00", None),
    # Wed 31/12/2025: Thu 1/1/2026 New Year, Fri 2/1 off (Official Letter 12729/VPCP-KGVX),
    # weekend; Mon 5/1 day 1, Tue 6/1 day 2. Without the letter: Fri 2/1 day 1, Mon 5/1.
    (
        "ignores_government_decision",
        "2025-12-31T10:00",
        "02 ngày làm việc",
        "2026-01-05T17:00",
        None,
    ),
    # Thu 8/1/2026: Fri 9/1 day 1, Saturday 10/1 worked by the same letter, day 2. Without
    # the letter: Mon 12/1.
    (
        "ignores_government_decision",
        "2026-01-08T10:00",
        "02 ngày làm việc",
        "2026-01-12T17:00",
        None,
    ),
    # Fri 26/4/2024 10:00, 16 working hours: Fri 6 h; Sat 27/4 off; Mon 29/4 (swapped),
    # Tue 30/4, Wed 1/5 off; Thu 2/5 8 h (14); Fri 3/5 08:00-10:00: due Fri 3/5 10:00.
    # Working Saturday 27/4 gives Thu 2/5 10:00 (compared to the minute).
    ("invents_worked_saturday", "2024-04-26T10:00", "16 giờ làm việc", "2024-05-02T10:00", None),
    # Fri 26/4/2024 16:00, 15 calendar days: Sat 11/5, a day off, moves to Mon 13/5 (Civil
    # Code Art. 148). As 15 working days: Tue 21/5.
    ("calendar_days_as_working_days", "2024-04-26T16:00", "15 ngày", "2024-05-21T17:00", None),
    # Mon 4/3/2024, 10 working days: Tue 5/3 ... Mon 18/3. As 10 calendar days: Thu 14/3.
    (
        "working_days_as_calendar_days",
        "2024-03-04T10:00",
        "10 ngày làm việc",
        "2024-03-14T17:00",
        None,
    ),
    # Thu 29/8/2024: Fri 30/8 day 1; weekend; 2/9-3/9 National Day; Wed 4/9, Thu 5/9. With
    # no holidays: Mon 2/9, Tue 3/9.
    ("ignores_holidays", "2024-08-29T10:00", "03 ngày làm việc", "2024-09-03T17:00", None),
    # Mon 4/3/2024: Tue 5/3 day 1, Wed 6/3 day 2. Counting Monday as day 1: Tue 5/3.
    ("counts_receipt_day", "2024-03-04T10:00", "02 ngày làm việc", "2024-03-05T17:00", None),
]


@pytest.mark.parametrize(
    ("cause", "received", "limit", "printed", "cutoff"),
    CASES,
    ids=[f"{c[0]}-{c[1][:10]}" for c in CASES],
)
def test_each_cause_is_named(
    cause: str,
    received: str,
    limit: str,
    printed: str,
    cutoff: str | None,
    cal: WorkCalendar,
) -> None:
    rules = {"cutoff": cutoff} if cutoff else {}
    result = audit([_printed(received, printed, limit, **rules)], None, cal)
    assert (result.checked, result.agreed) == (1, 0)
    assert result.findings[0].likely_causes == (cause,)
    assert cause in CAUSES


def test_every_cause_has_a_row() -> None:
    assert {c[0] for c in CASES} == set(CAUSES)


@pytest.mark.parametrize(
    ("limit", "printed", "agrees", "hours_apart"),
    [
        # Mon 4/3/2024 10:00 + 8 working hours: Tue 5/3 10:00.
        pytest.param("08 giờ làm việc", "2024-03-05T10:00", True, None, id="same-minute-agrees"),
        pytest.param("08 giờ làm việc", "2024-03-05T09:00", False, -1.0, id="same-day-hour-early"),
        pytest.param("08 giờ làm việc", "2024-03-05T10:30", False, 0.5, id="half-hour-late"),
        # 24 clock hours from Mon 4/3/2024 10:00: Tue 5/3 10:00 (Civil Code Art. 144).
        pytest.param("24 giờ", "2024-03-05T10:00", True, None, id="clock-hours-agree"),
        pytest.param("24 giờ", "2024-03-05T17:00", False, 6.0, id="clock-hours-day-end"),
    ],
)
def test_hour_limits_compare_minutes(
    limit: str, printed: str, agrees: bool, hours_apart: float | None, cal: WorkCalendar
) -> None:
    result = audit([_printed("2024-03-04T10:00", printed, limit)], None, cal)
    assert result.agreed == int(agrees)
    if not agrees:
        finding = result.findings[0]
        assert finding.working_hours_apart == hours_apart
        assert finding.working_days_apart == 0
        assert finding.procflow_due_at == datetime(2024, 3, 5, 10, 0)
