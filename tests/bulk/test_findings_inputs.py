"""The engine's findings inputs and its row handling, against hand-worked cases.

``request_outside_window`` and ``apology_new_due_at`` (the columns the columnar findings
read); a row received after ``as_of`` that only the per-dossier path reads, under
``received_after_as_of="skip"``; an unknown ``service_level``. Each case is checked by hand
and against the per-dossier path (evaluate, read_dossiers, build_index, build_report).
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from procflow import WorkCalendar, evaluate, read_dossiers, vietnam_calendar
from procflow.bulk import build_report as bulk_report
from procflow.bulk import classify
from procflow.index766 import build_index, read_extra_columns
from procflow.index766_bulk import build_index_bulk
from procflow.interchange import row_to_dossier
from procflow.report import build_report


@pytest.fixture(scope="module")
def cal25() -> WorkCalendar:
    return vietnam_calendar(years=range(2024, 2027))


MARCH_END = datetime(2025, 3, 31, 23, 59, 59)

# Received Monday 2025-03-03 09:00, 03 working days: due Thursday 2025-03-06 17:00. The
# restart window is 8 working hours: Monday 09-12 and 13-17 are 7, so it ends Tuesday 09:00.
WINDOW = [
    ("restart, same day", "restart", "2025-03-03T16:00:00", False),
    ("restart, 8 h exactly", "restart", "2025-03-04T09:00:00", False),
    ("restart, 8 h 1 min", "restart", "2025-03-04T09:01:00", True),
    ("restart, 10 h", "restart", "2025-03-04T11:00:00", True),
    ("default policy is restart", "", "2025-03-04T11:00:00", True),
    ("pause has no window", "pause", "2025-03-04T11:00:00", False),
    ("none has no window", "none", "2025-03-04T11:00:00", False),
    ("at or after the due date moves nothing", "restart", "2025-03-07T09:00:00", False),
    ("after as_of is not seen", "restart", "2025-04-02T09:00:00", False),
]


@pytest.mark.parametrize(
    ("policy", "requested", "outside"),
    [case[1:] for case in WINDOW],
    ids=[case[0] for case in WINDOW],
)
@pytest.mark.parametrize("offset", ["", "+07:00"], ids=["array path", "per-dossier path"])
def test_request_outside_window(
    cal25: WorkCalendar, policy: str, requested: str, outside: bool, offset: str
) -> None:
    row = {
        "dossier_id": "A",
        "received_at": f"2025-03-03T09:00:00{offset}",
        "time_limit": "03 ngày làm việc",
        "supplement_policy": policy,
        "supplement_requested_at": requested,
    }
    result = classify(pa.Table.from_pylist([row]), calendar=cal25, as_of=MARCH_END)
    assert result.table["request_outside_window"].to_pylist() == [outside]
    e = evaluate(row_to_dossier(row), None, cal25, as_of=MARCH_END)
    assert ("request_outside_window" in {n.code for n in e.notes}) is outside


# The apology's first new date against the finish, or against as_of (2025-03-31 end).
NEW_DATES = [
    ("finished after it", "2025-03-07T17:00:00", "2025-03-10T09:00:00", "", True),
    ("finished at it", "2025-03-07T17:00:00", "2025-03-07T17:00:00", "", False),
    ("finished before it", "2025-03-07T17:00:00", "2025-03-07T16:00:00", "", False),
    ("open past it", "2025-03-07T17:00:00", "", "", True),
    ("open, still ahead", "2025-04-10T17:00:00", "", "", False),
    ("withdrawn after it", "2025-03-07T17:00:00", "", "2025-03-10T09:00:00", False),
    ("no new date given", "", "", "", False),
]


def _write(path: Path, rows: list[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_new_date_missed(cal25: WorkCalendar, tmp_path: Path) -> None:
    rows = [
        {
            "dossier_id": f"A{k}",
            "case": case,
            "received_at": "2025-03-03T09:00:00",
            "time_limit": "03 ngày làm việc",
            "apology_issued_at": "2025-03-05T10:00:00",
            "apology_new_due_at": new_due,
            "finished_at": finished,
            "withdrawn_at": withdrawn,
        }
        for k, (case, new_due, finished, withdrawn, _) in enumerate(NEW_DATES)
    ]
    path = _write(tmp_path / "apologies.csv", rows)
    table = classify(path, calendar=cal25, as_of=MARCH_END).table
    expected_dates = [datetime.fromisoformat(d) if d else None for _, d, *_ in NEW_DATES]
    assert table["apology_new_due_at"].to_pylist() == expected_dates
    start, end = date(2025, 3, 1), date(2025, 3, 31)
    fast = build_index_bulk(path, None, cal25, start=start, end=end, by="case")
    slow = build_index(
        read_dossiers(path),
        None,
        cal25,
        start=start,
        end=end,
        by="case",
        extra=read_extra_columns(path, ["case"]),
    )
    expected = {case: int(missed) for case, *_, missed in NEW_DATES}
    for index in (fast, slow):
        assert {g.key: g.findings["new_due_missed"] for g in index.groups} == expected
    assert fast.total.findings == slow.total.findings


def test_an_apology_after_as_of_promises_nothing(cal25: WorkCalendar) -> None:
    row = {
        "dossier_id": "A",
        "received_at": "2025-03-03T09:00:00",
        "time_limit": "03 ngày làm việc",
        "apology_issued_at": "2025-04-02T10:00:00",
        "apology_new_due_at": "2025-04-04T17:00:00",
    }
    table = classify(pa.Table.from_pylist([row]), calendar=cal25, as_of=MARCH_END).table
    assert table["apology"].to_pylist() == [False]
    assert table["apology_new_due_at"].to_pylist() == [None]


# Rows received after as_of (April) that the array path does not take.
AFTER = [
    ("unknown procedure", {"procedure_id": "nope", "time_limit": ""}, None),
    ("offset", {"received_at": "2025-04-03T09:00:00+07:00"}, None),
    ("sub-second", {"received_at": "2025-04-03T09:00:00.5"}, None),
    ("unreadable date", {"received_at": "03/04/2025"}, "not an ISO 8601 date-time"),
    ("unknown service level", {"service_level": "level 9"}, "got 'level 9'"),
]


@pytest.mark.parametrize(
    ("change", "reason"), [case[1:] for case in AFTER], ids=[case[0] for case in AFTER]
)
def test_skip_leaves_out_what_reads_and_rejects_what_does_not(
    cal25: WorkCalendar, tmp_path: Path, change: dict[str, str], reason: str | None
) -> None:
    base = {
        "dossier_id": "LATE",
        "procedure_id": "",
        "received_at": "2025-04-03T09:00:00",
        "time_limit": "03 ngày làm việc",
        "service_level": "",
    }
    kept = {**base, "dossier_id": "KEPT", "received_at": "2025-03-03T09:00:00"}
    path = _write(tmp_path / "rows.csv", [kept, {**base, **change}])
    skipped = classify(path, calendar=cal25, as_of=MARCH_END, received_after_as_of="skip")
    assert skipped.table["dossier_id"].to_pylist() == ["KEPT"]
    assert skipped.rejected["row"].to_pylist() == ([3] if reason else [])
    if reason:
        assert reason in skipped.rejected["reason"][0].as_py()
    # Rejected by default, as evaluate() rejects a dossier received after as_of.
    rejected = classify(path, calendar=cal25, as_of=MARCH_END)
    assert rejected.rejected["dossier_id"].to_pylist() == ["LATE"]
    # The period reports of both paths agree.
    start, end = date(2025, 3, 1), date(2025, 3, 31)
    fast = bulk_report(path, None, cal25, start=start, end=end)
    slow = build_report(read_dossiers(path), None, cal25, start=start, end=end)
    assert fast.rejected == slow.rejected
    assert fast.total == slow.total


LEVELS = [
    ("4", True),
    ("mức độ 3", True),
    ("toàn trình", True),
    (" in_person ", True),
    ("", True),
    ("5", False),
    ("level 9", False),
    ("online", False),
]


@pytest.mark.parametrize(("level", "valid"), LEVELS, ids=[repr(v) for v, _ in LEVELS])
def test_an_unknown_service_level_rejects_the_row(
    cal25: WorkCalendar, tmp_path: Path, level: str, valid: bool
) -> None:
    row = {
        "dossier_id": "A",
        "received_at": "2025-03-03T09:00:00",
        "time_limit": "03 ngày làm việc",
        "service_level": level,
    }
    path = _write(tmp_path / "levels.csv", [{**row, "dossier_id": "OK", "service_level": ""}, row])
    result = classify(path, calendar=cal25, as_of=MARCH_END)
    reader = read_dossiers(path)
    assert result.table.num_rows == (2 if valid else 1)
    fast = [(r["row"], r["dossier_id"], r["reason"]) for r in result.rejected.to_pylist()]
    assert fast == [(r.row, r.dossier_id, r.reason) for r in reader.rejected]
    if not valid:
        assert fast[0][:2] == (3, "A")
        assert f"got {level!r}" in fast[0][2]
