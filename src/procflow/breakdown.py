"""Breakdowns of an evaluated dossier: who used its time, and how much of its limit it used.

* :func:`attribute_delay`: the step and unit that used the time of a late (or overdue)
  dossier, measured against the step budgets of its internal process (the step reports of
  its :class:`~procflow.evaluation.Evaluation`, planned by :mod:`procflow.planning`);
* :func:`share_of_limit` and :func:`percentiles`: the time used as a percentage of the time
  the limit allows, and its percentiles over a group;
* :func:`breakdown_key`: a dossier's group for the breakdowns of a report by unit, officer,
  step, service level or inter-agency procedure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict

from procflow.dossier import Dossier
from procflow.evaluation import Evaluation, Outcome
from procflow.law.ops import Vec
from procflow.procedure import Procedure

__all__ = [
    "Delay",
    "attribute_delay",
    "breakdown_key",
    "percentiles",
    "share_of_limit",
    "used_share",
]


class Delay(BaseModel):
    """The step (and its unit) that used a late dossier's time beyond its budget.

    Attributes:
        dossier_id: The dossier.
        step_id: The step that overran its budget most.
        unit: Its unit.
        overrun_hours: Working hours it used beyond its budget.
        other_steps: The other steps over budget, most first.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    dossier_id: str
    step_id: str
    unit: str
    overrun_hours: float
    other_steps: tuple[str, ...]


def attribute_delay(evaluation: Evaluation) -> Delay | None:
    """Attribute a late or overdue dossier's delay to the step that overran its budget most.

    Args:
        evaluation: The dossier's evaluation (steps are reported for procedures with steps).

    Returns:
        The step, its unit and the hours over budget; None if the dossier is not late or
        overdue, or no step went over its budget (or the procedure has no steps).

    Examples:
        >>> from procflow.breakdown import attribute_delay
        >>> d = Dossier.model_validate({
        ...     "id": "HS-1", "time_limit": "03 ngày làm việc",
        ...     "events": [{"type": "received", "at": "2024-08-29T10:00"}]})
        >>> e = evaluate(d, None, vietnam_calendar(years=[2024]), as_of=date(2024, 9, 30))
        >>> e.outcome.value, attribute_delay(e) is None  # no step plan to measure against
        ('overdue', True)
    """
    if evaluation.outcome not in (Outcome.LATE, Outcome.OVERDUE) or not evaluation.overrun_steps:
        return None
    steps = {s.step_id: s for s in evaluation.steps}
    worst = steps[evaluation.overrun_steps[0]]
    return Delay(
        dossier_id=evaluation.dossier_id,
        step_id=worst.step_id,
        unit=worst.unit,
        overrun_hours=worst.overrun_hours,
        other_steps=evaluation.overrun_steps[1:],
    )


def used_share(used: Vec, allowed: Vec) -> Vec:
    """Working hours used as a percentage of the hours allowed, on numbers or whole arrays.

    Examples:
        >>> from procflow.breakdown import used_share
        >>> used_share(16.0, 30.0)
        53.333333333333336
    """
    return 100 * used / allowed


def share_of_limit(evaluation: Evaluation, digits: int | None = 2) -> float | None:
    """The working time used as a percentage of the time its limit allows.

    The time allowed is the time used plus the time remaining to the effective due date
    (both less the time not counted), so clock stops are taken into account.

    Args:
        evaluation: The dossier's evaluation.
        digits: Decimals to round to; None for the unrounded share.

    Returns:
        The percentage (over 100 when late); None while the clock is not running or when
        no time was allowed.

    Examples:
        >>> from procflow.breakdown import share_of_limit
        >>> d = Dossier.model_validate({
        ...     "id": "HS-1", "time_limit": "03 ngày làm việc",
        ...     "events": [{"type": "received", "at": "2024-08-29T10:00"},
        ...                {"type": "finished", "at": "2024-09-04T10:00", "result": "granted"}]})
        >>> e = evaluate(d, None, vietnam_calendar(years=[2024]), as_of=date(2024, 9, 30))
        >>> e.used_hours, e.remaining_hours, share_of_limit(e)  # 16 of 30 working hours
        (16.0, 14.0, 53.33)
    """
    if evaluation.remaining_hours is None:
        return None
    allowed = evaluation.used_hours + evaluation.remaining_hours
    if allowed <= 0:
        return None
    share: float = used_share(evaluation.used_hours, allowed)
    return share if digits is None else round(share, digits)


def percentiles(values: Iterable[float], qs: Sequence[int] = (50, 90, 95)) -> dict[str, float]:
    """Percentiles by the nearest-rank method, keyed ``"p50"``...; empty without values.

    Examples:
        >>> from procflow.breakdown import percentiles
        >>> percentiles([10.0, 20.0, 30.0, 40.0, 100.0], qs=(50, 90, 100))
        {'p50': 30.0, 'p90': 100.0, 'p100': 100.0}
        >>> percentiles([])
        {}
    """
    ordered = sorted(values)
    if not ordered:
        return {}
    out = {}
    for q in qs:
        rank = max(1, -(-q * len(ordered) // 100))  # ceil(q/100 × n), at least the first
        out[f"p{q}"] = ordered[rank - 1]
    return out


def breakdown_key(
    by: str, dossier: Dossier, procedure: Procedure | None, evaluation: Evaluation | None
) -> str:
    """A dossier's group for a breakdown; ``""`` when the data does not say.

    Args:
        by: ``"unit"``, ``"officer"``, ``"step"``, ``"service_level"`` or ``"inter_agency"``.
        dossier: The dossier.
        procedure: Its procedure version, if any.
        evaluation: Its evaluation (needed for ``"step"``).

    Returns:
        * unit, officer: the dossier's own (its column), else the last event's that names one;
        * step: the step that overran its budget most (:func:`attribute_delay` for a late
          dossier; for any dossier, the first of ``overrun_steps``);
        * service_level: its value (full_online, partly_online, in_person);
        * inter_agency: ``inter_agency`` when the procedure gives agencies their shares of
          the limit (its spec's ``agencies``), ``single_agency`` otherwise, ``""`` for
          dossiers with inline rules.

    Raises:
        ValueError: For another ``by``.

    Examples:
        >>> from procflow.breakdown import breakdown_key
        >>> d = Dossier.model_validate({
        ...     "id": "HS-1", "time_limit": "1 ngày làm việc", "service_level": "4",
        ...     "events": [{"type": "received", "at": "2026-03-02T09:00", "officer": "Lan"}]})
        >>> [breakdown_key(k, d, None, None) for k in ("officer", "service_level", "unit")]
        ['Lan', 'full_online', '']
    """
    if by in ("unit", "officer"):
        own: str = getattr(dossier, by)
        if own:
            return own
        named = [value for e in dossier.events if (value := getattr(e, by))]
        return named[-1] if named else ""
    if by == "step":
        return evaluation.overrun_steps[0] if evaluation and evaluation.overrun_steps else ""
    if by == "service_level":
        return dossier.service_level.value if dossier.service_level else ""
    if by == "inter_agency":
        if procedure is None:
            return ""
        return "inter_agency" if procedure.agencies else "single_agency"
    raise ValueError(f"unknown breakdown {by!r}: unit, officer, step, service_level, inter_agency")
