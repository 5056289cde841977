"""What-if impact: what a calendar decision or an amended procedure does to a period's dossiers.

Two scenarios (a calendar and a procedure library each: today's and the new one) evaluate
the same dossiers at the end of a period. :func:`impact` lists every dossier whose due date
or outcome changes, old → new, with the reason (the days whose working status changed
between its receipt and its due dates, or the rules of its procedure that changed), and the
change in each figure of the period report.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from procflow.calendar import WorkCalendar, to_local
from procflow.dossier import Dossier
from procflow.errors import ProcflowError
from procflow.evaluation import Evaluation, Procedures, evaluate, procedure_for
from procflow.instant import Instant
from procflow.interchange import DossierTable
from procflow.procedure import Procedure
from procflow.report import Report, ReportRow, build_report, period_bounds

__all__ = ["DossierChange", "FigureChange", "Impact", "Scenario", "impact"]


@dataclass(frozen=True, slots=True)
class Scenario:
    """A calendar and a procedure library to evaluate dossiers with."""

    calendar: WorkCalendar
    procedures: Procedures


class DossierChange(BaseModel):
    """A dossier whose due date or outcome is not the same in the two scenarios.

    Attributes:
        row: Its row in the file.
        dossier_id: The dossier.
        old_due_at: The due date today (None if it could not be evaluated).
        new_due_at: The due date in the new scenario.
        old_effective_due_at: The due date after clock stops, today.
        new_effective_due_at: The same in the new scenario.
        old_outcome: The outcome today (None if it could not be evaluated).
        new_outcome: The outcome in the new scenario.
        reasons: Why, one a line: each day whose working status changed between receipt
            and the later due date, each rule of the procedure that changed, or the error.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    row: int
    dossier_id: str
    old_due_at: Instant | None
    new_due_at: Instant | None
    old_effective_due_at: Instant | None
    new_effective_due_at: Instant | None
    old_outcome: str | None
    new_outcome: str | None
    reasons: tuple[str, ...]


class FigureChange(BaseModel):
    """A report figure that changes: group, figure, old and new value."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    figure: str
    old: int | float | None
    new: int | float | None
    delta: int | float | None


class Impact(BaseModel):
    """The impact of a new scenario on a period.

    Attributes:
        period_start: First day.
        period_end: Last day (dossiers are evaluated at its end).
        by: The report grouping.
        dossiers: Dossiers in the file (read and rejected).
        checked: Dossiers received by the period end, evaluated in both scenarios.
        changed: The dossiers whose due date or outcome changes.
        figures: The report figures that change.
        old_report: The report today.
        new_report: The report in the new scenario.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    period_start: date
    period_end: date
    by: str | None
    dossiers: int
    checked: int
    changed: tuple[DossierChange, ...]
    figures: tuple[FigureChange, ...]
    old_report: Report
    new_report: Report


def _evaluate(
    dossier: Dossier, scenario: Scenario, as_of: datetime
) -> tuple[Evaluation | None, str]:
    try:
        return evaluate(dossier, scenario.procedures, scenario.calendar, as_of=as_of), ""
    except ProcflowError as exc:
        return None, str(exc)


class _DayChanges:
    """The days whose working status differs between two calendars, found once.

    Only days both calendars cover are compared; a dossier's reasons are the changed days
    between its receipt and its later due date (:meth:`between`).
    """

    def __init__(self, old: WorkCalendar, new: WorkCalendar, lang: Literal["vi", "en"]) -> None:
        self.old, self.new, self.lang = old, new, lang
        self._days: list[int] | None = None
        self._texts: list[str] = []

    def _find(self) -> list[int]:
        days: list[int] = []
        first = date(max(self.old.first_year, self.new.first_year), 1, 1)
        last = date(min(self.old.last_year, self.new.last_year), 12, 31)
        day = first
        while day <= last:
            if self.old.covers(day) and self.new.covers(day):
                before, after = self.old.day_info(day), self.new.day_info(day)
                if before.is_working != after.is_working:
                    days.append(day.toordinal())
                    self._texts.append(
                        f"{day.isoformat()}: {before.label(self.lang)} → {after.label(self.lang)}"
                    )
            day += timedelta(days=1)
        return days

    def between(self, first: date, last: date) -> list[str]:
        """The reasons of the changed days from ``first`` to ``last``, both included."""
        if self._days is None:
            self._days = self._find()
        lo = bisect_left(self._days, first.toordinal())
        hi = bisect_right(self._days, last.toordinal())
        return self._texts[lo:hi]


