"""Auditing the due dates a one-stop system printed against procflow's.

Where a dossier carries the source system's ``due_at``, the audit recomputes the due date
and lists the disagreements with procflow's explanation, and names every typical mistake
(:data:`CAUSES`) whose wrong rule gives the source's date. Limits in days are compared by
date (the day of the appointment); limits in hours to the minute.

Several mistakes often give the same date: ignoring any one day off, counting the day of
receipt and counting a Saturday off as worked each move a date one working day earlier.
The audit then names them all, most likely first, by one rule (:func:`rank_causes`):

1. a fact the dossier crossed and the source ignored (a Government decision, a worked
   Saturday, a compensatory day, the cut-off: :data:`CROSSED_FACTS`) comes before a wrong
   counting rule or an invented day (a Saturday counted as worked, the day of receipt
   counted, the unit confused, every holiday ignored);
2. within each group, a cause that is the only explanation of another finding of the same
   audit comes first (that finding shows the source system makes this mistake);
3. then the fixed order of :data:`CAUSE_ORDER`.

The evidence of rule 2 does not lift a counting mistake above a crossed fact: ignoring one
day off always gives the same date as counting the day of receipt, so a crossed fact can
seldom be the only explanation of a finding, and its absence from the confirmed causes says
nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from datetime import date, datetime, time, timedelta
from functools import cached_property

from pydantic import BaseModel, ConfigDict

from procflow.calendar import DayInfo, DayKind, WorkCalendar, to_local
from procflow.deadline import Note, due_date, explain_due_date
from procflow.dossier import Dossier
from procflow.errors import ProcflowError
from procflow.evaluation import Procedures, applied_rules, procedure_for
from procflow.instant import Instant
from procflow.interchange import DossierTable, Rejected
from procflow.timelimit import CountingModel, TimeLimit, TimeUnit

__all__ = [
    "CAUSES",
    "CAUSE_ORDER",
    "CROSSED_FACTS",
    "AuditFinding",
    "AuditResult",
    "audit",
    "rank_causes",
    "rank_findings",
]

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

CAUSE_ORDER: tuple[str, ...] = (
    "ignores_government_decision",
    "ignores_swapped_saturday",
    "ignores_compensatory_day",
    "ignores_cutoff",
    "invents_worked_saturday",
    "counts_receipt_day",
    "working_days_as_calendar_days",
    "calendar_days_as_working_days",
    "ignores_holidays",
)
"""Every cause of :data:`CAUSES`, most likely first when nothing else tells them apart.

