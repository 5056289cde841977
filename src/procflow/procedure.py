"""Procedures (thủ tục hành chính) as step graphs with a legal time limit.

A :class:`Procedure` is an immutable, shared definition: its identity, legal basis, the
period it is in force, its time limit and counting rules, and its internal process (quy
trình nội bộ) as a graph of :class:`Step` values. Dossiers refer to it and never change it.

The graph:

* every step lists the steps that follow it in ``next``; several unconditional successors
  run in parallel (consultations with other agencies), and a step with several
  predecessors waits for all of them (a join);
* an edge may carry a named condition (``when = "needs_verification"``, or
  ``"not needs_verification"``): it is followed only when the condition holds, which makes
  conditional branches; conditions are declared in the procedure's ``conditions``;
* there is exactly one start step (no predecessor) and one end step (no successor).

Building a procedure validates it; every problem found is reported at once, each naming
the step and field (see :class:`Problem`). Budgets that leave slack under the legal limit
are warnings (:meth:`Procedure.warnings`), not errors.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from datetime import date, time
from itertools import pairwise
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from procflow.errors import SpecError, UnknownProcedureError
from procflow.labels import LabelledEnum
from procflow.parsing import parse_clock
from procflow.timelimit import CountingModel, TimeLimit, TimeUnit

__all__ = [
    "HOURS_PER_DAY",
    "AdminLevel",
    "AgencyShare",
    "CountingRules",
    "Edge",
    "LegalRef",
    "Problem",
    "Procedure",
    "ProcedureLibrary",
    "Step",
    "StepKind",
    "SupplementPolicy",
    "WaitReason",
]

HOURS_PER_DAY = 8.0
"""Working hours in one working day, for step budgets and the hour model (domain brief §2)."""

_ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"
_NOT_COUNTED = {"", "khong tinh", "không tính", "not counted", "none", "0"}


class AdminLevel(LabelledEnum):
    """The level of government that handles a procedure (two tiers since 1 July 2025)."""

    @classmethod
    def labels(cls) -> Mapping[Any, tuple[str, str]]:
        """Each member's (Vietnamese, English) label."""
        return _LEVEL_LABELS

    MINISTRY = "ministry"
    PROVINCE = "province"
    COMMUNE = "commune"
    DISTRICT = "district"
    """Abolished on 1 July 2025; kept for procedure versions in force before."""


_LEVEL_LABELS: dict[AdminLevel, tuple[str, str]] = {
    AdminLevel.MINISTRY: ("cấp bộ", "ministry"),
    AdminLevel.PROVINCE: ("cấp tỉnh", "province"),
    AdminLevel.COMMUNE: ("cấp xã", "commune"),
    AdminLevel.DISTRICT: ("cấp huyện", "district"),
}


class SupplementPolicy(LabelledEnum):
    """What a supplement request (yêu cầu bổ sung hồ sơ) does to the clock."""

    @classmethod
    def labels(cls) -> Mapping[Any, tuple[str, str]]:
        """Each member's (Vietnamese, English) label."""
        return _SUPPLEMENT_POLICY_LABELS

    RESTART = "restart"
    """The whole limit counts again from the complete dossier (default)."""
    PAUSE = "pause"
    """Time waiting for the applicant is not counted."""
    NONE = "none"
    """The clock runs on."""


_SUPPLEMENT_POLICY_LABELS: dict[SupplementPolicy, tuple[str, str]] = {
    SupplementPolicy.RESTART: ("tính lại từ đầu", "restart"),
    SupplementPolicy.PAUSE: ("tạm dừng tính thời gian", "pause"),
    SupplementPolicy.NONE: ("vẫn tính thời gian", "clock runs on"),
}


