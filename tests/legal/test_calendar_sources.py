"""Every day off and worked Saturday names its source; ``procflow calendar YEAR`` lists them.

Issue 11, item 1: the explanation of a due date names the document behind each day off or
worked Saturday it crosses (Official Letter 12729/VPCP-KGVX for 2/1 and 10/1/2026; the
Labour Code 2019 articles for the days the holidays package carries).
"""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from procflow import (
    CalendarError,
    CalendarOverride,
    TimeLimit,
    WorkCalendar,
    explain_due_date,
    vietnam_calendar,
)
from procflow.calendar import DEFAULT_YEARS, builtin_sources
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


# The days checked against the Government's documents, year by year (docs/calendar.md):
# (date, working?, the document's number as it must appear in the day's source, or None
# where the day was checked against press reports of the decision but no document number
# could be found; the day then keeps the Labour Code article as its source).
V9794 = "9794/VPCP-KGVX"
V6519 = "6519/VPCP-KGVX"
V245 = "Công văn số 245 ngày 11/01/2022"
V8662 = "8662/VPCP-KGVX"
V2450 = "2450/VPCP-KGVX"
N6150 = "6150/TB-BLĐTBXH"
N9441 = "Thông báo số 9441 ngày 16/10/2025"
CHECKED: list[tuple[date, bool, str | None]] = [
    # 2015 (Labour Code 2012): New Year Fri 2/1 off for Sat 27/12/2014; Tết Mon 16/2 - Mon
    # 23/2 off, Sat 14/2 worked (option 1 of Proposal 89/TTr-LĐTBXH of 20/11/2014; the
    # decision itself not found); Tue 28/4 - Fri 1/5 off, Sat 25/4 worked (not found).
    (date(2015, 1, 2), False, None),
    (date(2015, 2, 14), True, None),
    *((date(2015, 2, d), False, None) for d in (16, 17, 18, 19, 20, 23)),
    (date(2015, 2, 24), True, None),
    (date(2015, 4, 25), True, None),
    *((date(2015, 4, d), False, None) for d in (28, 29, 30)),
    (date(2015, 9, 2), False, None),
    # 2016: Tết 6/2 - 14/2, no swap (Government meeting of 29/10/2015, as reported); 30/4
    # and 1/5 on the weekend, Mon 2/5 and Tue 3/5 compensatory (Labour Code 2012 Art. 115(3)).
    *((date(2016, 2, d), False, None) for d in range(8, 13)),
    (date(2016, 2, 15), True, None),
    (date(2016, 4, 18), False, None),
    (date(2016, 5, 2), False, None),
    (date(2016, 5, 3), False, None),
    # 2017: New Year on Sunday, Mon 2/1 compensatory; Tết Thu 26/1 - Wed 1/2: Official
    # Letter 9794/VPCP-KGVX of 14/11/2016.
    (date(2017, 1, 2), False, None),
    (date(2017, 1, 25), True, None),
    *((date(2017, 1, d), False, V9794) for d in (26, 27, 30, 31)),
    (date(2017, 2, 1), False, V9794),
    (date(2017, 2, 2), True, None),
    # 2018: Tết Wed 14/2 - Tue 20/2 (Standing Government meeting of 5/12/2017, as reported);
    # Mon 31/12/2018 off for Sat 5/1/2019: Official Letter 6519/VPCP-KGVX of 11/7/2018.
    (date(2018, 2, 13), True, None),
    (date(2018, 2, 14), False, None),
    (date(2018, 2, 20), False, None),
    (date(2018, 2, 21), True, None),
    (date(2018, 12, 31), False, V6519),
    # 2019: Official Letter 6519/VPCP-KGVX of 11/7/2018: Sat 5/1 worked; Tết Mon 4/2 - Fri
    # 8/2; Mon 29/4 - Wed 1/5 off, Sat 4/5 worked.
    (date(2019, 1, 1), False, V6519),
    (date(2019, 1, 5), True, V6519),
    *((date(2019, 2, d), False, V6519) for d in range(4, 9)),
    (date(2019, 2, 11), True, None),
    (date(2019, 4, 29), False, V6519),
    (date(2019, 5, 1), False, V6519),
    (date(2019, 5, 2), True, None),
    (date(2019, 5, 4), True, V6519),
    # 2020: Tết Thu 23/1 - Wed 29/1 (the Ministry's notice as relayed by a provincial
    # department; its number not found).
    (date(2020, 1, 22), True, None),
    (date(2020, 1, 23), False, None),
    (date(2020, 1, 29), False, None),
    (date(2020, 1, 30), True, None),
    # 2021 (Labour Code 2019): Tết Wed 10/2 - Tue 16/2; National Day Thu 2/9 and Fri 3/9
    # (as reported; the numbers not found).
    (date(2021, 2, 10), False, None),
    (date(2021, 2, 16), False, None),
    (date(2021, 2, 17), True, None),
    (date(2021, 9, 2), False, None),
    (date(2021, 9, 3), False, None),
    # 2022: Tết Mon 31/1 - Fri 4/2: Official Letter no. 245 of the Government Office of
    # 11/01/2022.
    (date(2022, 1, 28), True, None),
    (date(2022, 1, 31), False, V245),
    *((date(2022, 2, d), False, V245) for d in range(1, 5)),
    (date(2022, 2, 7), True, None),
    # 2023: Tết Fri 20/1 - Thu 26/1; National Day Fri 1/9 - Mon 4/9 (the Government
    # Office's letter of 1/12/2022, as reported; its number not found).
    (date(2023, 1, 19), True, None),
    (date(2023, 1, 20), False, None),
    (date(2023, 1, 26), False, None),
    (date(2023, 1, 27), True, None),
    (date(2023, 9, 1), False, None),
    (date(2023, 9, 4), False, None),
    (date(2023, 9, 5), True, None),
    # 2024: Official Letter 8662/VPCP-KGVX of 3/11/2023 (Tết 8/2 - 14/2, National Day
    # 31/8 - 3/9); Official Letter 2450/VPCP-KGVX of 12/4/2024 (Mon 29/4 off, Sat 4/5 worked).
    (date(2024, 2, 8), False, V8662),
    (date(2024, 2, 14), False, V8662),
    (date(2024, 2, 15), True, None),
    (date(2024, 4, 29), False, V2450),
    (date(2024, 5, 4), True, V2450),
    (date(2024, 9, 2), False, V8662),
    (date(2024, 9, 3), False, V8662),
    (date(2024, 9, 4), True, None),
    # 2025: Notice 6150/TB-BLĐTBXH of 3/12/2024 (after Official Letter 8726/VPCP-KGVX of
    # 26/11/2024): Tết 25/1 - 2/2; 30/4 - 4/5 with Fri 2/5 off, Sat 26/4 worked; 30/8 - 2/9.
    *((date(2025, 1, d), False, N6150) for d in range(27, 32)),
    (date(2025, 2, 3), True, None),
    (date(2025, 4, 26), True, N6150),
    (date(2025, 5, 2), False, N6150),
    (date(2025, 9, 1), False, N6150),
    (date(2025, 9, 2), False, N6150),
    (date(2025, 9, 3), True, None),
    # 2026: Official Letter 12729/VPCP-KGVX of 25/12/2025 (New Year, built-in decision);
    # Notice no. 9441 of the Ministry of Home Affairs of 16/10/2025 (Tết Mon 16/2 - Fri 20/2).
    (date(2026, 1, 1), False, LETTER),
    (date(2026, 1, 2), False, LETTER),
    (date(2026, 1, 10), True, LETTER),
    *((date(2026, 2, d), False, N9441) for d in range(16, 21)),
    (date(2026, 2, 23), True, None),
]


