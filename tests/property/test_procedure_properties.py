"""Properties of procedures over generated step graphs: round trips and planning."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from procflow import Procedure, WorkCalendar, dump_procedure, parse_procedure, plan

from .strategies import instants

BUDGETS = [None, "0,25 ngày làm việc", "0,5 ngày làm việc", "01 ngày làm việc", "3 giờ làm việc"]


@st.composite
def procedures(draw: st.DrawFn) -> Procedure:
    """A random valid DAG: every step reachable from the first, one end, quarter-day budgets."""
    n = draw(st.integers(2, 8))
    ids = [f"s{i}" for i in range(n)]
    nexts: list[set[str]] = [set() for _ in ids]
    for i in range(1, n):
        for p in draw(st.sets(st.integers(0, i - 1), min_size=1, max_size=min(i, 3))):
            nexts[p].add(ids[i])
    for i in range(n - 1):
        if not nexts[i]:
            nexts[i].add(ids[-1])
    budgets = [
        draw(
            st.sampled_from(
                [
                    None,
                    "0,25 ngày làm việc",
                    "0,5 ngày làm việc",
                    "01 ngày làm việc",
                    "3 giờ làm việc",
                ]
            )
        )
        for _ in ids
    ]
    steps: list[dict[str, Any]] = []
    for i, sid in enumerate(ids):
        step: dict[str, Any] = {"id": sid, "name": f"Bước {i}", "next": sorted(nexts[i])}
        if budgets[i] is not None:
            step["budget"] = budgets[i]
        steps.append(step)
    draft = Procedure.model_validate(
        {
            "id": "generated",
            "name_vi": "Thủ tục sinh ngẫu nhiên",
            "level": "commune",
            "effective_from": "2020-01-01",
            "legal_basis": [{"document": "Nghị định thử"}],
            "time_limit": "40 ngày làm việc",
            "steps": steps,
        }
    )
    days = max(1, math.ceil(draft.longest_path()[1] / 8)) + draw(st.integers(0, 2))
    return draft.model_copy(update={"time_limit": draft.time_limit.working_days(days)})


@given(p=procedures())
def test_dump_then_load_gives_the_same_procedure(p: Procedure) -> None:
    assert parse_procedure(dump_procedure(p)) == p
    assert parse_procedure(dump_procedure(p, "json"), fmt="json") == p


@given(p=procedures(), t=instants)
def test_a_join_is_never_before_any_of_its_branches(
    cal: WorkCalendar, p: Procedure, t: datetime
) -> None:
    pl = plan(p, t, cal)
    due = {s.step_id: s.due_at for s in pl.steps}
    for s in pl.steps:
        assert s.due_at >= s.start_at
        for pred in p.predecessors(s.step_id):
            assert s.start_at >= due[pred]


@given(p=procedures(), t1=instants, t2=instants)
def test_planning_is_monotone_in_receipt_time(
    cal: WorkCalendar, p: Procedure, t1: datetime, t2: datetime
) -> None:
    early, late = sorted((t1, t2))
    a, b = plan(p, early, cal), plan(p, late, cal)
    for x, y in zip(a.steps, b.steps, strict=True):
        assert x.start_at <= y.start_at
        assert x.due_at <= y.due_at


@given(p=procedures(), t=instants)
def test_critical_path_has_the_least_slack(cal: WorkCalendar, p: Procedure, t: datetime) -> None:
    pl = plan(p, t, cal)
    least = min(s.slack_hours for s in pl.steps)
    assert all(s.slack_hours == least for s in pl.steps if s.critical)
    assert pl.critical_path[0] == p.start.id
    assert pl.critical_path[-1] == p.end.id
    assert pl.budget_hours == p.longest_path()[1]
