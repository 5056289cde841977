"""Due dates (ngày hẹn trả kết quả) from a receipt time and a time limit.

Two counting models exist in practice (domain brief §3):

* **day model** (:attr:`CountingModel.DAY`): the due date is close of office on the
  n-th working day after the *effective receipt date*; the day of receipt is not
  counted (Civil Code 2015 Art. 147). Default for whole-day limits.
* **hour model** (:attr:`CountingModel.HOUR`): n working hours from the *effective start
  time*, one working day being the office hours' length (8 hours by default). Default
  for limits in hours and fractional days.

The effective receipt: a dossier received on a working day within office hours, and not
after the procedure's cut-off time, is received then. One received before opening is
received at opening that day. One received after closing, after the cut-off, or on a day
off counts as received at the opening of the next working day (except a Saturday
reception, see :class:`~procflow.OfficeHours`). "After" is strict: a dossier received at
15:00:00 with a 15:00 cut-off is received that day.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict

from procflow.calendar import (
    DayInfo,
    DayKind,
    WorkCalendar,
    clock_ticks,
    like,
    month_tables,
    to_local,
)
from procflow.errors import TimeLimitError
from procflow.instant import Instant
from procflow.law.codes import REASONS, model_code, unit_code
from procflow.law.due import due as law_due
from procflow.law.due import period_last as law_period_last
from procflow.law.index import CalendarIndex
from procflow.law.receipt import Receipt as LawReceipt
from procflow.law.receipt import receive
from procflow.timelimit import CountingModel, TimeLimit, TimeUnit

__all__ = [
    "CountingModel",
    "DueDate",
    "Note",
    "Receipt",
    "due_date",
    "effective_receipt",
    "explain_due_date",
    "period_last_day",
    "resolve_model",
]

_WEEKDAYS_VI = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def day_vi(d: date) -> str:
    """Format a date the Vietnamese way, e.g. ``"thứ Hai 05/02/2024"``."""
    return f"{_WEEKDAYS_VI[d.weekday()]} {d:%d/%m/%Y}"


def day_en(d: date) -> str:
    """Format a date in English, e.g. ``"Monday 2024-02-05"``."""
    return f"{_WEEKDAYS_EN[d.weekday()]} {d.isoformat()}"


_DAY, _HOUR, _CLOCK = CountingModel.DAY, CountingModel.HOUR, CountingModel.CLOCK


def resolve_model(limit: TimeLimit, model: CountingModel | None) -> CountingModel:
    """Choose the counting model: the given one, or the default for ``limit``.

    The default is the day model for whole working days, calendar days and same day,
    and the hour model for working hours and fractional working days.

    Raises:
        TimeLimitError: If ``model`` cannot count ``limit`` (hours in the day model,
            calendar days or same day in the hour model).
    """
    if model is None:
        return limit.default_model
    if model is CountingModel.DAY and not limit.is_whole_days:
        raise TimeLimitError(f"the day model counts whole days only, not {limit}")
    if model is CountingModel.HOUR and limit.unit not in (
        TimeUnit.WORKING_DAYS,
        TimeUnit.WORKING_HOURS,
    ):
        raise TimeLimitError(f"the hour model cannot count a limit of {limit}")
    if model is CountingModel.CLOCK and limit.unit is not TimeUnit.CLOCK_HOURS:
        raise TimeLimitError(f"the clock model counts clock hours (giờ) only, not {limit}")
    return model


class Note(BaseModel):
    """One line of an explanation, in Vietnamese and English, with a stable code."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    vi: str
    en: str

    def text(self, lang: Literal["vi", "en"] = "vi") -> str:
        """Return the line in ``lang``."""
        return self.vi if lang == "vi" else self.en


class Receipt(BaseModel):
    """When a dossier counts as received.

    Attributes:
        received_at: When it actually arrived (local time).
        date: The effective receipt date: the day after which days are counted.
        start_at: The effective start instant for the hour model (local time).
        notes: Why the effective receipt differs from the arrival, if it does.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    received_at: Instant
    date: date
    start_at: Instant
    notes: tuple[Note, ...] = ()


def _law_receipt(local: datetime, calendar: WorkCalendar, cutoff: time | None) -> LawReceipt:
    """The rule core's effective receipt of a local instant (procflow.law.receipt)."""
    cut = -1 if cutoff is None else clock_ticks(cutoff)
    try:
        return receive(calendar.law, calendar.ticks(local), cut)
    except IndexError:
        raise calendar.coverage_error() from None