class WaitReason(LabelledEnum):
    """Waits that a procedure may exclude from its time limit."""

    @classmethod
    def labels(cls) -> Mapping[Any, tuple[str, str]]:
        """Each member's (Vietnamese, English) label."""
        return _WAIT_LABELS

    FINANCIAL_OBLIGATION = "financial_obligation"
    """The applicant paying taxes and fees (nghĩa vụ tài chính), e.g. land procedures."""
    OTHER_AGENCY = "other_agency"
    """Waiting for another agency's reply."""
    VERIFICATION = "verification"
    """Verification (xác minh)."""


_WAIT_LABELS: dict[WaitReason, tuple[str, str]] = {
    WaitReason.FINANCIAL_OBLIGATION: ("chờ thực hiện nghĩa vụ tài chính", "financial obligations"),
    WaitReason.OTHER_AGENCY: ("chờ ý kiến cơ quan khác", "another agency's reply"),
    WaitReason.VERIFICATION: ("chờ xác minh", "verification"),
}


class StepKind(LabelledEnum):
    """What a step of the internal process does."""

    @classmethod
    def labels(cls) -> Mapping[Any, tuple[str, str]]:
        """Each member's (Vietnamese, English) label."""
        return _STEP_KIND_LABELS

    RECEPTION = "reception"
    TASK = "task"
    CONSULTATION = "consultation"
    APPROVAL = "approval"
    HANDOFF = "handoff"
    """Hand-off to another agency (một cửa liên thông)."""
    RETURN = "return"


_STEP_KIND_LABELS: dict[StepKind, tuple[str, str]] = {
    StepKind.RECEPTION: ("tiếp nhận", "reception"),
    StepKind.TASK: ("xử lý", "task"),
    StepKind.CONSULTATION: ("lấy ý kiến", "consultation"),
    StepKind.APPROVAL: ("phê duyệt", "approval"),
    StepKind.HANDOFF: ("chuyển cơ quan liên thông", "hand-off to another agency"),
    StepKind.RETURN: ("trả kết quả", "return"),
}


class LegalRef(BaseModel):
    """A legal basis: a document and, where useful, its articles.

    Attributes:
        document: Number and name, e.g. "Nghị định 63/2024/NĐ-CP".
        articles: Articles or clauses, e.g. "Điều 7".
        note: What it settles for this procedure.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    document: str = Field(min_length=1)
    articles: str = ""
    note: str = ""

    def __str__(self) -> str:
        return f"{self.articles} {self.document}".strip()


class ApologyDue(LabelledEnum):
    """When a late dossier's apology with a new date is due. Values are stable."""

    @classmethod
    def labels(cls) -> Mapping[Any, tuple[str, str]]:
        """Each member's (Vietnamese, English) label."""
        return _APOLOGY_DUE_LABELS

    DAY_BEFORE = "day_before"
    """At least one working day before the due date (the default)."""
    AT_LIMIT_END = "at_limit_end"
    """By the time the limit ends (Decree 297/2025/NĐ-CP Art. 6(5))."""


_APOLOGY_DUE_LABELS: dict[ApologyDue, tuple[str, str]] = {
    ApologyDue.DAY_BEFORE: ("trước hạn ít nhất một ngày làm việc", "one working day before"),
    ApologyDue.AT_LIMIT_END: ("khi hết thời hạn", "when the limit ends"),
}


DEFAULT_RETURN_DAYS = 15
"""Working days an applicant has to supply what was requested before the dossier is returned.

References:
    Decree 297/2025/NĐ-CP Art. 6(4).
"""

DEFAULT_SUPPLEMENT_WINDOW = 8.0
"""Working hours within which a supplement request restarts the clock.

References:
    Decree 297/2025/NĐ-CP Art. 6(4)(a).
"""


