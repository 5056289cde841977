"""Period reports like form II.06a, and quality objectives.

For a period ``[start, end]`` (dates, both included; ``end`` may also be a moment, for a
period ending mid-day) each dossier counts in at most one group row, as:

* **received**: new (received in the period; by channel) or carried over (received before
  the period and still in progress at its start);
* then exactly one of **resolved** in the period (finished: early, on time, late by its
  evaluation; refused counted too), **withdrawn** in the period, or **in progress** at the
  end of the period (in time, overdue; waiting for the applicant counted too).

So ``received_total = received_new + carried_over = resolved_total + in_progress_total +
withdrawn``, and a period's ``carried_over`` equals the previous period's
``in_progress_total`` (domain brief §5). Rates are percentages of ``resolved_total`` with two
decimals (half up), None when nothing was resolved, except Decision 766's indicator 2.1
(``d766_rate``), whose denominator is every dossier counted in the period
(``d766_counted``, equal to ``received_total``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Literal

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from procflow.breakdown import breakdown_key
from procflow.calendar import WorkCalendar, to_local
from procflow.dossier import Dossier, EventType
from procflow.errors import InputError, ProcflowError
from procflow.evaluation import Evaluation, Procedures, evaluate
from procflow.index766 import status_21
from procflow.instant import Instant
from procflow.interchange import DossierTable, Rejected
from procflow.labels import LabelledEnum
from procflow.law import counters as law_counters
from procflow.procedure import Procedure, ProcedureLibrary

__all__ = [
    "GroupBy",
    "Objective",
    "ObjectiveMiss",
    "Report",
    "ReportRow",
    "build_report",
    "check_objectives",
    "load_objectives",
    "percent",
    "period",
    "period_bounds",
]


class GroupBy(LabelledEnum):
    """What report rows are grouped by."""

    @classmethod
    def labels(cls) -> Mapping[Any, tuple[str, str]]:
        """Each member's (Vietnamese, English) label."""
        return _GROUP_LABELS

    FIELD = "field"
    PROCEDURE = "procedure"
    OFFICE = "office"
    AGENCY = "agency"
    CHANNEL = "channel"
    UNIT = "unit"
    """The dossier's unit (its ``unit`` column), else the unit of its last step event."""
    OFFICER = "officer"
    """The dossier's officer (its ``officer`` column), else the last event's officer."""
    STEP = "step"
    """The step that overran its budget most (delay attribution); "" when none did."""
    SERVICE_LEVEL = "service_level"
    """Full online, partly online or in person; "" when not given."""
    INTER_AGENCY = "inter_agency"
    """``inter_agency`` when its procedure shares the limit among agencies, else single."""


_GROUP_LABELS: dict[GroupBy, tuple[str, str]] = {
    GroupBy.FIELD: ("lĩnh vực", "field"),
    GroupBy.PROCEDURE: ("thủ tục", "procedure"),
    GroupBy.OFFICE: ("nơi tiếp nhận", "office"),
    GroupBy.AGENCY: ("cơ quan giải quyết", "agency"),
    GroupBy.CHANNEL: ("hình thức nộp", "channel"),
    GroupBy.UNIT: ("bộ phận", "unit"),
    GroupBy.OFFICER: ("cán bộ, công chức", "officer"),
    GroupBy.STEP: ("bước xử lý", "step"),
    GroupBy.SERVICE_LEVEL: ("mức độ dịch vụ công trực tuyến", "service level"),
    GroupBy.INTER_AGENCY: ("liên thông", "inter-agency"),
}


BREAKDOWNS = frozenset(
    {GroupBy.UNIT, GroupBy.OFFICER, GroupBy.STEP, GroupBy.SERVICE_LEVEL, GroupBy.INTER_AGENCY}
)
"""Groupings that read events, steps or specs (per dossier for an event log)."""

COLUMN_BREAKDOWNS = frozenset(
    {GroupBy.UNIT, GroupBy.OFFICER, GroupBy.SERVICE_LEVEL, GroupBy.INTER_AGENCY}
)
"""The breakdowns a wide row answers from its own columns or its procedure's spec: the
columnar engine computes them (:func:`procflow.columnar.group_keys`); ``step`` needs each
dossier's step plan."""