def _receive(
    local: datetime, calendar: WorkCalendar, cutoff: time | None
) -> tuple[date, datetime, str | None]:
    """Effective receipt date, start instant and the reason for any move (a note code)."""
    r = _law_receipt(local, calendar, cutoff)
    return calendar.day_of_index(r.eff), calendar.instant_of(r.start), REASONS[r.reason]


def _receipt_note(
    reason: str, local: datetime, eff: date, calendar: WorkCalendar, cutoff: time | None
) -> Note:
    hours = calendar.office_hours
    if reason == "after_hours":
        vi = f"Nhận sau giờ làm việc ({hours.closing:%H:%M}), tính là nhận vào {day_vi(eff)}"
        en = (
            f"Received after office hours ({hours.closing:%H:%M}); counts as received {day_en(eff)}"
        )
    elif reason == "after_cutoff":
        vi = f"Nhận sau {cutoff:%H:%M}, tính là nhận vào {day_vi(eff)}"
        en = f"Received after the {cutoff:%H:%M} cut-off; counts as received {day_en(eff)}"
    elif reason == "before_opening":
        vi = f"Nhận trước giờ làm việc, tính từ {hours.opening:%H:%M} cùng ngày"
        en = f"Received before opening; counts from {hours.opening:%H:%M} that day"
    elif reason == "saturday_reception":
        vi = "Nhận trong buổi tiếp nhận sáng thứ Bảy; thứ Bảy không tính vào thời hạn"
        en = "Received at the Saturday reception; Saturday itself is not counted"
    else:
        info = calendar.day_info(local.date())
        vi = f"Nhận vào ngày nghỉ ({info.label('vi')}), tính là nhận vào {day_vi(eff)}"
        en = f"Received on a day off ({info.label('en')}); counts as received {day_en(eff)}"
    eff_info = calendar.day_info(eff)
    if (
        reason in ("after_hours", "after_cutoff", "day_off")
        and eff_info.kind is not DayKind.WORKING
    ):
        # e.g. a swapped Saturday: say why the dossier counts as received on it.
        vi += f" ({eff_info.label('vi')})"
        en += f" ({eff_info.label('en')})"
    return Note(code=reason, vi=vi, en=en)


def effective_receipt(
    received_at: datetime, calendar: WorkCalendar, *, cutoff: time | None = None
) -> Receipt:
    """Work out when a dossier counts as received (see the module's rules).

    Args:
        received_at: When it arrived (naive = local time).
        calendar: The working calendar.
        cutoff: The procedure's cut-off time (e.g. 15:00), if any.

    Returns:
        The effective receipt, with notes explaining any move.

    Raises:
        CoverageError: If the date is outside the calendar's years.

    Examples:
        >>> cal = vietnam_calendar(years=[2024])
        >>> effective_receipt(datetime(2024, 1, 31, 15, 20), cal, cutoff=time(15)).date
        datetime.date(2024, 2, 1)
    """
    local = to_local(received_at)
    eff, start, reason = _receive(local, calendar, cutoff)
    notes = () if reason is None else (_receipt_note(reason, local, eff, calendar, cutoff),)
    return Receipt(received_at=local, date=eff, start_at=start, notes=notes)


PERIOD_UNITS = frozenset({TimeUnit.CALENDAR_DAYS, TimeUnit.WEEKS, TimeUnit.MONTHS})
"""Limits counted as Civil Code periods: every day counts, Art. 148 moves the last day."""


