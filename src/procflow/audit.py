"""Auditing the due dates a one-stop system printed against procflow's.

Where a dossier carries the source system's ``due_at``, the audit recomputes the due date
and lists the disagreements with procflow's explanation, and names the likely mistake
when the source's date is what a typical wrong rule gives: ignoring the cut-off,
ignoring holidays, ignoring a swapped Saturday, counting the day of receipt, counting
calendar days as working days. Dates are compared (the day of the appointment).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, time

from pydantic import BaseModel, ConfigDict

from procflow.calendar import DayKind, WorkCalendar, to_local
from procflow.deadline import Note, due_date, explain_due_date
from procflow.dossier import Dossier
from procflow.errors import ProcflowError
from procflow.evaluation import Procedures, applied_rules, procedure_for
from procflow.instant import Instant
from procflow.interchange import DossierTable, Rejected
from procflow.timelimit import CountingModel, TimeLimit, TimeUnit

__all__ = ["AuditFinding", "AuditResult", "audit"]


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
        likely_causes: The typical mistakes whose date matches the source's (several can
            give the same date): ``ignores_cutoff``, ``ignores_holidays``,
            ``ignores_swapped_saturday``, ``counts_receipt_day``,
            ``calendar_days_as_working_days``. Empty when none does.
        notes: procflow's explanation of its date.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    row: int
    dossier_id: str
    received_at: Instant
    source_due_at: Instant
    procflow_due_at: Instant
    working_days_apart: int
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


def _variants(calendar: WorkCalendar) -> list[tuple[str, Variant]]:
    """Typical wrong rules, each as a function computing the due date the way it would."""
    plain = WorkCalendar(calendar.first_year, calendar.last_year, (), calendar.office_hours)
    no_swaps = WorkCalendar(
        calendar.first_year,
        calendar.last_year,
        (
            info
            for info in calendar.special_days(
                date(calendar.first_year, 1, 1), date(calendar.last_year, 12, 31)
            )
            if info.kind is not DayKind.SWAPPED_WORKDAY
        ),
        calendar.office_hours,
    )

    def ignores_cutoff(
        t: datetime, limit: TimeLimit, cutoff: time | None, model: CountingModel
    ) -> datetime:
        return due_date(t, limit, calendar, cutoff=None, model=model)

    def ignores_holidays(
        t: datetime, limit: TimeLimit, cutoff: time | None, model: CountingModel
    ) -> datetime:
        return due_date(t, limit, plain, cutoff=cutoff, model=model)

    def ignores_swap(
        t: datetime, limit: TimeLimit, cutoff: time | None, model: CountingModel
    ) -> datetime:
        return due_date(t, limit, no_swaps, cutoff=cutoff, model=model)

    def counts_receipt_day(
        t: datetime, limit: TimeLimit, cutoff: time | None, model: CountingModel
    ) -> datetime:
        right = due_date(t, limit, calendar, cutoff=cutoff, model=model)
        return calendar.closing_at(calendar.add_working_days(right.date(), -1))

    def calendar_as_working(
        t: datetime, limit: TimeLimit, cutoff: time | None, model: CountingModel
    ) -> datetime:
        if limit.unit is not TimeUnit.CALENDAR_DAYS:
            return due_date(t, limit, calendar, cutoff=cutoff, model=model)
        return due_date(t, TimeLimit.working_days(limit.value), calendar, cutoff=cutoff)

    return [
        ("ignores_cutoff", ignores_cutoff),
        ("ignores_swapped_saturday", ignores_swap),
        ("ignores_holidays", ignores_holidays),
        ("counts_receipt_day", counts_receipt_day),
        ("calendar_days_as_working_days", calendar_as_working),
    ]


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

    Examples:
        >>> d = Dossier.model_validate({"id": "A", "time_limit": "02 ngày làm việc",
        ...     "cutoff": "15:00", "due_at": "2024-02-02T17:00",
        ...     "events": [{"type": "received", "at": "2024-01-31T15:20"}]})
        >>> result = audit([d], None, vietnam_calendar(years=[2024]))
        >>> result.findings[0].likely_causes, result.findings[0].procflow_due_at
        (('ignores_cutoff', 'counts_receipt_day'), datetime.datetime(2024, 2, 5, 17, 0))
    """
    rejected: list[Rejected] = []
    if isinstance(dossiers, DossierTable):
        items = list(zip(dossiers.rows, dossiers.dossiers, strict=True))
        rejected.extend(dossiers.rejected)
    else:
        items = list(enumerate(dossiers, start=1))
    variants = _variants(calendar)
    findings = []
    checked = agreed = without = 0
    for row, dossier in items:
        if dossier.due_at is None:
            without += 1
            continue
        try:
            rules = applied_rules(dossier, procedure_for(dossier, procedures))
            received = dossier.received_at
            due = explain_due_date(
                received, rules.limit, calendar, cutoff=rules.cutoff, model=rules.model
            )
            source_day = to_local(dossier.due_at).date()
            checked += 1
            if source_day == due.due_day:
                agreed += 1
                continue
            causes = tuple(
                name
                for name, wrong in variants
                if to_local(wrong(received, rules.limit, rules.cutoff, rules.model)).date()
                == source_day
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
