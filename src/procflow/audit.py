"""Auditing the due dates a one-stop system printed against procflow's.

Where a dossier carries the source system's ``due_at``, the audit recomputes the due date
and lists the disagreements with procflow's explanation, and names the likely mistake
when the source's date is what a typical wrong rule gives (:data:`CAUSES`). Limits in days
are compared by date (the day of the appointment); limits in hours to the minute.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta

from pydantic import BaseModel, ConfigDict

from procflow.calendar import DayInfo, DayKind, WorkCalendar, to_local
from procflow.deadline import Note, due_date, explain_due_date
from procflow.dossier import Dossier
from procflow.errors import ProcflowError
from procflow.evaluation import Procedures, applied_rules, procedure_for
from procflow.instant import Instant
from procflow.interchange import DossierTable, Rejected
from procflow.timelimit import CountingModel, TimeLimit, TimeUnit

__all__ = ["CAUSES", "AuditFinding", "AuditResult", "audit"]

CAUSES: dict[str, str] = {
    "ignores_cutoff": "the cut-off was ignored: a dossier received after it counted from that day",
    "ignores_compensatory_day": "a compensatory day off (nghỉ bù) was counted as a working day",
    "ignores_swapped_saturday": "a worked Saturday (làm bù) was not counted as a working day",
    "invents_worked_saturday": "a Saturday that is not worked was counted as a working day",
    "ignores_government_decision": "a Government decision on a day off or a worked Saturday "
    "(procflow's built-in table or an override) was ignored",
    "calendar_days_as_working_days": "a limit in calendar days was counted in working days",
    "working_days_as_calendar_days": "a limit in working days was counted in calendar days",
    "ignores_holidays": "every holiday, compensatory and swapped day was ignored",
    "counts_receipt_day": "the day of receipt was counted as day 1 (Civil Code 2015 Art. 147)",
}
"""The mistakes the audit recognises, by the name it gives them, with what each means."""

_GENERIC = (
    "calendar_days_as_working_days",
    "working_days_as_calendar_days",
    "invents_worked_saturday",
    "ignores_holidays",
    "counts_receipt_day",
)
"""Causes that change the counting itself and so shift many dates: named only when no
cause tied to a calendar fact the dossier crossed (a cut-off, a compensatory day, a swap, a
decision) gives the date. Ignoring every holiday also ignores a compensatory day; counting
the receipt day, or a Saturday off as worked, moves a date one working day earlier, as
ignoring one day off does."""

_HOUR_UNITS = frozenset({TimeUnit.WORKING_HOURS, TimeUnit.CLOCK_HOURS})


class AuditFinding(BaseModel):
    """A dossier whose printed due date differs from procflow's.

    Attributes:
        row: Its row in the file (or position in the list).
        dossier_id: The dossier.
        received_at: When it was received.
        source_due_at: The due date the source printed.
        procflow_due_at: procflow's due date.
        working_days_apart: Working days from procflow's date to the source's (negative:
            the source promised earlier than the law allows it to, positive: later).
        working_hours_apart: For limits in hours, working hours from procflow's time to
            the source's (same sign); None for limits in days.
        likely_causes: The typical mistakes (keys of :data:`CAUSES`) whose date matches
            the source's; several can give the same date. A generic cause (ignoring every
            holiday, counting the day of receipt) is named only when no specific one
            matches. Empty when none does.
        notes: procflow's explanation of its date.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    row: int
    dossier_id: str
    received_at: Instant
    source_due_at: Instant
    procflow_due_at: Instant
    working_days_apart: int
    working_hours_apart: float | None = None
    likely_causes: tuple[str, ...]
    notes: tuple[Note, ...]


