"""Decision 766 indicator 2.1 (domain brief section 5)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from procflow.evaluation import Evaluation, Stop
from procflow.index766 import rate_21, status_21

DUE = datetime(2026, 3, 20, 17, 0)
END = datetime(2026, 3, 31, 17, 0)


def _ev(dossier_id: str, **kw: Any) -> Evaluation:
    base: dict[str, Any] = {
        "dossier_id": dossier_id,
        "procedure_id": None,
        "procedure_version": None,
        "outcome": "in_time",
        "rule": "test",
        "as_of": END,
        "received_at": datetime(2026, 3, 2, 8, 0),
        "due_at": DUE,
        "effective_due_at": DUE,
        "finished_at": None,
        "result": None,
        "withdrawn_at": None,
        "clock_stopped": False,
        "waiting_for_applicant": False,
        "supplement_requests": 0,
        "stops": (),
        "not_counted_hours": 0.0,
        "used_hours": 0.0,
        "used_days": 0.0,
        "remaining_hours": None,
        "steps": (),
        "overrun_steps": (),
        "overrun_units": (),
        "apology": None,
        "d766_due_at": DUE,
        "d766_on_time": None,
        "notes": (),
    }
    base.update(kw)
    return Evaluation(**base)


ON_TIME = _ev("on-time", outcome="on_time", finished_at=DUE, d766_on_time=True)
OVERDUE = _ev("overdue", outcome="overdue")
WITHDRAWN_LATE = _ev("withdrawn", outcome="withdrawn", withdrawn_at=datetime(2026, 3, 25, 9, 0))
WAITING = _ev(
    "waiting",
    clock_stopped=True,
    waiting_for_applicant=True,
    supplement_requests=1,
    stops=(Stop(kind="supplement", start=datetime(2026, 3, 10, 9, 0), end=None, hours=0.0),),
    d766_due_at=datetime(2026, 4, 15, 17, 0),
)
TWO_REQUESTS = _ev(
    "two-requests", outcome="on_time", finished_at=DUE, supplement_requests=2, d766_on_time=False
)
WITHDRAWN_EARLY = _ev("withdrawn-early", outcome="withdrawn", withdrawn_at=datetime(2026, 3, 5))


@pytest.mark.parametrize(
    ("ev", "on_time", "end"),
    [
        pytest.param(ON_TIME, True, DUE, id="finished-on-due-date"),
        pytest.param(OVERDUE, False, END, id="open-overdue-ends-at-period-end"),
        pytest.param(WITHDRAWN_LATE, False, datetime(2026, 3, 25, 9, 0), id="withdrawn-after-due"),
        pytest.param(WAITING, True, datetime(2026, 3, 10, 9, 0), id="lone-open-request-ends-count"),
        pytest.param(TWO_REQUESTS, False, DUE, id="two-requests-late"),
        pytest.param(WITHDRAWN_EARLY, True, datetime(2026, 3, 5), id="withdrawn-before-due"),
    ],
)
def test_status_21(ev: Evaluation, on_time: bool, end: datetime) -> None:
    status = status_21(ev)
    assert status.counts
    assert status.on_time is on_time
    assert status.end == end


def test_domain_example_is_fifty_percent() -> None:
    assert rate_21([ON_TIME, OVERDUE, WITHDRAWN_LATE, WAITING]) == 50.00


def test_empty_period_has_no_rate() -> None:
    assert rate_21([]) is None


def test_returned_ends_the_count_at_the_return() -> None:
    returned = _ev("returned", outcome="returned", returned_at=datetime(2026, 3, 18, 17, 0))
    status = status_21(returned)
    assert status.end == datetime(2026, 3, 18, 17, 0)
    assert status.on_time
    assert status.why == "returned by the due date"
