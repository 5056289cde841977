"""Outcomes of dossiers: the legal and practice cases of domain brief §3–§5."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from procflow import Outcome, WorkCalendar, evaluate

from .cases import dossier, ev

R = ev("received", "2024-08-29T10:00")  # Thu; 3 working days -> due Thu 2024-09-05 17:00
LIMIT = "03 ngày làm việc"
END = date(2024, 12, 31)

# events after receipt, as_of, expected outcome, rule
FINISHED_CASES = [
    pytest.param(
        [ev("finished", "2024-09-04T16:00", result="granted")],
        Outcome.EARLY,
        "finished_before_due_date",
        id="early",
    ),
    pytest.param(
        [ev("finished", "2024-09-05T10:00", result="granted")],
        Outcome.ON_TIME,
        "finished_by_due_time",
        id="on-due-date",
    ),
    pytest.param(
        [ev("finished", "2024-09-05T17:00", result="granted")],
        Outcome.ON_TIME,
        "finished_by_due_time",
        id="at-due-time",
    ),
    pytest.param(
        [ev("finished", "2024-09-05T17:30", result="granted")],
        Outcome.LATE,
        "finished_after_due_time",
        id="after-due-time",
    ),
    pytest.param(
        [ev("finished", "2024-09-06T09:00", result="granted")],
        Outcome.LATE,
        "finished_after_due_time",
        id="next-day",
    ),
    pytest.param(
        [ev("finished", "2024-08-30T09:00", result="refused")],
        Outcome.EARLY,
        "finished_before_due_date",
        id="refusal-early",
    ),
    pytest.param(
        [ev("finished", "2024-09-09T09:00", result="refused")],
        Outcome.LATE,
        "finished_after_due_time",
        id="refusal-late",
    ),
    pytest.param(
        [ev("withdrawn", "2024-09-03T09:00")], Outcome.WITHDRAWN, "withdrawn", id="withdrawn"
    ),
    pytest.param(
        [ev("withdrawn", "2024-09-09T09:00")],
        Outcome.WITHDRAWN,
        "withdrawn",
        id="withdrawn-after-due",
    ),
]


@pytest.mark.parametrize(("events", "outcome", "rule"), FINISHED_CASES)
def test_finished_outcomes(
    cal: WorkCalendar, events: list[dict[str, Any]], outcome: Outcome, rule: str
) -> None:
    e = evaluate(dossier(LIMIT, R, *events), None, cal, as_of=END)
    assert e.due_at == e.effective_due_at == datetime(2024, 9, 5, 17)
    assert (e.outcome, e.rule) == (outcome, rule)


@pytest.mark.parametrize(
    ("as_of", "outcome"),
    [
        (datetime(2024, 9, 4, 9), Outcome.IN_TIME),
        (datetime(2024, 9, 5, 16, 59), Outcome.IN_TIME),
        (datetime(2024, 9, 5, 17, 0), Outcome.IN_TIME),
        (datetime(2024, 9, 5, 17, 1), Outcome.OVERDUE),
        (date(2024, 9, 5), Outcome.OVERDUE),  # a date means its end
        (datetime(2024, 9, 9, 8), Outcome.OVERDUE),
    ],
)
def test_unfinished_on_each_side_of_the_due_date(
    cal: WorkCalendar, as_of: datetime | date, outcome: Outcome
) -> None:
    e = evaluate(dossier(LIMIT, R), None, cal, as_of=as_of)
    assert e.outcome is outcome
    assert e.finished_at is None


def test_events_after_as_of_are_ignored(cal: WorkCalendar) -> None:
    d = dossier(LIMIT, R, ev("finished", "2024-09-10T09:00", result="granted"))
    assert evaluate(d, None, cal, as_of=datetime(2024, 9, 4, 9)).outcome is Outcome.IN_TIME
    assert evaluate(d, None, cal, as_of=datetime(2024, 9, 9, 9)).outcome is Outcome.OVERDUE
    assert evaluate(d, None, cal, as_of=END).outcome is Outcome.LATE


@pytest.mark.parametrize(
    ("finished", "cutoff", "outcome"),
    [
        ("2024-02-05T09:00", "15:00", Outcome.ON_TIME),  # counted from Thu 1/2: due Mon 5/2
        ("2024-02-05T09:00", None, Outcome.LATE),  # counted from Wed 31/1: due Fri 2/2
        ("2024-02-02T16:00", "15:00", Outcome.EARLY),
    ],
)
def test_cutoff(cal: WorkCalendar, finished: str, cutoff: str | None, outcome: Outcome) -> None:
    extra = {"cutoff": cutoff} if cutoff else {}
    d = dossier(
        "02 ngày làm việc",
        ev("received", "2024-01-31T15:20"),
        ev("finished", finished, result="granted"),
        **extra,
    )
    assert evaluate(d, None, cal, as_of=END).outcome is outcome


# Received Mon 2024-03-04 09:00, 5 working days: due Mon 2024-03-11 17:00. Supplement requested
# Tue 3/5 09:00 and received Thu 3/7 09:00: 16 working hours waiting for the applicant.
SUPPLEMENT = [
    ev("received", "2024-03-04T09:00"),
    ev("supplement_requested", "2024-03-05T09:00"),
    ev("supplement_received", "2024-03-07T09:00"),
    ev("finished", "2024-03-13T10:00", result="granted"),
]


@pytest.mark.parametrize(
    ("policy", "effective_due", "outcome"),
    [
        ("restart", datetime(2024, 3, 14, 17), Outcome.EARLY),  # 5 days again from Thu 3/7
        ("pause", datetime(2024, 3, 13, 17), Outcome.ON_TIME),  # 16 hours not counted
        ("none", datetime(2024, 3, 11, 17), Outcome.LATE),
    ],
)
def test_supplement_policies(
    cal: WorkCalendar, policy: str, effective_due: datetime, outcome: Outcome
) -> None:
    e = evaluate(
        dossier("05 ngày làm việc", *SUPPLEMENT, supplement_policy=policy), None, cal, as_of=END
    )
    assert e.due_at == datetime(2024, 3, 11, 17)
    assert e.effective_due_at == effective_due
    assert e.outcome is outcome
    assert e.supplement_requests == 1
    # Decision 766 subtracts the waiting whatever the procedure's policy.
    assert e.d766_due_at == datetime(2024, 3, 13, 17)
    assert e.d766_on_time is True


def test_pause_spanning_the_30_4_holidays_counts_working_hours_only(cal: WorkCalendar) -> None:
    # Wed 24/4, 5 days: 25, 26/4, 2, 3/5 and Saturday 4/5 (worked) -> due Sat 4/5 17:00.
    # Waiting Fri 26/4 09:00 -> Thu 2/5 09:00: 7 + 1 = 8 working hours over six days off.
    d = dossier(
        "05 ngày làm việc",
        ev("received", "2024-04-24T09:00"),
        ev("supplement_requested", "2024-04-26T09:00"),
        ev("supplement_received", "2024-05-02T09:00"),
        supplement_policy="pause",
    )
    e = evaluate(d, None, cal, as_of=END)
    assert e.due_at == datetime(2024, 5, 4, 17)
    assert e.not_counted_hours == 8
    assert e.effective_due_at == datetime(2024, 5, 6, 17)


def test_waits_not_counted_extend_the_due_date(cal: WorkCalendar) -> None:
    events = [
        R,
        ev("waiting_started", "2024-08-30T08:00", reason="financial_obligation"),
        ev("waiting_ended", "2024-09-04T08:00", reason="financial_obligation"),
        ev("finished", "2024-09-06T16:00", result="granted"),
    ]
    counted = evaluate(dossier(LIMIT, *events), None, cal, as_of=END)
    excluded = evaluate(
        dossier(LIMIT, *events, not_counted=["financial_obligation"]), None, cal, as_of=END
    )
    assert counted.outcome is Outcome.LATE
    assert excluded.not_counted_hours == 8  # Friday 30/8; the rest are days off
    assert excluded.effective_due_at == datetime(2024, 9, 6, 17)
    assert excluded.outcome is Outcome.ON_TIME


def test_restart_waiting_for_the_applicant(cal: WorkCalendar) -> None:
    # Requested within 8 working hours of receipt: the limit restarts when it arrives.
    d = dossier(LIMIT, R, ev("supplement_requested", "2024-08-30T09:00"))
    e = evaluate(d, None, cal, as_of=datetime(2024, 9, 20, 9))
    assert e.outcome is Outcome.IN_TIME
    assert e.rule == "clock_not_running"
    assert e.waiting_for_applicant
    assert e.clock_stopped
    assert e.effective_due_at is None


def test_pause_waiting_for_the_applicant_keeps_the_time_left(cal: WorkCalendar) -> None:
    d = dossier(LIMIT, R, ev("supplement_requested", "2024-09-04T09:00"), supplement_policy="pause")
    e = evaluate(d, None, cal, as_of=datetime(2024, 9, 20, 9))
    assert e.outcome is Outcome.IN_TIME
    assert e.clock_stopped
    assert e.waiting_for_applicant
    # At the request, 9/4 09:00, 15 working hours were left; they still are.
    assert e.remaining_hours == 15


@pytest.mark.parametrize(
    ("issued", "timely"),
    [("2024-09-03T09:00", True), ("2024-09-04T16:00", True), ("2024-09-05T09:00", False)],
)
def test_apology_must_come_a_working_day_before_the_due_date(
    cal: WorkCalendar, issued: str, timely: bool
) -> None:
    d = dossier(
        LIMIT,
        R,
        ev("apology_issued", issued, new_due_at="2024-09-10T17:00"),
        ev("finished", "2024-09-09T15:00", result="granted"),
    )
    e = evaluate(d, None, cal, as_of=END)
    assert e.apology is not None
    assert e.apology.timely is timely
    assert e.apology.met_new_due is True
    assert e.outcome is Outcome.LATE  # still judged against the original due date
    assert e.effective_due_at == datetime(2024, 9, 5, 17)


def test_apology_after_a_holiday_weekend(cal: WorkCalendar) -> None:
    # Due Thu 5/9: the working day before is Wed 4/9 (2–3/9 are National Day).
    d = dossier(LIMIT, R, ev("apology_issued", "2024-09-02T09:00", new_due_at="2024-09-10T17:00"))
    assert evaluate(d, None, cal, as_of=END).apology.timely is True  # type: ignore[union-attr]


def test_second_reappointment_is_flagged(cal: WorkCalendar) -> None:
    d = dossier(
        LIMIT,
        R,
        ev("apology_issued", "2024-09-03T09:00", new_due_at="2024-09-10T17:00"),
        ev("apology_issued", "2024-09-09T09:00", new_due_at="2024-09-13T17:00"),
    )
    e = evaluate(d, None, cal, as_of=datetime(2024, 9, 12, 9))
    assert e.apology is not None
    assert e.apology.count == 2
    assert e.apology.reappointed_more_than_once
    assert "Hẹn lại 2 lần" in e.explain("vi")
    assert e.outcome is Outcome.OVERDUE


def test_two_supplement_requests_are_late_for_decision_766(cal: WorkCalendar) -> None:
    d = dossier(
        "05 ngày làm việc",
        ev("received", "2024-03-04T09:00"),
        ev("supplement_requested", "2024-03-05T09:00"),
        ev("supplement_received", "2024-03-06T09:00"),
        ev("supplement_requested", "2024-03-07T09:00"),
        ev("supplement_received", "2024-03-08T09:00"),
        ev("finished", "2024-03-11T09:00", result="granted"),
    )
    e = evaluate(d, None, cal, as_of=END)
    assert e.outcome is Outcome.EARLY  # restart from Fri 8/3: due Fri 15/3
    assert e.supplement_requests == 2
    assert e.d766_on_time is False


def test_time_used_and_remaining(cal: WorkCalendar) -> None:
    e = evaluate(
        dossier(LIMIT, R, ev("finished", "2024-09-04T10:00", result="granted")),
        None,
        cal,
        as_of=END,
    )
    assert e.used_hours == 6 + 8 + 2  # rest of 29/8, 30/8, two hours of 4/9
    assert e.used_days == 2
    assert e.remaining_hours == 6 + 8  # rest of 4/9 and all of 5/9


def test_aware_input_gives_aware_output(cal: WorkCalendar) -> None:
    d = dossier(
        LIMIT,
        ev("received", "2024-08-29T03:00Z"),
        ev("finished", "2024-09-05T09:00+07:00", result="granted"),
    )
    e = evaluate(d, None, cal, as_of=END)
    assert e.due_at.isoformat() == "2024-09-05T17:00:00+07:00"
    assert e.outcome is Outcome.ON_TIME


def test_explanation_in_both_languages(cal: WorkCalendar) -> None:
    e = evaluate(
        dossier(LIMIT, R, ev("finished", "2024-09-06T09:00", result="refused")),
        None,
        cal,
        as_of=END,
    )
    assert (
        "Hoàn thành (từ chối) lúc 09:00 thứ Sáu 06/09/2024, hạn 17:00 thứ Năm 05/09/2024: quá hạn"
        in e.explain("vi")
    )
    assert (
        "Finished (refused) at 09:00 on Friday 2024-09-06, due 17:00 on Thursday 2024-09-05: late"
        in e.explain("en")
    )


def test_evaluation_is_json(cal: WorkCalendar) -> None:
    e = evaluate(dossier(LIMIT, R), None, cal, as_of=END)
    data = e.model_dump(mode="json")
    assert data["outcome"] == "overdue"
    assert data["due_at"] == "2024-09-05T17:00:00+07:00"
    assert type(e).model_validate_json(e.model_dump_json()) == e