class CountingRules(BaseModel):
    """How a procedure's time is counted.

    Attributes:
        cutoff: A dossier received after this time counts as received the next working
            day (e.g. 15:00 for civil status and certification). None for none.
        model: The counting model; None uses the default for the limit's unit.
        supplement_policy: What a supplement request does to the clock (default restart).
        not_counted: Waits excluded from the limit (financial obligations, other
            agencies' replies, verification).
        supplement_window: Working hours after the effective start within which a
            supplement request restarts the clock (default 8, Decree 297/2025/NĐ-CP Art.
            6(4)(a)); a later request under ``restart`` counts as a pause instead (the
            applicant's waiting is not counted, the agency's time used is kept) and is
            reported. None for no window.
        cutoff_channels: The channels the cut-off applies to (e.g. only ``online``); None
            for every channel.
        apology_due: When the apology with a new date is due: one working day before
            the due date (default, Decree 61/2018 Art. 19 as amended by Decree 107/2021)
            or when the time limit ends (Decree 297/2025/NĐ-CP Art. 6(5)).
        supplement_return_days: Working days after a supplement request after which a
            dossier whose supplement has not arrived is returned to the applicant and ends
            (outcome ``returned``; default 15, Decree 297/2025/NĐ-CP Art. 6(4)). None
            never returns it: it waits for the supplement indefinitely.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    cutoff: time | None = None
    model: CountingModel | None = None
    supplement_policy: SupplementPolicy = SupplementPolicy.RESTART
    not_counted: frozenset[WaitReason] = frozenset()
    supplement_window: float | None = Field(default=DEFAULT_SUPPLEMENT_WINDOW, gt=0)
    apology_due: ApologyDue = ApologyDue.DAY_BEFORE
    cutoff_channels: frozenset[Literal["online", "in_person", "post"]] | None = None
    supplement_return_days: int | None = Field(default=DEFAULT_RETURN_DAYS, ge=1)

    @field_validator("cutoff", mode="before")
    @classmethod
    def _clock(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower().rstrip("0:h").isdigit():
            return parse_clock(value, "cutoff")
        return value


class Edge(BaseModel):
    """An edge of the step graph: the next step, followed when its condition holds.

    In a spec, a bare string ``"sign"`` is an unconditional edge; a table
    ``{ to = "verify", when = "needs_verification" }`` is conditional, and
    ``when = "not needs_verification"`` is its negation.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    to: str
    when: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        return {"to": data} if isinstance(data, str) else data

    @property
    def condition(self) -> tuple[str, bool] | None:
        """The condition's name and the value it needs, or None when unconditional."""
        if self.when is None:
            return None
        words = self.when.split()
        if len(words) == 2 and words[0] == "not":
            return words[1], False
        return self.when.strip(), True

    def active(self, conditions: frozenset[str]) -> bool:
        """Whether the edge is followed when exactly ``conditions`` hold."""
        cond = self.condition
        return cond is None or (cond[0] in conditions) == cond[1]


class Step(BaseModel):
    """One step of the internal process.

    Attributes:
        id: Identifier, unique in the procedure (lowercase, digits, ``-_.``).
        name: What is done, in Vietnamese.
        name_en: The same in English (optional).
        unit: The responsible unit or role (e.g. "Bộ phận Một cửa", "Chuyên viên phòng").
        agency: The agency that owns the step, for inter-agency procedures.
        kind: What the step does.
        budget: Its share of the time, in working days (quarters and halves allowed) or
            working hours; None when not counted (often reception and return).
        form: The form or record the step produces (e.g. "Mẫu 01").
        next: The steps that follow.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=_ID_PATTERN)
    name: str = Field(min_length=1)
    name_en: str = ""
    unit: str = ""
    agency: str = ""
    kind: StepKind = StepKind.TASK
    budget: TimeLimit | None = None
    form: str = ""
    next: tuple[Edge, ...] = ()

    @field_validator("budget", mode="before")
    @classmethod
    def _not_counted(cls, value: Any) -> Any:
        if value is None or (isinstance(value, str) and value.strip().lower() in _NOT_COUNTED):
            return None
        return value

    @field_validator("budget")
    @classmethod
    def _budget_unit(cls, value: TimeLimit | None) -> TimeLimit | None:
        if value is not None and value.unit not in (TimeUnit.WORKING_DAYS, TimeUnit.WORKING_HOURS):
            raise ValueError(f"a step budget is in working days or hours, not {value}")
        return value

    @property
    def budget_hours(self) -> float:
        """The budget in working hours (0 when not counted)."""
        return 0.0 if self.budget is None else self.budget.hours(HOURS_PER_DAY)


class AgencyShare(BaseModel):
    """One agency's share of an inter-agency procedure's limit (e.g. 3 + 3 + 10 days).

    Attributes:
        agency: The agency's key, as steps name it in ``agency``.
        name: Its full name.
        limit: Its share of the time limit.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    agency: str = Field(min_length=1)
    name: str = ""
    limit: TimeLimit


