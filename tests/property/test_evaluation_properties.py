"""Properties of classification: total, deterministic, and monotone in the rules and in time."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from procflow import Dossier, Outcome, TimeLimit, WorkCalendar, evaluate

from .strategies import instants, limits

offsets = st.integers(min_value=0, max_value=60 * 24 * 20).map(lambda m: timedelta(minutes=m))


@st.composite
def timelines(draw: st.DrawFn) -> tuple[TimeLimit, list[dict[str, Any]], datetime]:
    """A receipt, maybe a supplement cycle, maybe a wait, maybe an end; and an as_of."""
    t = draw(instants)
    events: list[dict[str, Any]] = [{"type": "received", "at": t}]
    now = t
    if draw(st.booleans()):
        now += draw(offsets)
        events.append({"type": "supplement_requested", "at": now})
        if draw(st.booleans()):
            now += draw(offsets)
            events.append({"type": "supplement_received", "at": now})
    end = draw(st.sampled_from(["none", "finished", "withdrawn"]))
    if end != "none" and (events[-1]["type"] != "supplement_requested" or draw(st.booleans())):
        now += draw(offsets)
        extra = (
            {"result": draw(st.sampled_from(["granted", "refused"]))} if end == "finished" else {}
        )
        events.append({"type": end, "at": now, **extra})
    as_of = t + draw(offsets) + draw(offsets)
    return draw(limits), events, as_of


def _dossier(limit: TimeLimit, events: list[dict[str, Any]], policy: str = "restart") -> Dossier:
    return Dossier.model_validate(
        {"id": "P", "time_limit": limit, "supplement_policy": policy, "events": events}
    )


@given(case=timelines())
def test_classification_is_total_and_deterministic(cal: WorkCalendar, case: Any) -> None:
    limit, events, as_of = case
    d = _dossier(limit, events)
    first = evaluate(d, None, cal, as_of=as_of)
    assert first.outcome in set(Outcome)
    assert evaluate(d, None, cal, as_of=as_of) == first
    ended = [e["type"] for e in events if e["at"] <= as_of]
    assert first.outcome.is_finished == ("finished" in ended)
    assert (first.outcome is Outcome.WITHDRAWN) == ("withdrawn" in ended)


@given(case=timelines())
def test_policies_order_the_due_dates(cal: WorkCalendar, case: Any) -> None:
    limit, events, _ = case
    as_of = events[-1]["at"] + timedelta(days=400)
    due = {
        policy: evaluate(_dossier(limit, events, policy), None, cal, as_of=as_of)
        for policy in ("restart", "pause", "none")
    }
    # A pause never makes a due date earlier; restart is at or after pause, pause after none.
    assert due["pause"].effective_due_at is not None
    assert due["none"].effective_due_at == due["none"].due_at
    assert due["pause"].effective_due_at >= due["pause"].due_at
    assert due["pause"].effective_due_at >= due["none"].effective_due_at
    restart = due["restart"].effective_due_at
    assert restart is None or restart >= due["pause"].effective_due_at


@given(case=timelines(), later=offsets)
def test_as_of_forward_only_moves_in_time_to_overdue(
    cal: WorkCalendar, case: Any, later: timedelta
) -> None:
    limit, events, as_of = case
    d = _dossier(limit, [e for e in events if e["type"] not in ("finished", "withdrawn")], "pause")
    before = evaluate(d, None, cal, as_of=as_of).outcome
    after = evaluate(d, None, cal, as_of=as_of + later).outcome
    assert before in (Outcome.IN_TIME, Outcome.OVERDUE, Outcome.RETURNED)
    # Time only moves forward: in time may become overdue or returned, never back.
    assert (before, after) not in {
        (Outcome.OVERDUE, Outcome.IN_TIME),
        (Outcome.RETURNED, Outcome.IN_TIME),
        (Outcome.RETURNED, Outcome.OVERDUE),
    }
