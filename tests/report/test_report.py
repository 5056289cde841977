"""Period reports: hand-counted totals, the identities of domain brief §5, objectives."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procflow import (
    Dossier,
    GroupBy,
    Objective,
    WorkCalendar,
    build_report,
    check_objectives,
    period,
)
from procflow.report import percent
from tests.evaluation.cases import ev

# A hand-made quarter: Q1 2025 (1/1–31/3). Limit 3 working days for all.
LIMIT = "03 ngày làm việc"


def _d(i: str, *events: dict[str, Any], channel: str = "online", field: str = "Hộ tịch") -> Dossier:
    return Dossier.model_validate(
        {"id": i, "time_limit": LIMIT, "channel": channel, "field": field, "events": list(events)}
    )


HAND = [
    # received in Q4 2024, finished in Q4: not in Q1 at all
    _d(
        "old-done",
        ev("received", "2024-12-02T09:00"),
        ev("finished", "2024-12-03T09:00", result="granted"),
    ),
    # received in Q4, finished early in Q1 -> carried over, resolved early... due 2025-01-03
    _d(
        "carry-early",
        ev("received", "2024-12-30T09:00"),
        ev("finished", "2025-01-02T09:00", result="granted"),
    ),
    # received in Q4, still open at end of Q1 -> carried over, in progress overdue
    _d("carry-open", ev("received", "2024-12-30T09:00"), channel="post", field="Đất đai"),
    # new in Q1: early, on time, late with apology, late without, refused early
    _d(
        "early",
        ev("received", "2025-02-03T09:00"),
        ev("finished", "2025-02-04T09:00", result="granted"),
    ),
    _d(
        "on-time",
        ev("received", "2025-02-03T09:00"),
        ev("finished", "2025-02-06T16:00", result="granted"),
        channel="in_person",
    ),
    _d(
        "late-apology",
        ev("received", "2025-02-03T09:00"),
        ev("apology_issued", "2025-02-04T09:00", new_due_at="2025-02-10T17:00"),
        ev("finished", "2025-02-07T09:00", result="granted"),
    ),
    _d(
        "late",
        ev("received", "2025-02-03T09:00"),
        ev("finished", "2025-02-10T09:00", result="granted"),
        field="Đất đai",
    ),
    _d(
        "refused",
        ev("received", "2025-02-03T09:00"),
        ev("finished", "2025-02-04T10:00", result="refused"),
        channel="post",
    ),
    # new in Q1: withdrawn; waiting for supplement; in time at the end of Q1
    _d("withdrawn", ev("received", "2025-03-03T09:00"), ev("withdrawn", "2025-03-04T09:00")),
    _d(
        "waiting",
        ev("received", "2025-03-25T09:00"),
        ev("supplement_requested", "2025-03-26T09:00"),
        channel="in_person",
    ),
    _d("in-time", ev("received", "2025-03-31T09:00")),
    # new in Q1 but finished in Q2: in progress at end of Q1, in time
    _d(
        "next-quarter",
        ev("received", "2025-03-28T09:00"),
        ev("finished", "2025-04-01T09:00", result="granted"),
    ),
    # received in Q2: not in Q1
    _d("future", ev("received", "2025-04-02T09:00")),
]


@pytest.fixture(scope="module")
def q1(cal: WorkCalendar) -> Any:
    return build_report(HAND, None, cal, start=date(2025, 1, 1), end=date(2025, 3, 31), by="field")


def test_hand_counted_total(q1: Any) -> None:
    t = q1.total
    counted = {
        "received_total": 11,
        "received_new": 9,
        "received_online": 6,  # early, late-apology, late, withdrawn, in-time, next-quarter
        "received_in_person": 2,  # on-time, waiting
        "received_post": 1,  # refused
        "carried_over": 2,
        "resolved_total": 6,
        "resolved_early": 3,  # carry-early, early, refused
        "resolved_on_time": 1,
        "resolved_late": 2,
        "resolved_late_with_apology": 1,
        "resolved_late_without_apology": 1,
        "resolved_refused": 1,
        "in_progress_total": 4,  # carry-open, waiting, in-time, next-quarter
        "in_progress_in_time": 3,
        "in_progress_overdue": 1,
        "in_progress_waiting": 1,
        "withdrawn": 1,
    }
    assert {k: getattr(t, k) for k in counted} == counted
    assert (t.early_rate, t.on_time_rate, t.late_rate, t.timely_rate) == (50.0, 16.67, 33.33, 66.67)


def test_rows_by_field(q1: Any) -> None:
    rows = {r.key: r for r in q1.rows}
    assert set(rows) == {"Hộ tịch", "Đất đai"}
    assert rows["Đất đai"].received_total == 2
    assert rows["Đất đai"].carried_over == 1
    assert rows["Đất đai"].resolved_late == 1
    assert sum(r.received_total for r in q1.rows) == q1.total.received_total


def test_json_keys_are_the_public_contract(q1: Any) -> None:
    data = q1.model_dump(mode="json")
    keys = {
        "received_total", "received_new", "received_online", "carried_over", "resolved_total",
        "resolved_early", "resolved_on_time", "resolved_late", "in_progress_total",
        "in_progress_in_time", "in_progress_overdue", "withdrawn", "early_rate", "on_time_rate",
        "late_rate", "mean_working_days",
    }  # fmt: skip
    assert keys <= data["total"].keys()
    assert all(keys <= row.keys() for row in data["rows"])


def test_seed_report_rates() -> None:
    # One ward, first half of 2024: 820 resolved, 627 early, 190 on time, 3 late.
    assert (percent(627, 820), percent(190, 820), percent(3, 820)) == (76.46, 23.17, 0.37)


def test_carried_over_equals_previous_in_progress(cal: WorkCalendar) -> None:
    q4 = build_report(HAND, None, cal, start=date(2024, 10, 1), end=date(2024, 12, 31))
    q1 = build_report(HAND, None, cal, start=date(2025, 1, 1), end=date(2025, 3, 31))
    q2 = build_report(HAND, None, cal, start=date(2025, 4, 1), end=date(2025, 6, 30))
    assert q1.total.carried_over == q4.total.in_progress_total == 2
    assert q2.total.carried_over == q1.total.in_progress_total == 4


@pytest.mark.parametrize(
    ("kind", "number", "expected"),
    [
        ("month", 2, (date(2024, 2, 1), date(2024, 2, 29))),
        ("quarter", 4, (date(2024, 10, 1), date(2024, 12, 31))),
        ("half", 2, (date(2024, 7, 1), date(2024, 12, 31))),
        ("year", 1, (date(2024, 1, 1), date(2024, 12, 31))),
    ],
)
def test_periods(kind: Any, number: int, expected: tuple[date, date]) -> None:
    assert period(kind, 2024, number) == expected


def test_bad_period() -> None:
    with pytest.raises(ValueError, match="quarter number is 1 to 4, got 5"):
        period("quarter", 2024, 5)


def test_objectives(q1: Any) -> None:
    misses = check_objectives(
        q1, [Objective(minimum=95), Objective(metric="early_rate", minimum=10, key="Đất đai")]
    )
    assert {(m.key, m.metric) for m in misses} == {
        ("Hộ tịch", "timely_rate"),
        ("Đất đai", "timely_rate"),
        ("total", "timely_rate"),
        ("Đất đai", "early_rate"),  # its one resolved dossier was late
    }


def test_end_before_start(cal: WorkCalendar) -> None:
    with pytest.raises(ValueError, match="before it starts"):
        build_report(HAND, None, cal, start=date(2025, 3, 1), end=date(2025, 2, 1))


# -- identities over random datasets ---------------------------------------------------------

starts = st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 12, 31))
minutes = st.integers(0, 60 * 24 * 40).map(lambda m: timedelta(minutes=m))


@st.composite
def datasets(draw: st.DrawFn) -> list[Dossier]:
    out = []
    for i in range(draw(st.integers(0, 25))):
        t = draw(
            st.datetimes(
                min_value=datetime(2024, 1, 1),
                max_value=datetime(2025, 6, 30),
            )
        )
        events: list[dict[str, Any]] = [{"type": "received", "at": t}]
        end = draw(st.sampled_from(["open", "finished", "withdrawn"]))
        if end != "open":
            extra = {"result": "granted"} if end == "finished" else {}
            events.append({"type": end, "at": t + draw(minutes), **extra})
        out.append(
            Dossier.model_validate(
                {
                    "id": f"R{i}",
                    "time_limit": draw(
                        st.sampled_from(
                            ["03 ngày làm việc", "Trong ngày", "15 ngày", "4 giờ làm việc"]
                        )
                    ),
                    "channel": draw(st.sampled_from(["online", "in_person", "post"])),
                    "field": draw(st.sampled_from(["A", "B"])),
                    "events": events,
                }
            )
        )
    return out


@given(dossiers=datasets(), start=starts, months=st.integers(1, 6))
def test_identities_hold(
    cal: WorkCalendar, dossiers: list[Dossier], start: date, months: int
) -> None:
    end = start + timedelta(days=30 * months)
    report = build_report(dossiers, None, cal, start=start, end=end, by=GroupBy.FIELD)
    following = build_report(
        dossiers, None, cal, start=end + timedelta(days=1), end=end + timedelta(days=90)
    )
    for row in [*report.rows, report.total]:
        assert row.received_total == row.received_new + row.carried_over
        assert row.received_total == row.resolved_total + row.in_progress_total + row.withdrawn
        assert row.received_new == row.received_online + row.received_in_person + row.received_post
        assert row.resolved_total == row.resolved_early + row.resolved_on_time + row.resolved_late
        assert row.in_progress_total == row.in_progress_in_time + row.in_progress_overdue
    assert following.total.carried_over == report.total.in_progress_total