class Problem(BaseModel):
    """One problem found in a procedure: where it is and what is wrong.

    Attributes:
        code: A stable code, e.g. ``"unknown_step"``, ``"cycle"``, ``"over_limit"``.
        message: What is wrong, naming the values.
        step: The step concerned, if any.
        field: The field concerned, as a dotted path (e.g. ``steps.2.next``).
        severity: ``"error"`` or ``"warning"``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    message: str
    step: str | None = None
    field: str | None = None
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = []
        if self.step is not None:
            where.append(f"step {self.step!r}")
        if self.field is not None:
            where.append(self.field)
        prefix = f"{', '.join(where)}: " if where else ""
        return f"{self.severity}: {prefix}{self.message} [{self.code}]"


class Procedure(BaseModel):
    """A procedure: identity, legal basis, validity, time limit, rules and step graph.

    Examples:
        >>> p = Procedure.model_validate({
        ...     "id": "chung-thuc-ban-sao", "name_vi": "Chứng thực bản sao từ bản chính",
        ...     "level": "commune", "field": "Chứng thực", "effective_from": "2015-04-10",
        ...     "time_limit": "Trong ngày", "rules": {"cutoff": "15:00"},
        ...     "legal_basis": [{"document": "Nghị định 23/2015/NĐ-CP", "articles": "Điều 7"}],
        ...     "steps": [{"id": "receive", "name": "Tiếp nhận", "next": ["sign"]},
        ...               {"id": "sign", "name": "Ký chứng thực", "budget": "4 giờ làm việc"}]})
        >>> p.start.id, p.end.id
        ('receive', 'sign')
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=_ID_PATTERN)
    code: str = ""
    name_vi: str = Field(min_length=1)
    name_en: str = ""
    level: AdminLevel
    field: str = ""
    legal_basis: tuple[LegalRef, ...] = Field(min_length=1)
    effective_from: date
    effective_to: date | None = None
    time_limit: TimeLimit
    rules: CountingRules = CountingRules()
    conditions: dict[str, str] = Field(default_factory=dict)
    agencies: tuple[AgencyShare, ...] = ()
    steps: tuple[Step, ...] = Field(min_length=1)
    notes: str = ""

    @model_validator(mode="after")
    def _check(self) -> Procedure:
        errors = [p for p in _problems(self) if p.severity == "error"]
        if errors:
            raise SpecError(f"procedure {self.id!r} is invalid", problems=errors)
        return self

    # -- graph ---------------------------------------------------------------------------

    @property
    def steps_by_id(self) -> Mapping[str, Step]:
        """The steps by id."""
        return {s.id: s for s in self.steps}

    @property
    def start(self) -> Step:
        """The start step: the first step, in spec order, without a predecessor."""
        targets = {e.to for s in self.steps for e in s.next}
        return next(s for s in self.steps if s.id not in targets)

    @property
    def end(self) -> Step:
        """The end step (the only one without a successor)."""
        return next(s for s in self.steps if not s.next)

    def predecessors(self, step_id: str) -> list[str]:
        """The ids of the steps with an edge to ``step_id``."""
        return [s.id for s in self.steps if any(e.to == step_id for e in s.next)]

    def topological_order(self) -> list[Step]:
        """The steps in an order where every step comes after its predecessors."""
        by_id = self.steps_by_id
        return [by_id[i] for i in _topological(self)]

    def longest_path(self) -> tuple[list[str], float]:
        """The path from start to end with the largest total budget, and that total in hours.

        All edges count, whatever their conditions: this is the worst case the legal limit
        must cover. Linear in steps and edges (one pass in topological order).
        """
        by_id = self.steps_by_id
        preds = _predecessor_map(self)
        hours: dict[str, float] = {}
        via: dict[str, str | None] = {}
        for step in self.topological_order():
            before = [p for p in preds[step.id] if p in hours]
            best = max(before, key=lambda p: hours[p]) if before else None
            hours[step.id] = (hours[best] if best else 0.0) + by_id[step.id].budget_hours
            via[step.id] = best
        path: list[str] = []
        node: str | None = self.end.id
        while node is not None:
            path.append(node)
            node = via[node]
        path.reverse()
        return path, hours[self.end.id]

    @property
    def limit_hours(self) -> float:
        """The legal limit in working hours, for comparing with step budgets.

        Calendar days count as that many working days (an upper bound); same day as one
        working day.
        """
        return _limit_hours(self.time_limit)

    def in_force_span(self) -> tuple[date, date]:
        """The first and the last day this version is in force, both included.

        A version without ``effective_to`` stays in force (``date.max``). Every engine
        picks the version in force at receipt with this span.

        Examples:
            >>> p = load_procedures()["cfs-ha-tinh"][-1]
            >>> p.in_force_span()[1]
            datetime.date(9999, 12, 31)
        """
        return self.effective_from, self.effective_to or date.max

    def in_force(self, day: date) -> bool:
        """Whether this version is in force on ``day`` (:meth:`in_force_span`)."""
        first, last = self.in_force_span()
        return first <= day <= last

    def warnings(self) -> list[Problem]:
        """Problems that do not make the procedure invalid (e.g. budgets leaving slack)."""
        return [p for p in _problems(self) if p.severity == "warning"]


