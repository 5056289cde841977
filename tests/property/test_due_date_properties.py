"""Properties of due dates: on working days, monotone, and the two models agreeing."""

from __future__ import annotations

from datetime import date, datetime, time

from hypothesis import given
from hypothesis import strategies as st

from procflow import CountingModel, TimeLimit, WorkCalendar, due_date, explain_due_date

from .strategies import cutoffs, dates, instants, limits, with_value


@given(t=instants, limit=limits, cutoff=cutoffs)
def test_due_is_a_working_day_within_office_hours(
    cal: WorkCalendar, t: datetime, limit: TimeLimit, cutoff: time | None
) -> None:
    due = due_date(t, limit, cal, cutoff=cutoff)
    assert cal.is_working_day(due.date())
    assert cal.office_hours.opening < due.time() <= cal.office_hours.closing
    assert due >= t  # equal only for a same-day limit received exactly at closing


@given(t=instants, limit=limits, cutoff=cutoffs, extra=st.integers(0, 20))
def test_monotone_in_the_limit(
    cal: WorkCalendar, t: datetime, limit: TimeLimit, cutoff: time | None, extra: int
) -> None:
    longer = with_value(limit, limit.value + extra)
    assert due_date(t, limit, cal, cutoff=cutoff) <= due_date(t, longer, cal, cutoff=cutoff)


@given(t1=instants, t2=instants, limit=limits, cutoff=cutoffs)
def test_monotone_in_receipt_time(
    cal: WorkCalendar, t1: datetime, t2: datetime, limit: TimeLimit, cutoff: time | None
) -> None:
    early, late = sorted((t1, t2))
    assert due_date(early, limit, cal, cutoff=cutoff) <= due_date(late, limit, cal, cutoff=cutoff)


@given(d=dates, n=st.integers(1, 30))
def test_models_agree_when_received_at_close(cal: WorkCalendar, d: date, n: int) -> None:
    # The day model does not count the day of receipt; the hour model counts what is left of
    # it. At close of office nothing is left, so both give close of the n-th working day after.
    day = cal.next_working_day(d)
    received = cal.closing_at(day)
    limit = TimeLimit.working_days(n)
    by_day = due_date(received, limit, cal, model=CountingModel.DAY)
    by_hour = due_date(received, limit, cal, model=CountingModel.HOUR)
    assert by_day == by_hour == cal.closing_at(cal.add_working_days(day, n))


@given(d=dates, n=st.integers(1, 30))
def test_hour_model_is_one_day_shorter_from_opening(cal: WorkCalendar, d: date, n: int) -> None:
    day = cal.next_working_day(d)
    limit = TimeLimit.working_days(n)
    by_hour = due_date(cal.opening_at(day), limit, cal, model=CountingModel.HOUR)
    assert by_hour == cal.closing_at(cal.add_working_days(day, n - 1))


@given(t=instants, limit=limits, cutoff=cutoffs)
def test_explained_equals_plain(
    cal: WorkCalendar, t: datetime, limit: TimeLimit, cutoff: time | None
) -> None:
    explained = explain_due_date(t, limit, cal, cutoff=cutoff)
    assert explained.due_at == due_date(t, limit, cal, cutoff=cutoff)
    assert explained.notes[-1].code == "due"
    assert all(not info.is_working for info in explained.days_off)


@given(t=instants, n=st.integers(1, 45), cutoff=cutoffs)
def test_day_model_counts_exactly_n_days(
    cal: WorkCalendar, t: datetime, n: int, cutoff: time | None
) -> None:
    explained = explain_due_date(t, TimeLimit.working_days(n), cal, cutoff=cutoff)
    assert len(explained.counted_days) == n
    assert cal.count_working_days(explained.receipt.date, explained.due_day) == n
