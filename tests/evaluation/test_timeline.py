"""Timelines that cannot have happened raise TimelineError naming the dossier and the event."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from procflow import (
    Dossier,
    ProcflowError,
    TimelineError,
    UnknownProcedureError,
    WorkCalendar,
    evaluate,
    load_procedures,
)

from .cases import dossier, ev

R = ev("received", "2024-08-29T10:00")
LIMIT = "03 ngày làm việc"

BAD = [
    pytest.param(
        [R, ev("finished", "2024-08-28T10:00", result="granted")],
        r"event 1 \(finished at 2024-08-28T10:00:00\): before the dossier was received",
        id="finish-before-receipt",
    ),
    pytest.param(
        [
            R,
            ev("step_started", "2024-08-30T10:00", step="a"),
            ev("step_finished", "2024-08-30T09:00", step="a"),
        ],
        r"event 2 \(step_finished .*\): out of order",
        id="out-of-order",
    ),
    pytest.param(
        [ev("finished", "2024-08-29T10:00", result="granted"), R],
        r"event 0 \(finished .*\): the first event must be 'received'",
        id="not-received-first",
    ),
    pytest.param(
        [R, ev("received", "2024-08-30T10:00")], r"event 1 .*received once", id="received-twice"
    ),
    pytest.param(
        [R, ev("supplement_received", "2024-08-30T10:00")],
        r"event 1 .*no supplement was requested",
        id="supplement-without-request",
    ),
    pytest.param(
        [
            R,
            ev("supplement_requested", "2024-08-30T10:00"),
            ev("supplement_requested", "2024-08-30T11:00"),
        ],
        r"event 2 .*already open",
        id="two-open-requests",
    ),
    pytest.param(
        [R, ev("waiting_ended", "2024-08-30T10:00", reason="verification")],
        r"event 1 .*no wait for verification",
        id="wait-end-without-start",
    ),
    pytest.param(
        [R, ev("step_finished", "2024-08-30T10:00", step="a")],
        r"event 1 .*step 'a' finished before it started",
        id="step-finish-without-start",
    ),
    pytest.param(
        [R, ev("handed_over", "2024-08-30T10:00")],
        r"event 1 .*handed over before processing finished",
        id="handed-over-early",
    ),
    pytest.param(
        [
            R,
            ev("withdrawn", "2024-08-30T10:00"),
            ev("finished", "2024-08-30T11:00", result="granted"),
        ],
        r"event 2 .*already withdrawn",
        id="after-withdrawal",
    ),
    pytest.param(
        [
            R,
            ev("finished", "2024-08-30T10:00", result="granted"),
            ev("step_started", "2024-08-30T11:00", step="a"),
        ],
        r"event 2 .*already finished",
        id="after-finish",
    ),
    pytest.param(
        [R, ev("apology_issued", "2024-08-30T10:00", new_due_at="2024-08-30T09:00")],
        r"event 1 .*new date .* is not after",
        id="apology-date-before",
    ),
]


@pytest.mark.parametrize(("events", "message"), BAD)
def test_bad_timeline(cal: WorkCalendar, events: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(TimelineError, match=r"dossier 'HS-TEST', " + message) as info:
        evaluate(dossier(LIMIT, *events), None, cal, as_of=date(2024, 12, 31))
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, ProcflowError)


def test_unknown_step_of_the_procedure(cal: WorkCalendar) -> None:
    library = load_procedures(Path(__file__).parents[2] / "src" / "procflow" / "specs")
    d = Dossier.model_validate(
        {
            "id": "HS-9",
            "procedure_id": "cfs-ha-tinh",
            "events": [R, ev("step_started", "2024-08-29T11:00", step="ky-so")],
        }
    )
    with pytest.raises(
        TimelineError,
        match=r"dossier 'HS-9', event 1 .*unknown step 'ky-so' of procedure 'cfs-ha-tinh'",
    ):
        evaluate(d, library, cal, as_of=date(2024, 12, 31))


def test_received_after_as_of(cal: WorkCalendar) -> None:
    with pytest.raises(TimelineError, match="after as_of 2024-08-01"):
        evaluate(dossier(LIMIT, R), None, cal, as_of=date(2024, 8, 1))


def test_procedure_without_library(cal: WorkCalendar) -> None:
    d = Dossier.model_validate({"id": "HS-9", "procedure_id": "cfs-ha-tinh", "events": [R]})
    with pytest.raises(UnknownProcedureError, match="no procedure library"):
        evaluate(d, None, cal, as_of=date(2024, 12, 31))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"id": "X", "events": [R]}, "needs a procedure_id or an inline time_limit"),
        ({"id": "X", "procedure_id": "p", "time_limit": LIMIT, "events": [R]}, "give one"),
        (
            {
                "id": "X",
                "time_limit": LIMIT,
                "events": [{"type": "finished", "at": "2024-08-29T10:00"}],
            },
            "needs result",
        ),
        (
            {
                "id": "X",
                "time_limit": LIMIT,
                "events": [{"type": "arrived", "at": "2024-08-29T10:00"}],
            },
            "arrived",
        ),
        ({"id": "X", "time_limit": "ba ngày", "events": [R]}, "ba ngày"),
    ],
)
def test_bad_dossier_shape(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Dossier.model_validate(data)