def _limit_hours(limit: TimeLimit) -> float:
    if limit.unit is TimeUnit.SAME_DAY:
        return HOURS_PER_DAY
    # Upper bounds in working hours for the units that are not counted in working time.
    if limit.unit is TimeUnit.CALENDAR_DAYS:
        return limit.value * HOURS_PER_DAY
    if limit.unit is TimeUnit.WEEKS:
        return limit.value * 7 * HOURS_PER_DAY
    if limit.unit is TimeUnit.MONTHS:
        return limit.value * 31 * HOURS_PER_DAY
    if limit.unit is TimeUnit.CLOCK_HOURS:
        return limit.value
    return limit.hours(HOURS_PER_DAY)


def _predecessor_map(p: Procedure) -> dict[str, list[str]]:
    """The predecessors of every step, in spec order (edges to unknown steps left out)."""
    preds: dict[str, list[str]] = {s.id: [] for s in p.steps}
    for s in p.steps:
        for e in s.next:
            if e.to in preds:
                preds[e.to].append(s.id)
    return preds


def _topological(p: Procedure) -> list[str]:
    """Kahn's algorithm in spec order; assumes no cycle (checked before)."""
    indegree = {s.id: 0 for s in p.steps}
    for s in p.steps:
        for e in s.next:
            if e.to in indegree:
                indegree[e.to] += 1
    ready = deque(s.id for s in p.steps if indegree[s.id] == 0)
    order = []
    by_id = {s.id: s for s in p.steps}
    while ready:
        current = ready.popleft()
        order.append(current)
        for e in by_id[current].next:
            if e.to in indegree:
                indegree[e.to] -= 1
                if indegree[e.to] == 0:
                    ready.append(e.to)
    return order


