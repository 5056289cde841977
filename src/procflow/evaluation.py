"""Evaluating a dossier: its due dates, outcome, time used, steps and reasons.

The outcome follows domain brief §5 (the law uses the words without defining them):

* a finished dossier is **early** when finished on a date before its due date, **on time**
  when finished on the due date by its due time, **late** after it; a refusal is a
  finished result and is judged the same way;
* an unfinished dossier is **in time** at ``as_of`` if ``as_of`` is not after its due
  time, else **overdue**;
* a withdrawn dossier is **withdrawn**.

The due date judged is the *effective* one: the appointment printed on the receipt,
moved by the clock stops the procedure allows:

* supplement requests per the procedure's :class:`~procflow.SupplementPolicy`:
  ``restart`` counts the whole limit again from the supplement's receipt, ``pause`` does
  not count the time waiting for the applicant, ``none`` changes nothing;
* waits the procedure excludes (``not_counted``: financial obligations, other agencies'
  replies, verification) are not counted.

Time not counted moves the due date as the limit is counted: the hour model adds the
working hours stopped; the day model adds the working days in ``(stop date, restart date]``
(the day the clock restarts is not counted, like the day of receipt); a calendar-day limit
adds calendar days before moving a last day that is off. An apology's new date never
changes the judgement: the dossier is judged against its due date (domain brief §4).

The classification is a first-match decision table (:data:`RULES`); every evaluation
records the rule that fired.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from procflow.calendar import WorkCalendar, like, local_ticks, to_local
from procflow.deadline import (
    Note,
    count_due,
    day_en,
    day_vi,
    effective_receipt,
    resolve_model,
)
from procflow.dossier import Dossier, Event, EventType, Result, check_timeline
from procflow.errors import TimelineError, UnknownProcedureError
from procflow.instant import Instant
from procflow.labels import LabelledEnum
from procflow.law import outcome as law_outcome
from procflow.law.codes import MISSING, model_code, policy_code, unit_code
from procflow.law.due import period_last
from procflow.law.index import DAYS_ONLY
from procflow.law.outcome import apology_deadline as law_apology_deadline
from procflow.law.outcome import d766_on_time
from procflow.law.receipt import Receipt as LawReceipt
from procflow.law.stops import Cycle, return_at
from procflow.law.stops import cycle as law_cycle
from procflow.law.stops import extend as law_extend
from procflow.law.stops import wait as law_wait
from procflow.planning import plan
from procflow.procedure import (
    DEFAULT_RETURN_DAYS,
    DEFAULT_SUPPLEMENT_WINDOW,
    ApologyDue,
    Procedure,
    ProcedureLibrary,
    SupplementPolicy,
    WaitReason,
)
from procflow.timelimit import CountingModel, TimeLimit

__all__ = [
    "RULES",
    "ApologyCheck",
    "AppliedRules",
    "Evaluation",
    "Outcome",
    "Rule",
    "StepReport",
    "Stop",
    "apology_deadline",
    "applied_rules",
    "evaluate",
    "judge",
    "procedure_for",
]

Procedures = ProcedureLibrary | Mapping[str, Procedure] | None


class Outcome(LabelledEnum):
    """The outcome of a dossier. Values are stable for serialisation and reports."""

    @classmethod
    def labels(cls) -> Mapping[Any, tuple[str, str]]:
        """Each member's (Vietnamese, English) label."""
        return _OUTCOME_WORDS

    EARLY = "early"
    """Finished on a date before the due date (trước hạn)."""
    ON_TIME = "on_time"
    """Finished on the due date, by its due time (đúng hạn)."""
    LATE = "late"
    """Finished after the due time (quá hạn, trễ hạn)."""
    IN_TIME = "in_time"
    """Unfinished, and not past the due time at ``as_of`` (đang giải quyết trong hạn)."""
    OVERDUE = "overdue"
    """Unfinished, and past the due time at ``as_of`` (đang giải quyết quá hạn)."""
    WITHDRAWN = "withdrawn"
    """Stopped at the applicant's request (rút hồ sơ, dừng giải quyết)."""
    RETURNED = "returned"
    """Returned to the applicant: the supplement requested did not arrive within the
    procedure's window (trả lại hồ sơ; Decree 297/2025/NĐ-CP Art. 6(4))."""

    @property
    def is_finished(self) -> bool:
        """Whether the dossier was finished (early, on time or late)."""
        return self in (Outcome.EARLY, Outcome.ON_TIME, Outcome.LATE)

    @property
    def words(self) -> tuple[str, str]:
        """The outcome in Vietnamese and English, e.g. ``("trước hạn", "early")``."""
        return _OUTCOME_WORDS[self]


_OUTCOME_WORDS = {
    Outcome.EARLY: ("trước hạn", "early"),
    Outcome.ON_TIME: ("đúng hạn", "on time"),
    Outcome.LATE: ("quá hạn", "late"),
    Outcome.IN_TIME: ("đang giải quyết trong hạn", "in progress, in time"),
    Outcome.OVERDUE: ("đang giải quyết quá hạn", "in progress, overdue"),
    Outcome.WITHDRAWN: ("đã rút hồ sơ", "withdrawn"),
    Outcome.RETURNED: ("trả lại hồ sơ (không bổ sung)", "returned (not supplemented)"),
}


