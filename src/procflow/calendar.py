"""The Vietnamese public-sector working calendar.

A :class:`WorkCalendar` answers, for every date of the years it covers, whether public
offices work that day and why not, and counts working days and working hours over its
office hours. :func:`vietnam_calendar` builds one from the ``holidays`` package's Vietnam
data plus an override layer for decisions the package does not carry yet.

Precedence, applied per date (written down once, tested in ``tests/calendar``):

1. an override from the user (:class:`CalendarOverride`) beats everything below it;
   a date both declared off and declared working by overrides is a :class:`CalendarError`;
2. in the package data, an explicit working day (a swapped Saturday, ``weekend_workdays``)
   beats a holiday, which beats the weekend;
3. otherwise Monday to Friday are working days and Saturday and Sunday are not.

Times: a naive ``datetime`` means local time in Asia/Ho_Chi_Minh (UTC+07:00, no daylight
saving); an aware one is converted to it. Results keep the awareness of their input.
Working time is counted to the second.

References:
    Decision 188/1999/QĐ-TTg (five-day working week); Labor Code 2019 Art. 112 (public
    holidays, compensatory days); yearly Prime Minister's decisions and notices on swapped
    working days (hoán đổi ngày làm việc).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

import holidays as holidays_pkg
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from procflow.errors import CalendarError, CoverageError
from procflow.labels import LabelledEnum
from procflow.law.index import CalendarIndex

__all__ = [
    "DEFAULT_YEARS",
    "VN_TZ",
    "CalendarOverride",
    "DayInfo",
    "DayKind",
    "DecisionSource",
    "OfficeHours",
    "Session",
    "WorkCalendar",
    "builtin_decisions",
    "builtin_sources",
    "holiday_data_years",
    "load_overrides",
    "vietnam_calendar",
    "vietnam_now",
]

_TICK = 1_000_000
"""Rule-core ticks per second on the per-dossier path (microseconds)."""
_TICK_HOUR = 3600 * _TICK
_ONE_TICK = timedelta(microseconds=1)
_TICK_EPOCH = datetime(1970, 1, 1)

VN_TZ = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")
"""Vietnam's time zone, UTC+07:00 without daylight saving since 1975."""

DEFAULT_YEARS = range(2015, 2031)
"""Years :func:`vietnam_calendar` covers unless told otherwise."""

_SATURDAY = 5
_SUNDAY = 6

# Markers the holidays package puts in its Vietnamese names.
_COMPENSATORY_MARK = "(nghỉ bù"
_SWAP_PREFIX = "Ngày nghỉ (thay cho"
_CULTURE_DAY_PREFIX = "Ngày Văn hóa Việt Nam"
_SWAPPED_DATE = re.compile(r"thay cho ngày (\d{2}/\d{2}/\d{4})")


class DayKind(LabelledEnum):
    """Why a date is, or is not, a working day. Values are stable for serialisation."""

    @classmethod
    def labels(cls) -> Mapping[Any, tuple[str, str]]:
        """Each member's (Vietnamese, English) label."""
        return _KIND_LABELS

    WORKING = "working"
    """An ordinary Monday to Friday."""
    WEEKEND = "weekend"
    """An ordinary Saturday or Sunday."""
    HOLIDAY = "holiday"
    """A public holiday (ngày lễ, Tết)."""
    COMPENSATORY = "compensatory"
    """A compensatory day off for a holiday on a weekend (nghỉ bù)."""
    SWAPPED_DAY_OFF = "swapped_day_off"
    """A weekday given off in exchange for a worked Saturday (hoán đổi)."""
    SWAPPED_WORKDAY = "swapped_workday"
    """A Saturday or Sunday worked in exchange for a weekday off (làm bù)."""
    OVERRIDE_DAY_OFF = "override_day_off"
    """A day off declared by a :class:`CalendarOverride`."""
    OVERRIDE_WORKDAY = "override_workday"
    """A working day declared by a :class:`CalendarOverride`."""

    @property
    def is_working(self) -> bool:
        """Whether days of this kind are working days."""
        return self in _WORKING_KINDS


_WORKING_KINDS = frozenset({DayKind.WORKING, DayKind.SWAPPED_WORKDAY, DayKind.OVERRIDE_WORKDAY})

_KIND_LABELS: dict[DayKind, tuple[str, str]] = {
    DayKind.WORKING: ("ngày làm việc", "working day"),
    DayKind.WEEKEND: ("nghỉ cuối tuần", "weekend"),
    DayKind.HOLIDAY: ("ngày lễ", "public holiday"),
    DayKind.COMPENSATORY: ("nghỉ bù", "compensatory day off"),
    DayKind.SWAPPED_DAY_OFF: ("nghỉ do hoán đổi ngày làm việc", "day off by swap"),
    DayKind.SWAPPED_WORKDAY: ("làm bù do hoán đổi", "working day by swap"),
    DayKind.OVERRIDE_DAY_OFF: ("ngày nghỉ theo quyết định bổ sung", "extra day off"),
    DayKind.OVERRIDE_WORKDAY: ("ngày làm việc theo quyết định bổ sung", "extra working day"),
}


