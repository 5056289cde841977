"""Compliance findings, one row a case, worked by hand on the domain brief's example.

Limit 3 working days, received Thursday 29/8/2024 10:00: 30/8 is day 1, 31/8-1/9 a weekend,
2/9-3/9 National Day, 4/9 day 2, 5/9 day 3: due Thursday 5/9/2024 17:00 (domain brief §3).
The apology is due one working day before the due date, by Wednesday 4/9 (Decree 61/2018
Art. 19 as amended by Decree 107/2021); only the first new date counts (Decree 297/2025
Art. 6(5)); a request more than 8 working hours after receipt (after Friday 30/8 10:00) is
outside the window (Decree 297/2025 Art. 6(4)(a)); more than one request is late for
Decision 766 indicator 2.1.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from procflow import Dossier, WorkCalendar, evaluate
from procflow.deadline import Note
from procflow.findings import FINDINGS, FindingCode, count_findings, findings, findings_by_group
from tests.index766.test_index766 import _ev

RECEIVED = "2024-08-29T10:00"
AS_OF = datetime(2024, 9, 30, 17)


def _dossier(*events: tuple[Any, ...]) -> Dossier:
    out: list[dict[str, Any]] = [{"type": "received", "at": RECEIVED}]
    for event in events:
        kind, at = event[0], event[1]
        extra: dict[str, Any] = event[2] if len(event) == 3 else {}
        if kind == "finished":
            extra = {"result": "granted", **extra}
        out.append({"type": kind, "at": at, **extra})
    return Dossier.model_validate({"id": "HS-1", "time_limit": "03 ngày làm việc", "events": out})


def _apology(at: str, new_due: str) -> tuple[str, str, dict[str, Any]]:
    return ("apology_issued", at, {"new_due_at": new_due})


CASES = [
    pytest.param((("finished", "2024-09-05T16:00"),), AS_OF, [], id="on-time-nothing"),
    pytest.param(
        (("finished", "2024-09-06T10:00"),),
        AS_OF,
        ["late_without_apology"],
        id="late-without-apology",
    ),
    pytest.param((), datetime(2024, 9, 10, 17), ["late_without_apology"], id="open-overdue"),
    pytest.param(
        (_apology("2024-09-04T09:00", "2024-09-09T17:00"), ("finished", "2024-09-06T10:00")),
        AS_OF,
        [],
        id="late-apology-in-time-new-date-met",
    ),
    pytest.param(
        (_apology("2024-09-05T09:00", "2024-09-09T17:00"), ("finished", "2024-09-06T10:00")),
        AS_OF,
        ["apology_late"],
        id="apology-on-the-due-date-is-late",
    ),
    pytest.param(
        (_apology("2024-09-04T09:00", "2024-09-06T12:00"), ("finished", "2024-09-09T10:00")),
        AS_OF,
        ["new_due_missed"],
        id="new-date-missed",
    ),
    pytest.param(
        (_apology("2024-09-04T09:00", "2024-09-06T12:00"),),
        datetime(2024, 9, 10, 17),
        ["new_due_missed"],
        id="open-past-the-new-date",
    ),
    pytest.param(
        (
            _apology("2024-09-04T09:00", "2024-09-09T17:00"),
            _apology("2024-09-06T09:00", "2024-09-12T17:00"),
            ("finished", "2024-09-11T10:00"),
        ),
        AS_OF,
        ["reappointed_twice", "new_due_missed"],
        id="second-new-date-judged-against-the-first",
    ),
    pytest.param(
        (
            ("supplement_requested", "2024-08-29T14:00"),
            ("supplement_received", "2024-08-30T09:00"),
            ("supplement_requested", "2024-08-30T09:30"),
            ("supplement_received", "2024-09-04T09:00"),
            ("finished", "2024-09-05T10:00"),
        ),
        AS_OF,
        ["several_supplement_requests"],
        id="two-requests",
    ),
    pytest.param(
        (
            ("supplement_requested", "2024-08-30T14:00"),
            ("supplement_received", "2024-09-04T09:00"),
            ("finished", "2024-09-06T10:00"),
        ),
        AS_OF,
        ["request_outside_window"],
        id="request-after-8-working-hours",
    ),
]


@pytest.mark.parametrize(("events", "as_of", "codes"), CASES)
def test_findings(
    events: tuple[Any, ...], as_of: datetime, codes: list[str], cal: WorkCalendar
) -> None:
    evaluation = evaluate(_dossier(*events), None, cal, as_of=as_of)
    got = findings(evaluation)
    assert [f.code.value for f in got] == codes
    for finding in got:
        assert finding.article == FINDINGS[finding.code].article_en
        assert finding.vi
        assert finding.en


@pytest.mark.parametrize(
    ("fields", "codes"),
    [
        pytest.param(
            {
                "outcome": "returned",
                "rule": "returned",
                "returned_at": datetime(2026, 3, 23, 10, 0),
                "waiting_for_applicant": True,
                "supplement_requests": 1,
            },
            ["supplement_abandoned", "returned"],
            id="returned-at-set",
        ),
        pytest.param(
            {
                "outcome": "withdrawn",
                "rule": "withdrawn",
                "withdrawn_at": datetime(2026, 3, 25, 9, 0),
                "supplement_requests": 1,
                "notes": (Note(code="outcome_returned", vi="Trả lại hồ sơ", en="Returned"),),
            },
            [],
            id="a-note-is-not-a-return",
        ),
    ],
)
def test_a_return_is_the_evaluations_returned_at(fields: dict[str, Any], codes: list[str]) -> None:
    # The evaluation returns a dossier (Evaluation.returned_at, outcome RETURNED) only when
    # its supplement did not arrive within the window (Decree 297/2025 Art. 6(4)): the
    # findings read that field, not the words of a note.
    assert [f.code.value for f in findings(_ev("R", **fields))] == codes


def test_every_finding_cites_an_article() -> None:
    assert list(FINDINGS) == list(FindingCode)
    for rule in FINDINGS.values():
        assert any(word in rule.article_en for word in ("Decree", "Decision"))
        assert any(word in rule.article_vi for word in ("Nghị định", "Quyết định"))


def test_counts_per_group_and_total(cal: WorkCalendar) -> None:
    late = evaluate(_dossier(("finished", "2024-09-06T10:00")), None, cal, as_of=AS_OF)
    fine = evaluate(_dossier(("finished", "2024-09-05T10:00")), None, cal, as_of=AS_OF)
    by = findings_by_group([("A", late), ("B", fine), ("A", late)])
    assert list(by) == ["A", "B", "total"]
    assert by["A"]["late_without_apology"] == 2
    assert by["B"] == count_findings([])
    assert by["total"]["late_without_apology"] == 2


def test_returned_without_the_supplement(cal: WorkCalendar) -> None:
    # Requested Monday 2/3/2026 10:00, never supplied: returned after the supplement window
    # (Decree 297/2025), so both the abandonment and the return are findings.
    d = Dossier.model_validate(
        {
            "id": "R",
            "time_limit": "03 ngày làm việc",
            "events": [
                {"type": "received", "at": "2026-03-02T09:00"},
                {"type": "supplement_requested", "at": "2026-03-02T10:00"},
            ],
        }
    )
    e = evaluate(d, None, cal, as_of=datetime(2026, 4, 30, 17))
    assert e.outcome.value == "returned"
    assert [f.code.value for f in findings(e)] == ["supplement_abandoned", "returned"]
