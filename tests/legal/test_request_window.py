"""A restart needs the request within 8 working hours of receipt (Decree 297/2025 Art. 6(4)(a)).

A later request under ``restart`` counts as a pause: the applicant's waiting is not counted,
the agency's time already used is kept. Limit 3 working days, received Thursday 29/8/2024
10:00 (due Thursday 5/9/2024 17:00); 8 working hours later is Friday 30/8 10:00.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from procflow import Dossier, WorkCalendar, evaluate
from tests.legal.engines import ENGINES, run, supplement_row

AS_OF = datetime(2024, 9, 30, 17)
CASES = [
    # (id, requested, supplement received, finished, effective due, outcome)
    (
        "at-the-window-restarts",
        "2024-08-30T10:00",
        "2024-09-04T10:00",
        "2024-09-09T10:00",
        datetime(2024, 9, 9, 17),
        "on_time",
    ),
    (
        "after-the-window-pauses",
        "2024-08-30T14:00",
        "2024-09-04T14:00",
        "2024-09-09T10:00",
        datetime(2024, 9, 6, 17),
        "late",
    ),
    # Never supplied: 15 working days after the request it is returned (test_returned.py).
    ("after-the-window-open-returned", "2024-08-30T14:00", "", "", None, "returned"),
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("requested", "supplied", "finished", "effective", "outcome"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_request_window(
    engine: str,
    requested: str,
    supplied: str,
    finished: str,
    effective: datetime | None,
    outcome: str,
    cal: WorkCalendar,
) -> None:
    row = supplement_row(requested, supplied, finished)
    got = run(engine, row, cal, AS_OF)
    assert got["outcome"] == outcome
    if effective is not None:
        assert got["effective_due_at"] == effective


def test_request_outside_the_window_is_explained(cal: WorkCalendar) -> None:
    d = Dossier.model_validate(
        {
            "id": "HS-W",
            "time_limit": "03 ngày làm việc",
            "events": [
                {"type": "received", "at": "2024-08-29T10:00"},
                {"type": "supplement_requested", "at": "2024-08-30T14:00"},
            ],
        }
    )
    e = evaluate(d, None, cal, as_of=AS_OF)
    assert "request_outside_window" in [n.code for n in e.notes]