@pytest.mark.parametrize(
    ("day", "working", "document"), CHECKED, ids=[d.isoformat() for d, _, _ in CHECKED]
)
def test_checked_days_match_the_documents(
    day: date, working: bool, document: str | None, cal: WorkCalendar
) -> None:
    assert cal.is_working_day(day) is working
    if document is not None:
        assert document in (cal.day_info(day).source or "")


def test_every_shipped_source_agrees_with_the_calendar(cal: WorkCalendar) -> None:
    """A [[source]] date whose status the calendar does not give is a decision it lacks."""
    for entry in builtin_sources():
        for day in entry.dates:
            info = cal.day_info(day)
            assert info.is_working is entry.working, (day, entry.occasion)
            assert entry.document in (info.source or ""), (day, entry.occasion)


def test_sources_annotate_and_never_add_a_day() -> None:
    with_sources = vietnam_calendar(years=[2019])
    without = vietnam_calendar(years=[2019], decisions=False)
    assert with_sources.working_ordinals == without.working_ordinals
    assert V6519 in (with_sources.day_info(date(2019, 2, 4)).source or "")
    assert V6519 not in (without.day_info(date(2019, 2, 4)).source or "")


def test_a_user_override_replaces_the_annotated_source() -> None:
    mine = CalendarOverride(
        date=date(2019, 5, 4), kind="working_day", name_vi="Làm bù", source="QĐ tỉnh (ví dụ)"
    )
    cal = vietnam_calendar(years=[2019], overrides=[mine])
    assert cal.day_info(date(2019, 5, 4)).source == "QĐ tỉnh (ví dụ)"


@pytest.mark.parametrize(
    ("day", "article"),
    [
        # Before 2021 the Labour Code 2012 (Art. 115) governs, from 2021 the Labour Code 2019.
        (date(2017, 1, 2), "Bộ luật Lao động 2012, Điều 115 khoản 3"),
        (date(2016, 9, 2), "Bộ luật Lao động 2012, Điều 115 khoản 1"),
        (date(2021, 5, 3), "Bộ luật Lao động 2019, Điều 111 khoản 3"),
        (date(2021, 9, 3), "Bộ luật Lao động 2019, Điều 112 khoản 1"),
    ],
)
def test_the_labour_code_of_the_year(day: date, article: str, cal: WorkCalendar) -> None:
    assert cal.day_info(day).source == article


def test_a_bad_source_entry_names_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    import procflow.calendar as calendar_module

    monkeypatch.setattr(calendar_module, "_decisions_data", lambda: {"source": [{"dates": []}]})
    with pytest.raises(CalendarError, match=r"decisions\.toml: source #1: .*dates"):
        calendar_module.builtin_sources.__wrapped__()
