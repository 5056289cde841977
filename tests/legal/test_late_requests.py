"""A supplement request at or after the due date moves nothing, under every policy.

Domain brief §4 (2026-12): the stop rules protect the applicant's time, not the agency's.
Limit 3 working days, received Thursday 29/8/2024 10:00: due Thursday 5/9/2024 17:00.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from procflow import WorkCalendar
from tests.legal.engines import ENGINES, run, supplement_row

AS_OF = datetime(2024, 9, 20, 17)
CASES = [
    # (id, policy, requested, supplement received, finished, outcome)
    (
        "restart-late-request-stays-late",
        "restart",
        "2024-09-06T09:00",
        "2024-09-09T10:00",
        "2024-09-10T10:00",
        "late",
    ),
    (
        "pause-late-request-stays-late",
        "pause",
        "2024-09-06T09:00",
        "2024-09-09T10:00",
        "2024-09-10T10:00",
        "late",
    ),
    (
        "none-late-request-stays-late",
        "none",
        "2024-09-06T09:00",
        "2024-09-09T10:00",
        "2024-09-10T10:00",
        "late",
    ),
    (
        "request-at-due-time-moves-nothing",
        "restart",
        "2024-09-05T17:00",
        "2024-09-09T10:00",
        "2024-09-10T10:00",
        "late",
    ),
    ("restart-open-late-request-overdue", "restart", "2024-09-06T09:00", "", "", "overdue"),
    ("pause-open-late-request-overdue", "pause", "2024-09-06T09:00", "", "", "overdue"),
    (
        "restart-in-time-request-restarts",
        "restart",
        "2024-08-30T10:00",
        "2024-09-04T10:00",
        "2024-09-06T10:00",
        "early",
    ),
    ("restart-open-in-time-request-waits", "restart", "2024-08-30T10:00", "", "", "in_time"),
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("policy", "requested", "supplied", "finished", "outcome"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_late_request_moves_nothing(
    engine: str,
    policy: str,
    requested: str,
    supplied: str,
    finished: str,
    outcome: str,
    cal: WorkCalendar,
) -> None:
    row = supplement_row(requested, supplied, finished, supplement_policy=policy)
    got = run(engine, row, cal, AS_OF)
    assert got["outcome"] == outcome
    assert got["due_at"] == datetime(2024, 9, 5, 17)


def test_second_reappointment_does_not_move_the_new_date(cal: WorkCalendar) -> None:
    from procflow import Dossier, evaluate

    d = Dossier.model_validate(
        {
            "id": "HS-2",
            "time_limit": "03 ngày làm việc",
            "events": [
                {"type": "received", "at": "2024-08-29T10:00"},
                {
                    "type": "apology_issued",
                    "at": "2024-09-03T09:00",
                    "new_due_at": "2024-09-09T17:00",
                },
                {
                    "type": "apology_issued",
                    "at": "2024-09-09T09:00",
                    "new_due_at": "2024-09-13T17:00",
                },
                {"type": "finished", "at": "2024-09-12T10:00", "result": "granted"},
            ],
        }
    )
    e = evaluate(d, None, cal, as_of=AS_OF)
    assert e.apology is not None
    assert e.apology.reappointed_more_than_once
    assert e.apology.new_due_at == datetime(2024, 9, 9, 17)
    assert e.apology.met_new_due is False
    assert e.outcome.value == "late"