_STOP_LABELS = {
    "supplement": ("chờ bổ sung hồ sơ", "waiting for the supplement"),
    WaitReason.FINANCIAL_OBLIGATION.value: (
        "chờ thực hiện nghĩa vụ tài chính",
        "waiting for the financial obligations",
    ),
    WaitReason.OTHER_AGENCY.value: ("chờ ý kiến cơ quan khác", "waiting for another agency"),
    WaitReason.VERIFICATION.value: ("chờ xác minh", "waiting for verification"),
}


@dataclass(frozen=True, slots=True)
class Rule:
    """One row of the classification table: an id and the outcome it gives.

    The conditions are the rule core's (:func:`procflow.law.outcome.classify`), the same
    for one dossier and for a batch; ``number`` is the row's place in the table.
    """

    id: str
    outcome: Outcome
    number: int


RULES: tuple[Rule, ...] = tuple(
    Rule(rule_id, Outcome(outcome), number)
    for number, (rule_id, outcome) in enumerate(law_outcome.RULES)
)
"""The classification, first match wins; the last row always matches, so it is total."""


def judge(finished_at: datetime | None, due: datetime, *, as_of: datetime) -> Outcome:
    """Judge a finish (or its absence at ``as_of``) against a due time, by :data:`RULES`.

    The same table that classifies dossiers (the rule core's), for anything else with a due
    time: a step's hand-over against its planned time, for example.

    Args:
        finished_at: When it finished, None if it has not.
        due: The due time (naive = local time, like ``finished_at``).
        as_of: The instant an unfinished one is judged at.

    Returns:
        early, on_time or late when finished; in_time or overdue otherwise.

    Examples:
        >>> due = datetime(2024, 9, 5, 17, 0)
        >>> judge(datetime(2024, 9, 5, 16, 0), due, as_of=due).value
        'on_time'
        >>> judge(None, due, as_of=datetime(2024, 9, 6, 8, 0)).value
        'overdue'
    """
    tick = local_ticks
    number = law_outcome.classify(
        DAYS_ONLY,
        False,
        finished_at is not None,
        False,
        True,
        0 if finished_at is None else tick(finished_at),
        tick(due),
        tick(as_of if finished_at is None else finished_at),
    )
    return RULES[number].outcome


