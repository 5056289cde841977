"""Late forecast: for each open dossier, how likely it is to end late, and when to apologise.

The estimator is empirical and conditional, from the history of the same procedure (or the
same inline limit): among the dossiers already finished that had used at least the share of
their limit this one has used (:func:`procflow.breakdown.share_of_limit`), the share that
ended late, smoothed towards the overall late rate with the weight of :data:`PRIOR_WEIGHT`
dossiers. A dossier already past its due time is late with probability 1. For procedures
with an internal process the remaining budget of the critical path (unfinished steps on it)
is set against the working hours left. The latest moment to send the apology is the
procedure's apology deadline (:func:`procflow.evaluation.apology_deadline`); an
``apology_due`` alert is raised when a likely-late dossier without an apology reaches it
within the alert window.

:func:`backtest` replays a year at several dates against the dossiers' eventual outcomes and
gives the Brier score of the forecast and of the base rate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from procflow.breakdown import share_of_limit
from procflow.calendar import WorkCalendar, like, to_local
from procflow.dossier import Dossier
from procflow.errors import ProcflowError
from procflow.evaluation import (
    AppliedRules,
    Evaluation,
    Outcome,
    Procedures,
    apology_deadline,
    evaluate,
    procedure_for,
)
from procflow.instant import Instant
from procflow.law.ops import Vec
from procflow.planning import plan
from procflow.procedure import ApologyDue, Procedure

__all__ = ["PRIOR_WEIGHT", "Backtest", "Forecast", "backtest", "brier", "forecast_late"]

PRIOR_WEIGHT = 2.0
"""How many dossiers' worth of weight the overall late rate has against a procedure's history."""


class Forecast(BaseModel):
    """The forecast of one open dossier at ``as_of``.

    Attributes:
        dossier_id: The dossier.
        group: Its procedure id, or its inline limit's text.
        due_at: Its effective due date.
        used_share: Working time used as a percentage of the time its limit allows.
        hours_left: Working hours to the effective due date (negative when overdue).
        critical_path_left_hours: Budget hours left on its critical path (unfinished steps);
            None without an internal process.
        probability_late: The estimated probability that it ends late; None while the
            clock is stopped (waiting for the applicant).
        history: Finished dossiers of its group behind the estimate (0: prior only).
        apology_deadline: The latest moment to send the apology with a new date.
        apology_sent: Whether an apology was already sent.
        alert: ``"apology_due"`` when it is likely late (``probability_late`` ≥ the
            threshold), no apology was sent and the deadline is within the window;
            ``"overdue"`` when already past its due time without an apology.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    dossier_id: str
    group: str
    due_at: Instant | None
    used_share: float | None
    hours_left: float | None
    critical_path_left_hours: float | None
    probability_late: float | None
    history: int
    apology_deadline: Instant | None
    apology_sent: bool
    alert: Literal["apology_due", "overdue"] | None


@dataclass(frozen=True, slots=True)
class _Past:
    group: str
    share: float
    late: bool


def _group(dossier: Dossier) -> str:
    return dossier.procedure_id or str(dossier.time_limit or "")


def _path_left(path: Sequence[str], steps: Mapping[str, tuple[float, bool, float | None]]) -> float:
    """Budget hours left on a critical path: each unfinished step's budget less its time used.

    Args:
        path: The step ids on the critical path.
        steps: Step id to (budget hours, finished, working hours used or None).
    """
    left = 0.0
    for step_id in path:
        report = steps.get(step_id)
        if report is None or report[1]:
            continue
        budget, _, used = report
        left += max(0.0, budget - (used or 0.0))
    return left


def _critical_left(
    procedure: Procedure | None, evaluation: Evaluation, calendar: WorkCalendar
) -> float | None:
    if procedure is None or not procedure.steps or not evaluation.steps:
        return None
    path = plan(procedure, to_local(evaluation.received_at), calendar).critical_path
    steps = {
        s.step_id: (s.budget_hours, s.finished_at is not None, s.used_hours)
        for s in evaluation.steps
    }
    return _path_left(path, steps)


def _inline_apology_due() -> ApologyDue:
    """The apology rule of a dossier with inline rules: :class:`AppliedRules`' default."""
    default = next(f.default for f in fields(AppliedRules) if f.name == "apology_due")
    assert isinstance(default, ApologyDue)
    return default


_INLINE_APOLOGY_DUE = _inline_apology_due()


def _apology_rule(procedure: Procedure | None) -> ApologyDue:
    """When the apology of a dossier following ``procedure`` is due (inline: the default)."""
    return _INLINE_APOLOGY_DUE if procedure is None else procedure.rules.apology_due