def period_last_day(eff: date, limit: TimeLimit) -> date:
    """The last day of a limit in calendar days, weeks or months, before Art. 148.

    The day of (effective) receipt is not counted: a limit of n days ends n days later,
    one of n weeks on the same weekday of the n-th week, one of n months on the same
    date of the n-th month, or that month's last day when it has no such date.

    Args:
        eff: The effective receipt date.
        limit: A limit in calendar days, weeks or months.

    Returns:
        The last day, which may be a day off (see :func:`due_date`).

    Examples:
        >>> period_last_day(date(2025, 1, 31), TimeLimit(value=1, unit="months"))
        datetime.date(2025, 2, 28)
        >>> period_last_day(date(2025, 1, 6), TimeLimit(value=2, unit="weeks"))
        datetime.date(2025, 1, 20)

    References:
        Civil Code 2015 Art. 147 (start), Art. 148 (end of a period in weeks and months).
    """
    # The rule core's period_last over a calendar of just the months the period spans.
    n = int(limit.value)
    first = eff.replace(day=1)
    span = (eff - first).days + 31 * (n + 2) + 7 * n
    ix = CalendarIndex.build(
        base=first.toordinal(),
        working=[False] * span,
        sessions=((0, 86400),),
        tick=1,
        months=month_tables(first.toordinal(), span),
    )
    last = law_period_last(ix, (eff - first).days, n, unit_code(limit.unit))
    return date.fromordinal(first.toordinal() + last)


def count_due(
    local: datetime,
    limit: TimeLimit,
    model: CountingModel,
    calendar: WorkCalendar,
    cutoff: time | None,
) -> tuple[LawReceipt, datetime]:
    """The effective receipt and the due instant, local, of a dossier received at ``local``.

    The one bridge from datetimes to the rule core's receipt and due rules
    (procflow.law.receipt, procflow.law.due): :func:`due_date` and the evaluation's clock
    (also when it restarts on a supplement) both count through it.

    Raises:
        CoverageError: If the receipt or the due date is outside the calendar's years.
    """
    r = _law_receipt(local, calendar, cutoff)
    try:
        ticks = law_due(calendar.law, r, limit.value, unit_code(limit.unit), model_code(model))
    except IndexError:
        raise calendar.coverage_error() from None
    return r, calendar.instant_of(ticks)


def _due_local(
    local: datetime,
    limit: TimeLimit,
    model: CountingModel,
    calendar: WorkCalendar,
    cutoff: time | None,
) -> datetime:
    """The due instant, local, of a dossier received at ``local`` (procflow.law.due)."""
    return count_due(local, limit, model, calendar, cutoff)[1]