def percent(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole``, two decimals rounded half up; None if ``whole`` is 0.

    Examples:
        >>> percent(627, 820), percent(190, 820), percent(3, 820), percent(0, 0)
        (76.46, 23.17, 0.37, None)
    """
    if whole == 0:
        return None
    value = Decimal(part) * 100 / Decimal(whole)
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


class ReportRow(BaseModel):
    """The counts of one group (or the total). Keys are stable: frontends read them.

    Attributes:
        key: The group's value (e.g. the field's name); ``"total"`` for the total.
        received_total: received_new + carried_over.
        received_new: Received in the period.
        received_online: New, online.
        received_in_person: New, in person.
        received_post: New, by post.
        carried_over: Received before the period, in progress at its start.
        resolved_total: Finished in the period.
        resolved_early: Finished before the due date.
        resolved_on_time: Finished on the due date, by its due time.
        resolved_late: Finished after the due time.
        resolved_late_with_apology: Late, with an apology issued.
        resolved_late_without_apology: Late, without an apology.
        resolved_refused: Finished with a refusal (counted in the three above too).
        in_progress_total: Unfinished at the end of the period.
        in_progress_in_time: ...and not past the due time.
        in_progress_overdue: ...and past it.
        in_progress_waiting: ...and waiting for the applicant's supplement.
        withdrawn: Withdrawn in the period.
        returned: Returned in the period because the supplement requested did not arrive
            within the procedure's window (trả lại hồ sơ; Decree 297/2025/NĐ-CP Art. 6(4)).
        early_rate: resolved_early as a percentage of resolved_total.
        on_time_rate: resolved_on_time as a percentage of resolved_total.
        late_rate: resolved_late as a percentage of resolved_total.
        timely_rate: early + on time, as a percentage (the ISO "on time" objective).
        mean_working_days: Mean working days used by the resolved dossiers.
        d766_on_time_rate: Resolved dossiers finished by their Decision 766 due date with
            at most one supplement request, as a percentage of ``resolved_total`` (not the
            official indicator: see ``d766_rate``).
        d766_counted: Indicator 2.1's denominator: every dossier received or processed in
            the period (resolved, withdrawn, refused, in progress); equals received_total.
        d766_on_time: Indicator 2.1's numerator: processed early or on time, or still in
            time, by :func:`procflow.index766.status_21`.
        d766_rate: Decision 766 indicator 2.1, d766_on_time as a percentage of d766_counted.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    received_total: int = 0
    received_new: int = 0
    received_online: int = 0
    received_in_person: int = 0
    received_post: int = 0
    carried_over: int = 0
    resolved_total: int = 0
    resolved_early: int = 0
    resolved_on_time: int = 0
    resolved_late: int = 0
    resolved_late_with_apology: int = 0
    resolved_late_without_apology: int = 0
    resolved_refused: int = 0
    in_progress_total: int = 0
    in_progress_in_time: int = 0
    in_progress_overdue: int = 0
    in_progress_waiting: int = 0
    withdrawn: int = 0
    returned: int = 0
    early_rate: float | None = None
    on_time_rate: float | None = None
    late_rate: float | None = None
    timely_rate: float | None = None
    mean_working_days: float | None = None
    d766_on_time_rate: float | None = None
    d766_counted: int = 0
    d766_on_time: int = 0
    d766_rate: float | None = None


