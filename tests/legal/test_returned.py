"""A dossier whose supplement does not arrive within 15 working days is returned.

Decree 297/2025/NĐ-CP Art. 6(4): the applicant has 15 working days to supply what was
requested; after that the dossier is returned ("trả lại hồ sơ") and ends, outcome
``returned``, instead of waiting "in time" forever. The window is the procedure's
``supplement_return_days`` (None: never returned). A request at or after the due date moves
nothing (it does not give the agency a way out of an overdue dossier).

Limit 3 working days, received Thursday 29/8/2024 10:00, due Thursday 5/9/2024 17:00
(31/8-3/9/2024 are off for National Day). A request on Friday 30/8 09:00: the 15 working
days after it are 4, 5, 6, 9, 10, 11, 12, 13, 16, 17, 18, 19, 20, 23 and 24/9, so it is
returned at 17:00 on Tuesday 24/9/2024.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from procflow import Outcome, SupplementPolicy, WorkCalendar, evaluate
from procflow.interchange import row_to_dossier
from tests.legal.engines import ENGINES, procedure_with, run, supplement_row

RETURNED_AT = datetime(2024, 9, 24, 17)
CASES = [
    # (id, policy, return days, requested, supplied, finished, as_of, outcome, rule)
    (
        "waiting-before-the-window-ends",
        "restart",
        15,
        "2024-08-30T09:00",
        "",
        "",
        datetime(2024, 9, 24, 16, 59),
        "in_time",
        "clock_not_running",
    ),
    (
        "returned-when-the-window-ends",
        "restart",
        15,
        "2024-08-30T09:00",
        "",
        "",
        RETURNED_AT,
        "returned",
        "supplement_not_received",
    ),
    (
        "returned-under-pause",
        "pause",
        15,
        "2024-08-30T09:00",
        "",
        "",
        datetime(2024, 9, 30, 17),
        "returned",
        "supplement_not_received",
    ),
    (
        "supplied-in-the-window-restarts",
        "restart",
        15,
        "2024-08-30T09:00",
        "2024-09-20T09:00",
        "",
        datetime(2024, 9, 25, 17),  # restarted: due 25/9 17:00
        "in_time",
        "unfinished_by_due_time",
    ),
    (
        "shorter-window",
        "restart",
        5,
        "2024-08-30T09:00",
        "",
        "",
        datetime(2024, 9, 10, 17),  # 4, 5, 6, 9, 10/9
        "returned",
        "supplement_not_received",
    ),
    (
        "no-window-waits-forever",
        "restart",
        None,
        "2024-08-30T09:00",
        "",
        "",
        datetime(2024, 12, 31, 17),
        "in_time",
        "clock_not_running",
    ),
    (
        "late-request-is-not-a-way-out",
        "restart",
        15,
        "2024-09-06T09:00",
        "",
        "",
        datetime(2024, 12, 31, 17),
        "overdue",
        "unfinished_past_due_time",
    ),
    (
        "finished-before-the-window-ends",
        "pause",
        15,
        "2024-08-30T09:00",
        "",
        "2024-09-04T10:00",
        datetime(2024, 12, 31, 17),
        "early",
        "finished_before_due_date",
    ),
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("policy", "days", "requested", "supplied", "finished", "as_of", "outcome", "rule"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_returned(
    engine: str,
    policy: str,
    days: int | None,
    requested: str,
    supplied: str,
    finished: str,
    as_of: datetime,
    outcome: str,
    rule: str,
    cal: WorkCalendar,
) -> None:
    procedure = procedure_with(
        supplement_policy=SupplementPolicy(policy), supplement_return_days=days
    )
    row = supplement_row(requested, supplied, finished, procedure_id=procedure.id)
    del row["time_limit"]
    got = run(engine, row, cal, as_of, {procedure.id: procedure})
    assert (got["outcome"], got["rule"]) == (outcome, rule)


def test_returned_is_explained_and_dated(cal: WorkCalendar) -> None:
    row = supplement_row("2024-08-30T09:00", "", "")
    e = evaluate(row_to_dossier({"dossier_id": "HS-R", **row}), None, cal, as_of=RETURNED_AT)
    assert e.outcome is Outcome.RETURNED
    assert e.returned_at == RETURNED_AT
    assert "returned" in [n.code for n in e.notes]
    assert not e.outcome.is_finished
