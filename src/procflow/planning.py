"""Planning: each step's planned start and due time for a dossier received at a given time.

Steps are chained along the graph in working hours from the effective receipt (step
budgets use the hour model, one working day = 8 working hours): a step starts when all
its active predecessors are due (a join waits for its slowest branch) and is due its
budget later. Each step's *latest* due time is worked backwards from the procedure's
legal due date; the difference is its slack. The critical path is the chain of steps
that sets the end step's planned due time.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from procflow.calendar import WorkCalendar, like
from procflow.deadline import due_date, effective_receipt
from procflow.procedure import Procedure, StepKind
from procflow.timelimit import TimeLimit

__all__ = ["Plan", "PlannedStep", "plan"]


class PlannedStep(BaseModel):
    """A step's plan for one dossier.

    Attributes:
        step_id: The step.
        name: Its name.
        unit: The responsible unit.
        agency: The owning agency, for inter-agency procedures.
        kind: What the step does.
        budget: Its budget (None = not counted).
        budget_hours: Its budget in working hours.
        start_at: Planned start.
        due_at: Planned due time (start + budget).
        latest_due_at: The latest due time that still lets the procedure meet its legal due
            date.
        slack_hours: Working hours between ``due_at`` and ``latest_due_at`` (negative when
            the budgets cannot fit the legal due date).
        critical: Whether the step is on the critical path.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    step_id: str
    name: str
    unit: str
    agency: str
    kind: StepKind
    budget: TimeLimit | None
    budget_hours: float
    start_at: datetime
    due_at: datetime
    latest_due_at: datetime
    slack_hours: float
    critical: bool


class Plan(BaseModel):
    """The planned times of a procedure's steps for one receipt time.

    Attributes:
        procedure_id: The procedure.
        received_at: The receipt time given.
        start_at: The effective start (after cut-off, office hours, days off).
        due_at: The procedure's legal due date.
        conditions: The conditions assumed true.
        steps: The active steps in planning order.
        critical_path: The ids of the steps on the critical path, start to end.
        budget_hours: Total budget along the critical path, in working hours.
        available_hours: Working hours from the effective start to the legal due date.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    procedure_id: str
    received_at: datetime
    start_at: datetime
    due_at: datetime
    conditions: frozenset[str]
    steps: tuple[PlannedStep, ...]
    critical_path: tuple[str, ...]
    budget_hours: float
    available_hours: float

    def step(self, step_id: str) -> PlannedStep:
        """The plan of one step.

        Raises:
            KeyError: If the step is not in the plan (unknown, or on an inactive branch).
        """
        for planned in self.steps:
            if planned.step_id == step_id:
                return planned
        raise KeyError(f"step {step_id!r} is not in the plan of {self.procedure_id!r}")


def plan(
    procedure: Procedure,
    received_at: datetime,
    calendar: WorkCalendar,
    *,
    conditions: Iterable[str] = (),
) -> Plan:
    """Plan every step of ``procedure`` for a dossier received at ``received_at``.

    Args:
        procedure: The procedure.
        received_at: When the complete dossier was received (naive = local time).
        calendar: The working calendar.
        conditions: The named conditions that hold (e.g. ``{"needs_verification"}``);
            edges whose condition fails are not followed, and steps reached only through
            them are left out.

    Returns:
        The plan: planned and latest times, slack, critical path.

    Raises:
        ValueError: If a condition is not declared by the procedure.
        CoverageError: If a date involved is outside the calendar's years.

    Examples:
        >>> p = load_procedure("src/procflow/specs/cfs-ha-tinh.toml")
        >>> cal = vietnam_calendar(years=[2024])
        >>> pl = plan(p, datetime(2024, 8, 29, 8, 0), cal)
        >>> pl.due_at, pl.step(pl.critical_path[-1]).due_at
        (datetime.datetime(2024, 9, 5, 17, 0), datetime.datetime(2024, 9, 4, 17, 0))
    """
    active_conditions = frozenset(conditions)
    unknown = active_conditions - procedure.conditions.keys()
    if unknown:
        raise ValueError(
            f"procedure {procedure.id!r} declares no condition {sorted(unknown)}; "
            f"it has {sorted(procedure.conditions)}"
        )
    rules = procedure.rules
    receipt = effective_receipt(received_at, calendar, cutoff=rules.cutoff)
    legal_due = due_date(
        received_at, procedure.time_limit, calendar, cutoff=rules.cutoff, model=rules.model
    )
    start_local = receipt.start_at
    available = calendar.working_hours_between(start_local, legal_due)

    order = procedure.topological_order()
    by_id = procedure.steps_by_id
    # Active predecessors of each step under the conditions (only from active steps).
    active: set[str] = {procedure.start.id}
    preds: dict[str, list[str]] = {s.id: [] for s in order}
    for step in order:
        if step.id not in active:
            continue
        for edge in step.next:
            if edge.active(active_conditions):
                active.add(edge.to)
                preds[edge.to].append(step.id)
    steps = [s for s in order if s.id in active]

    finish: dict[str, float] = {}
    begin: dict[str, float] = {}
    for step in steps:
        begin[step.id] = max((finish[p] for p in preds[step.id]), default=0.0)
        finish[step.id] = begin[step.id] + step.budget_hours
    succs: dict[str, list[str]] = {s.id: [] for s in steps}
    for step in steps:
        for p in preds[step.id]:
            succs[p].append(step.id)
    latest: dict[str, float] = {}
    for step in reversed(steps):
        latest[step.id] = min(
            (latest[s] - by_id[s].budget_hours for s in succs[step.id]), default=available
        )
    # Walk back from the last-finishing end through each step's latest predecessor.
    critical: list[str] = []
    node: str | None = max((s.id for s in steps if not succs[s.id]), key=lambda i: finish[i])
    while node is not None:
        critical.append(node)
        node = max(preds[node], key=lambda p: finish[p]) if preds[node] else None
    critical.reverse()
    on_path = set(critical)

    def at(offset: float) -> datetime:
        return calendar.add_working_hours(start_local, offset) if offset > 0 else start_local

    def starting(offset: float) -> datetime:
        # A step that may start at a day's closing time starts at the next opening.
        instant = at(offset)
        if instant.time() >= calendar.closing:
            return calendar.opening_at(calendar.add_working_days(instant.date(), 1))
        return instant

    planned = tuple(
        PlannedStep(
            step_id=s.id,
            name=s.name,
            unit=s.unit,
            agency=s.agency,
            kind=s.kind,
            budget=s.budget,
            budget_hours=s.budget_hours,
            start_at=like(starting(begin[s.id]), received_at),
            # A step without a budget is due when it starts.
            due_at=like(at(finish[s.id]) if s.budget_hours else starting(begin[s.id]), received_at),
            latest_due_at=like(at(latest[s.id]), received_at),
            slack_hours=latest[s.id] - finish[s.id],
            critical=s.id in on_path,
        )
        for s in steps
    )
    return Plan(
        procedure_id=procedure.id,
        received_at=received_at,
        start_at=like(start_local, received_at),
        due_at=legal_due,
        conditions=active_conditions,
        steps=planned,
        critical_path=tuple(critical),
        budget_hours=sum(by_id[i].budget_hours for i in critical),
        available_hours=available,
    )