class Report(BaseModel):
    """A period report: one row per group, and the total.

    Attributes:
        period_start: First day of the period.
        period_end: Last day of the period.
        period_end_at: The moment the period ends (the end of ``period_end``, or the
            moment given): dossiers are evaluated as of it.
        by: What rows are grouped by (None: only the total).
        rows: One row per group, by key.
        total: All groups together.
        dossiers: Dossiers given.
        rejected: Dossiers that could not be read or evaluated, in row order.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    period_start: date
    period_end: date
    period_end_at: Instant | None = None
    by: GroupBy | None
    rows: tuple[ReportRow, ...]
    total: ReportRow
    dossiers: int
    rejected: tuple[Rejected, ...] = ()


@dataclass
class Tally:
    """Counters of one report group, while dossiers are added (shared with the engine)."""

    counts: dict[str, int] = field(default_factory=dict)
    days: list[float] = field(default_factory=list)
    d766: int = 0

    def add(self, *names: str) -> None:
        for name in names:
            self.counts[name] = self.counts.get(name, 0) + 1

    def row(self, key: str) -> ReportRow:
        c = self.counts
        resolved = c.get("resolved_total", 0)
        late_with = c.get("resolved_late_with_apology", 0)
        return ReportRow(
            key=key,
            **c,
            resolved_late_without_apology=c.get("resolved_late", 0) - late_with,
            early_rate=percent(c.get("resolved_early", 0), resolved),
            on_time_rate=percent(c.get("resolved_on_time", 0), resolved),
            late_rate=percent(c.get("resolved_late", 0), resolved),
            timely_rate=percent(
                c.get("resolved_early", 0) + c.get("resolved_on_time", 0), resolved
            ),
            mean_working_days=round(sum(self.days) / len(self.days), 2) if self.days else None,
            d766_on_time_rate=percent(self.d766, resolved),
            d766_rate=percent(c.get("d766_on_time", 0), c.get("d766_counted", 0)),
        )

    def merge(self, other: Tally) -> None:
        for name, value in other.counts.items():
            self.counts[name] = self.counts.get(name, 0) + value
        self.days += other.days
        self.d766 += other.d766


def period_bounds(start: object, end: object) -> tuple[date, datetime]:
    """Check a report period's bounds and return its first day and the moment it ends.

    Args:
        start: The first day (a ``date``; the period starts at its beginning).
        end: The last day (a ``date``: the period ends at the end of that day) or the
            moment it ends (a ``datetime``, naive local or aware, for a period ending
            mid-day).

    Returns:
        ``(start, end_at)``, ``end_at`` a naive local datetime.

    Raises:
        InputError: Naming the value, if a bound has the wrong type or the period ends
            before it starts.

    Examples:
        >>> period_bounds(date(2025, 1, 1), date(2025, 3, 31))
        (datetime.date(2025, 1, 1), datetime.datetime(2025, 3, 31, 23, 59, 59, 999999))
        >>> period_bounds(date(2025, 1, 1), datetime(2025, 3, 31, 12, 0))[1]
        datetime.datetime(2025, 3, 31, 12, 0)
        >>> period_bounds(date(2025, 1, 1), "2025-03-31")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        procflow.errors.InputError: a report period's end is a date or a datetime, got str ...
    """
    if isinstance(start, datetime) or not isinstance(start, date):
        raise InputError(f"a report period's start is a date, got {type(start).__name__} {start!r}")
    if isinstance(end, datetime):
        end_at = to_local(end)
    elif isinstance(end, date):
        end_at = datetime.combine(end, time.max)
    else:
        raise InputError(
            f"a report period's end is a date or a datetime, got {type(end).__name__} {end!r}"
        )
    if end_at.date() < start:
        raise InputError(f"the period ends ({end}) before it starts ({start})")
    return start, end_at


def _ended_at(dossier: Dossier) -> datetime | None:
    for event in dossier.events:
        if event.type in (EventType.FINISHED, EventType.WITHDRAWN):
            return to_local(event.at)
    return None


def _group_key(
    by: GroupBy | None,
    dossier: Dossier,
    procedure: Procedure | None,
    evaluation: Evaluation | None = None,
) -> str:
    if by is None:
        return "total"
    if by in BREAKDOWNS:
        return breakdown_key(by.value, dossier, procedure, evaluation)
    if by is GroupBy.FIELD:
        return dossier.field or (procedure.field if procedure is not None else "")
    if by is GroupBy.PROCEDURE:
        return dossier.procedure_id or (str(dossier.time_limit) if dossier.time_limit else "")
    if by is GroupBy.OFFICE:
        return dossier.office
    if by is GroupBy.AGENCY:
        return dossier.agency
    return dossier.channel.value


def _procedure_of(
    procedures: Procedures, dossier: Dossier, evaluation: Evaluation
) -> Procedure | None:
    if dossier.procedure_id is None or procedures is None:
        return None
    if isinstance(procedures, ProcedureLibrary):
        assert evaluation.procedure_version is not None
        return next(
            p
            for p in procedures[dossier.procedure_id]
            if p.effective_from == evaluation.procedure_version
        )
    return procedures.get(dossier.procedure_id)


def _counters(
    dossier: Dossier,
    evaluation: Evaluation,
    start: date,
    end_at: datetime,
) -> list[str] | None:
    """The report counters a dossier adds to, or None if it is outside the period.

    Args:
        dossier: The dossier.
        evaluation: Its evaluation at the end of the period.
        start: First day of the period.
        end_at: The moment the period ends.
    """
    received_at = to_local(evaluation.received_at)
    received = received_at.date().toordinal()
    ended_at = _ended_at(dossier)
    if evaluation.returned_at is not None:
        ended_at = to_local(evaluation.returned_at)
    ended = -1 if ended_at is None else ended_at.date().toordinal()
    counted = law_counters.in_period(received_at <= end_at, received, ended, start.toordinal())
    if not counted:
        return None
    flags = law_counters.counters(
        counted,
        received >= start.toordinal(),
        law_counters.CHANNELS.index(dossier.channel.value),
        law_counters.OUTCOMES.index(evaluation.outcome.value),
        evaluation.apology is not None,
        evaluation.result is not None and evaluation.result.value == "refused",
        evaluation.waiting_for_applicant,
        status_21(evaluation).on_time,
    )
    return [name for name in law_counters.COUNTERS if flags[name]]


def build_report(
    dossiers: Iterable[Dossier] | DossierTable,
    procedures: Procedures,
    calendar: WorkCalendar,
    *,
    start: date,
    end: date | datetime,
    by: GroupBy | str | None = None,
) -> Report:
    """Build the report of a period.

    Each dossier is evaluated at the end of ``end`` (events after it are ignored); a
    ``datetime`` end is a period ending at that moment (a dossier received after it is
    outside the period).

    Args:
        dossiers: The dossiers, or a table read by :func:`~procflow.read_dossiers` (its
            rejected rows are carried into the report's ``rejected``).
        procedures: The procedure library, or None for dossiers with inline rules.
        calendar: The working calendar.
        start: First day of the period (included).
        end: Last day of the period (included), or the moment it ends.
        by: Group rows by ``"field"``, ``"procedure"``, ``"office"``, ``"agency"``,
            ``"channel"``, ``"unit"``, ``"officer"``, ``"step"``, ``"service_level"`` or
            ``"inter_agency"`` (see :class:`GroupBy`); None for the total only.

    Returns:
        The report; ``model_dump_json()`` gives the JSON with ``rows`` and ``total``.

    Raises:
        InputError: If ``start`` or ``end`` has the wrong type or ``end`` is before
            ``start`` (naming the value).
        ValueError: If ``by`` is unknown.

    Examples:
        >>> table = read_dossiers("examples/dossiers-2025.csv")
        >>> library = load_procedures()
        >>> cal = vietnam_calendar(years=range(2024, 2027))
        >>> q1 = build_report(table, library, cal, start=date(2025, 1, 1), end=date(2025, 3, 31))
        >>> t = q1.total
        >>> t.received_total == t.resolved_total + t.in_progress_total + t.withdrawn
        True
    """
    start, as_of = period_bounds(start, end)
    group = GroupBy(by) if by is not None else None
    rejected: list[Rejected] = []
    if isinstance(dossiers, DossierTable):
        rejected.extend(dossiers.rejected)
        items: Sequence[tuple[int, Dossier]] = list(
            zip(dossiers.rows, dossiers.dossiers, strict=True)
        )
    else:
        items = list(enumerate(dossiers, start=1))
    tallies: dict[str, Tally] = {}
    for row, dossier in items:
        try:
            if to_local(dossier.received_at) > as_of:
                continue
            evaluation = evaluate(dossier, procedures, calendar, as_of=as_of)
        except ProcflowError as exc:
            rejected.append(Rejected(row=row, dossier_id=dossier.id, reason=str(exc)))
            continue
        names = _counters(dossier, evaluation, start, as_of)
        if names is None:
            continue
        procedure = _procedure_of(procedures, dossier, evaluation)
        key = _group_key(group, dossier, procedure, evaluation)
        tally = tallies.setdefault(key, Tally())
        tally.add(*names)
        if evaluation.outcome.is_finished:
            tally.days.append(evaluation.used_days)
            tally.d766 += bool(evaluation.d766_on_time)
    total = Tally()
    for tally in tallies.values():
        total.merge(tally)
    rows = tuple(tallies[k].row(k) for k in sorted(tallies)) if group is not None else ()
    return Report(
        period_start=start,
        period_end=as_of.date(),
        period_end_at=as_of,
        by=group,
        rows=rows,
        total=total.row("total"),
        dossiers=len(items) + (len(dossiers.rejected) if isinstance(dossiers, DossierTable) else 0),
        rejected=tuple(sorted(rejected, key=lambda r: r.row)),
    )


def period(
    kind: Literal["month", "quarter", "half", "year"], year: int, number: int = 1
) -> tuple[date, date]:
    """The first and last day of a reporting period.

    Args:
        kind: ``"month"``, ``"quarter"``, ``"half"`` (half year) or ``"year"``.
        year: The year.
        number: Which month (1–12), quarter (1–4) or half (1–2); ignored for a year.

    Examples:
        >>> period("quarter", 2025, 1)
        (datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))
        >>> period("half", 2024, 1)
        (datetime.date(2024, 1, 1), datetime.date(2024, 6, 30))
    """
    months = {"month": 1, "quarter": 3, "half": 6, "year": 12}[kind]
    count = 12 // months
    if kind != "year" and not 1 <= number <= count:
        raise ValueError(f"a {kind} number is 1 to {count}, got {number}")
    first = date(year, 1 + months * ((number if kind != "year" else 1) - 1), 1)
    return first, first + relativedelta(months=months) - timedelta(days=1)


class Objective(BaseModel):
    """A quality objective, e.g. "at least 95 % on time" (ISO 9001).

    Attributes:
        metric: A rate of :class:`ReportRow` (default ``timely_rate``: early + on time).
        minimum: The lowest acceptable value, in percent.
        key: The group it applies to (a procedure id, an office...); None for every row
            and the total.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    metric: Literal[
        "timely_rate", "early_rate", "on_time_rate", "d766_on_time_rate", "d766_rate"
    ] = "timely_rate"
    minimum: float = Field(ge=0, le=100)
    key: str | None = None


