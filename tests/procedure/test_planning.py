"""Planning: planned times, joins, conditions, slack and the critical path."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from procflow import WorkCalendar, load_procedure, plan

SPECS = Path(__file__).parents[2] / "src" / "procflow" / "specs"


def test_cfs_step_table_over_national_day(cal: WorkCalendar) -> None:
    p = load_procedure(SPECS / "cfs-ha-tinh.toml")
    pl = plan(p, datetime(2024, 8, 29, 10, 0), cal)
    assert pl.due_at == datetime(2024, 9, 5, 17, 0)
    times = {s.step_id: (s.start_at, s.due_at) for s in pl.steps}
    assert times["tiep-nhan"] == (datetime(2024, 8, 29, 10), datetime(2024, 8, 29, 12))
    assert times["tham-dinh"] == (datetime(2024, 8, 29, 12), datetime(2024, 8, 29, 17))
    # A step that could start at closing starts at the next opening.
    assert times["ky-nhay"] == (datetime(2024, 8, 30, 8), datetime(2024, 8, 30, 12))
    assert times["phe-duyet"] == (datetime(2024, 8, 30, 12), datetime(2024, 9, 4, 17))
    assert times["tra-ket-qua"] == (datetime(2024, 9, 5, 8), datetime(2024, 9, 5, 10))
    # 6 hours left on the day of receipt (10-12, 13-17) + 3 days = 30; budgets take 24.
    assert pl.available_hours == 30
    assert {s.slack_hours for s in pl.steps} == {6.0}
    assert pl.critical_path == ("tiep-nhan", "tham-dinh", "ky-nhay", "phe-duyet", "tra-ket-qua")


def test_join_waits_for_the_slowest_branch(cal: WorkCalendar) -> None:
    p = load_procedure(SPECS / "boi-thuong-nghe-an.toml")
    pl = plan(p, datetime(2026, 3, 2, 9, 0), cal)
    tax, commune, join = pl.step("lay-y-kien-thue"), pl.step("lay-y-kien-xa"), pl.step("tong-hop")
    assert join.start_at == commune.due_at > tax.due_at
    assert tax.slack_hours == 8
    assert not tax.critical
    assert commune.critical
    assert commune.slack_hours == 0
    assert pl.budget_hours == 168


@pytest.mark.parametrize(
    ("conditions", "steps", "last_due"),
    [
        ((), ["tiep-nhan", "tham-dinh", "ky", "trao-giay"], datetime(2026, 3, 3, 9)),
        (
            ("can-xac-minh",),
            ["tiep-nhan", "tham-dinh", "xac-minh", "ky", "trao-giay"],
            datetime(2026, 3, 9, 9),
        ),
    ],
)
def test_conditional_branch(
    cal: WorkCalendar, conditions: tuple[str, ...], steps: list[str], last_due: datetime
) -> None:
    p = load_procedure(SPECS / "dang-ky-ket-hon.toml")
    pl = plan(p, datetime(2026, 3, 2, 9, 0), cal, conditions=conditions)
    assert [s.step_id for s in pl.steps] == steps
    assert pl.steps[-1].due_at == last_due


def test_unknown_condition_is_refused(cal: WorkCalendar) -> None:
    p = load_procedure(SPECS / "dang-ky-ket-hon.toml")
    with pytest.raises(ValueError, match=r"no condition \['can-xac-mihn'\]"):
        plan(p, datetime(2026, 3, 2, 9), cal, conditions=["can-xac-mihn"])


def test_cutoff_moves_the_plan_start(cal: WorkCalendar) -> None:
    p = load_procedure(SPECS / "lien-thong-khai-sinh-thuong-tru-bhyt.toml")
    pl = plan(p, datetime(2024, 7, 3, 15, 30), cal)  # Wednesday, after 15:00
    assert pl.start_at == datetime(2024, 7, 4, 8)
    assert pl.due_at == datetime(2024, 7, 9, 17)  # Thu 4/7 not counted; Fri, Mon, Tue
    assert pl.step("the-bhyt").due_at == datetime(2024, 7, 8, 17)
    # The return step is not counted: it starts, and is due, at the next opening.
    assert pl.steps[-1].due_at == datetime(2024, 7, 9, 8)


def test_inter_agency_chain_3_3_10(cal: WorkCalendar) -> None:
    p = load_procedure(SPECS / "chuoi-ho-kinh-doanh-karaoke.toml")
    assert [(a.agency, a.limit.value) for a in p.agencies] == [
        ("kinh-te", 3),
        ("cong-an", 3),
        ("van-hoa", 10),
    ]
    pl = plan(p, datetime(2026, 3, 2, 8, 0), cal)
    assert pl.budget_hours == 16 * 8
    assert pl.step("an-ninh-trat-tu").start_at == datetime(2026, 3, 5, 8)