class Stop(BaseModel):
    """A period the clock did not run (or ran differently).

    Attributes:
        kind: ``"supplement"`` or the wait's reason.
        start: When it began.
        end: When it ended, None while still open at the end point.
        hours: Working hours of it that were not counted.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str
    start: Instant
    end: Instant | None
    hours: float


class StepReport(BaseModel):
    """A step's plan against what happened.

    Attributes:
        step_id: The step.
        name: Its name.
        unit: The responsible unit (the one in the events, if given, else the spec's).
        budget_hours: Its budget in working hours.
        planned_start_at: Planned start.
        planned_due_at: Planned due time.
        started_at: When it started (first ``step_started``), if it did.
        finished_at: When it finished (last ``step_finished``), if it did.
        used_hours: Working hours between start and finish (or the end point), less time
            not counted.
        overrun_hours: Hours used beyond the budget (0 if within it).
        late_hours: Working hours its finish came after its planned due time (negative
            when before); None until it finishes.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    step_id: str
    name: str
    unit: str
    budget_hours: float
    planned_start_at: Instant
    planned_due_at: Instant
    started_at: Instant | None
    finished_at: Instant | None
    used_hours: float | None
    overrun_hours: float
    late_hours: float | None


class ApologyCheck(BaseModel):
    """Whether the apology (văn bản xin lỗi và hẹn lại) followed the rules.

    Attributes:
        count: How many apologies with a new date were issued.
        first_issued_at: When the first was issued.
        new_due_at: The date it promised (None if not recorded).
        timely: Issued in time: at least one working day before the due date, or by
            the due time when the procedure's ``apology_due`` is ``at_limit_end``.
        reappointed_more_than_once: More than one new date was given (allowed once).
        met_new_due: Whether the dossier finished by the first promised date (None while
            unfinished): only the first re-appointment is lawful, so a later new date
            does not excuse a miss.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    count: int
    first_issued_at: Instant
    new_due_at: Instant | None
    timely: bool
    reappointed_more_than_once: bool
    met_new_due: bool | None


class Evaluation(BaseModel):
    """Everything procflow says about one dossier at ``as_of``.

    Attributes:
        dossier_id: The dossier.
        procedure_id: Its procedure, if it named one.
        procedure_version: The ``effective_from`` of the version applied, if any.
        outcome: early, on_time, late, in_time, overdue or withdrawn.
        rule: The id of the classification rule that fired (see :data:`RULES`).
        as_of: The instant the evaluation describes.
        received_at: When the complete dossier was received.
        due_at: The original due date: the appointment printed on the receipt.
        effective_due_at: The due date after clock stops; None while a restart policy waits
            for the applicant's supplement (the clock is not running).
        finished_at: When processing finished, if it did.
        result: Granted or refused, if finished.
        withdrawn_at: When the applicant withdrew, if they did.
        returned_at: When the dossier was returned for want of the supplement requested
            (outcome ``returned``), if it was.
        clock_stopped: The clock is stopped at ``as_of`` (unfinished, waiting). The dossier
            is then judged, and its time counted, as of the moment the clock stopped.
        waiting_for_applicant: The stop is a supplement request still open.
        supplement_requests: How many supplements were requested.
        stops: The periods not counted.
        not_counted_hours: Working hours not counted.
        used_hours: Working hours used from the effective start to the end point (finish,
            withdrawal or ``as_of``), less time not counted.
        used_days: The same in working days.
        remaining_hours: Working hours from the end point to the effective due date;
            negative is an overrun. None while the clock is not running.
        steps: Each step's plan against what happened (procedures with steps only).
        overrun_steps: Steps that used more than their budget, most first.
        overrun_units: Their units, most first.
        apology: The apology check, if an apology was issued.
        d766_due_at: Decision 766's due date: the original, with supplement waiting
            subtracted.
        d766_on_time: Decision 766's on-time indicator: finished by ``d766_due_at`` with at
            most one supplement request (early counts as on time). None unless finished.
        notes: The explanation, line by line, in Vietnamese and English.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    dossier_id: str
    procedure_id: str | None
    procedure_version: date | None
    outcome: Outcome
    rule: str
    as_of: Instant
    received_at: Instant
    due_at: Instant
    effective_due_at: Instant | None
    finished_at: Instant | None
    result: Result | None
    withdrawn_at: Instant | None
    returned_at: Instant | None = None
    clock_stopped: bool
    waiting_for_applicant: bool
    supplement_requests: int
    stops: tuple[Stop, ...]
    not_counted_hours: float
    used_hours: float
    used_days: float
    remaining_hours: float | None
    steps: tuple[StepReport, ...]
    overrun_steps: tuple[str, ...]
    overrun_units: tuple[str, ...]
    apology: ApologyCheck | None
    d766_due_at: Instant
    d766_on_time: bool | None
    notes: tuple[Note, ...]

    def explain(self, lang: Literal["vi", "en"] = "vi") -> str:
        """Return the explanation as text, one reason a line."""
        return "\n".join(note.text(lang) for note in self.notes)


@dataclass(frozen=True, slots=True)
class AppliedRules:
    """The counting rules that apply to one dossier (its procedure's, or its inline ones)."""

    limit: TimeLimit
    cutoff: time | None
    model: CountingModel
    policy: SupplementPolicy
    not_counted: frozenset[WaitReason]
    window: float | None = DEFAULT_SUPPLEMENT_WINDOW
    apology_due: ApologyDue = ApologyDue.DAY_BEFORE
    return_days: int | None = DEFAULT_RETURN_DAYS


def procedure_for(dossier: Dossier, procedures: Procedures) -> Procedure | None:
    """The procedure version a dossier follows: the one in force on its receipt date.

    Returns None for a dossier with inline rules.

    Raises:
        UnknownProcedureError: If it names a procedure that is unknown, not in force at
            receipt, or no library was given.
    """
    if dossier.procedure_id is None:
        return None
    if procedures is None:
        raise UnknownProcedureError(
            f"dossier {dossier.id!r} names procedure {dossier.procedure_id!r} "
            "but no procedure library was given"
        )
    received = to_local(dossier.received_at).date()
    if isinstance(procedures, ProcedureLibrary):
        return procedures.in_force(dossier.procedure_id, received)
    found = procedures.get(dossier.procedure_id)
    if found is None:
        raise UnknownProcedureError(
            f"dossier {dossier.id!r}: unknown procedure {dossier.procedure_id!r}"
        )
    return found


def applied_rules(dossier: Dossier, procedure: Procedure | None) -> AppliedRules:
    """The counting rules of a dossier: its procedure's, or its inline ones."""
    if procedure is not None:
        r = procedure.rules
        limit = procedure.time_limit
        applies = r.cutoff_channels is None or dossier.channel.value in r.cutoff_channels
        return AppliedRules(
            limit,
            r.cutoff if applies else None,
            resolve_model(limit, r.model),
            r.supplement_policy,
            r.not_counted,
            r.supplement_window,
            r.apology_due,
            r.supplement_return_days,
        )
    assert dossier.time_limit is not None  # Dossier requires one or the other
    limit = dossier.time_limit
    return AppliedRules(
        limit,
        dossier.cutoff,
        resolve_model(limit, None),
        dossier.supplement_policy or SupplementPolicy.RESTART,
        dossier.not_counted,
    )


def _as_of(as_of: datetime | date) -> datetime:
    if isinstance(as_of, datetime):
        return to_local(as_of)
    return datetime.combine(as_of, time.max)


def _merge(intervals: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _extend(
    cal: WorkCalendar,
    rules: AppliedRules,
    due: datetime,
    receipt_date: date,
    stops: list[tuple[datetime, datetime]],
) -> datetime:
    """Move a due date by the time not counted in ``stops`` (merged, closed, in order).

    The rule is the core's (:func:`procflow.law.stops.extend`), applied stop by stop.
    """
    if not stops:
        return due
    ix = cal.law
    unit, model = unit_code(rules.limit.unit), model_code(rules.model)
    eff = receipt_date.toordinal() - cal.first_ordinal
    try:
        last = period_last(ix, eff, max(int(rules.limit.value), 0), unit)
        ticks = cal.ticks(due)
        for start, end in stops:
            ticks, last = law_extend(
                ix, ticks, last, cal.ticks(start), cal.ticks(end), True, unit, model
            )
    except IndexError:
        raise cal.coverage_error() from None
    return cal.instant_of(ticks)


def _ticks_or_missing(t: datetime | None) -> int:
    """A local instant as rule-core ticks, or the core's missing instant."""
    return MISSING if t is None else local_ticks(t)


def _overlap_hours(
    cal: WorkCalendar, intervals: list[tuple[datetime, datetime]], start: datetime, end: datetime
) -> float:
    total = 0.0
    for a, b in intervals:
        lo, hi = max(a, start), min(b, end)
        if lo < hi:
            total += cal.working_hours_between(lo, hi)
    return total


def _fmt(t: datetime) -> tuple[str, str]:
    return f"{t:%H:%M} {day_vi(t.date())}", f"{t:%H:%M} on {day_en(t.date())}"


@dataclass(slots=True)
class _Events:
    """The events of a dossier up to the view, folded (phase 1 of :func:`evaluate`)."""

    supplements: list[list[datetime | None]] = field(default_factory=list)
    waits: list[tuple[WaitReason, datetime, datetime | None]] = field(default_factory=list)
    apologies: list[tuple[datetime, datetime | None]] = field(default_factory=list)
    finished_at: Instant | None = None
    result: Result | None = None
    withdrawn_at: Instant | None = None
    started: dict[str, datetime] = field(default_factory=dict)
    finished: dict[str, datetime] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)


def _fold(events: list[Event]) -> _Events:
    """Phase 1: read the events in order into the facts the clock needs."""
    ev = _Events()
    open_waits: dict[WaitReason, datetime] = {}
    for e in events:
        at = to_local(e.at)
        kind = e.type
        if kind is EventType.SUPPLEMENT_REQUESTED:
            ev.supplements.append([at, None])
        elif kind is EventType.SUPPLEMENT_RECEIVED:
            ev.supplements[-1][1] = at
        elif kind is EventType.WAITING_STARTED and e.reason is not None:
            open_waits[e.reason] = at
        elif kind is EventType.WAITING_ENDED and e.reason is not None:
            ev.waits.append((e.reason, open_waits.pop(e.reason), at))
        elif kind is EventType.APOLOGY_ISSUED:
            ev.apologies.append((at, None if e.new_due_at is None else to_local(e.new_due_at)))
        elif kind is EventType.FINISHED:
            ev.finished_at, ev.result = at, e.result
        elif kind is EventType.WITHDRAWN:
            ev.withdrawn_at = at
        elif kind is EventType.STEP_STARTED and e.step is not None:
            ev.started.setdefault(e.step, at)
            if e.unit:
                ev.units[e.step] = e.unit
        elif kind is EventType.STEP_FINISHED and e.step is not None:
            ev.finished[e.step] = at
            if e.unit:
                ev.units[e.step] = e.unit
    ev.waits += [(reason, start, None) for reason, start in open_waits.items()]
    return ev


@dataclass(frozen=True, slots=True)
class _Clock:
    """Where the clock stands (phase 2 of :func:`evaluate`), as the rule core judged it."""

    receipt_start: Instant
    receipt_date: date
    original_due: Instant
    cycles: tuple[Cycle, ...]
    base: Instant
    base_due: Instant
    start_at: Instant
    stops: tuple[Stop, ...]
    merged: list[tuple[datetime, datetime]]
    end_point: Instant
    read_at: Instant
    not_counted: float
    effective_due: Instant | None
    clock_stopped: bool
    waiting: bool
    returned_at: Instant | None


def _run_clock(
    cal: WorkCalendar,
    rules: AppliedRules,
    ev: _Events,
    received: datetime,
    end_of_view: datetime,
    template: datetime,
) -> _Clock:
    """Phase 2: the due dates and the periods not counted (procflow.law.stops)."""
    ix = cal.law
    tick = cal.ticks

    def count_from(t: datetime) -> tuple[LawReceipt, datetime]:
        return count_due(t, rules.limit, rules.model, cal, rules.cutoff)

    first, original_due = count_from(received)
    first_start = cal.instant_of(first.start)
    end_point = ev.finished_at or ev.withdrawn_at or end_of_view
    unfinished = ev.finished_at is None and ev.withdrawn_at is None
    window = math.inf if rules.window is None else rules.window * 3600 * ix.tick
    policy = policy_code(rules.policy)
    cycles = tuple(
        law_cycle(
            ix,
            policy,
            tick(req),
            rec is not None,
            first.start,
            tick(original_due),
            window,
            not unfinished,
        )
        for req, rec in ev.supplements
        if req is not None
    )
    # The clock's base: the receipt, or under restart the last supplement received.
    base, base_due, base_receipt = received, original_due, first
    restarted = [rec for (_, rec), c in zip(ev.supplements, cycles, strict=True) if c.restarts]
    if restarted and restarted[-1] is not None:
        base = restarted[-1]
        base_receipt, base_due = count_from(base)
    start_at = cal.instant_of(base_receipt.start)

    # Periods not counted, as open intervals closed at the end point.
    pauses = [
        ("supplement", req, rec)
        for (req, rec), c in zip(ev.supplements, cycles, strict=True)
        if c.pauses and req is not None
    ]
    pauses += [(reason.value, s, e) for reason, s, e in ev.waits if reason in rules.not_counted]
    stops: list[Stop] = []
    intervals: list[tuple[datetime, datetime]] = []
    open_starts: list[datetime] = []
    counted = local_ticks(start_at), local_ticks(end_point)
    for kind, begin, finish in pauses:
        w = law_wait(local_ticks(begin), _ticks_or_missing(finish), *counted, unfinished)
        lo, hi = cal.instant_of(w.lo), cal.instant_of(w.hi)
        hours = cal.working_hours_between(lo, hi) if lo < hi else 0.0
        stops.append(
            Stop(
                kind=kind,
                start=like(begin, template),
                end=like(finish, template) if finish else None,
                hours=hours,
            )
        )
        if w.closed:
            intervals.append((lo, hi))
        if w.open:  # the dossier is read as of the moment its clock stopped
            open_starts.append(lo)
    read_at = min([end_point, *open_starts])
    merged = _merge([(lo, min(hi, read_at)) for lo, hi in intervals if lo < read_at])
    not_counted = _overlap_hours(cal, merged, start_at, read_at)

    last = cycles[-1] if cycles and ev.supplements[-1][1] is None else None
    waiting = unfinished and bool(ev.supplements) and ev.supplements[-1][1] is None
    no_clock = last is not None and bool(last.no_clock)
    effective_due = (
        None
        if no_clock
        else _extend(cal, rules, base_due, cal.day_of_index(base_receipt.eff), merged)
    )
    returned_at = None
    if waiting and last is not None and last.counts and rules.return_days is not None:
        requested = ev.supplements[-1][0]
        assert requested is not None
        at = cal.instant_of(return_at(ix, tick(requested), rules.return_days))
        returned_at = at if at <= end_of_view else None
    return _Clock(
        receipt_start=first_start,
        receipt_date=cal.day_of_index(first.eff),
        original_due=original_due,
        cycles=cycles,
        base=base,
        base_due=base_due,
        start_at=start_at,
        stops=tuple(stops),
        merged=merged,
        end_point=end_point,
        read_at=read_at,
        not_counted=not_counted,
        effective_due=effective_due,
        clock_stopped=bool(open_starts) or no_clock,
        waiting=waiting,
        returned_at=returned_at,
    )


def _d766_due(
    cal: WorkCalendar, rules: AppliedRules, ev: _Events, clock: _Clock
) -> tuple[datetime, bool | None]:
    """Decision 766's due date (supplement waiting subtracted) and on-time indicator."""
    counted = local_ticks(clock.receipt_start), local_ticks(clock.end_point)
    spans = [
        law_wait(local_ticks(req), _ticks_or_missing(rec), *counted, False)
        for req, rec in ev.supplements
        if req
    ]
    waiting = _merge([(cal.instant_of(w.lo), cal.instant_of(w.hi)) for w in spans if w.closed])
    due = _extend(cal, rules, clock.original_due, clock.receipt_date, waiting)
    if ev.finished_at is None:
        return due, None
    return due, bool(
        d766_on_time(True, cal.ticks(ev.finished_at), cal.ticks(due), len(ev.supplements))
    )


def evaluate(
    dossier: Dossier,
    procedures: Procedures,
    calendar: WorkCalendar,
    *,
    as_of: datetime | date,
    detail: bool = True,
) -> Evaluation:
    """Evaluate a dossier at ``as_of``: due dates, outcome, time used, steps and reasons.

    Events after ``as_of`` are ignored, so the same dossier can be evaluated at the end of
    each report period. The work runs in phases: fold the events, run the clock (the rule
    core, :mod:`procflow.law`), pick the outcome (first match of :data:`RULES`), measure,
    and narrate.

    Args:
        dossier: The dossier.
        procedures: The procedure library (:func:`~procflow.load_procedures`), a mapping
            from id to procedure, or None for dossiers with inline rules.
        calendar: The working calendar.
        as_of: The instant to evaluate at (a date means the end of that day).
        detail: False skips the explanation and the step plan (``notes`` and ``steps``
            are empty), for bulk work that needs only dates and outcomes.

    Returns:
        The evaluation.

    Raises:
        TimelineError: If the events are inconsistent, or the dossier was received after
            ``as_of``; the message names the dossier and the event.
        UnknownProcedureError: If its procedure (version in force at receipt) is unknown.
        CoverageError: If a date is outside the calendar's years.

    Examples:
        >>> d = Dossier.model_validate({
        ...     "id": "HS-1", "time_limit": "03 ngày làm việc",
        ...     "events": [{"type": "received", "at": "2024-08-29T10:00"},
        ...                {"type": "finished", "at": "2024-09-05T16:00", "result": "granted"}]})
        >>> e = evaluate(d, None, vietnam_calendar(years=[2024]), as_of=date(2024, 12, 31))
        >>> e.outcome, e.due_at
        (<Outcome.ON_TIME: 'on_time'>, datetime.datetime(2024, 9, 5, 17, 0))
    """
    cal = calendar
    end_of_view = _as_of(as_of)
    procedure = procedure_for(dossier, procedures)
    rules = applied_rules(dossier, procedure)
    check_timeline(dossier, procedure)
    events = [e for e in dossier.events if to_local(e.at) <= end_of_view]
    if not events:
        raise TimelineError(
            f"dossier {dossier.id!r} was received at {dossier.received_at.isoformat()}, "
            f"after as_of {end_of_view.isoformat()}"
        )
    template = events[0].at  # outputs keep the awareness of the receipt time
    received = to_local(template)
    ev = _fold(events)
    try:
        clock = _run_clock(cal, rules, ev, received, end_of_view, template)
    except IndexError:
        raise cal.coverage_error() from None
    rule = _pick_rule(cal, ev, clock)
    outcome = rule.outcome
    read_at, start_at, effective_due = clock.read_at, clock.start_at, clock.effective_due
    used = (
        cal.working_hours_between(start_at, read_at) - clock.not_counted
        if read_at > start_at
        else 0.0
    )
    used = max(used, 0.0)
    remaining = None if effective_due is None else cal.working_hours_between(read_at, effective_due)
    d766_due, d766 = _d766_due(cal, rules, ev, clock)
    apology = _apology(
        cal,
        ev.apologies,
        effective_due or clock.original_due,
        ev.finished_at,
        template,
        rules.apology_due,
    )
    steps: tuple[StepReport, ...] = ()
    overrun_steps: tuple[str, ...] = ()
    overrun_units: tuple[str, ...] = ()
    notes: tuple[Note, ...] = ()
    if detail:
        steps, overrun_steps, overrun_units = _steps(
            procedure,
            clock.base,
            cal,
            ev.started,
            ev.finished,
            ev.units,
            clock.merged,
            clock.end_point,
            template,
        )
        notes = _narrate(cal, rules, ev, clock, rule, apology, overrun_steps, received, end_of_view)

    def out(t: datetime | None) -> datetime | None:
        return None if t is None else like(t, template)

    return Evaluation(
        dossier_id=dossier.id,
        procedure_id=dossier.procedure_id,
        procedure_version=procedure.effective_from if procedure is not None else None,
        outcome=outcome,
        rule=rule.id,
        as_of=like(end_of_view, template),
        received_at=template,
        due_at=like(clock.original_due, template),
        effective_due_at=out(effective_due),
        finished_at=out(ev.finished_at),
        result=ev.result,
        withdrawn_at=out(ev.withdrawn_at),
        returned_at=out(clock.returned_at),
        clock_stopped=clock.clock_stopped,
        waiting_for_applicant=clock.waiting,
        supplement_requests=len(ev.supplements),
        stops=clock.stops,
        not_counted_hours=clock.not_counted,
        used_hours=used,
        used_days=used / cal.office_hours.day_hours,
        remaining_hours=remaining,
        steps=steps,
        overrun_steps=overrun_steps,
        overrun_units=overrun_units,
        apology=apology,
        d766_due_at=like(d766_due, template),
        d766_on_time=d766,
        notes=notes,
    )


def _pick_rule(cal: WorkCalendar, ev: _Events, clock: _Clock) -> Rule:
    """Phase 3: the first rule of :data:`RULES` that holds (procflow.law.outcome)."""
    due = clock.effective_due
    tick = cal.ticks
    number = law_outcome.classify(
        cal.law,
        ev.withdrawn_at is not None,
        ev.finished_at is not None,
        clock.returned_at is not None,
        due is not None,
        0 if ev.finished_at is None else tick(ev.finished_at),
        0 if due is None else tick(due),
        tick(clock.read_at),
    )
    return RULES[number]


def _narrate(
    cal: WorkCalendar,
    rules: AppliedRules,
    ev: _Events,
    clock: _Clock,
    rule: Rule,
    apology: ApologyCheck | None,
    overrun_steps: tuple[str, ...],
    received: datetime,
    end_of_view: datetime,
) -> tuple[Note, ...]:
    """Phase 5: the explanation, line by line, quoting what the clock computed."""
    notes: list[Note] = []
    receipt = effective_receipt(received, cal, cutoff=rules.cutoff)
    rv, re_ = _fmt(received)
    notes.append(Note(code="received", vi=f"Nhận hồ sơ lúc {rv}", en=f"Received at {re_}"))
    notes.extend(receipt.notes)
    dv, de = _fmt(clock.original_due)
    notes.append(
        Note(
            code="due",
            vi=f"Thời hạn {rules.limit}: hẹn trả kết quả lúc {dv}",
            en=f"Limit {rules.limit.english()}: due at {de}",
        )
    )
    notes.extend(_supplement_notes(rules, ev, clock, received))
    for stop in clock.stops:
        sv, se = _fmt(stop.start)
        label_vi, label_en = _STOP_LABELS[stop.kind]
        notes.append(
            Note(
                code=f"not_counted_{stop.kind}",
                vi=f"Không tính {stop.hours:g} giờ làm việc {label_vi} từ {sv}",
                en=f"{stop.hours:g} working hours {label_en} from {se} not counted",
            )
        )
    if rules.policy is SupplementPolicy.NONE and ev.supplements:
        notes.append(
            Note(
                code="supplement_counted",
                vi="Thời gian chờ bổ sung vẫn tính vào thời hạn (thủ tục không dừng tính)",
                en="Time waiting for the supplement counts (the procedure keeps the clock running)",
            )
        )
    if clock.effective_due is None:
        notes.append(
            Note(
                code="waiting_restart",
                vi="Đang chờ công dân bổ sung hồ sơ; thời hạn sẽ tính lại từ khi nhận đủ",
                en="Waiting for the applicant's supplement; the limit restarts when it arrives",
            )
        )
    elif clock.effective_due != clock.original_due:
        ev_, ee = _fmt(clock.effective_due)
        notes.append(
            Note(
                code="effective_due",
                vi=f"Hạn sau khi dừng tính: {ev_}",
                en=f"Due after clock stops: {ee}",
            )
        )
    if apology is not None:
        notes.extend(_apology_notes(apology))
    if clock.returned_at is not None:
        tv, te = _fmt(clock.returned_at)
        notes.append(
            Note(
                code="returned",
                vi=f"Quá {rules.return_days} ngày làm việc không nhận được hồ sơ bổ sung: trả lại "
                f"hồ sơ lúc {tv} (Điều 6 khoản 4 Nghị định 297/2025/NĐ-CP)",
                en=f"No supplement within {rules.return_days} working days: returned at {te} "
                "(Decree 297/2025 Art. 6(4))",
            )
        )
    notes.append(
        _outcome_note(
            rule.outcome,
            rule,
            ev.finished_at,
            ev.withdrawn_at,
            clock.effective_due,
            end_of_view,
            ev.result,
        )
    )
    if overrun_steps:
        notes.append(
            Note(
                code="overrun_steps",
                vi="Bước vượt thời gian: " + ", ".join(overrun_steps),
                en="Steps over budget: " + ", ".join(overrun_steps),
            )
        )
    return tuple(notes)


def _supplement_notes(
    rules: AppliedRules, ev: _Events, clock: _Clock, received: datetime
) -> list[Note]:
    """Notes on late, out-of-window and restarting supplement requests."""
    notes: list[Note] = []
    if any(not c.counts for c in clock.cycles):
        notes.append(
            Note(
                code="supplement_after_due",
                vi="Yêu cầu bổ sung sau thời hạn giải quyết: không dừng, không tính lại thời hạn",
                en="Supplement requested at or after the due date: it stops and restarts nothing",
            )
        )
    if any(c.outside for c in clock.cycles):
        notes.append(
            Note(
                code="request_outside_window",
                vi=f"Yêu cầu bổ sung sau {rules.window:g} giờ làm việc kể từ khi tiếp nhận: "
                "không tính lại thời hạn, chỉ không tính thời gian chờ (Điều 6 khoản 4 điểm a "
                "Nghị định 297/2025/NĐ-CP)",
                en=f"Supplement requested more than {rules.window:g} working hours after "
                "receipt: the limit does not restart, only the waiting is not counted "
                "(Decree 297/2025 Art. 6(4)(a))",
            )
        )
    if clock.base != received:
        (sv, se), (bv, be) = _fmt(clock.base), _fmt(clock.base_due)
        notes.append(
            Note(
                code="supplement_restart",
                vi=f"Bổ sung hồ sơ lúc {sv}: tính lại toàn bộ thời hạn, hẹn mới {bv}",
                en=f"Supplement received at {se}: the whole limit restarts, due at {be}",
            )
        )
    return notes


def _apology_notes(apology: ApologyCheck) -> list[Note]:
    iv, ie = _fmt(apology.first_issued_at)
    notes = [
        Note(
            code="apology" if apology.timely else "apology_late",
            vi=f"Văn bản xin lỗi, hẹn lại lúc {iv}: "
            + (
                "đúng quy định"
                if apology.timely
                else "chậm (phải trước hạn ít nhất 01 ngày làm việc)"
            ),
            en=f"Apology with a new date issued at {ie}: "
            + ("in time" if apology.timely else "too late (due at least one working day before)"),
        )
    ]
    if apology.reappointed_more_than_once:
        notes.append(
            Note(
                code="reappointed_twice",
                vi=f"Hẹn lại {apology.count} lần: chỉ được hẹn lại một lần",
                en=f"Re-appointed {apology.count} times: only one re-appointment is allowed",
            )
        )
    return notes


def _outcome_note(
    outcome: Outcome,
    rule: Rule,
    finished_at: datetime | None,
    withdrawn_at: datetime | None,
    due: datetime | None,
    as_of: datetime,
    result: Result | None,
) -> Note:
    word_vi, word_en = outcome.label("vi"), outcome.label("en")
    if withdrawn_at is not None:
        wv, we = _fmt(withdrawn_at)
        return Note(
            code=f"outcome_{rule.id}", vi=f"Công dân rút hồ sơ lúc {wv}", en=f"Withdrawn at {we}"
        )
    due_vi, due_en = _fmt(due) if due is not None else ("(chưa xác định)", "(not yet set)")
    if finished_at is not None:
        fv, fe = _fmt(finished_at)
        res_vi = " (từ chối)" if result is Result.REFUSED else ""
        res_en = " (refused)" if result is Result.REFUSED else ""
        return Note(
            code=f"outcome_{rule.id}",
            vi=f"Hoàn thành{res_vi} lúc {fv}, hạn {due_vi}: {word_vi}",
            en=f"Finished{res_en} at {fe}, due {due_en}: {word_en}",
        )
    av, ae = _fmt(as_of)
    return Note(
        code=f"outcome_{rule.id}",
        vi=f"Tại {av} chưa hoàn thành, hạn {due_vi}: {word_vi}",
        en=f"Unfinished at {ae}, due {due_en}: {word_en}",
    )


def _apology(
    cal: WorkCalendar,
    apologies: list[tuple[datetime, datetime | None]],
    due: datetime,
    finished_at: datetime | None,
    template: datetime,
    apology_due: ApologyDue = ApologyDue.DAY_BEFORE,
) -> ApologyCheck | None:
    if not apologies:
        return None
    # Only the first re-appointment is lawful: a new date is judged against the first one
    # (Decree 107/2021/NĐ-CP; Decree 297/2025/NĐ-CP Art. 6(5)); a second is a finding.
    issued, new_due = apologies[0]
    timely = issued <= apology_deadline(cal, due, apology_due)
    return ApologyCheck(
        count=len(apologies),
        first_issued_at=like(issued, template),
        new_due_at=None if new_due is None else like(new_due, template),
        timely=timely,
        reappointed_more_than_once=len(apologies) > 1,
        met_new_due=None if finished_at is None or new_due is None else finished_at <= new_due,
    )


def _steps(
    procedure: Procedure | None,
    base: datetime,
    cal: WorkCalendar,
    started: dict[str, datetime],
    finished: dict[str, datetime],
    units: dict[str, str],
    pauses: list[tuple[datetime, datetime]],
    end_point: datetime,
    template: datetime,
) -> tuple[tuple[StepReport, ...], tuple[str, ...], tuple[str, ...]]:
    if procedure is None:
        return (), (), ()
    # A condition holds when a step reached only through it has events.
    conditions = {
        cond[0]
        for step in procedure.steps
        for edge in step.next
        if (cond := edge.condition) is not None and cond[1] and edge.to in started
    }
    pl = plan(procedure, base, cal, conditions=conditions)
    reports = []
    for planned in pl.steps:
        s, f = started.get(planned.step_id), finished.get(planned.step_id)
        used = None
        if s is not None:
            stop = f or end_point
            used = cal.working_hours_between(s, stop) - _overlap_hours(cal, pauses, s, stop)
        overrun = max(0.0, (used or 0.0) - planned.budget_hours) if s is not None else 0.0
        reports.append(
            StepReport(
                step_id=planned.step_id,
                name=planned.name,
                unit=units.get(planned.step_id, planned.unit),
                budget_hours=planned.budget_hours,
                planned_start_at=like(to_local(planned.start_at), template),
                planned_due_at=like(to_local(planned.due_at), template),
                started_at=None if s is None else like(s, template),
                finished_at=None if f is None else like(f, template),
                used_hours=used,
                overrun_hours=overrun,
                late_hours=None if f is None else cal.working_hours_between(planned.due_at, f),
            )
        )
    over = sorted((r for r in reports if r.overrun_hours > 0), key=lambda r: -r.overrun_hours)
    units_over: list[str] = []
    for r in over:
        if r.unit not in units_over:
            units_over.append(r.unit)
    return tuple(reports), tuple(r.step_id for r in over), tuple(units_over)


def apology_deadline(
    cal: WorkCalendar, due: datetime, apology_due: ApologyDue = ApologyDue.DAY_BEFORE
) -> datetime:
    """The latest moment an apology with a new date may be sent for a dossier due at ``due``.

    At least one working day before the due date means on or before the working day before
    it (until the end of that day); a procedure whose ``apology_due`` is ``at_limit_end``
    allows it until the due time.

    Args:
        cal: The calendar.
        due: The (effective) due date, naive local.
        apology_due: The procedure's rule.

    Returns:
        The deadline, naive local.

    Examples:
        >>> from procflow.evaluation import apology_deadline
        >>> apology_deadline(vietnam_calendar(years=[2024]), datetime(2024, 9, 5, 17))
        datetime.datetime(2024, 9, 4, 23, 59, 59, 999999)

    References:
        Decree 61/2018/NĐ-CP Art. 19 as amended by Decree 107/2021/NĐ-CP; Decree
        297/2025/NĐ-CP Art. 6(5).
    """
    at_end = apology_due is ApologyDue.AT_LIMIT_END
    try:
        return cal.instant_of(law_apology_deadline(cal.law, cal.ticks(due), at_end))
    except IndexError:
        raise cal.coverage_error() from None
