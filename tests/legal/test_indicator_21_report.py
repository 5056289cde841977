"""Decision 766 indicator 2.1 in the period report, through every report builder.

The formula (domain brief §5, 2026-12; the Government Office's technical description of
Decision 766/QĐ-TTg, indicator 2.1): numerator = processed early or on time, plus still
being processed within the time; denominator = every dossier received or processed in the
period. Issue 14's example: one on time, one open and overdue, one withdrawn after its due
date, one waiting for a supplement requested in time: 2 of 4 = 50.00 %, while
``timely_rate`` (resolved dossiers only) is 100 %.

Every dossier: 3 working days, received Thursday 29/8/2024 10:00, due Thursday 5/9/2024
17:00 (30/8 day 1; 31/8-1/9 weekend; 2/9-3/9 National Day; 4/9 day 2; 5/9 day 3).
"""

from __future__ import annotations

import os
from datetime import date, datetime
from typing import Any
from unittest import mock

import pyarrow as pa
import pytest

from procflow import InputError, Report, WorkCalendar, build_report, bulk
from procflow.bulk.selection import ENGINE_VARIABLE
from procflow.interchange import row_to_dossier
from tests.legal.engines import COLUMNAR, ENGINES

START = date(2024, 8, 1)
END = date(2024, 9, 20)


def _row(dossier_id: str, **events: str) -> dict[str, str]:
    return {
        "dossier_id": dossier_id,
        "received_at": "2024-08-29T10:00",
        "time_limit": "03 ngày làm việc",
        "finished_at": "",
        "result": "",
        "withdrawn_at": "",
        "supplement_requested_at": "",
        "supplement_received_at": "",
        **events,
    }


ROWS = {
    "on-time": _row("on-time", finished_at="2024-09-05T16:00", result="granted"),
    "open-overdue": _row("open-overdue"),
    "withdrawn-late": _row("withdrawn-late", withdrawn_at="2024-09-10T09:00"),
    "waiting-in-time": _row("waiting-in-time", supplement_requested_at="2024-08-30T10:00"),
    "early": _row("early", finished_at="2024-09-04T10:00", result="granted"),
    "late": _row("late", finished_at="2024-09-06T10:00", result="granted"),
    "withdrawn-in-time": _row("withdrawn-in-time", withdrawn_at="2024-09-03T09:00"),
    "refused-on-time": _row("refused-on-time", finished_at="2024-09-05T09:00", result="refused"),
    "supplied-then-finished": _row(
        "supplied-then-finished",
        supplement_requested_at="2024-08-30T10:00",
        supplement_received_at="2024-09-09T10:00",
        finished_at="2024-09-11T10:00",
        result="granted",
    ),
}


def _report(engine: str, rows: list[dict[str, str]], cal: WorkCalendar, **period: Any) -> Report:
    bounds: dict[str, Any] = {"start": START, "end": END, **period}
    if engine == "dossier":
        return build_report([row_to_dossier(r) for r in rows], None, cal, **bounds)
    table = pa.table({k: [r[k] for r in rows] for k in rows[0]})
    with mock.patch.dict(os.environ, {ENGINE_VARIABLE: COLUMNAR[engine]}):
        return bulk.build_report(table, None, cal, **bounds)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("case", "on_time"),
    [
        pytest.param("on-time", 1, id="finished-on-due-date-counts"),
        pytest.param("open-overdue", 0, id="open-past-due-at-period-end-misses"),
        pytest.param("withdrawn-late", 0, id="withdrawn-after-due-misses"),
        # The request (30/8) was in time: the count ends there.
        pytest.param("waiting-in-time", 1, id="lone-open-request-in-time-counts"),
        pytest.param("early", 1, id="finished-early-counts"),
        pytest.param("late", 0, id="finished-late-misses"),
        pytest.param("withdrawn-in-time", 1, id="withdrawn-before-due-counts"),
        pytest.param("refused-on-time", 1, id="refused-by-due-date-counts"),
        # Waiting 30/8 10:00 - 9/9 10:00 is 6 + 8 + 8 + 8 + 2 = 32 working hours, subtracted:
        # the Decision 766 due date moves from 5/9 17:00 to 11/9 17:00; finished 11/9 10:00.
        pytest.param("supplied-then-finished", 1, id="waiting-subtracted"),
    ],
)
def test_each_dossier(engine: str, case: str, on_time: int, cal: WorkCalendar) -> None:
    total = _report(engine, [ROWS[case]], cal).total
    assert (total.d766_counted, total.d766_on_time) == (1, on_time)
    assert total.d766_rate == 100.0 * on_time


@pytest.mark.parametrize("engine", ENGINES)
def test_issue_14_example_is_fifty_percent(engine: str, cal: WorkCalendar) -> None:
    rows = [ROWS[k] for k in ("on-time", "open-overdue", "withdrawn-late", "waiting-in-time")]
    total = _report(engine, rows, cal).total
    assert total.received_total == total.d766_counted == 4
    assert total.d766_on_time == 2
    assert total.d766_rate == 50.0
    # The resolved-only rates: the one resolved dossier was on time.
    assert (total.resolved_total, total.timely_rate, total.d766_on_time_rate) == (1, 100.0, 100.0)


def test_both_builders_agree_on_every_case(cal: WorkCalendar) -> None:
    rows = list(ROWS.values())
    by_dossier = _report("dossier", rows, cal, by="procedure")
    assert by_dossier == _report("bulk", rows, cal, by="procedure")


# -- periods ending mid-day ------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_period_ending_mid_day(engine: str, cal: WorkCalendar) -> None:
    rows = [
        ROWS["on-time"],  # finished 5/9 16:00, after a 12:00 end: still in progress, in time
        ROWS["refused-on-time"],  # finished 5/9 09:00: resolved
        _row("after-the-end", received_at="2024-09-05T14:00"),  # outside the period
    ]
    report = _report(engine, rows, cal, end=datetime(2024, 9, 5, 12, 0))
    t = report.total
    assert (t.received_total, t.resolved_total, t.in_progress_in_time) == (2, 1, 1)
    assert (report.period_end, report.period_end_at) == (
        date(2024, 9, 5),
        datetime(2024, 9, 5, 12, 0),
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_date_end_is_the_end_of_that_day(engine: str, cal: WorkCalendar) -> None:
    rows = [ROWS["on-time"], _row("late-in-the-day", received_at="2024-09-05T23:00")]
    by_date = _report(engine, rows, cal, end=date(2024, 9, 5))
    by_moment = _report(engine, rows, cal, end=datetime(2024, 9, 5, 23, 59, 59, 999999))
    assert by_date == by_moment
    assert by_date.total.received_total == 2


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("period", "message"),
    [
        pytest.param({"end": "2024-09-20"}, "end is a date or a datetime, got str '2024-09-20'"),
        pytest.param({"end": None}, "end is a date or a datetime, got NoneType None"),
        pytest.param({"end": 20240920}, "got int 20240920"),
        pytest.param(
            {"start": datetime(2024, 8, 1, 9)}, "start is a date, got datetime datetime.datetime"
        ),
        pytest.param({"start": "2024-08-01"}, "start is a date, got str '2024-08-01'"),
        pytest.param({"end": datetime(2024, 7, 31, 12)}, "ends .* before it starts"),
    ],
)
def test_wrong_bounds_are_clear_errors(
    engine: str, period: dict[str, Any], message: str, cal: WorkCalendar
) -> None:
    with pytest.raises(InputError, match=message):
        _report(engine, [ROWS["on-time"]], cal, **period)