def _estimate(late: Vec, same: Vec, base: float) -> Vec:
    """The smoothed late share: ``(late + PRIOR_WEIGHT × base) / (same + PRIOR_WEIGHT)``."""
    return (late + PRIOR_WEIGHT * base) / (same + PRIOR_WEIGHT)


def _base_rate(late: int, finished: int) -> float:
    """The late share of every finished dossier behind the estimate (0 without history)."""
    return late / finished if finished else 0.0


def _probability(share: float, group: str, history: Sequence[_Past]) -> tuple[float, int]:
    base = _base_rate(sum(p.late for p in history), len(history))
    if share > 100:
        return 1.0, 0
    same = [p for p in history if p.group == group and p.share >= share]
    late = sum(p.late for p in same)
    return _estimate(late, len(same), base), len(same)


def _alert(
    calendar: WorkCalendar,
    as_of: datetime,
    *,
    sent: bool,
    overdue: bool,
    deadline: datetime | None,
    probability: float | None,
    threshold: float,
    within_hours: float,
) -> Literal["apology_due", "overdue"] | None:
    """The alert of an open dossier: overdue without an apology, or the apology due soon."""
    if not sent and overdue:
        return "overdue"
    if (
        not sent
        and deadline is not None
        and probability is not None
        and probability >= threshold
        and calendar.working_hours_between(to_local(as_of), to_local(deadline)) <= within_hours
    ):
        return "apology_due"
    return None


def _order(forecasts: list[Forecast]) -> list[Forecast]:
    """Most likely late first, then by dossier id."""
    return sorted(forecasts, key=lambda f: (-(f.probability_late or 0.0), f.dossier_id))


def forecast_late(
    dossiers: Iterable[Dossier],
    procedures: Procedures,
    calendar: WorkCalendar,
    *,
    as_of: datetime,
    threshold: float = 0.5,
    within_hours: float = 8.0,
) -> list[Forecast]:
    """Forecast every open dossier at ``as_of`` from the dossiers finished by then.

    Args:
        dossiers: All dossiers (history and open ones); events after ``as_of`` are ignored.
        procedures: The procedure library, or None for inline rules.
        calendar: The working calendar.
        as_of: The moment of the forecast.
        threshold: The probability from which a dossier is likely late (for the alert).
        within_hours: The alert window: working hours before the apology deadline.

    Returns:
        One forecast per open dossier (in time or overdue, not withdrawn), most likely late
        first. Dossiers that cannot be evaluated are left out (the report names them).

    Examples:
        >>> from procflow.forecast import forecast_late
        >>> table = read_dossiers("examples/dossiers-2025.csv")
        >>> cal = vietnam_calendar(years=range(2024, 2027))
        >>> fs = forecast_late(table.dossiers, load_procedures(), cal,
        ...                    as_of=datetime(2025, 6, 30, 17))
        >>> len(fs) > 0, all(0 <= f.probability_late <= 1 for f in fs if f.probability_late)
        (True, True)
    """
    history: list[_Past] = []
    open_items: list[tuple[Dossier, Evaluation, Procedure | None]] = []
    for dossier in dossiers:
        try:
            if to_local(dossier.received_at) > to_local(as_of):
                continue
            evaluation = evaluate(dossier, procedures, calendar, as_of=as_of)
            procedure = procedure_for(dossier, procedures)
        except ProcflowError:
            continue
        if evaluation.outcome.is_finished:
            share = share_of_limit(evaluation)
            if share is not None:
                history.append(_Past(_group(dossier), share, evaluation.outcome is Outcome.LATE))
        elif evaluation.outcome in (Outcome.IN_TIME, Outcome.OVERDUE):
            open_items.append((dossier, evaluation, procedure))
    out = []
    for dossier, ev, procedure in open_items:
        share = share_of_limit(ev)
        probability, behind = (
            (None, 0) if share is None else _probability(share, _group(dossier), history)
        )
        due = ev.effective_due_at
        deadline = None
        if due is not None:
            rule = _apology_rule(procedure)
            deadline = like(apology_deadline(calendar, to_local(due), rule), due)
        sent = ev.apology is not None
        alert = _alert(
            calendar,
            as_of,
            sent=sent,
            overdue=ev.outcome is Outcome.OVERDUE,
            deadline=deadline,
            probability=probability,
            threshold=threshold,
            within_hours=within_hours,
        )
        out.append(
            Forecast(
                dossier_id=ev.dossier_id,
                group=_group(dossier),
                due_at=due,
                used_share=share,
                hours_left=ev.remaining_hours,
                critical_path_left_hours=_critical_left(procedure, ev, calendar),
                probability_late=None if probability is None else round(probability, 4),
                history=behind,
                apology_deadline=deadline,
                apology_sent=sent,
                alert=alert,
            )
        )
    return _order(out)