class DayInfo(BaseModel):
    """What a calendar knows about one date.

    Attributes:
        date: The date.
        kind: Why it is or is not a working day.
        name_vi: The holiday's or the decision's name in Vietnamese ("" for ordinary days).
        name_en: The same in English.
        source: The document an override comes from, if any.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    date: date
    kind: DayKind
    name_vi: str = ""
    name_en: str = ""
    source: str | None = None

    @property
    def is_working(self) -> bool:
        """Whether public offices work on this date."""
        return self.kind.is_working

    def label(self, lang: Literal["vi", "en"] = "vi") -> str:
        """Describe the day in one phrase, e.g. ``"Quốc khánh (ngày lễ)"``.

        Args:
            lang: ``"vi"`` for Vietnamese, ``"en"`` for English.

        Returns:
            The name (if any) followed by the kind in parentheses.
        """
        kind_vi, kind_en = self.kind.label("vi"), self.kind.label("en")
        name, kind = (self.name_vi, kind_vi) if lang == "vi" else (self.name_en, kind_en)
        name = name or (self.name_vi if lang == "en" else self.name_en)
        text = f"{name} ({kind})" if name else kind
        if self.source:
            text += f" [{self.source}]"
        return text


class CalendarOverride(BaseModel):
    """An extra day off or extra working day, with the document it comes from.

    Use it to apply a government or provincial decision that the ``holidays`` package does
    not carry yet. Overrides beat the package data (see the module's precedence).

    Attributes:
        date: The date concerned.
        kind: ``"day_off"`` or ``"working_day"``.
        name_vi: What the day is, in Vietnamese (e.g. "Nghỉ Tết Dương lịch (hoán đổi)").
        name_en: The same in English (optional).
        source: The document that decides it, e.g. "Thông báo 6150/TB-BLĐTBXH". Required.

    Examples:
        >>> CalendarOverride(date=date(2030, 1, 2), kind="day_off",
        ...                  name_vi="Nghỉ hoán đổi", source="QĐ 123/QĐ-TTg").kind
        'day_off'
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    date: date
    kind: Literal["day_off", "working_day"]
    name_vi: str = Field(min_length=1)
    name_en: str = ""
    source: str = Field(min_length=1)


class DecisionSource(BaseModel):
    """The Government document behind days the ``holidays`` package already has right.

    A source annotation, never a day: :func:`vietnam_calendar` writes ``document`` into the
    :attr:`DayInfo.source` of each of ``dates`` the calendar already gives the status
    ``working``, before the Labour Code article behind the day. A date whose status differs
    (the package lacks the decision) is left alone; that case belongs in the shipped
    decisions (``[[override]]``), and a test checks that none is left.

    Attributes:
        occasion: What the document decided, in Vietnamese (e.g. "Tết Nguyên đán 2019").
        working: Whether the listed dates are working days (a worked Saturday) or days off.
        dates: The dates the document decided.
        document: The document: number, date issued, issuer and who it applies to.

    Examples:
        >>> DecisionSource(occasion="Tết 2019", working=False, dates=[date(2019, 2, 4)],
        ...                document="Công văn 6519/VPCP-KGVX ngày 11/7/2018").dates
        (datetime.date(2019, 2, 4),)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    occasion: str = Field(min_length=1)
    working: bool
    dates: tuple[date, ...] = Field(min_length=1)
    document: str = Field(min_length=1)


class Session(BaseModel):
    """One office session of a day, e.g. 08:00–12:00."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: time
    end: time

    @model_validator(mode="after")
    def _ordered(self) -> Session:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError(f"office session {self} must use local times without a time zone")
        if not self.start < self.end:
            raise ValueError(
                f"office session must start before it ends, got {self.start}–{self.end}"
            )
        return self

    def __str__(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


def _default_sessions() -> tuple[Session, ...]:
    return (
        Session(start=time(8, 0), end=time(12, 0)),
        Session(start=time(13, 0), end=time(17, 0)),
    )


class OfficeHours(BaseModel):
    """Office hours of the receiving and processing offices.

    Attributes:
        sessions: The sessions of a working day, in order, not overlapping. Default
            08:00–12:00 and 13:00–17:00 (Hà Nội); Hồ Chí Minh City uses 07:30–11:30 and
            13:00–17:00. Their total is the length of a working day (8 hours by default).
        saturday_sessions: Reception hours on ordinary Saturdays, for centres that receive
            on Saturday mornings (empty by default). A dossier received then counts as
            received that Saturday; Saturday itself is still not a counted working day.

    Examples:
        >>> OfficeHours.parse("07:30-11:30, 13:00-17:00").day_hours
        8.0
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    sessions: tuple[Session, ...] = Field(default_factory=_default_sessions, min_length=1)
    saturday_sessions: tuple[Session, ...] = ()

    @field_validator("sessions", "saturday_sessions")
    @classmethod
    def _not_overlapping(cls, value: tuple[Session, ...]) -> tuple[Session, ...]:
        for before, after in pairwise(value):
            if after.start < before.end:
                raise ValueError(
                    f"office sessions {before} and {after} overlap or are out of order"
                )
        return value

    @classmethod
    def parse(cls, text: str, saturday: str = "") -> OfficeHours:
        """Read office hours written as ``"08:00-12:00, 13:00-17:00"``.

        Args:
            text: The sessions of a working day, separated by commas.
            saturday: The Saturday reception sessions, same form, or "" for none.

        Returns:
            The office hours.

        Raises:
            CalendarError: If a session is not of the form ``HH:MM-HH:MM``.
        """
        return cls(sessions=_parse_sessions(text), saturday_sessions=_parse_sessions(saturday))

    @property
    def opening(self) -> time:
        """When the first session of a working day starts."""
        return self.sessions[0].start

    @property
    def closing(self) -> time:
        """When the last session of a working day ends."""
        return self.sessions[-1].end

    @property
    def day_seconds(self) -> int:
        """Working seconds in one working day."""
        return sum(_seconds(s.end) - _seconds(s.start) for s in self.sessions)

    @property
    def day_hours(self) -> float:
        """Working hours in one working day (8.0 by default)."""
        return self.day_seconds / 3600


def _parse_sessions(text: str) -> tuple[Session, ...]:
    sessions = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        try:
            start, end = (time.fromisoformat(x.strip()) for x in part.replace("–", "-").split("-"))
            sessions.append(Session(start=start, end=end))
        except ValueError as exc:
            raise CalendarError(f"cannot read office session {part!r}: {exc}") from exc
    return tuple(sessions)


def _seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def clock_ticks(t: time) -> int:
    """A time of day as rule-core ticks after midnight (microseconds)."""
    return (t.hour * 3600 + t.minute * 60 + t.second) * _TICK + t.microsecond


def _time_of(seconds: int) -> time:
    if seconds >= 86400:
        return time(23, 59, 59)
    hours, rest = divmod(seconds, 3600)
    return time(hours, rest // 60, rest % 60)


MonthTables = tuple[list[int], list[int], list[int], list[int]]
"""``(month, mday, month_start, month_days)``: the rule core's tables for weeks and months."""


def month_tables(base: int, n: int) -> MonthTables:
    """The month tables of ``n`` days from ordinal ``base``, the first day of a month.

    ``month[i]`` numbers the months from 0, ``mday[i]`` is the day of the month,
    ``month_start[m]`` and ``month_days[m]`` the first day index and length of month ``m``
    (:class:`procflow.law.index.CalendarIndex`).

    Examples:
        >>> month, mday, start, days = month_tables(date(2025, 1, 1).toordinal(), 59)
        >>> start, days, month[31], mday[31]
        ([0, 31], [31, 28], 1, 1)
    """
    month: list[int] = []
    mday: list[int] = []
    month_start: list[int] = []
    month_days: list[int] = []
    for i in range(n):
        day = date.fromordinal(base + i)
        if day.day == 1:
            month_start.append(i)
            if month_start[-1] != 0:
                month_days.append(i - month_start[-2])
        month.append(len(month_start) - 1)
        mday.append(day.day)
    month_days.append(n - month_start[-1])
    return month, mday, month_start, month_days


def local_ticks(t: datetime) -> int:
    """An instant as rule-core ticks: microseconds since 1970-01-01, Vietnam local time.

    Naive instants are Vietnam local time already; aware ones are converted first. No range
    check: :meth:`WorkCalendar.ticks` adds the calendar's.

    Examples:
        >>> local_ticks(datetime(1970, 1, 2))
        86400000000
    """
    return (to_local(t) - _TICK_EPOCH) // _ONE_TICK


def to_local(t: datetime) -> datetime:
    """Return ``t`` as a naive local (Asia/Ho_Chi_Minh) datetime.

    Args:
        t: A naive datetime (already local) or an aware one (converted).

    Returns:
        The naive local datetime.

    Examples:
        >>> to_local(datetime(2024, 1, 31, 8, 20, tzinfo=timezone.utc))
        datetime.datetime(2024, 1, 31, 15, 20)
    """
    if t.tzinfo is None:
        return t
    return t.astimezone(VN_TZ).replace(tzinfo=None)


def vietnam_now() -> datetime:
    """Now, in Vietnam time (aware, UTC+07:00), whatever the machine's own time zone.

    The default ``as_of`` of the command line and the HTTP service: "today" at a one-stop
    office is Vietnam's today, also on a server that runs in UTC.

    Examples:
        >>> vietnam_now().utcoffset()
        datetime.timedelta(seconds=25200)
    """
    return datetime.now(VN_TZ)


def like(local: datetime, template: datetime) -> datetime:
    """Give a naive local datetime the awareness of ``template``."""
    return local if template.tzinfo is None else local.replace(tzinfo=VN_TZ)


class WorkCalendar:
    """Working days and working hours of Vietnamese public offices over a range of years.

    Build one with :func:`vietnam_calendar` and pass it to every computation: procflow
    keeps no calendar of its own. A calendar is immutable and safe to share between
    threads. Every query about a date outside ``first_year..last_year`` raises
    :class:`~procflow.CoverageError`.

    Args:
        first_year: First year covered.
        last_year: Last year covered.
        special_days: Every date that is not an ordinary weekday or weekend day.
        office_hours: The office hours (default 08:00–12:00, 13:00–17:00).

    Attributes:
        first_year: First year covered.
        last_year: Last year covered.
        office_hours: The office hours.
        opening: When offices open on a working day (``office_hours.opening``).
        closing: When offices close on a working day (``office_hours.closing``).

    Examples:
        >>> cal = vietnam_calendar(years=range(2024, 2026))
        >>> cal.is_working_day(date(2024, 9, 2))
        False
        >>> cal.add_working_days(date(2024, 8, 29), 3)
        datetime.date(2024, 9, 5)
        >>> cal.count_working_days(date(2024, 8, 29), date(2024, 9, 5))
        3
    """

    __slots__ = (
        "_base",
        "_cum",
        "_day_len",
        "_end",
        "_law",
        "_law_arrays",
        "_sessions",
        "_special",
        "_workdays",
        "closing",
        "first_year",
        "last_year",
        "office_hours",
        "opening",
    )

    def __init__(
        self,
        first_year: int,
        last_year: int,
        special_days: Iterable[DayInfo] = (),
        office_hours: OfficeHours | None = None,
    ) -> None:
        if first_year > last_year:
            raise CalendarError(f"calendar years run backwards: {first_year} > {last_year}")
        if first_year < 1 or last_year > 9998:
            raise CalendarError(
                f"calendar years {first_year}–{last_year} are out of range: years run 1–9998"
            )
        self.first_year = first_year
        self.last_year = last_year
        self.office_hours = office_hours or OfficeHours()
        special: dict[date, DayInfo] = {}
        for info in special_days:
            if not first_year <= info.date.year <= last_year:
                continue
            if info.date in special and special[info.date] != info:
                raise CalendarError(
                    f"{info.date}: given twice, as {special[info.date].kind} and {info.kind}"
                )
            special[info.date] = info
        self._special = special
        self._base = date(first_year, 1, 1).toordinal()
        self._end = date(last_year, 12, 31).toordinal() + 1
        workdays: list[int] = []
        # cum[i] = working days strictly before day i, so (a, b] counts cum[b+1] - cum[a+1].
        cum = [0]
        for ordinal in range(self._base, self._end):
            day = date.fromordinal(ordinal)
            if self._kind(day).is_working:
                workdays.append(ordinal)
            cum.append(len(workdays))
        self._workdays: tuple[int, ...] = tuple(workdays)
        self._cum: tuple[int, ...] = tuple(cum)
        self._sessions = tuple(
            (_seconds(s.start), _seconds(s.end)) for s in self.office_hours.sessions
        )
        self._day_len = self.office_hours.day_seconds
        self.opening = self.office_hours.opening
        self.closing = self.office_hours.closing
        self._law = self._index_of(workdays)
        self._law_arrays: CalendarIndex | None = None

    def _index_of(self, workdays: list[int]) -> CalendarIndex:
        """The calendar as integers for the rule core (microsecond ticks)."""
        n = self._end - self._base
        working = [False] * n
        for ordinal in workdays:
            working[ordinal - self._base] = True
        saturday = [
            day.weekday() == _SATURDAY and self._kind(day) is DayKind.WEEKEND
            for day in map(date.fromordinal, range(self._base, self._end))
        ]
        return CalendarIndex.build(
            base=self._base,
            working=working,
            sessions=self._sessions,
            tick=_TICK,
            saturday=[
                (_seconds(s.start), _seconds(s.end)) for s in self.office_hours.saturday_sessions
            ],
            regular_saturday=saturday,
            months=month_tables(self._base, n),
        )

    @property
    def law(self) -> CalendarIndex:
        """The calendar as integers, for the rule core (:mod:`procflow.law`).

        Instants are microsecond ticks since 1970-01-01 local time; see :meth:`ticks`.
        """
        return self._law

    @property
    def law_arrays(self) -> CalendarIndex:
        """:attr:`law` as numpy tables with second ticks, for the columnar path (built once)."""
        if self._law_arrays is None:
            self._law_arrays = self._law.arrays()
        return self._law_arrays

    def ticks(self, t: datetime) -> int:
        """The local instant ``t`` as rule-core ticks (microseconds since 1970-01-01).

        Raises:
            CoverageError: If ``t`` is outside the covered years.
        """
        self._index(t.date())
        return local_ticks(t)

    def instant_of(self, ticks: int) -> datetime:
        """The local datetime of rule-core ticks (the inverse of :meth:`ticks`)."""
        return _TICK_EPOCH + timedelta(microseconds=ticks)

    def day_of_index(self, i: int) -> date:
        """The date of a rule-core day index.

        Raises:
            CoverageError: If the day is outside the covered years.
        """
        if not 0 <= i < self._end - self._base:
            raise self.coverage_error()
        return date.fromordinal(self._base + i)

    def coverage_error(self) -> CoverageError:
        """The error for a result outside the covered years."""
        return CoverageError(
            f"the result lies outside the calendar's years {self.first_year}–{self.last_year}; "
            "build the calendar with the years you need"
        )

    def __repr__(self) -> str:
        hours = ", ".join(map(str, self.office_hours.sessions))
        return (
            f"WorkCalendar({self.first_year}–{self.last_year}, "
            f"{len(self._special)} special days, hours {hours})"
        )

    # -- dates ---------------------------------------------------------------------------

    def _kind(self, day: date) -> DayKind:
        info = self._special.get(day)
        if info is not None:
            return info.kind
        return DayKind.WEEKEND if day.weekday() >= _SATURDAY else DayKind.WORKING

    def _index(self, day: date) -> int:
        ordinal = day.toordinal()
        if not self._base <= ordinal < self._end:
            raise CoverageError(
                f"{day.isoformat()} is outside the calendar's years "
                f"{self.first_year}–{self.last_year}; build the calendar with the years you need"
            )
        return ordinal - self._base

    def covers(self, day: date) -> bool:
        """Tell whether ``day`` lies in the years this calendar covers."""
        return self._base <= day.toordinal() < self._end

    def day_info(self, day: date) -> DayInfo:
        """Describe ``day``: working or not, and why.

        Args:
            day: A date in the covered years.

        Returns:
            The day's kind with the holiday's or decision's names and source.

        Raises:
            CoverageError: If ``day`` is outside the covered years.

        Examples:
            >>> vietnam_calendar(years=[2024]).day_info(date(2024, 5, 4)).kind
            <DayKind.SWAPPED_WORKDAY: 'swapped_workday'>
        """
        self._index(day)
        return self._special.get(day) or DayInfo(date=day, kind=self._kind(day))

    def is_working_day(self, day: date) -> bool:
        """Tell whether public offices work on ``day``.

        Args:
            day: A date in the covered years.

        Returns:
            True on ordinary weekdays and swapped working Saturdays; False on weekends,
            holidays, compensatory and swapped days off.

        Raises:
            CoverageError: If ``day`` is outside the covered years.
        """
        i = self._index(day)
        return self._cum[i + 1] != self._cum[i]

    def add_working_days(self, day: date, n: int) -> date:
        """Return the ``n``-th working day strictly after ``day``.

        ``day`` itself is never counted (Civil Code 2015 Art. 147: the day of receipt is
        not counted), whether or not it is a working day. A negative ``n`` counts
        backwards: the ``|n|``-th working day strictly before ``day``. ``n == 0`` returns
        ``day`` unchanged.

        Args:
            day: The date counting starts after.
            n: How many working days to move.

        Returns:
            The working day reached.

        Raises:
            CoverageError: If ``day`` or the result is outside the covered years.

        Examples:
            >>> cal = vietnam_calendar(years=[2024])
            >>> cal.add_working_days(date(2024, 1, 31), 2)  # Thu 1/2, Fri 2/2
            datetime.date(2024, 2, 2)
            >>> cal.add_working_days(date(2024, 5, 3), 1)  # Saturday 4/5 is worked
            datetime.date(2024, 5, 4)
        """
        i = self._index(day)
        if n == 0:
            return day
        # Index into the sorted working days: n-th after, or |n|-th before.
        k = self._law.nth(i, n)
        if k < 0 or k >= len(self._workdays):
            direction = "after" if n > 0 else "before"
            raise CoverageError(
                f"the {abs(n)}-th working day {direction} {day.isoformat()} is outside the "
                f"calendar's years {self.first_year}–{self.last_year}"
            )
        return date.fromordinal(self._workdays[k])

    def count_working_days(self, start: date, end: date) -> int:
        """Count the working days in ``(start, end]``: after ``start``, up to ``end``.

        This is the inverse of :meth:`add_working_days`:
        ``count_working_days(d, add_working_days(d, n)) == n`` for every ``n``. If ``end``
        is before ``start`` the count is negative: minus the working days in
        ``[end, start)``, which keeps that inverse for backward shifts.

        Args:
            start: The day after which counting begins (not counted).
            end: The last day counted.

        Returns:
            The number of working days.

        Raises:
            CoverageError: If either date is outside the covered years.
        """
        count: int = self._law.count_days(self._index(start), self._index(end))
        return count

    def next_working_day(self, day: date) -> date:
        """Return the first working day on or after ``day``.

        Raises:
            CoverageError: If ``day`` or the result is outside the covered years.
        """
        return day if self.is_working_day(day) else self.add_working_days(day, 1)

    def days_off(self, start: date, end: date) -> list[DayInfo]:
        """List the days off in ``(start, end]`` with why each is off.

        Raises:
            CoverageError: If either date is outside the covered years.
        """
        self._index(start)
        self._index(end)
        out = []
        day = start + timedelta(days=1)
        while day <= end:
            info = self.day_info(day)
            if not info.is_working:
                out.append(info)
            day += timedelta(days=1)
        return out

    def special_days(self, start: date, end: date) -> list[DayInfo]:
        """List the days in ``[start, end]`` that are not ordinary weekdays or weekend days.

        These are holidays, compensatory and swapped days, and overrides: what an
        explanation or a published schedule shows.
        """
        return sorted(
            (info for d, info in self._special.items() if start <= d <= end), key=lambda i: i.date
        )

    @property
    def working_ordinals(self) -> Sequence[int]:
        """The proleptic ordinals of every working day covered, ascending (for bulk work)."""
        return self._workdays

    @property
    def first_ordinal(self) -> int:
        """The proleptic ordinal of the first day covered (1 January of ``first_year``)."""
        return self._base

    @property
    def working_day_counts(self) -> Sequence[int]:
        """Prefix counts for bulk work: item ``i`` is the number of working days before day ``i``.

        Day ``i`` is ``first_ordinal + i``; the sequence has one more item than days covered.
        """
        return self._cum

    @property
    def session_seconds(self) -> Sequence[tuple[int, int]]:
        """The office sessions of a working day as (start, end) seconds after midnight."""
        return self._sessions

    # -- hours ---------------------------------------------------------------------------

    def is_regular_saturday(self, day: date) -> bool:
        """Tell whether ``day`` is an ordinary Saturday: not worked, not a holiday."""
        return day.weekday() == _SATURDAY and self._kind(day) is DayKind.WEEKEND

    def _position(self, t: datetime) -> int:
        """Working ticks from the start of the calendar to the local instant ``t``."""
        position: int = self._law.position(self.ticks(t))
        return position

    def _instant(self, position: int) -> datetime:
        """Earliest local instant at which ``position`` working ticks have passed."""
        try:
            return self.instant_of(self._law.instant(position))
        except IndexError:
            raise self.coverage_error() from None

    def add_working_hours(self, t: datetime, hours: float) -> datetime:
        """Return the earliest instant at which ``hours`` working hours after ``t`` have passed.

        Only office hours of working days count. Starting outside office hours counts from
        the next opening; a result that falls exactly at the end of a working day is that
        day's closing time, not the next opening.

        Args:
            t: The start (naive = local time).
            hours: Working hours to add, zero or more.

        Returns:
            The instant reached, naive or aware like ``t``.

        Raises:
            ValueError: If ``hours`` is negative.
            CoverageError: If ``t`` or the result is outside the covered years.

        Examples:
            >>> cal = vietnam_calendar(years=[2024])
            >>> cal.add_working_hours(datetime(2024, 8, 30, 15, 0), 4)  # over National Day
            datetime.datetime(2024, 9, 4, 10, 0)
            >>> cal.add_working_hours(datetime(2024, 8, 30, 9, 0), 8)
            datetime.datetime(2024, 9, 4, 9, 0)
        """
        if hours < 0:
            raise ValueError(f"working hours to add must not be negative, got {hours}")
        if hours == 0:
            return t
        local = to_local(t)
        return like(self._instant(self._position(local) + round(hours * 3600) * _TICK), t)

    def working_hours_between(self, start: datetime, end: datetime) -> float:
        """Count the working hours between two instants (negative if ``end`` is earlier).

        Args:
            start: The first instant (naive = local time).
            end: The second instant.

        Returns:
            Working hours, to the second, as a float.

        Raises:
            CoverageError: If either instant is outside the covered years.

        Examples:
            >>> cal = vietnam_calendar(years=[2024])
            >>> cal.working_hours_between(datetime(2024, 8, 30, 15, 0), datetime(2024, 9, 4, 11, 0))
            5.0
        """
        return (self._position(to_local(end)) - self._position(to_local(start))) / _TICK_HOUR

    def opening_at(self, day: date) -> datetime:
        """Return the local datetime at which offices open on ``day``."""
        return datetime.combine(day, self.opening)

    def closing_at(self, day: date) -> datetime:
        """Return the local datetime at which offices close on ``day``."""
        return datetime.combine(day, self.closing)


@cache
def holiday_data_years() -> range:
    """The years the installed ``holidays`` package has Vietnamese holiday data for.

    Examples:
        >>> 2025 in holiday_data_years()
        True
    """
    vietnam = holidays_pkg.country_holidays("VN")
    return range(int(vietnam.start_year), int(vietnam.end_year) + 1)


PACKAGE_SOURCES: dict[DayKind, str] = {
    DayKind.HOLIDAY: "Bộ luật Lao động 2019, Điều 112 khoản 1",
    DayKind.COMPENSATORY: "Bộ luật Lao động 2019, Điều 111 khoản 3",
    DayKind.SWAPPED_DAY_OFF: "Bộ luật Lao động 2019, Điều 112 khoản 3 (hoán đổi ngày làm việc)",
    DayKind.SWAPPED_WORKDAY: "Bộ luật Lao động 2019, Điều 112 khoản 3 (hoán đổi ngày làm việc)",
}
"""The legal basis of the days the ``holidays`` package carries from 2021, by kind: the
holidays (Art. 112(1)), the compensatory day for a holiday on a weekly rest day (Art.
111(3)), and the yearly swaps bridging Tết and National Day (Art. 112(3): the Prime
Minister decides)."""
PACKAGE_SOURCES_2012: dict[DayKind, str] = {
    DayKind.HOLIDAY: "Bộ luật Lao động 2012, Điều 115 khoản 1",
    DayKind.COMPENSATORY: "Bộ luật Lao động 2012, Điều 115 khoản 3",
    DayKind.SWAPPED_DAY_OFF: "hoán đổi ngày làm việc do Thủ tướng Chính phủ quyết định",
    DayKind.SWAPPED_WORKDAY: "hoán đổi ngày làm việc do Thủ tướng Chính phủ quyết định",
}
"""The same for the years before 2021, under the Labour Code 2012 (in force 1/5/2013 to
31/12/2020): holidays Art. 115(1), compensatory days Art. 115(3); that code has no article
on swaps, which the Prime Minister decided year by year."""
LABOUR_CODE_2019_FROM = 2021
"""The first year the Labour Code 2019 governs (in force 1 January 2021)."""
_CULTURE_DAY_SOURCE = "Nghị quyết 80-NQ/TW (Ngày Văn hóa Việt Nam 24/11, từ 2026)"
"""The legal basis procflow gives 24 November, Vietnam Culture Day."""


def package_source(kind: DayKind, year: int) -> str:
    """The legal basis of a day of the ``holidays`` package, by its kind and year.

    Args:
        kind: A holiday, compensatory or swapped kind.
        year: The day's year: the Labour Code 2019 from 2021, the Labour Code 2012 before.

    Returns:
        The article (or, for swaps before 2021, the Prime Minister's decision).

    Examples:
        >>> package_source(DayKind.COMPENSATORY, 2026)
        'Bộ luật Lao động 2019, Điều 111 khoản 3'
        >>> package_source(DayKind.COMPENSATORY, 2017)
        'Bộ luật Lao động 2012, Điều 115 khoản 3'
    """
    table = PACKAGE_SOURCES if year >= LABOUR_CODE_2019_FROM else PACKAGE_SOURCES_2012
    return table[kind]


def _package_days(years: Sequence[int], culture_day: bool) -> Iterator[DayInfo]:
    known = holiday_data_years()
    years = [y for y in years if y in known]
    if not years:
        return
    names_vi = holidays_pkg.country_holidays("VN", years=years, language="vi")
    names_en = holidays_pkg.country_holidays("VN", years=years, language="en_US")
    for day, name_vi in sorted(names_vi.items()):
        if not culture_day and name_vi.startswith(_CULTURE_DAY_PREFIX):
            continue
        name_en = names_en.get(day, "")
        if _COMPENSATORY_MARK in name_vi:
            kind = DayKind.COMPENSATORY
        elif name_vi.startswith(_SWAP_PREFIX):
            kind = DayKind.SWAPPED_DAY_OFF
        else:
            kind = DayKind.HOLIDAY
        source = (
            _CULTURE_DAY_SOURCE
            if name_vi.startswith(_CULTURE_DAY_PREFIX) and kind is DayKind.HOLIDAY
            else package_source(kind, day.year)
        )
        yield DayInfo(date=day, kind=kind, name_vi=name_vi, name_en=name_en, source=source)
    # The swapped day off names the Saturday worked for it: "... (thay cho ngày 04/05/2024)".
    swapped_for = {
        datetime.strptime(match.group(1), "%d/%m/%Y").date(): day
        for day, name in names_vi.items()
        if (match := _SWAPPED_DATE.search(name))
    }
    first, last = min(years), max(years)
    for day in sorted(names_vi.weekend_workdays):
        # The package lists swapped Saturdays of every year it knows; keep ours.
        if first <= day.year <= last:
            off = swapped_for.get(day)
            yield DayInfo(
                date=day,
                kind=DayKind.SWAPPED_WORKDAY,
                name_vi=f"Làm bù cho ngày nghỉ {off:%d/%m/%Y}" if off else "",
                name_en=f"Worked in exchange for {off.isoformat()}" if off else "",
                source=package_source(DayKind.SWAPPED_WORKDAY, day.year),
            )


def vietnam_calendar(
    years: Iterable[int] = DEFAULT_YEARS,
    *,
    overrides: Iterable[CalendarOverride] = (),
    office_hours: OfficeHours | None = None,
    culture_day: bool = True,
    decisions: bool = True,
    allow_missing_holidays: bool = False,
) -> WorkCalendar:
    """Build the working calendar of Vietnamese public offices.

    Holidays, compensatory days and swapped days come from the ``holidays`` package
    (country ``"VN"``), with their Vietnamese and English names; ``overrides`` apply later
    decisions on top (see the module's precedence). The calendar covers the whole years
    from ``min(years)`` to ``max(years)``.

    Args:
        years: The years to cover (default 2015–2030). Dates outside raise
            :class:`~procflow.CoverageError`.
        overrides: Extra days off and working days, each with its source document.
        office_hours: Office hours (default 08:00–12:00 and 13:00–17:00).
        culture_day: Whether 24 November, Vietnam Culture Day (from 2026, Resolution
            80-NQ/TW), is a day off, with its compensatory day. On by default.
        decisions: Whether to apply the Government decisions procflow ships
            (:func:`builtin_decisions`, e.g. Official Letter 12729/VPCP-KGVX: Friday
            2/1/2026 off, Saturday 10/1/2026 worked). On by default; ``overrides`` beat them.
        allow_missing_holidays: Whether years the ``holidays`` package has no Vietnamese
            data for (see :func:`holiday_data_years`) may be covered anyway, with weekends,
            ``overrides`` and shipped decisions only. Off by default: such a calendar
            would count Tết as working days without a word.

    Returns:
        The calendar.

    Raises:
        CalendarError: If ``years`` is empty or out of range, a year has no holiday data
            (unless allowed), or an override contradicts another.

    Examples:
        >>> cal = vietnam_calendar(years=range(2024, 2028))
        >>> cal.day_info(date(2024, 4, 29)).kind  # off, worked on Saturday 4/5
        <DayKind.SWAPPED_DAY_OFF: 'swapped_day_off'>
        >>> cal.is_working_day(date(2026, 11, 24))
        False
        >>> vietnam_calendar(years=[2026], culture_day=False).is_working_day(date(2026, 11, 24))
        True

    References:
        Labor Code 2019 Art. 112; Decision 188/1999/QĐ-TTg; Resolution 80-NQ/TW (2026).
    """
    year_list = sorted(set(years))
    if not year_list:
        raise CalendarError("a calendar needs at least one year")
    span = list(range(year_list[0], year_list[-1] + 1))
    if span[0] < 1 or span[-1] > 9998:
        raise CalendarError(
            f"calendar years {span[0]}–{span[-1]} are out of range: years run 1–9998"
        )
    known = holiday_data_years()
    if not allow_missing_holidays and (span[0] < known.start or span[-1] >= known.stop):
        raise CalendarError(
            f"calendar years {span[0]}–{span[-1]}: the holidays package has Vietnamese "
            f"holiday data for {known.start}–{known.stop - 1} only; choose years inside it, "
            "or allow the other years explicitly (allow_missing_holidays=True, "
            "--allow-missing-holidays) with their days off as overrides"
        )
    days = {info.date: info for info in _package_days(span, culture_day)}
    for decision in builtin_decisions() if decisions else ():
        package = days.get(decision.date)
        off = decision.kind == "day_off"
        if not span[0] <= decision.date.year <= span[-1]:
            continue
        if package is not None and (not package.kind.is_working) == off:
            continue  # the package carries it already: counted once
        days[decision.date] = DayInfo(
            date=decision.date,
            kind=DayKind.OVERRIDE_DAY_OFF if off else DayKind.OVERRIDE_WORKDAY,
            name_vi=decision.name_vi,
            name_en=decision.name_en,
            source=decision.source,
        )
    for entry in builtin_sources() if decisions else ():
        for day in entry.dates:
            info = days.get(day)
            if info is None or info.is_working != entry.working or info.kind in _OVERRIDE_KINDS:
                continue  # not the package's day, or not as the document says: no annotation
            basis = f"{entry.document}; {info.source}" if info.source else entry.document
            days[day] = info.model_copy(update={"source": basis})
    overridden: dict[date, CalendarOverride] = {}
    for override in overrides:
        earlier = overridden.get(override.date)
        if earlier is not None and earlier.kind != override.kind:
            raise CalendarError(
                f"{override.date}: declared {earlier.kind} by {earlier.source!r} "
                f"and {override.kind} by {override.source!r}"
            )
        overridden[override.date] = override
        kind = DayKind.OVERRIDE_DAY_OFF if override.kind == "day_off" else DayKind.OVERRIDE_WORKDAY
        days[override.date] = DayInfo(
            date=override.date,
            kind=kind,
            name_vi=override.name_vi,
            name_en=override.name_en,
            source=override.source,
        )
    return WorkCalendar(span[0], span[-1], days.values(), office_hours)


@cache
def builtin_decisions() -> tuple[CalendarOverride, ...]:
    """Return the Government decisions procflow applies by default, with their sources.

    Read from the package's ``data/decisions.toml``: days off and worked Saturdays decided
    after, or missing from, the ``holidays`` package's data.

    Examples:
        >>> [d.date.isoformat() for d in builtin_decisions()][:2]
        ['2026-01-02', '2026-01-10']

    References:
        Official Letter 12729/VPCP-KGVX of 25/12/2025 (New Year 2026).
    """
    # Read once per process: the file is package data and the overrides are frozen values.
    return tuple(_overrides_of(_decisions_data(), _DECISIONS_PATH))


@cache
def builtin_sources() -> tuple[DecisionSource, ...]:
    """Return the documents behind days the ``holidays`` package already has right.

    Read from the ``[[source]]`` tables of the package's ``data/decisions.toml``; applied
    by :func:`vietnam_calendar` (with ``decisions=True``) as source annotations only.

    Raises:
        CalendarError: If an entry is invalid; the message names the file and the entry.

    Examples:
        >>> [s.document.split(" ngày ")[0] for s in builtin_sources()][:2]
        ['Công văn 9794/VPCP-KGVX', 'Công văn 6519/VPCP-KGVX']
    """
    entries = _decisions_data().get("source", [])
    if not isinstance(entries, list):
        raise CalendarError(f"{_DECISIONS_PATH}: 'source' must be a list of [[source]] tables")
    out = []
    for number, entry in enumerate(entries, start=1):
        try:
            out.append(DecisionSource.model_validate(entry))
        except ValidationError as exc:
            raise CalendarError(f"{_DECISIONS_PATH}: source #{number}: {_problems(exc)}") from exc
    return tuple(out)


_DECISIONS_PATH = "procflow/data/decisions.toml"
_OVERRIDE_KINDS = frozenset({DayKind.OVERRIDE_DAY_OFF, DayKind.OVERRIDE_WORKDAY})


@cache
def _decisions_data() -> dict[str, Any]:
    """The parsed ``data/decisions.toml`` shipped with the package."""
    text = resources.files("procflow").joinpath("data/decisions.toml").read_text("utf-8")
    return tomllib.loads(text)


def _problems(exc: ValidationError) -> str:
    """A pydantic error as ``field: message; ...``."""
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'entry'}: {e['msg']}" for e in exc.errors())


def load_overrides(path: str | Path) -> list[CalendarOverride]:
    """Read calendar overrides from a TOML file.

    The file lists ``[[override]]`` tables with the fields of :class:`CalendarOverride`::

        [[override]]
        date = 2030-01-02
        kind = "day_off"
        name_vi = "Nghỉ Tết Dương lịch (hoán đổi)"
        source = "Thông báo 123/TB-BNV"

    Args:
        path: The TOML file.

    Returns:
        The overrides, in file order.

    Raises:
        CalendarError: If the file cannot be read or an entry is invalid; the message
            names the file, the entry's position and the field.
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CalendarError(f"{path}: cannot read calendar overrides: {exc}") from exc
    return _overrides_of(data, str(path))


def _overrides_of(data: dict[str, object], path: str) -> list[CalendarOverride]:
    """The ``[[override]]`` tables of a parsed TOML document; errors name ``path``."""
    entries = data.get("override", [])
    if not isinstance(entries, list):
        raise CalendarError(f"{path}: 'override' must be a list of [[override]] tables")
    out = []
    for number, entry in enumerate(entries, start=1):
        try:
            out.append(CalendarOverride.model_validate(entry))
        except ValidationError as exc:
            raise CalendarError(f"{path}: override #{number}: {_problems(exc)}") from exc
    return out