class DueDate(BaseModel):
    """A due date and how it was reached.

    Attributes:
        receipt: The effective receipt.
        limit: The time limit applied.
        model: The counting model used.
        due_at: The due instant (close of office on the due day in the day model);
            naive or aware like the receipt time given.
        counted_days: The working days counted, in order (day model with working days).
        days_off: The days off skipped between receipt and due date, with their reasons.
        notes: The explanation, line by line.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    receipt: Receipt
    limit: TimeLimit
    model: CountingModel
    due_at: Instant
    counted_days: tuple[date, ...] = ()
    days_off: tuple[DayInfo, ...] = ()
    notes: tuple[Note, ...] = ()

    @property
    def due_day(self) -> date:
        """The due date."""
        return self.due_at.date()

    def explain(self, lang: Literal["vi", "en"] = "vi") -> str:
        """Return the explanation as text, one reason a line.

        Args:
            lang: ``"vi"`` for Vietnamese, ``"en"`` for English.
        """
        return "\n".join(note.text(lang) for note in self.notes)


def _receipt_line(received: datetime) -> Note:
    return Note(
        code="received",
        vi=f"Nhận hồ sơ lúc {received:%H:%M} {day_vi(received.date())}",
        en=f"Received at {received:%H:%M} on {day_en(received.date())}",
    )


def _days_off_between(calendar: WorkCalendar, first: date, last: date) -> tuple[DayInfo, ...]:
    """Days off in ``[first, last]``."""
    head = () if calendar.is_working_day(first) else (calendar.day_info(first),)
    return head + tuple(calendar.days_off(first, last)) if last > first else head


def explain_due_date(
    received_at: datetime,
    limit: TimeLimit,
    calendar: WorkCalendar,
    *,
    cutoff: time | None = None,
    model: CountingModel | None = None,
) -> DueDate:
    """Compute a due date with its explanation (see the module's rules).

    Args:
        received_at: When the complete, valid dossier was received (naive = local time).
        limit: The procedure's time limit.
        calendar: The working calendar.
        cutoff: The procedure's cut-off time, e.g. ``time(15)``: a dossier received after
            it counts as received on the next working day. None for no cut-off.
        model: The counting model; None chooses the default for ``limit``.

    Returns:
        The due date with the days counted and skipped and the notes explaining it.

    Raises:
        TimeLimitError: If ``model`` cannot count ``limit``.
        CoverageError: If a date involved is outside the calendar's years.

    Examples:
        >>> cal = vietnam_calendar(years=[2024])
        >>> limit = TimeLimit.parse("3 ngày làm việc")
        >>> due = explain_due_date(datetime(2024, 8, 29, 10), limit, cal)
        >>> print(due.explain("en"))  # doctest: +ELLIPSIS
        Received at 10:00 on Thursday 2024-08-29
        The day of receipt is not counted; 03 ngày làm việc counted from the next day
        Day 1: Friday 2024-08-30
        Skipped Saturday 2024-08-31: weekend
        Skipped Sunday 2024-09-01: weekend
        Skipped Monday 2024-09-02: National Day (public holiday) [Công văn 8662/VPCP-KGVX ...]
        Skipped Tuesday 2024-09-03: National Day (public holiday) [Công văn 8662/VPCP-KGVX ...]
        Day 2: Wednesday 2024-09-04
        Day 3: Thursday 2024-09-05
        Due at 17:00 on Thursday 2024-09-05
    """
    chosen = resolve_model(limit, model)
    receipt = effective_receipt(received_at, calendar, cutoff=cutoff)
    due_local = _due_local(receipt.received_at, limit, chosen, calendar, cutoff)
    notes = [_receipt_line(receipt.received_at), *receipt.notes]
    counted: tuple[date, ...] = ()
    if chosen is CountingModel.HOUR:
        hours = limit.hours(calendar.office_hours.day_hours)
        start = receipt.start_at
        notes.append(
            Note(
                code="hour_model",
                vi=f"Tính {hours:g} giờ làm việc từ {start:%H:%M} {day_vi(start.date())}",
                en=f"{hours:g} working hours counted from {start:%H:%M} on {day_en(start.date())}",
            )
        )
    elif chosen is CountingModel.CLOCK:
        start = receipt.start_at
        notes.append(
            Note(
                code="clock_model",
                vi=f"Tính {limit.value:g} giờ liên tục từ {start:%H:%M} {day_vi(start.date())}"
                " (Điều 144, 147 Bộ luật Dân sự 2015)",
                en=f"{limit.value:g} clock hours counted from {start:%H:%M} on "
                f"{day_en(start.date())} (Civil Code 2015 Art. 144, 147)",
            )
        )
    elif limit.unit is TimeUnit.SAME_DAY:
        notes.append(Note(code="same_day", vi="Giải quyết trong ngày", en="Same-day limit"))
    elif limit.unit in PERIOD_UNITS:
        last = period_last_day(receipt.date, limit)
        notes.append(
            Note(
                code=limit.unit.value,
                vi=f"Ngày nhận không tính; {limit} kết thúc vào {day_vi(last)}",
                en=f"The day of receipt is not counted; {limit.english()} end on {day_en(last)}",
            )
        )
        if due_local.date() != last:
            notes.append(
                Note(
                    code="last_day_off",
                    vi=f"Ngày cuối trùng ngày nghỉ, chuyển sang {day_vi(due_local.date())} "
                    "(Điều 148 Bộ luật Dân sự 2015)",
                    en=f"The last day is a day off; moved to {day_en(due_local.date())} "
                    "(Civil Code 2015 Art. 148)",
                )
            )
    else:
        n = int(limit.value)
        counted = tuple(calendar.add_working_days(receipt.date, k) for k in range(1, n + 1))
        notes.append(
            Note(
                code="day_model",
                vi=f"Ngày nhận không tính; {limit} tính từ ngày hôm sau",
                en=f"The day of receipt is not counted; {limit} counted from the next day",
            )
        )
    if chosen is CountingModel.CLOCK:
        days_off: tuple[DayInfo, ...] = ()
    elif limit.unit in PERIOD_UNITS:
        # Every calendar day counts; only a last day that is off moves the due date.
        last = period_last_day(receipt.date, limit)
        days_off = tuple(calendar.day_info(d) for d in _dates(last, due_local.date()))
    else:
        days_off = _days_off_between(calendar, receipt.received_at.date(), due_local.date())
    notes.extend(_day_lines(calendar, counted, days_off))
    notes.append(
        Note(
            code="due",
            vi=f"Hẹn trả kết quả lúc {due_local:%H:%M} {day_vi(due_local.date())}",
            en=f"Due at {due_local:%H:%M} on {day_en(due_local.date())}",
        )
    )
    return DueDate(
        receipt=receipt,
        limit=limit,
        model=chosen,
        due_at=like(due_local, received_at),
        counted_days=counted,
        days_off=days_off,
        notes=tuple(notes),
    )


def _dates(first: date, stop: date) -> list[date]:
    """The dates in ``[first, stop)``."""
    return [first + timedelta(days=k) for k in range((stop - first).days)]


def _counted_line(calendar: WorkCalendar, k: int, d: date) -> Note:
    info = calendar.day_info(d)
    if info.kind is DayKind.WORKING:
        return Note(code="counted", vi=f"Ngày {k}: {day_vi(d)}", en=f"Day {k}: {day_en(d)}")
    # A worked Saturday or an override: say why it counts.
    return Note(
        code="counted",
        vi=f"Ngày {k}: {day_vi(d)} ({info.label('vi')})",
        en=f"Day {k}: {day_en(d)} ({info.label('en')})",
    )


def _day_lines(
    calendar: WorkCalendar, counted: tuple[date, ...], days_off: tuple[DayInfo, ...]
) -> list[Note]:
    """Counted days and skipped days, merged in date order."""
    lines: list[tuple[date, Note]] = [
        (d, _counted_line(calendar, k, d)) for k, d in enumerate(counted, start=1)
    ]
    lines += [
        (
            info.date,
            Note(
                code=f"skipped_{info.kind.value}",
                vi=f"Bỏ qua {day_vi(info.date)}: {info.label('vi')}",
                en=f"Skipped {day_en(info.date)}: {info.label('en')}",
            ),
        )
        for info in days_off
    ]
    return [note for _, note in sorted(lines, key=lambda pair: pair[0])]


def due_date(
    received_at: datetime,
    limit: TimeLimit,
    calendar: WorkCalendar,
    *,
    cutoff: time | None = None,
    model: CountingModel | None = None,
) -> datetime:
    """Return the due date of a dossier as a datetime.

    The same computation as :func:`explain_due_date`, without the explanation.

    Args:
        received_at: When the complete, valid dossier was received (naive = local time).
        limit: The procedure's time limit.
        calendar: The working calendar.
        cutoff: The procedure's cut-off time, or None.
        model: The counting model; None chooses the default for ``limit``.

    Returns:
        The due instant, naive or aware like ``received_at``.

    Raises:
        TimeLimitError: If ``model`` cannot count ``limit``.
        CoverageError: If a date involved is outside the calendar's years.

    Examples:
        >>> cal = vietnam_calendar(years=[2024])
        >>> limit = TimeLimit.parse("02 ngày làm việc")
        >>> due_date(datetime(2024, 1, 31, 15, 20), limit, cal, cutoff=time(15))
        datetime.datetime(2024, 2, 5, 17, 0)
        >>> due_date(datetime(2024, 1, 31, 14, 50), limit, cal, cutoff=time(15))
        datetime.datetime(2024, 2, 2, 17, 0)

    References:
        Civil Code 2015 Art. 147–148; Decree 63/2024/NĐ-CP Art. 7 (15:00 cut-off).
    """
    chosen = limit.default_model if model is None else resolve_model(limit, model)
    local = received_at if received_at.tzinfo is None else to_local(received_at)
    due = _due_local(local, limit, chosen, calendar, cutoff)
    return due if received_at.tzinfo is None else like(due, received_at)