def _procedure(dossier: Dossier, procedures: Procedures) -> Procedure | None:
    try:
        return procedure_for(dossier, procedures)
    except ProcflowError:
        return None


def _rule_reasons(
    procedure_id: str | None, before: Procedure | None, after: Procedure | None
) -> list[str]:
    """The rules of a procedure that differ between today's version and the new one."""
    if before is None or after is None:
        return []
    out = []
    if before.effective_from != after.effective_from:
        out.append(
            f"procedure {procedure_id}: version of {before.effective_from} → {after.effective_from}"
        )
    if before.time_limit != after.time_limit:
        out.append(f"time limit {str(before.time_limit)!r} → {str(after.time_limit)!r}")
    old_rules, new_rules = before.rules.model_dump(), after.rules.model_dump()
    for name, value in old_rules.items():
        if new_rules.get(name) != value:
            out.append(f"rule {name}: {_text(value)} → {_text(new_rules.get(name))}")
    if before.steps != after.steps:
        out.append("internal process (steps) changed")
    return out


def _reasons(
    errors: tuple[str, str],
    received: date,
    dues: Sequence[datetime],
    days: _DayChanges,
    rules: Sequence[str],
) -> tuple[str, ...]:
    """Why a dossier changes: the errors, the changed days, the changed rules, in that order.

    Args:
        errors: Today's and the new scenario's error ("" when it was evaluated).
        received: Its (local) receipt date.
        dues: Its due and effective due dates in both scenarios (the known ones).
        days: The changed days of the two calendars.
        rules: The rules of its procedure that changed (:func:`_rule_reasons`).
    """
    old_error, new_error = errors
    out = [f"today: {old_error}"] if old_error else []
    out += [f"new: {new_error}"] if new_error else []
    if dues:
        out += days.between(received, max(to_local(t).date() for t in dues))
    return (*out, *rules)


def _text(value: Any) -> str:
    if isinstance(value, frozenset | set):
        return "{" + ", ".join(sorted(map(str, value))) + "}"
    return "-" if value is None else str(value)


def _figures(old: Report, new: Report) -> list[FigureChange]:
    def rows(report: Report) -> dict[str, ReportRow]:
        return {row.key: row for row in [*report.rows, report.total]}

    before, after = rows(old), rows(new)
    keys = sorted(set(before) | set(after), key=lambda k: (k == "total", k))
    out = []
    for key in keys:
        a = before.get(key, ReportRow(key=key)).model_dump()
        b = after.get(key, ReportRow(key=key)).model_dump()
        for figure, value in a.items():
            if figure == "key" or b[figure] == value:
                continue
            delta = None if value is None or b[figure] is None else round(b[figure] - value, 2)
            out.append(FigureChange(key=key, figure=figure, old=value, new=b[figure], delta=delta))
    return out


