"""The audit names each mistake it can recognise in a printed due date (issue 11, item 10).

Each row: a dossier received at a moment with a limit, the date the source system printed,
and the cause the audit must name. procflow's own date is worked by hand in the comment
(Civil Code 2015 Art. 147: the day of receipt is not counted; Hà Nội office hours
08:00-12:00, 13:00-17:00). Limits in days are compared by date, limits in hours to the
minute.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from procflow import Dossier, WorkCalendar, audit
from procflow.audit import CAUSE_ORDER, CAUSES, CROSSED_FACTS, rank_causes


def _printed(received: str, due: str, limit: str, **rules: Any) -> Dossier:
    return Dossier.model_validate(
        {
            "id": f"{received}->{due}",
            "time_limit": limit,
            "due_at": due,
            "events": [{"type": "received", "at": received}],
            **rules,
        }
    )


CASES = [
    # Wed 31/1/2024 15:20, after the 15:00 cut-off: received Thu 1/2; Fri 2/2 day 1, Mon 5/2
    # day 2. Counting from Wednesday gives Fri 2/2.
    ("ignores_cutoff", "2024-01-31T15:20", "02 ngày làm việc", "2024-02-02T17:00", "15:00"),
    # Fri 8/4/2022: Sun 10/4 Hùng Kings, Mon 11/4 its compensatory day; Tue 12/4 day 1, Wed
    # 13/4 day 2. Working on 11/4 gives Tue 12/4.
    ("ignores_compensatory_day", "2022-04-08T10:00", "02 ngày làm việc", "2022-04-12T17:00", None),
    # Thu 2/5/2024: Fri 3/5 day 1, Saturday 4/5 worked (swap for Mon 29/4), day 2. Not
    # working that Saturday gives Mon 6/5.
    ("ignores_swapped_saturday", "2024-05-02T10:00", "02 ngày làm việc", "2024-05-06T17:00", None),
    # Wed 31/12/2025: Thu 1/1/2026 New Year, Fri 2/1 off (Official Letter 12729/VPCP-KGVX),
    # weekend; Mon 5/1 day 1, Tue 6/1 day 2. Without the letter: Fri 2/1 day 1, Mon 5/1.
    (
        "ignores_government_decision",
        "2025-12-31T10:00",
        "02 ngày làm việc",
        "2026-01-05T17:00",
        None,
    ),
    # Thu 8/1/2026: Fri 9/1 day 1, Saturday 10/1 worked by the same letter, day 2. Without
    # the letter: Mon 12/1.
    (
        "ignores_government_decision",
        "2026-01-08T10:00",
        "02 ngày làm việc",
        "2026-01-12T17:00",
        None,
    ),
    # Fri 26/4/2024 10:00, 16 working hours: Fri 6 h; Sat 27/4 off; Mon 29/4 (swapped),
    # Tue 30/4, Wed 1/5 off; Thu 2/5 8 h (14); Fri 3/5 08:00-10:00: due Fri 3/5 10:00.
    # Working Saturday 27/4 gives Thu 2/5 10:00 (compared to the minute).
    ("invents_worked_saturday", "2024-04-26T10:00", "16 giờ làm việc", "2024-05-02T10:00", None),
    # Fri 26/4/2024 16:00, 15 calendar days: Sat 11/5, a day off, moves to Mon 13/5 (Civil
    # Code Art. 148). As 15 working days: Tue 21/5.
    ("calendar_days_as_working_days", "2024-04-26T16:00", "15 ngày", "2024-05-21T17:00", None),
    # Mon 4/3/2024, 10 working days: Tue 5/3 ... Mon 18/3. As 10 calendar days: Thu 14/3.
    (
        "working_days_as_calendar_days",
        "2024-03-04T10:00",
        "10 ngày làm việc",
        "2024-03-14T17:00",
        None,
    ),
    # Thu 29/8/2024: Fri 30/8 day 1; weekend; 2/9-3/9 National Day; Wed 4/9, Thu 5/9. With
    # no holidays: Mon 2/9, Tue 3/9.
    ("ignores_holidays", "2024-08-29T10:00", "03 ngày làm việc", "2024-09-03T17:00", None),
    # Mon 4/3/2024: Tue 5/3 day 1, Wed 6/3 day 2. Counting Monday as day 1: Tue 5/3.
    ("counts_receipt_day", "2024-03-04T10:00", "02 ngày làm việc", "2024-03-05T17:00", None),
]


@pytest.mark.parametrize(
    ("cause", "received", "limit", "printed", "cutoff"),
    CASES,
    ids=[f"{c[0]}-{c[1][:10]}" for c in CASES],
)
def test_each_cause_is_named(
    cause: str,
    received: str,
    limit: str,
    printed: str,
    cutoff: str | None,
    cal: WorkCalendar,
) -> None:
    rules = {"cutoff": cutoff} if cutoff else {}
    result = audit([_printed(received, printed, limit, **rules)], None, cal)
    assert (result.checked, result.agreed) == (1, 0)
    assert result.findings[0].likely_causes[0] == cause
    assert cause in CAUSES


def test_every_cause_has_a_row() -> None:
    assert {c[0] for c in CASES} == set(CAUSES)


def test_the_order_ranks_every_cause_once() -> None:
    assert sorted(CAUSE_ORDER) == sorted(CAUSES)


# Printed dates that two or more mistakes explain: the audit names them all, most likely
# first (procflow.audit.rank_causes: a mistake about one fact the dossier crossed before a
# mistake in the counting rule, in the order of CAUSE_ORDER). One row per pair of causes
# that can give the same date; each row's comment works procflow's date and each wrong one.
GD, SW, CO, CU, IS = (
    "ignores_government_decision",
    "ignores_swapped_saturday",
    "ignores_compensatory_day",
    "ignores_cutoff",
    "invents_worked_saturday",
)
RD, WC, CW, HO = (
    "counts_receipt_day",
    "working_days_as_calendar_days",
    "calendar_days_as_working_days",
    "ignores_holidays",
)
AMBIGUOUS: list[tuple[str, str, str, str, str | None, tuple[str, ...]]] = [
    # (id, received, limit, printed, cutoff, causes, most likely first)
    # Tue 4/1/2022 16:00 after the 15:00 cut-off: received Wed 5/1, day 1 Thu 6/1. From
    # Tuesday: Wed 5/1; Wednesday counted as day 1: Wed 5/1.
    ("cutoff+receipt", "2022-01-04T16:00", "01 ngày làm việc", "2022-01-05", "15:00", (CU, RD)),
    # Fri 1/9/2023 (a holiday; 2/9 Saturday, Mon 4/9 its compensatory day): received Tue
    # 5/9, day 1 Wed 6/9. Working 4/9: received 4/9, day 1 Tue 5/9; 5/9 counted: Tue 5/9.
    ("compensatory+receipt", "2023-09-01T10:00", "01 ngày làm việc", "2023-09-05", None, (CO, RD)),
    # Thu 1/1/2026: Fri 2/1 off (Official Letter 12729/VPCP-KGVX), weekend; received Mon 5/1,
    # day 1 Tue 6/1. Without the letter, with Sat 3/1 worked, or 5/1 counted: Mon 5/1.
    (
        "decision+saturday+receipt",
        "2026-01-01T10:00",
        "01 ngày làm việc",
        "2026-01-05",
        None,
        (GD, IS, RD),
    ),
    # Thu 26/1/2023 (mùng 5 Tết): received Fri 27/1, day 1 Mon 30/1. No holidays: received
    # Thu 26/1, day 1 Fri 27/1; 27/1 counted: Fri 27/1.
    ("receipt+holidays", "2023-01-26T10:00", "01 ngày làm việc", "2023-01-27", None, (RD, HO)),
    # Fri 26/4/2024, 3 days: 29/4 (swap), 30/4, 1/5 off; Thu 2/5, Fri 3/5, Sat 4/5 (worked).
    # Sat 27/4 worked: 27/4, 2/5, 3/5. 26/4 counted: 26/4, 2/5, 3/5.
    ("saturday+receipt", "2024-04-26T10:00", "03 ngày làm việc", "2024-05-03", None, (IS, RD)),
    # Fri 14/1/2022, 2 days: Mon 17/1, Tue 18/1. As 2 calendar days: Sun 16/1, moved to Mon
    # 17/1 (Civil Code Art. 148); 14/1 counted: 14/1, 17/1.
    ("receipt+units", "2022-01-14T10:00", "02 ngày làm việc", "2022-01-17", None, (RD, WC)),
    # Thu 31/8/2023 16:00 after the cut-off: Fri 1/9 holiday, weekend, Mon 4/9 compensatory:
    # received Tue 5/9, day 1 Wed 6/9. From Thursday, working 4/9, or 5/9 counted: Tue 5/9.
    (
        "compensatory+cutoff+receipt",
        "2023-08-31T16:00",
        "01 ngày làm việc",
        "2023-09-05",
        "15:00",
        (CO, CU, RD),
    ),
    # Fri 8/4/2022: Sun 10/4 Hùng Kings, Mon 11/4 compensatory; day 1 Tue 12/4. Working
    # 11/4, or no holidays at all: Mon 11/4.
    ("compensatory+holidays", "2022-04-08T10:00", "01 ngày làm việc", "2022-04-11", None, (CO, HO)),
    # Thu 23/4/2026, 5 days: Fri 24/4; Sun 26/4 Hùng Kings, Mon 27/4 compensatory; Tue 28/4,
    # Wed 29/4; 30/4-1/5 off; Mon 4/5, Tue 5/5. Working 27/4, Sat 25/4 worked, or 23/4
    # counted: Mon 4/5.
    (
        "compensatory+saturday+receipt",
        "2026-04-23T10:00",
        "05 ngày làm việc",
        "2026-05-04",
        None,
        (CO, IS, RD),
    ),
    # Fri 28/4/2023, 3 days: Sat 29/4 Hùng Kings, 30/4, 1/5, compensatory Tue 2/5 and Wed 3/5;
    # Thu 4/5, Fri 5/5, Mon 8/5. Working 2/5-3/5: 2/5, 3/5, 4/5. As 3 calendar days: Mon
    # 1/5, a holiday, moved to Thu 4/5.
    ("compensatory+units", "2023-04-28T10:00", "03 ngày làm việc", "2023-05-04", None, (CO, WC)),
    # Thu 25/12/2025 16:00 after the cut-off: received Fri 26/12; 29/12, 30/12, 31/12, then
    # 1/1 and 2/1 (the letter) off; Mon 5/1, Tue 6/1. From Thursday, without the letter, with
    # Sat 3/1 worked, or 26/12 counted: Mon 5/1.
    (
        "decision+cutoff+saturday+receipt",
        "2025-12-25T16:00",
        "05 ngày làm việc",
        "2026-01-05",
        "15:00",
        (GD, CU, IS, RD),
    ),
    # Wed 31/8/2022 16:00 after the cut-off, 3 calendar days: 1/9-2/9 National Day, weekend:
    # received Mon 5/9, due Thu 8/9. From Wednesday: Sat 3/9, moved to Mon 5/9. No
    # holidays: received Thu 1/9, Sun 4/9, moved to Mon 5/9.
    ("cutoff+holidays", "2022-08-31T16:00", "03 ngày", "2022-09-05", "15:00", (CU, HO)),
    # Fri 28/1/2022 16:00 after the cut-off, 3 calendar days: weekend, Tết 31/1-4/2, weekend:
    # received Mon 7/2, due Thu 10/2. From Friday: Mon 31/1, off, moved to Mon 7/2. Sat
    # 29/1 worked: received 29/1, Tue 1/2, off, moved to Mon 7/2.
    ("cutoff+saturday", "2022-01-28T16:00", "03 ngày", "2022-02-07", "15:00", (CU, IS)),
    # Thu 13/1/2022 16:00 after the cut-off: received Fri 14/1; Mon 17/1, Tue 18/1. From
    # Thursday: 14/1, 17/1; 14/1 counted: 14/1, 17/1; as calendar days: Sun 16/1 -> 17/1.
    (
        "cutoff+receipt+units",
        "2022-01-13T16:00",
        "02 ngày làm việc",
        "2022-01-17",
        "15:00",
        (CU, RD, WC),
    ),
    # Fri 9/1/2026: day 1 is Sat 10/1, worked by Official Letter 12729/VPCP-KGVX. Without
    # the letter, or without any special day: Mon 12/1.
    ("decision+holidays", "2026-01-09T10:00", "01 ngày làm việc", "2026-01-12", None, (GD, HO)),
    # Wed 31/12/2025 10:00, 16 working hours: Wed 6 h; 1/1, 2/1 (the letter) off, weekend;
    # Mon 5/1 8 h (14); Tue 6/1 08:00-10:00. Working 2/1 or Sat 3/1: Mon 5/1 10:00. No
    # day of receipt to count in hours.
    (
        "decision+saturday-hours",
        "2025-12-31T10:00",
        "16 giờ làm việc",
        "2026-01-05T10:00",
        None,
        (GD, IS),
    ),
    # Wed 31/12/2025, 2 days: Mon 5/1, Tue 6/1. Without the letter (2/1, 5/1), with Sat 3/1
    # worked, 31/12 counted, or as 2 calendar days (Fri 2/1, off, moved to 5/1): Mon 5/1.
    (
        "decision+saturday+receipt+units",
        "2025-12-31T10:00",
        "02 ngày làm việc",
        "2026-01-05",
        None,
        (GD, IS, RD, WC),
    ),
    # Fri 3/5/2024: day 1 is Sat 4/5, worked (swap for Mon 29/4). Not working it, or
    # ignoring every special day: Mon 6/5.
    ("swap+holidays", "2024-05-03T10:00", "01 ngày làm việc", "2024-05-06", None, (SW, HO)),
    # Sat 27/4/2024, 3 calendar days: received Thu 2/5 (29/4-1/5 off), due Sun 5/5, moved to
    # Mon 6/5. No holidays: received Mon 29/4, Thu 2/5. Sat 27/4 worked: received 27/4, Tue
    # 30/4, off, moved to Thu 2/5.
    ("saturday+holidays", "2024-04-27T10:00", "03 ngày", "2024-05-02", None, (IS, HO)),
    # Wed 31/8/2022, 3 days: 1/9-2/9 off, weekend; Mon 5/9, Tue 6/9, Wed 7/9. No holidays:
    # 1/9, 2/9, 5/9. As 3 calendar days: Sat 3/9, moved to Mon 5/9.
    ("units+holidays", "2022-08-31T10:00", "03 ngày làm việc", "2022-09-05", None, (WC, HO)),
    # Fri 7/1/2022, 2 days: Mon 10/1, Tue 11/1. Sat 8/1 worked (a week after the New Year's
    # compensatory Mon 3/1), 7/1 counted, or as 2 calendar days (Sun 9/1 -> 10/1): Mon 10/1.
    (
        "saturday+receipt+units",
        "2022-01-07T10:00",
        "02 ngày làm việc",
        "2022-01-10",
        None,
        (IS, RD, WC),
    ),
    # Sat 26/4/2025, a worked Saturday (swap for Fri 2/5), 3 calendar days: Tue 29/4. As 3
    # working days: Mon 28/4, Tue 29/4, then 30/4-2/5 off, weekend, Mon 5/5. Not working
    # 26/4: received Mon 28/4, Thu 1/5, off until Mon 5/5.
    ("swap+calendar-units", "2025-04-26T10:00", "03 ngày", "2025-05-05", None, (SW, CW)),
]

_PAIRS = {(a, b) for *_, causes in AMBIGUOUS for i, a in enumerate(causes) for b in causes[i + 1 :]}


@pytest.mark.parametrize(
    ("received", "limit", "printed", "cutoff", "causes"),
    [row[1:] for row in AMBIGUOUS],
    ids=[row[0] for row in AMBIGUOUS],
)
def test_every_cause_of_an_ambiguous_date_is_named_most_likely_first(
    received: str,
    limit: str,
    printed: str,
    cutoff: str | None,
    causes: tuple[str, ...],
    cal: WorkCalendar,
) -> None:
    rules = {"cutoff": cutoff} if cutoff else {}
    due = printed if "T" in printed else f"{printed}T17:00"
    result = audit([_printed(received, due, limit, **rules)], None, cal)
    assert (result.checked, result.agreed) == (1, 0)
    assert result.findings[0].likely_causes == causes


def test_every_pair_of_causes_that_can_coincide_has_a_row() -> None:
    # The pairs a search over 2022-2026 (limits of 1-5 working days, 3-10 calendar days, 8
    # and 16 working hours, with and without a 15:00 cut-off) found giving one date.
    found = {
        (CU, RD),
        (CO, RD),
        (GD, RD),
        (RD, HO),
        (IS, RD),
        (RD, WC),
        (CO, CU),
        (CO, HO),
        (CO, IS),
        (CO, WC),
        (GD, CU),
        (CU, HO),
        (CU, IS),
        (CU, WC),
        (GD, HO),
        (GD, IS),
        (GD, WC),
        (SW, HO),
        (IS, HO),
        (WC, HO),
        (IS, WC),
        (SW, CW),
    }
    assert {tuple(sorted(p, key=CAUSE_ORDER.index)) for p in found} <= _PAIRS


def test_a_cause_that_alone_explains_another_finding_comes_first(cal: WorkCalendar) -> None:
    # Mon 4/3/2024 + 2 days printed Tue 5/3: only the receipt day counted explains it, so the
    # source system counts it; where it competes with a Saturday counted as worked (Fri
    # 26/4/2024 + 3 days printed Fri 3/5) it is then named first.
    plain = _printed("2024-03-04T10:00", "2024-03-05T17:00", "02 ngày làm việc")
    saturday = _printed("2024-04-26T10:00", "2024-05-03T17:00", "03 ngày làm việc")
    assert audit([saturday], None, cal).findings[0].likely_causes == (IS, RD)
    both = audit([plain, saturday], None, cal).findings
    assert both[0].likely_causes == (RD,)
    assert both[1].likely_causes == (RD, IS)


def test_evidence_does_not_lift_a_counting_mistake_above_a_crossed_fact(
    cal: WorkCalendar,
) -> None:
    # Ignoring the compensatory Mon 4/9/2023 always gives the date counting the receipt day
    # gives; a receipt-day finding elsewhere does not make it the likelier cause here.
    plain = _printed("2024-03-04T10:00", "2024-03-05T17:00", "02 ngày làm việc")
    compensatory = _printed("2023-09-01T10:00", "2023-09-05T17:00", "01 ngày làm việc")
    both = audit([plain, compensatory], None, cal).findings
    assert both[1].likely_causes == (CO, RD)


def test_rank_causes_is_the_documented_rule() -> None:
    assert rank_causes(set(CAUSES)) == CAUSE_ORDER
    assert rank_causes({HO, IS}, confirmed={HO}) == (HO, IS)
    assert rank_causes({HO, GD}, confirmed={HO}) == (GD, HO)
    assert rank_causes(set()) == ()
    assert set(CAUSE_ORDER[:4]) == CROSSED_FACTS


@pytest.mark.parametrize(
    ("limit", "printed", "agrees", "hours_apart"),
    [
        # Mon 4/3/2024 10:00 + 8 working hours: Tue 5/3 10:00.
        pytest.param("08 giờ làm việc", "2024-03-05T10:00", True, None, id="same-minute-agrees"),
        pytest.param("08 giờ làm việc", "2024-03-05T09:00", False, -1.0, id="same-day-hour-early"),
        pytest.param("08 giờ làm việc", "2024-03-05T10:30", False, 0.5, id="half-hour-late"),
        # 24 clock hours from Mon 4/3/2024 10:00: Tue 5/3 10:00 (Civil Code Art. 144).
        pytest.param("24 giờ", "2024-03-05T10:00", True, None, id="clock-hours-agree"),
        pytest.param("24 giờ", "2024-03-05T17:00", False, 6.0, id="clock-hours-day-end"),
    ],
)
def test_hour_limits_compare_minutes(
    limit: str, printed: str, agrees: bool, hours_apart: float | None, cal: WorkCalendar
) -> None:
    result = audit([_printed("2024-03-04T10:00", printed, limit)], None, cal)
    assert result.agreed == int(agrees)
    if not agrees:
        finding = result.findings[0]
        assert finding.working_hours_apart == hours_apart
        assert finding.working_days_apart == 0
        assert finding.procflow_due_at == datetime(2024, 3, 5, 10, 0)


def test_a_holiday_saturday_is_never_taken_for_an_invented_worked_one(cal: WorkCalendar) -> None:
    # Thu 28/4/2022, 2 days: Fri 29/4; Sat 30/4 and Sun 1/5 holidays, Mon 2/5 and Tue 3/5
    # compensatory; Wed 4/5. Printed Fri 29/4: the receipt day counted. Sat 30/4 is a
    # holiday, not an ordinary Saturday: trying it as worked once made the row a reject.
    result = audit(
        [_printed("2022-04-28T10:00", "2022-04-29T17:00", "02 ngày làm việc")], None, cal
    )
    assert result.rejected == ()
    assert result.findings[0].likely_causes[0] == "counts_receipt_day"