def brier(pairs: Iterable[tuple[float, bool]]) -> float | None:
    """The Brier score: mean squared difference of probability and outcome (0 is perfect).

    Examples:
        >>> from procflow.forecast import brier
        >>> brier([(1.0, True), (0.0, False), (0.5, True)])
        0.0833
    """
    values = [(p - float(hit)) ** 2 for p, hit in pairs]
    return round(sum(values) / len(values), 4) if values else None


class Backtest(BaseModel):
    """A replay of the forecast at several dates against the eventual outcomes.

    Attributes:
        forecasts: Open dossiers forecast (over all dates).
        late: How many of them ended late.
        brier: The Brier score of the forecast.
        base_rate: The late rate of the dossiers finished by each date, averaged.
        base_brier: The Brier score of always forecasting that date's base rate.
        in_time: Forecasts of dossiers not yet past their due time (the hard cases).
        in_time_late: How many of those ended late.
        in_time_brier: The forecast's Brier score on them.
        in_time_base_brier: The base rate's Brier score on them.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    forecasts: int
    late: int
    brier: float | None
    base_rate: float | None
    base_brier: float | None
    in_time: int
    in_time_late: int
    in_time_brier: float | None
    in_time_base_brier: float | None


def backtest(
    dossiers: Sequence[Dossier],
    procedures: Procedures,
    calendar: WorkCalendar,
    *,
    at: Sequence[datetime],
    final: datetime,
) -> Backtest:
    """Forecast at each date of ``at``; score against the outcome at ``final``.

    Only dossiers finished by ``final`` are scored (late or not); the base rate at each
    date is the late share of the dossiers finished by then.

    Args:
        dossiers: The dossiers.
        procedures: The procedure library.
        calendar: The calendar.
        at: The forecast dates.
        final: When the outcomes are read.

    Returns:
        The counts and both Brier scores.
    """
    outcome: dict[str, bool] = {}
    finished_at: dict[str, datetime] = {}
    for dossier in dossiers:
        try:
            ev = evaluate(dossier, procedures, calendar, as_of=final)
        except ProcflowError:
            continue
        if ev.outcome.is_finished and ev.finished_at is not None:
            outcome[ev.dossier_id] = ev.outcome is Outcome.LATE
            finished_at[ev.dossier_id] = to_local(ev.finished_at)
    return _score(
        outcome,
        finished_at,
        at,
        lambda moment: forecast_late(dossiers, procedures, calendar, as_of=moment),
    )


def _score(
    outcome: Mapping[str, bool],
    finished_at: Mapping[str, datetime],
    at: Sequence[datetime],
    forecasts: Callable[[datetime], Sequence[Forecast]],
) -> Backtest:
    """Score the forecasts made at each date of ``at`` against the eventual outcomes.

    Args:
        outcome: Dossier id to whether it ended late, for the dossiers finished at the end.
        finished_at: Dossier id to when it finished (local).
        at: The forecast dates.
        forecasts: The forecasts at a date.
    """
    scored: list[tuple[float, bool]] = []
    base: list[tuple[float, bool]] = []
    hard: list[tuple[float, bool]] = []
    hard_base: list[tuple[float, bool]] = []
    rates = []
    for moment in at:
        done = [outcome[i] for i, t in finished_at.items() if t <= moment]
        rate = sum(done) / len(done) if done else 0.0
        rates.append(rate)
        for f in forecasts(moment):
            if f.dossier_id in outcome and f.probability_late is not None:
                scored.append((f.probability_late, outcome[f.dossier_id]))
                base.append((rate, outcome[f.dossier_id]))
                if f.hours_left is not None and f.hours_left >= 0:
                    hard.append((f.probability_late, outcome[f.dossier_id]))
                    hard_base.append((rate, outcome[f.dossier_id]))
    return Backtest(
        forecasts=len(scored),
        late=sum(hit for _, hit in scored),
        brier=brier(scored),
        base_rate=round(sum(rates) / len(rates), 4) if rates else None,
        base_brier=brier(base),
        in_time=len(hard),
        in_time_late=sum(hit for _, hit in hard),
        in_time_brier=brier(hard),
        in_time_base_brier=brier(hard_base),
    )
