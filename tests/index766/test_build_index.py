"""The Decision 766 indicators of a period, worked by hand on five dossiers of March 2026.

Limit 3 working days, inline rules; March 2026 has no day off but weekends. A dossier received
Monday 2/3/2026 09:00 is due Thursday 5/3 17:00, 31 working hours after its start.

=====  =========  ==========================  ========  ====  ==========  ====  =====  ========
id     channel    events                      outcome   fee   paid/elec.  dig.  vote   compl.
=====  =========  ==========================  ========  ====  ==========  ====  =====  ========
A      online     finished 4/3 10:00 (17 h)   early     yes   yes / yes   yes   5      0
B      in person  finished 9/3 10:00 (41 h)   late      yes   no / no     yes   4      0
C      online     finished 5/3 16:00 (30 h)   on time   no    - / yes     no    2      1
D      post       received 25/3, open 31/3    overdue   yes   yes / -     yes   -      -
E      in person  withdrawn 3/3 10:00         withdrawn -     - / -       -     -      -
=====  =========  ==========================  ========  ====  ==========  ====  =====  ========

Formulas (Decision 766/QĐ-TTg, Government Office technical description):

* 2.1 = (A, C, E) / 5 = 60.00 %, 20 × 60 % = 12 points (E withdrawn before its due date is in
  its time; D open past its due date at the period end is not);
* 2.2 = mean working days used by the resolved (17 + 41 + 30) / 3 h = 3.67 days against a
  mean limit of 31 h = 3.88 days: 94.62 % of the limit (per dossier 54.84, 96.77 and 132.26 %:
  nearest-rank p50 96.77, p90 132.26); not scored;
* 3.3 = online / new = 2 / 5 = 40.00 %, not scored;
* 3.6 = paid online / with fees = (A, D) / (A, B, D) = 66.67 %, 6 × 66.67 % = 4.00 points;
* 4.1 = electronic results / finished and granted = (A, C) / 3 = 66.67 %, 4.00 points;
* 4.2 = digitised / all = 3 / 5 = 60.00 %, 4 × 60 % = 2.40 points;
* 5.4 = resolved without a delay, complaint or dissatisfied vote (1-2) = A / 3 = 33.33 %,
  6 × 33.33 / 90 = 2.22 points (full from 90 %).
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from procflow import WorkCalendar, read_dossiers
from procflow.errors import InputError
from procflow.index766 import IndexReport, build_index, points, read_extra_columns

HEADER = [
    "dossier_id", "received_at", "finished_at", "withdrawn_at", "channel", "time_limit",
    "unit", "fee_payable", "paid_online", "electronic_result", "digitised", "satisfaction",
    "complaints",
]  # fmt: skip
ROWS = [
    ["A", "2026-03-02T09:00", "2026-03-04T10:00", "", "online", "03 ngày làm việc",
     "Tư pháp", "yes", "yes", "yes", "yes", "5", "0"],
    ["B", "2026-03-02T09:00", "2026-03-09T10:00", "", "in_person", "03 ngày làm việc",
     "Tư pháp", "yes", "no", "no", "yes", "4", "0"],
    ["C", "2026-03-02T09:00", "2026-03-05T16:00", "", "online", "03 ngày làm việc",
     "Một cửa", "no", "", "yes", "no", "2", "1"],
    ["D", "2026-03-25T09:00", "", "", "post", "03 ngày làm việc",
     "Một cửa", "yes", "yes", "", "yes", "", ""],
    ["E", "2026-03-02T09:00", "", "2026-03-03T10:00", "in_person", "03 ngày làm việc",
     "Một cửa", "", "", "", "", "", ""],
]  # fmt: skip


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _index(tmp_path: Path, cal: WorkCalendar, rows: list[list[str]], by: str | None) -> IndexReport:
    path = _write(tmp_path / "march.csv", rows)
    return build_index(
        read_dossiers(path),
        None,
        cal,
        start=date(2026, 3, 1),
        end=date(2026, 3, 31),
        by=by,
        extra=read_extra_columns(path, [by] if by else []),
    )


@pytest.mark.parametrize(
    ("code", "value", "points_", "counts"),
    [
        pytest.param("2.1", 60.0, 12.0, {"dossiers": 5, "on_time": 3, "against": 2}, id="2.1"),
        pytest.param(
            "2.2",
            3.67,
            None,
            {
                "resolved": 3,
                "mean_limit_days": 3.88,
                "share_of_limit": 94.62,
                "p50_share_of_limit": 96.77,  # of 54.84, 96.77, 132.26 (17, 30, 41 of 31 h)
                "p90_share_of_limit": 132.26,
                "p95_share_of_limit": 132.26,
            },
            id="2.2",
        ),
        pytest.param("3.3", 40.0, None, {"received_new": 5, "online": 2}, id="3.3"),
        pytest.param("3.6", 66.67, 4.0, {"with_fees": 3, "paid_online": 2}, id="3.6"),
        pytest.param("4.1", 66.67, 4.0, {"finished": 3, "electronic_result": 2}, id="4.1"),
        pytest.param("4.2", 60.0, 2.4, {"dossiers": 5, "digitised": 3}, id="4.2"),
        pytest.param(
            "5.4",
            33.33,
            2.22,
            {"resolved": 3, "late": 1, "complaints": 1, "dissatisfied": 1, "counted_against": 2},
            id="5.4",
        ),
    ],
)
def test_indicator(
    code: str,
    value: float,
    points_: float | None,
    counts: dict[str, float],
    tmp_path: Path,
    cal: WorkCalendar,
) -> None:
    indicator = _index(tmp_path, cal, ROWS, None).total.indicators[code]
    assert indicator.value == value
    assert indicator.points == points_
    assert indicator.counts == counts


def test_group_totals_and_reasons(tmp_path: Path, cal: WorkCalendar) -> None:
    total = _index(tmp_path, cal, ROWS, None).total
    assert total.points == 24.62  # 12 + 4 + 4 + 2.4 + 2.22
    assert total.max_points == 42.0  # 20 + 6 + 6 + 4 + 6
    assert {s.dossier_id: s.why for s in total.against_21} == {
        "B": "finished after the due date",
        "D": "open at period end after the due date",
    }
    assert total.findings["late_without_apology"] == 2  # B late, D overdue


def test_grouped_by_any_column(tmp_path: Path, cal: WorkCalendar) -> None:
    idx = _index(tmp_path, cal, ROWS, "unit")
    by_key = {g.key: g for g in idx.groups}
    assert sorted(by_key) == ["Một cửa", "Tư pháp"]
    assert by_key["Tư pháp"].indicators["2.1"].value == 50.0  # A of A, B
    assert by_key["Một cửa"].indicators["2.1"].value == 66.67  # C, E of C, D, E
    assert sum(g.dossiers for g in idx.groups) == idx.total.dossiers == 5


def test_without_optional_columns_only_the_dossier_indicators(
    tmp_path: Path, cal: WorkCalendar
) -> None:
    idx = build_index(
        read_dossiers(_write(tmp_path / "m.csv", ROWS)),
        None,
        cal,
        start=date(2026, 3, 1),
        end=date(2026, 3, 31),
    )
    assert sorted(idx.total.indicators) == ["2.1", "2.2", "3.3"]
    assert idx.total.max_points == 20.0


def test_a_bad_optional_value_rejects_its_dossier(tmp_path: Path, cal: WorkCalendar) -> None:
    rows = [*ROWS[:4], [*ROWS[4][:7], "maybe", *ROWS[4][8:]]]
    idx = _index(tmp_path, cal, rows, None)
    assert idx.total.dossiers == 4
    assert [(r.row, r.dossier_id) for r in idx.rejected] == [(6, "E")]
    assert "column fee_payable" in idx.rejected[0].reason
    assert "'maybe'" in idx.rejected[0].reason


def test_unknown_grouping_column_is_an_error(tmp_path: Path, cal: WorkCalendar) -> None:
    with pytest.raises(InputError, match="cannot group by 'desk'"):
        _index(tmp_path, cal, ROWS, "desk")


@pytest.mark.parametrize(
    ("code", "value", "expected"),
    [
        ("2.1", 100.0, 20.0),
        ("2.1", 87.79, 17.56),
        ("5.4", 95.0, 6.0),  # capped: full from 90 %
        ("5.4", 81.0, 5.4),
        ("4.2", 0.0, 0.0),
        ("2.2", 3.5, None),  # not scored
        ("3.6", None, None),
    ],
)
def test_points_full_at_threshold_pro_rata_below(
    code: str, value: float | None, expected: float | None
) -> None:
    assert points(code, value) == expected
