"""Due dates: the legal examples of the domain brief and the receipt rules."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from procflow import (
    VN_TZ,
    CountingModel,
    OfficeHours,
    TimeLimit,
    TimeLimitError,
    WorkCalendar,
    due_date,
    effective_receipt,
    explain_due_date,
    vietnam_calendar,
)

C15 = time(15, 0)
DAY, HOUR = CountingModel.DAY, CountingModel.HOUR

# received, limit text, cut-off, model (None = default), expected due
LEGAL_CASES = [
    # domain.md §3, day model with a 15:00 cut-off
    pytest.param(
        "2024-01-31T15:20", "02 ngày làm việc", C15, None, "2024-02-05T17:00", id="cutoff-after"
    ),
    pytest.param(
        "2024-01-31T14:50", "02 ngày làm việc", C15, None, "2024-02-02T17:00", id="cutoff-before"
    ),
    pytest.param(
        "2024-01-31T15:00", "02 ngày làm việc", C15, None, "2024-02-02T17:00", id="cutoff-exactly"
    ),
    # domain.md §3, day model over a weekend and National Day
    pytest.param(
        "2024-08-29T10:00", "03 ngày làm việc", None, None, "2024-09-05T17:00", id="national-day"
    ),
    # receipt outside office hours or on a day off
    pytest.param(
        "2024-01-31T17:30", "02 ngày làm việc", None, None, "2024-02-05T17:00", id="after-close"
    ),
    pytest.param(
        "2024-01-31T17:00", "02 ngày làm việc", None, None, "2024-02-02T17:00", id="at-close"
    ),
    pytest.param(
        "2024-01-31T06:00", "02 ngày làm việc", None, None, "2024-02-02T17:00", id="before-opening"
    ),
    pytest.param(
        "2024-01-31T12:30", "02 ngày làm việc", None, None, "2024-02-02T17:00", id="lunch-break"
    ),
    pytest.param(
        "2024-02-03T10:00", "02 ngày làm việc", None, None, "2024-02-07T17:00", id="on-saturday"
    ),
    pytest.param(
        "2024-09-02T10:00", "01 ngày làm việc", None, None, "2024-09-05T17:00", id="on-holiday"
    ),
    # swapped Saturday 4/5/2024 is a working day and counts
    pytest.param(
        "2024-04-26T10:00", "03 ngày làm việc", None, None, "2024-05-04T17:00", id="swap-saturday"
    ),
    pytest.param(
        "2024-05-04T10:00",
        "01 ngày làm việc",
        None,
        None,
        "2024-05-06T17:00",
        id="received-on-swap",
    ),
    # Tết 2025
    pytest.param(
        "2025-01-24T09:00", "03 ngày làm việc", None, None, "2025-02-05T17:00", id="over-tet-2025"
    ),
    # same day
    pytest.param("2024-01-31T09:00", "Trong ngày", C15, None, "2024-01-31T17:00", id="same-day"),
    pytest.param(
        "2024-01-31T15:30", "Trong ngày", C15, None, "2024-02-01T17:00", id="same-day-after-cutoff"
    ),
    # calendar days: last day off -> next working day (Civil Code Art. 148)
    pytest.param(
        "2024-04-26T16:00",
        "15 ngày",
        None,
        None,
        "2024-05-13T17:00",
        id="calendar-last-day-saturday",
    ),
    pytest.param(
        "2024-08-18T10:00", "15 ngày", None, None, "2024-09-04T17:00", id="calendar-received-sunday"
    ),
    pytest.param(
        "2024-08-14T10:00",
        "20 ngày",
        None,
        None,
        "2024-09-04T17:00",
        id="calendar-last-day-holiday",
    ),
    pytest.param(
        "2024-03-01T10:00", "30 ngày", None, None, "2024-04-01T17:00", id="calendar-30-days"
    ),
    # hour model
    pytest.param(
        "2024-09-04T10:00", "04 giờ làm việc", None, None, "2024-09-04T15:00", id="hours-over-lunch"
    ),
    pytest.param(
        "2024-08-30T15:00",
        "04 giờ làm việc",
        None,
        None,
        "2024-09-04T10:00",
        id="hours-over-holiday",
    ),
    pytest.param(
        "2024-09-04T15:20",
        "04 giờ làm việc",
        C15,
        None,
        "2024-09-05T12:00",
        id="hours-after-cutoff",
    ),
    pytest.param(
        "2024-09-04T10:00",
        "0,5 ngày làm việc",
        None,
        None,
        "2024-09-04T15:00",
        id="half-day-is-hours",
    ),
    pytest.param(
        "2024-01-31T10:00",
        "02 ngày làm việc",
        None,
        HOUR,
        "2024-02-02T10:00",
        id="days-in-hour-model",
    ),
    pytest.param(
        "2024-01-31T17:00",
        "02 ngày làm việc",
        None,
        HOUR,
        "2024-02-02T17:00",
        id="hour-model-at-close",
    ),
    pytest.param(
        "2024-01-31T15:20",
        "02 ngày làm việc",
        C15,
        HOUR,
        "2024-02-02T17:00",
        id="hour-model-cutoff",
    ),
]


@pytest.mark.parametrize(("received", "text", "cutoff", "model", "expected"), LEGAL_CASES)
def test_due_date(
    cal: WorkCalendar,
    received: str,
    text: str,
    cutoff: time | None,
    model: CountingModel | None,
    expected: str,
) -> None:
    limit = TimeLimit.parse(text)
    got = due_date(datetime.fromisoformat(received), limit, cal, cutoff=cutoff, model=model)
    assert got == datetime.fromisoformat(expected)
    explained = explain_due_date(
        datetime.fromisoformat(received), limit, cal, cutoff=cutoff, model=model
    )
    assert explained.due_at == got


def test_aware_receipt_gives_aware_due_date(cal: WorkCalendar) -> None:
    received = datetime(2024, 1, 31, 8, 20, tzinfo=UTC)  # 15:20 in Hà Nội
    due = due_date(received, TimeLimit.working_days(2), cal, cutoff=C15)
    assert due == datetime(2024, 2, 5, 17, 0, tzinfo=VN_TZ)


@pytest.mark.parametrize(
    ("limit", "model"),
    [("04 giờ làm việc", DAY), ("0,5 ngày làm việc", DAY), ("15 ngày", HOUR), ("Trong ngày", HOUR)],
)
def test_model_that_cannot_count_the_limit(
    cal: WorkCalendar, limit: str, model: CountingModel
) -> None:
    with pytest.raises(TimeLimitError, match=limit.split()[0]):
        due_date(datetime(2024, 9, 4, 9), TimeLimit.parse(limit), cal, model=model)


@pytest.mark.parametrize(
    ("received", "cutoff", "code"),
    [
        ("2024-01-31T15:20", C15, "after_cutoff"),
        ("2024-01-31T17:20", C15, "after_hours"),
        ("2024-01-31T06:00", None, "before_opening"),
        ("2024-02-03T10:00", None, "day_off"),
    ],
)
def test_receipt_notes(cal: WorkCalendar, received: str, cutoff: time | None, code: str) -> None:
    receipt = effective_receipt(datetime.fromisoformat(received), cal, cutoff=cutoff)
    assert [n.code for n in receipt.notes] == [code]


def test_saturday_reception_counts_from_monday() -> None:
    hours = OfficeHours.parse("08:00-12:00, 13:00-17:00", saturday="07:30-11:30")
    with_saturday = vietnam_calendar(years=[2024], office_hours=hours)
    plain = vietnam_calendar(years=[2024])
    received = datetime(2024, 2, 3, 9, 0)  # Saturday morning
    limit = TimeLimit.working_days(1)
    assert due_date(received, limit, with_saturday) == datetime(2024, 2, 5, 17)
    assert due_date(received, limit, plain) == datetime(2024, 2, 6, 17)
    # Saturday afternoon is outside the Saturday reception: counted from Monday.
    assert due_date(datetime(2024, 2, 3, 14, 0), limit, with_saturday) == datetime(2024, 2, 6, 17)
    # A holiday Saturday has no reception.
    assert not with_saturday.is_regular_saturday(datetime(2024, 2, 10).date())


def test_explanation_names_the_holidays_in_both_languages(cal: WorkCalendar) -> None:
    due = explain_due_date(datetime(2024, 8, 29, 10), TimeLimit.working_days(3), cal)
    vi, en = due.explain("vi"), due.explain("en")
    assert "Bỏ qua thứ Hai 02/09/2024: Quốc khánh (ngày lễ)" in vi
    assert "Skipped Monday 2024-09-02: National Day (public holiday)" in en
    assert "Hẹn trả kết quả lúc 17:00 thứ Năm 05/09/2024" in vi
    assert [d.isoformat() for d in due.counted_days] == ["2024-08-30", "2024-09-04", "2024-09-05"]
    assert [i.date.isoformat() for i in due.days_off] == [
        "2024-08-31",
        "2024-09-01",
        "2024-09-02",
        "2024-09-03",
    ]


def test_explanation_of_cutoff_and_swap(cal: WorkCalendar) -> None:
    due = explain_due_date(datetime(2024, 5, 3, 15, 30), TimeLimit.working_days(1), cal, cutoff=C15)
    codes = [n.code for n in due.notes]
    assert codes == ["received", "after_cutoff", "day_model", "skipped_weekend", "counted", "due"]
    assert "Làm bù cho ngày nghỉ 29/04/2024" in due.explain("vi")
    assert due.due_at == datetime(2024, 5, 6, 17)  # received 3/5 15:30 -> counted from 4/5 (worked)


def test_explanation_round_trips_as_json(cal: WorkCalendar) -> None:
    due = explain_due_date(datetime(2024, 8, 29, 10), TimeLimit.working_days(3), cal)
    assert type(due).model_validate_json(due.model_dump_json()) == due