First the mistakes about one fact the dossier crossed, the most often missed first: a
Government decision (published days before it applies, and missing from the ``holidays``
package), a worked Saturday, a compensatory day, the procedure's cut-off, one Saturday
counted as worked (another year's swap). Then the mistakes in the counting rule, which put
nearly every date of an export wrong: the day of receipt counted, working days counted as
calendar days and the reverse, and last every holiday ignored."""

CROSSED_FACTS = frozenset(
    {
        "ignores_government_decision",
        "ignores_swapped_saturday",
        "ignores_compensatory_day",
        "ignores_cutoff",
    }
)
"""The causes that ignore a fact of the calendar or the procedure the dossier crossed."""

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
        likely_causes: Every typical mistake (keys of :data:`CAUSES`) whose date matches
            the source's, most likely first (:func:`rank_causes`): several can give the
            same date. Empty when none does.
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
    """The ordinary Saturdays (off, not a holiday) in ``[first, last]`` near a weekday off.

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
        if calendar.is_regular_saturday(day) and any(
            not i.kind.is_working and i.date.weekday() < 5 for i in near
        ):
            out.append(day)
        day += timedelta(days=7)
    return out


def _moment(t: datetime, unit: TimeUnit) -> datetime | date:
    """What the audit compares: the date for limits in days, the minute for limits in hours."""
    local = to_local(t)
    return local.replace(second=0, microsecond=0) if unit in _HOUR_UNITS else local.date()


_RANK = {name: position for position, name in enumerate(CAUSE_ORDER)}


def rank_causes(matched: Collection[str], confirmed: Collection[str] = ()) -> tuple[str, ...]:
    """Order the causes that explain one printed date, most likely first.

    The rule, written once: a cause of :data:`CROSSED_FACTS` (a fact the dossier crossed)
    comes before any other; within each group a cause in ``confirmed`` (the only
    explanation of another finding of the same audit, so the source system is known to
    make that mistake) comes first; otherwise the order of :data:`CAUSE_ORDER` decides.

    Args:
        matched: The causes (keys of :data:`CAUSES`) whose wrong rule gives the date.
        confirmed: The causes that alone explain some finding of the same audit.

    Returns:
        Every cause of ``matched``, once each, most likely first.

    Examples:
        >>> rank_causes({"counts_receipt_day", "ignores_compensatory_day"})
        ('ignores_compensatory_day', 'counts_receipt_day')
        >>> rank_causes({"counts_receipt_day", "invents_worked_saturday"})
        ('invents_worked_saturday', 'counts_receipt_day')
        >>> rank_causes({"counts_receipt_day", "invents_worked_saturday"},
        ...             confirmed={"counts_receipt_day"})
        ('counts_receipt_day', 'invents_worked_saturday')
    """
    return tuple(
        sorted(
            set(matched),
            key=lambda name: (name not in CROSSED_FACTS, name not in confirmed, _RANK[name]),
        )
    )


class _Mistakes:
    """The wrong rules of one calendar, built on the first disagreement and kept.

    An audit read in batches (:func:`procflow.auditfile.audit_file`) shares one across its
    batches: building the wrong calendars costs far more than checking a dossier.
    """

    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        self.saturday_calendars: dict[date, WorkCalendar] = {}

    @cached_property
    def variants(self) -> list[tuple[str, Variant]]:
        return _variants(self.calendar)


def _matches(
    mistakes: _Mistakes,
    received: datetime,
    rules: tuple[TimeLimit, time | None, CountingModel],
    source: datetime | date,
    procflow_day: date,
) -> set[str]:
    """Every cause whose wrong rule gives the source's ``source`` moment."""
    limit, cutoff, model = rules
    unit = limit.unit
    calendar, saturday_calendars = mistakes.calendar, mistakes.saturday_calendars
    matched = {
        name
        for name, wrong in mistakes.variants
        if _moment(wrong(received, limit, cutoff, model), unit) == source
    }
    source_day = source.date() if isinstance(source, datetime) else source
    if source_day < procflow_day:
        # A Saturday off between receipt and procflow's date, counted as worked.
        for saturday in _saturdays(calendar, to_local(received).date(), procflow_day):
            if saturday not in saturday_calendars:
                saturday_calendars[saturday] = _with_saturday(calendar, saturday)
            other = saturday_calendars[saturday]
            if (
                _moment(due_date(received, limit, other, cutoff=cutoff, model=model), unit)
                == source
            ):
                matched.add("invents_worked_saturday")
                break
    return matched


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
        The audit: counts, disagreements with every cause that explains them (most likely
        first, :func:`rank_causes`), rejected dossiers. Limits in days are compared by
        date, limits in hours to the minute.

    Examples:
        >>> d = Dossier.model_validate({"id": "A", "time_limit": "02 ngày làm việc",
        ...     "cutoff": "15:00", "due_at": "2024-02-02T17:00",
        ...     "events": [{"type": "received", "at": "2024-01-31T15:20"}]})
        >>> result = audit([d], None, vietnam_calendar(years=[2024]))
        >>> result.findings[0].likely_causes, result.findings[0].procflow_due_at
        (('ignores_cutoff', 'counts_receipt_day'), datetime.datetime(2024, 2, 5, 17, 0))
    """
    return _audit(dossiers, procedures, _Mistakes(calendar))


def _audit(
    dossiers: Iterable[Dossier] | DossierTable, procedures: Procedures, mistakes: _Mistakes
) -> AuditResult:
    """:func:`audit`, with the wrong rules of its calendar built by the caller."""
    calendar = mistakes.calendar
    rejected: list[Rejected] = []
    if isinstance(dossiers, DossierTable):
        items = list(zip(dossiers.rows, dossiers.dossiers, strict=True))
        rejected.extend(dossiers.rejected)
    else:
        items = list(enumerate(dossiers, start=1))
    found: list[tuple[AuditFinding, set[str]]] = []
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
            matched = _matches(
                mistakes,
                received,
                (limit, rules.cutoff, rules.model),
                source,
                due.due_day,
            )
            hours_apart = (
                calendar.working_hours_between(due.due_at, dossier.due_at)
                if unit in _HOUR_UNITS
                else None
            )
        except ProcflowError as exc:
            rejected.append(Rejected(row=row, dossier_id=dossier.id, reason=str(exc)))
            continue
        finding = AuditFinding(
            row=row,
            dossier_id=dossier.id,
            received_at=received,
            source_due_at=dossier.due_at,
            procflow_due_at=due.due_at,
            working_days_apart=calendar.count_working_days(due.due_day, source_day),
            working_hours_apart=hours_apart,
            likely_causes=(),
            notes=due.notes,
        )
        found.append((finding, matched))
    findings = rank_findings(
        finding.model_copy(update={"likely_causes": tuple(matched)}) for finding, matched in found
    )
    return AuditResult(
        checked=checked,
        agreed=agreed,
        without_due=without,
        findings=findings,
        rejected=tuple(rejected),
    )


def rank_findings(findings: Iterable[AuditFinding]) -> tuple[AuditFinding, ...]:
    """Order every finding's causes with the evidence of all the findings together.

    A cause that alone explains one finding is shown to be a mistake the source system
    makes (rule 2 of :func:`rank_causes`); an audit read in batches ranks its findings once
    more over the whole file, so that the order does not depend on the batch.

    Args:
        findings: The findings of one audit, their ``likely_causes`` in any order.

    Returns:
        The same findings, in the same order, each with its causes most likely first.
    """
    items = list(findings)
    confirmed = {f.likely_causes[0] for f in items if len(f.likely_causes) == 1}
    return tuple(
        f.model_copy(update={"likely_causes": rank_causes(f.likely_causes, confirmed)})
        for f in items
    )