def impact(
    dossiers: DossierTable | Sequence[Dossier],
    old: Scenario,
    new: Scenario,
    *,
    start: date,
    end: date,
    by: str | None = None,
    lang: Literal["vi", "en"] = "en",
) -> Impact:
    """Compare a period under today's calendar and procedures and under new ones.

    Args:
        dossiers: The dossiers (a table from :func:`~procflow.read_dossiers`, or a list).
        old: Today's calendar and procedures.
        new: The new calendar (e.g. with a Government decision's swapped days) and
            procedures (e.g. an amended spec folder).
        start: First day of the period.
        end: Last day; every dossier received by then is evaluated at its end.
        by: The report grouping of the figures (as :func:`~procflow.build_report`).
        lang: The language of the day names in the reasons.

    Returns:
        The dossiers whose due date or outcome changes, with the reasons, and the report
        figures that change.

    Examples:
        >>> from procflow.impact import Scenario, impact
        >>> d = Dossier.model_validate({
        ...     "id": "HS-1", "time_limit": "03 ngày làm việc",
        ...     "events": [{"type": "received", "at": "2030-01-07T09:00"},
        ...                {"type": "finished", "at": "2030-01-10T16:00", "result": "granted"}]})
        >>> off = CalendarOverride(date=date(2030, 1, 9), kind="day_off",
        ...                        name_vi="Nghỉ hoán đổi", source="QĐ 1/QĐ-TTg")
        >>> today = Scenario(vietnam_calendar(years=[2030]), None)
        >>> tomorrow = Scenario(vietnam_calendar(years=[2030], overrides=[off]), None)
        >>> r = impact([d], today, tomorrow, start=date(2030, 1, 1), end=date(2030, 1, 31))
        >>> c = r.changed[0]
        >>> c.old_due_at.date(), c.new_due_at.date(), c.old_outcome, c.new_outcome
        (datetime.date(2030, 1, 10), datetime.date(2030, 1, 11), 'on_time', 'early')
        >>> c.reasons
        ('2030-01-09: working day → Nghỉ hoán đổi (extra day off) [QĐ 1/QĐ-TTg]',)
        >>> [(f.figure, f.old, f.new) for f in r.figures][:2]
        [('resolved_early', 0, 1), ('resolved_on_time', 1, 0)]
    """
    if isinstance(dossiers, DossierTable):
        items = list(zip(dossiers.rows, dossiers.dossiers, strict=True))
        total = dossiers.total
    else:
        items = list(enumerate(dossiers, start=1))
        total = len(items)
    as_of = period_bounds(start, end)[1]
    changed: list[DossierChange] = []
    checked = 0
    days = _DayChanges(old.calendar, new.calendar, lang)
    for row, dossier in items:
        if to_local(dossier.received_at).date() > end:
            continue
        checked += 1
        a, a_error = _evaluate(dossier, old, as_of)
        b, b_error = _evaluate(dossier, new, as_of)
        same = (
            a is not None
            and b is not None
            and (a.due_at, a.effective_due_at, a.outcome)
            == (b.due_at, b.effective_due_at, b.outcome)
        )
        if same or (a is None and b is None and a_error == b_error):
            continue
        dues = [t for e in (a, b) if e is not None for t in (e.due_at, e.effective_due_at) if t]
        rules = _rule_reasons(
            dossier.procedure_id,
            _procedure(dossier, old.procedures),
            _procedure(dossier, new.procedures),
        )
        received = to_local(dossier.received_at).date()
        reasons = _reasons((a_error, b_error), received, dues, days, rules)
        changed.append(
            DossierChange(
                row=row,
                dossier_id=dossier.id,
                old_due_at=a.due_at if a else None,
                new_due_at=b.due_at if b else None,
                old_effective_due_at=a.effective_due_at if a else None,
                new_effective_due_at=b.effective_due_at if b else None,
                old_outcome=a.outcome.value if a else None,
                new_outcome=b.outcome.value if b else None,
                reasons=reasons,
            )
        )
    old_report = build_report(dossiers, old.procedures, old.calendar, start=start, end=end, by=by)
    new_report = build_report(dossiers, new.procedures, new.calendar, start=start, end=end, by=by)
    return Impact(
        period_start=start,
        period_end=end,
        by=by,
        dossiers=total,
        checked=checked,
        changed=tuple(changed),
        figures=tuple(_figures(old_report, new_report)),
        old_report=old_report,
        new_report=new_report,
    )
