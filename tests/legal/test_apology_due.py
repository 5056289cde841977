"""When the apology is due: one working day before (default) or when the limit ends.

Decree 297/2025/NĐ-CP Art. 6(5) lets a procedure require it when the time limit ends. Limit
3 working days, received Thursday 29/8/2024 10:00: due Thursday 5/9/2024 17:00.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from procflow import ApologyDue, WorkCalendar
from tests.legal.engines import ENGINES, procedure_with, run

CASES = [
    # (id, apology_due, issued, timely)
    ("default-day-before-in-time", ApologyDue.DAY_BEFORE, "2024-09-04T10:00", True),
    ("default-on-the-due-day-late", ApologyDue.DAY_BEFORE, "2024-09-05T10:00", False),
    ("at-limit-end-on-the-due-day", ApologyDue.AT_LIMIT_END, "2024-09-05T10:00", True),
    ("at-limit-end-after-due", ApologyDue.AT_LIMIT_END, "2024-09-06T08:30", False),
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("apology_due", "issued", "timely"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_apology_due(
    engine: str, apology_due: ApologyDue, issued: str, timely: bool, cal: WorkCalendar
) -> None:
    procedure = procedure_with(apology_due=apology_due)
    row = {
        "procedure_id": procedure.id,
        "received_at": "2024-08-29T10:00",
        "apology_issued_at": issued,
        "apology_new_due_at": "2024-09-10T17:00",
        "finished_at": "2024-09-09T10:00",
        "result": "granted",
    }
    got = run(engine, row, cal, datetime(2024, 12, 31), {procedure.id: procedure})
    assert got["due_at"] == datetime(2024, 9, 5, 17)
    assert got["apology_timely"] is timely
