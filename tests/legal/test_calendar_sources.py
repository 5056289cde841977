"""Every day off and worked Saturday names its source; ``procflow calendar YEAR`` lists them.

Issue 11, item 1: the explanation of a due date names the document behind each day off or
worked Saturday it crosses (Official Letter 12729/VPCP-KGVX for 2/1 and 10/1/2026; the
Labour Code 2019 articles for the days the holidays package carries).
"""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from procflow import TimeLimit, WorkCalendar, explain_due_date
from procflow.calendar import DEFAULT_YEARS
from procflow.cli import main
from procflow.cli_calendar import year_days

LETTER = "12729/VPCP-KGVX"


@pytest.mark.parametrize("year", list(DEFAULT_YEARS))
def test_every_special_day_has_a_source(year: int, cal: WorkCalendar) -> None:
    for day in year_days(cal, year):
        assert day.source, day


@pytest.mark.parametrize(
    ("received", "limit", "document"),
    [
        # Wed 31/12/2025, 2 working days: crosses 1/1 (holiday) and 2/1 (the letter).
        ("2025-12-31T10:00", "02 ngày làm việc", LETTER),
        ("2025-12-31T10:00", "02 ngày làm việc", "Điều 112 khoản 1"),
        # Thu 8/1/2026: Saturday 10/1 is day 2, worked by the letter.
        ("2026-01-08T10:00", "02 ngày làm việc", LETTER),
        # Fri 24/4/2026: Sun 26/4 Hùng Kings, Mon 27/4 its compensatory day (Art. 111(3)).
        ("2026-04-24T10:00", "02 ngày làm việc", "Điều 111 khoản 3"),
        # Thu 2/5/2024: Saturday 4/5 worked by the yearly swap (Art. 112(3)).
        ("2024-05-02T10:00", "02 ngày làm việc", "Điều 112 khoản 3"),
    ],
)
def test_explanation_names_the_document(
    received: str, limit: str, document: str, cal: WorkCalendar
) -> None:
    due = explain_due_date(datetime.fromisoformat(received), TimeLimit.parse(limit), cal)
    assert any(document in note.vi and document in note.en for note in due.notes)


def test_calendar_command_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "2026", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    days = {d["date"]: d for d in out["days"]}
    assert days["2026-01-02"]["working"] is False
    assert days["2026-01-10"]["working"] is True
    assert LETTER in days["2026-01-10"]["source"]
    assert all(d["source"] for d in out["days"])


def test_calendar_command_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "2024", "--lang", "en"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.split()[:3] == ["2024-05-04", "Sat", "working"] for line in lines)
    days = [line for line in lines if line[:4] == "2024"]
    assert all(line.split("   ")[-1].strip() for line in days)  # each names its source
    assert date(2024, 9, 2).isoformat() in "\n".join(lines)


# The days checked against the Government's documents (docs/calendar.md): (date, working?).
CHECKED = [
    # 2025 Tết: Official Letter 8726/VPCP-KGVX (2024), Notice 6150/TB-BLĐTBXH (2024).
    *((date(2025, 1, d), False) for d in range(27, 32)),
    (date(2025, 2, 3), True),
    # 2025 National Day: the same notice; 30-31/8 are the weekend.
    (date(2025, 9, 1), False),
    (date(2025, 9, 2), False),
    (date(2025, 9, 3), True),
    # 2026 New Year: Official Letter 12729/VPCP-KGVX of 25/12/2025.
    (date(2026, 1, 1), False),
    (date(2026, 1, 2), False),
    (date(2026, 1, 10), True),
]


@pytest.mark.parametrize(("day", "working"), CHECKED, ids=[d.isoformat() for d, _ in CHECKED])
def test_checked_days_match_the_documents(day: date, working: bool, cal: WorkCalendar) -> None:
    assert cal.is_working_day(day) is working