def _find_cycle(p: Procedure) -> list[str] | None:
    """A cycle of the step graph as a closed list of ids, or None: an iterative depth-first walk.

    An explicit stack of (step, next edge to try) rather than recursion, so a chain of any
    length is checked without reaching Python's recursion limit.
    """
    by_id = {s.id: s for s in p.steps}
    state: dict[str, int] = {}  # 1 = on the path, 2 = done
    for root in p.steps:
        if root.id in state:
            continue
        state[root.id] = 1
        path = [root.id]
        edges = [0]
        position = {root.id: 0}
        while path:
            node, k = path[-1], edges[-1]
            successors = by_id[node].next
            if k == len(successors):
                state[node] = 2
                del position[node]
                path.pop()
                edges.pop()
                continue
            edges[-1] = k + 1
            target = successors[k].to
            if target not in by_id:
                continue
            if state.get(target) == 1:
                return [*path[position[target] :], target]
            if target not in state:
                state[target] = 1
                position[target] = len(path)
                path.append(target)
                edges.append(0)
    return None


def _fmt_hours(hours: float) -> str:
    days = hours / HOURS_PER_DAY
    return f"{hours:g} working hours ({days:g} working days)"


def _structure_problems(p: Procedure) -> Iterator[Problem]:
    ids: dict[str, int] = {}
    for index, step in enumerate(p.steps):
        if step.id in ids:
            yield Problem(
                code="duplicate_step",
                message=f"step id {step.id!r} is used twice (steps {ids[step.id]} and {index})",
                step=step.id,
                field=f"steps.{index}.id",
            )
        ids.setdefault(step.id, index)
    for index, step in enumerate(p.steps):
        for k, edge in enumerate(step.next):
            if edge.to not in ids:
                yield Problem(
                    code="unknown_step",
                    message=f"next step {edge.to!r} does not exist",
                    step=step.id,
                    field=f"steps.{index}.next.{k}",
                )
            cond = edge.condition
            if cond is not None and cond[0] not in p.conditions:
                yield Problem(
                    code="unknown_condition",
                    message=f"condition {cond[0]!r} is not declared in 'conditions'",
                    step=step.id,
                    field=f"steps.{index}.next.{k}.when",
                )


def _problems(p: Procedure) -> list[Problem]:
    problems = list(_structure_problems(p))
    if p.effective_to is not None and p.effective_to < p.effective_from:
        problems.append(
            Problem(
                code="validity",
                message=f"effective_to {p.effective_to} is before "
                f"effective_from {p.effective_from}",
                field="effective_to",
            )
        )
    if problems:
        return problems  # the graph checks below need every reference to resolve
    cycle = _find_cycle(p)
    if cycle is not None:
        return [
            Problem(
                code="cycle",
                message=f"the steps form a cycle: {' -> '.join(cycle)}",
                step=cycle[0],
                field="steps",
            )
        ]
    # Acyclic, so some step has no predecessor: the first such step is the start.
    start = p.start.id
    reachable: set[str] = set()
    frontier = [start]
    by_id = p.steps_by_id
    while frontier:
        node = frontier.pop()
        if node not in reachable:
            reachable.add(node)
            frontier.extend(e.to for e in by_id[node].next)
    for index, step in enumerate(p.steps):
        if step.id not in reachable:
            problems.append(
                Problem(
                    code="unreachable",
                    message=f"step cannot be reached from the start step {start!r}",
                    step=step.id,
                    field=f"steps.{index}",
                )
            )
    ends = [s.id for s in p.steps if not s.next and s.id in reachable]
    if len(ends) != 1:
        problems.append(
            Problem(
                code="end",
                message=f"the graph needs exactly one end step (without a successor), found {ends}",
                field="steps",
            )
        )
    if problems:
        return problems
    problems.extend(_budget_problems(p))
    return problems