class AuditResult(BaseModel):
    """The audit of a set of dossiers.

    Attributes:
        checked: Dossiers that carried a source due date and were checked.
        agreed: Of those, the ones whose date agrees with procflow's.
        without_due: Dossiers with no source due date (not checked).
        findings: The disagreements.
        rejected: Dossiers that could not be checked, with the reason.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    checked: int
    agreed: int
    without_due: int
    findings: tuple[AuditFinding, ...]
    rejected: tuple[Rejected, ...]


Variant = Callable[[datetime, TimeLimit, time | None, CountingModel], datetime]
"""A wrong rule: computes the due date the way a mistaken system would."""


def _without(calendar: WorkCalendar, drop: Callable[[DayInfo], bool]) -> WorkCalendar:
    """The calendar with the special days ``drop`` selects turned back into ordinary days."""
    days = calendar.special_days(date(calendar.first_year, 1, 1), date(calendar.last_year, 12, 31))
    return WorkCalendar(
        calendar.first_year,
        calendar.last_year,
        (info for info in days if not drop(info)),
        calendar.office_hours,
    )


def _with_saturday(calendar: WorkCalendar, saturday: date) -> WorkCalendar:
    """The calendar with one more worked Saturday."""
    days = calendar.special_days(date(calendar.first_year, 1, 1), date(calendar.last_year, 12, 31))
    extra = DayInfo(date=saturday, kind=DayKind.OVERRIDE_WORKDAY, name_vi="", name_en="")
    return WorkCalendar(
        calendar.first_year, calendar.last_year, [*days, extra], calendar.office_hours
    )


def _variants(calendar: WorkCalendar) -> list[tuple[str, Variant]]:
    """Typical wrong rules, each as a function computing the due date the way it would."""
    calendars = {
        "ignores_compensatory_day": _without(calendar, lambda i: i.kind is DayKind.COMPENSATORY),
        "ignores_swapped_saturday": _without(calendar, lambda i: i.kind is DayKind.SWAPPED_WORKDAY),
        "ignores_government_decision": _without(
            calendar, lambda i: i.kind in (DayKind.OVERRIDE_DAY_OFF, DayKind.OVERRIDE_WORKDAY)
        ),
        "ignores_holidays": _without(calendar, lambda _: True),
    }

    def on(other: WorkCalendar) -> Variant:
        def wrong(
            t: datetime, limit: TimeLimit, cutoff: time | None, model: CountingModel
        ) -> datetime:
            return due_date(t, limit, other, cutoff=cutoff, model=model)

        return wrong

    def ignores_cutoff(
        t: datetime, limit: TimeLimit, cutoff: time | None, model: CountingModel
    ) -> datetime:
        return due_date(t, limit, calendar, cutoff=None, model=model)

    def counts_receipt_day(
        t: datetime, limit: TimeLimit, cutoff: time | None, model: CountingModel
    ) -> datetime:
        right = due_date(t, limit, calendar, cutoff=cutoff, model=model)
        if limit.unit in _HOUR_UNITS:
            return right  # no day of receipt to count in hours
        return calendar.closing_at(calendar.add_working_days(right.date(), -1))

    def calendar_as_working(
        t: datetime, limit: TimeLimit, cutoff: time | None, model: CountingModel
    ) -> datetime:
        if limit.unit is not TimeUnit.CALENDAR_DAYS:
            return due_date(t, limit, calendar, cutoff=cutoff, model=model)
        return due_date(t, TimeLimit.working_days(limit.value), calendar, cutoff=cutoff)

    def working_as_calendar(
        t: datetime, limit: TimeLimit, cutoff: time | None, model: CountingModel
    ) -> datetime:
        if limit.unit is not TimeUnit.WORKING_DAYS or limit.value != int(limit.value):
            return due_date(t, limit, calendar, cutoff=cutoff, model=model)
        calendar_days = TimeLimit(value=limit.value, unit=TimeUnit.CALENDAR_DAYS)
        return due_date(t, calendar_days, calendar, cutoff=cutoff)

    return [
        ("ignores_cutoff", ignores_cutoff),
        *((name, on(other)) for name, other in calendars.items() if name != "ignores_holidays"),
        ("calendar_days_as_working_days", calendar_as_working),
        ("working_days_as_calendar_days", working_as_calendar),
        ("ignores_holidays", on(calendars["ignores_holidays"])),
        ("counts_receipt_day", counts_receipt_day),
    ]


def _saturdays(calendar: WorkCalendar, first: date, last: date) -> list[date]:
    """The Saturdays off in ``[first, last]`` within a week of a weekday off.

    These are where swaps bridge holidays, so where a system may count a Saturday as worked
    that is not (another year's swap, or a swap that was never decided).
    """
    day = first + timedelta(days=(5 - first.weekday()) % 7)
    out = []
    while day <= last:
        near = calendar.special_days(
            max(day - timedelta(days=7), date(calendar.first_year, 1, 1)),
            min(day + timedelta(days=7), date(calendar.last_year, 12, 31)),
        )
        if not calendar.is_working_day(day) and any(
            not i.kind.is_working and i.date.weekday() < 5 for i in near
        ):
            out.append(day)
        day += timedelta(days=7)
    return out


def _moment(t: datetime, unit: TimeUnit) -> datetime | date:
    """What the audit compares: the date for limits in days, the minute for limits in hours."""
    local = to_local(t)
    return local.replace(second=0, microsecond=0) if unit in _HOUR_UNITS else local.date()


def audit(
    dossiers: Iterable[Dossier] | DossierTable,
    procedures: Procedures,
    calendar: WorkCalendar,
) -> AuditResult:
    """Compare the due dates a source system printed with procflow's.

    Args:
        dossiers: Dossiers (their ``due_at`` is the source's date), or a table read by
            :func:`~procflow.read_dossiers`.
        procedures: The procedure library, or None for inline rules.
        calendar: The working calendar.

    Returns:
        The audit: counts, disagreements with their likely cause, rejected dossiers.
        Limits in days are compared by date, limits in hours to the minute.

    Examples:
        >>> d = Dossier.model_validate({"id": "A", "time_limit": "02 ngày làm việc",
        ...     "cutoff": "15:00", "due_at": "2024-02-02T17:00",
        ...     "events": [{"type": "received", "at": "2024-01-31T15:20"}]})
        >>> result = audit([d], None, vietnam_calendar(years=[2024]))
        >>> result.findings[0].likely_causes, result.findings[0].procflow_due_at
        (('ignores_cutoff',), datetime.datetime(2024, 2, 5, 17, 0))
    """
    rejected: list[Rejected] = []
    if isinstance(dossiers, DossierTable):
        items = list(zip(dossiers.rows, dossiers.dossiers, strict=True))
        rejected.extend(dossiers.rejected)
    else:
        items = list(enumerate(dossiers, start=1))
    variants = _variants(calendar)
    saturday_calendars: dict[date, WorkCalendar] = {}
    findings = []
    checked = agreed = without = 0
    for row, dossier in items:
        if dossier.due_at is None:
            without += 1
            continue
        try:
            rules = applied_rules(dossier, procedure_for(dossier, procedures))
            received = dossier.received_at
            limit, unit = rules.limit, rules.limit.unit
            due = explain_due_date(
                received, limit, calendar, cutoff=rules.cutoff, model=rules.model
            )
            source = _moment(dossier.due_at, unit)
            checked += 1
            if source == _moment(due.due_at, unit):
                agreed += 1
                continue
            source_day = to_local(dossier.due_at).date()
            matched = [
                name
                for name, wrong in variants
                if _moment(wrong(received, limit, rules.cutoff, rules.model), unit) == source
            ]
            if source_day < due.due_day:
                # A Saturday off between receipt and procflow's date, counted as worked.
                for saturday in _saturdays(calendar, to_local(received).date(), due.due_day):
                    if saturday not in saturday_calendars:
                        saturday_calendars[saturday] = _with_saturday(calendar, saturday)
                    other = saturday_calendars[saturday]
                    wrong = due_date(received, limit, other, cutoff=rules.cutoff, model=rules.model)
                    if _moment(wrong, unit) == source:
                        matched.append("invents_worked_saturday")
                        break
            specific = [name for name in matched if name not in _GENERIC]
            causes = tuple(name for name in CAUSES if name in (specific or matched))
            hours_apart = (
                calendar.working_hours_between(due.due_at, dossier.due_at)
                if unit in _HOUR_UNITS
                else None
            )
        except ProcflowError as exc:
            rejected.append(Rejected(row=row, dossier_id=dossier.id, reason=str(exc)))
            continue
        findings.append(
            AuditFinding(
                row=row,
                dossier_id=dossier.id,
                received_at=received,
                source_due_at=dossier.due_at,
                procflow_due_at=due.due_at,
                working_days_apart=calendar.count_working_days(due.due_day, source_day),
                working_hours_apart=hours_apart,
                likely_causes=causes,
                notes=due.notes,
            )
        )
    return AuditResult(
        checked=checked,
        agreed=agreed,
        without_due=without,
        findings=tuple(findings),
        rejected=tuple(rejected),
    )