class ObjectiveMiss(BaseModel):
    """A group that missed an objective."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    metric: str
    value: float
    minimum: float
    resolved: int


def check_objectives(report: Report, objectives: Iterable[Objective]) -> list[ObjectiveMiss]:
    """List the groups whose rate is below an objective's minimum.

    Groups with nothing resolved are not judged.

    Examples:
        >>> row = ReportRow(key="x", resolved_total=10, resolved_early=9, resolved_late=1,
        ...                 timely_rate=90.0)
        >>> r = Report(period_start=date(2025, 1, 1), period_end=date(2025, 3, 31), by=None,
        ...            rows=(), total=row, dossiers=10)
        >>> [m.value for m in check_objectives(r, [Objective(minimum=95)])]
        [90.0]
    """
    rows = [*report.rows, report.total]
    misses = []
    for objective in objectives:
        for row in rows:
            if objective.key is not None and row.key != objective.key:
                continue
            value = getattr(row, objective.metric)
            if value is not None and value < objective.minimum:
                misses.append(
                    ObjectiveMiss(
                        key=row.key,
                        metric=objective.metric,
                        value=value,
                        minimum=objective.minimum,
                        resolved=row.resolved_total,
                    )
                )
    return misses


def load_objectives(path: str | Path) -> list[Objective]:
    """Read quality objectives from a TOML file of ``[[objective]]`` tables.

    Raises:
        InputError: Naming the file and the entry, if one is invalid.
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: cannot read objectives: {exc}") from exc
    out = []
    for number, entry in enumerate(data.get("objective", []), start=1):
        try:
            out.append(Objective.model_validate(entry))
        except ValidationError as exc:
            raise InputError(f"{path}: objective #{number}: {exc.errors()[0]['msg']}") from exc
    return out


def month_ranges(start: date, end: date) -> list[tuple[date, date]]:
    """The calendar months touching ``[start, end]``, clipped to it.

    Examples:
        >>> [f"{a:%d/%m}-{b:%d/%m}" for a, b in month_ranges(date(2025, 1, 15), date(2025, 3, 10))]
        ['15/01-31/01', '01/02-28/02', '01/03-10/03']
    """
    out = []
    first = start.replace(day=1)
    while first <= end:
        last = first + relativedelta(months=1) - timedelta(days=1)
        out.append((max(first, start), min(last, end)))
        first += relativedelta(months=1)
    return out


def monthly(
    dossiers: Sequence[Dossier] | DossierTable,
    procedures: Procedures,
    calendar: WorkCalendar,
    *,
    start: date,
    end: date,
) -> list[Report]:
    """One report per calendar month touching ``[start, end]`` (for charts)."""
    return [
        build_report(dossiers, procedures, calendar, start=first, end=last)
        for first, last in month_ranges(start, end)
    ]