def _budget_problems(p: Procedure) -> Iterator[Problem]:
    path, hours = p.longest_path()
    limit = p.limit_hours
    if hours > limit + 1e-9:
        yield Problem(
            code="over_limit",
            message=f"budgets along {' -> '.join(path)} add up to {_fmt_hours(hours)}, "
            f"more than the legal limit {p.time_limit} ({_fmt_hours(limit)})",
            field="steps",
        )
    elif hours < limit - 1e-9 and p.time_limit.unit is not TimeUnit.SAME_DAY:
        yield Problem(
            code="slack",
            message=f"budgets along the longest path add up to {_fmt_hours(hours)}, "
            f"leaving {_fmt_hours(limit - hours)} of {p.time_limit} unassigned",
            field="steps",
            severity="warning",
        )
    if not p.agencies:
        return
    shares = {a.agency: a for a in p.agencies}
    total = sum(_limit_hours(a.limit) for a in p.agencies)
    if abs(total - limit) > 1e-9:
        parts = " + ".join(str(a.limit) for a in p.agencies)
        yield Problem(
            code="shares",
            message=f"agency shares {parts} add up to {_fmt_hours(total)}, "
            f"not the limit {p.time_limit} ({_fmt_hours(limit)})",
            field="agencies",
        )
    on_path: dict[str, float] = {}
    by_id = p.steps_by_id
    for index, step in enumerate(p.steps):
        if step.agency and step.agency not in shares:
            yield Problem(
                code="unknown_agency",
                message=f"agency {step.agency!r} has no share in 'agencies'",
                step=step.id,
                field=f"steps.{index}.agency",
            )
    for step_id in path:
        agency = by_id[step_id].agency
        on_path[agency] = on_path.get(agency, 0.0) + by_id[step_id].budget_hours
    for agency, used in on_path.items():
        share = shares.get(agency)
        if share is not None and used > _limit_hours(share.limit) + 1e-9:
            yield Problem(
                code="over_share",
                message=f"agency {agency!r} steps on the longest path use {_fmt_hours(used)}, "
                f"more than its share {share.limit}",
                field="agencies",
            )


class ProcedureLibrary(Mapping[str, tuple[Procedure, ...]]):
    """Procedures by id, every version of each, oldest first.

    Versions of one procedure must not overlap in time: a dossier uses the version in
    force on its receipt date (:meth:`in_force`).

    Args:
        procedures: The procedures (any order).

    Raises:
        SpecError: If two versions of one procedure overlap.
    """

    def __init__(self, procedures: Mapping[str, tuple[Procedure, ...]] | list[Procedure]) -> None:
        items = (
            [p for versions in procedures.values() for p in versions]
            if isinstance(procedures, Mapping)
            else list(procedures)
        )
        grouped: dict[str, list[Procedure]] = {}
        for p in items:
            grouped.setdefault(p.id, []).append(p)
        problems = []
        for pid, versions in grouped.items():
            versions.sort(key=lambda v: v.effective_from)
            for older, newer in pairwise(versions):
                if older.effective_to is None or older.effective_to >= newer.effective_from:
                    problems.append(
                        Problem(
                            code="overlap",
                            message=f"versions of {pid!r} in force from {older.effective_from} "
                            f"(to {older.effective_to or 'open end'}) and from "
                            f"{newer.effective_from} overlap",
                            field="effective_to",
                        )
                    )
        if problems:
            raise SpecError("procedure versions overlap", problems=problems)
        self._by_id = {pid: tuple(v) for pid, v in grouped.items()}

    def __getitem__(self, key: str) -> tuple[Procedure, ...]:
        return self._by_id[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)

    def __repr__(self) -> str:
        return f"ProcedureLibrary({len(self)} procedures)"

    def in_force(self, procedure_id: str, day: date) -> Procedure:
        """Return the version of ``procedure_id`` in force on ``day``.

        Raises:
            LookupError: A :class:`~procflow.errors.UnknownProcedureError` if there is no
                such procedure or no version in force that day.
        """
        versions = self._by_id.get(procedure_id)
        if versions is None:
            raise UnknownProcedureError(f"unknown procedure {procedure_id!r}")
        for version in versions:
            if version.in_force(day):
                return version
        spans = ", ".join(f"{v.effective_from}–{v.effective_to or ''}" for v in versions)
        raise UnknownProcedureError(
            f"no version of procedure {procedure_id!r} is in force on {day} (versions: {spans})"
        )
