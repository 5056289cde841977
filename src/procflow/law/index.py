"""The working calendar as integers: the one implementation of working-time arithmetic.

A :class:`CalendarIndex` numbers the days of a calendar from 0 (1 January of its first
year) and holds, per day, whether it is worked and how many working days come before it
(prefix counts), so that "the n-th working day after day i" is one lookup and the working
time between two instants is a difference of two *positions* (working ticks since the
start of the calendar).

Instants are ticks since 1970-01-01 00:00 local time. The per-dossier path uses
microsecond ticks (``tick=1_000_000``), the columnar path second ticks (``tick=1``); the
functions are the same.

Examples:
    >>> ix = CalendarIndex.build(
    ...     base=738886, working=[True] * 5 + [False] * 2, sessions=((8 * 3600, 12 * 3600),
    ...     (13 * 3600, 17 * 3600)), tick=1)  # Mon 1/1/2024 .. Sun 7/1/2024
    >>> ix.add_days(0, 4), ix.add_days(1, 2)  # Friday; two working days after Tuesday
    (4, 3)
    >>> ix.position(ix.at(2, 9 * 3600)) - ix.position(ix.at(1, 16 * 3600))  # 16:00 Tue-09:00 Wed
    7200
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from procflow.law.ops import Vec, clip, maximum, minimum, not_, take, where

__all__ = ["DAYS_ONLY", "EPOCH", "CalendarIndex"]

EPOCH = 719163
"""The proleptic Gregorian ordinal of 1970-01-01, the origin of ticks."""


@dataclass(frozen=True, slots=True)
class CalendarIndex:
    """A calendar's days and office hours as integers (see the module docstring).

    Attributes:
        base: Proleptic ordinal of day 0.
        n: Days covered.
        tick: Ticks per second.
        day: Ticks per day.
        cum: ``cum[i]``: working days strictly before day ``i`` (``n + 1`` items).
        isw: ``isw[i]``: day ``i`` is a working day.
        work: Proleptic ordinals of the working days, ascending.
        regular_saturday: ``regular_saturday[i]``: day ``i`` is an ordinary Saturday.
        sessions: Office sessions of a working day, (start, end) ticks after midnight.
        saturday: Saturday reception sessions, (start, end) ticks after midnight.
        length: Working ticks in a working day.
        open_t: Opening, ticks after midnight.
        close_t: Closing, ticks after midnight.
        month: ``month[i]``: months since the calendar's first month of day ``i``.
        mday: ``mday[i]``: day of the month of day ``i`` (1..31).
        month_start: ``month_start[m]``: day index of the first day of month ``m``.
        month_days: ``month_days[m]``: days in month ``m``.
    """

    base: int
    n: int
    tick: int
    day: int
    cum: Any
    isw: Any
    work: Any
    regular_saturday: Any
    sessions: tuple[tuple[int, int], ...]
    saturday: tuple[tuple[int, int], ...]
    length: int
    open_t: int
    close_t: int
    month: Any = ()
    mday: Any = ()
    month_start: Any = ()
    month_days: Any = ()

    @classmethod
    def build(
        cls,
        *,
        base: int,
        working: Sequence[bool],
        sessions: Sequence[tuple[int, int]],
        tick: int,
        saturday: Sequence[tuple[int, int]] = (),
        regular_saturday: Sequence[bool] | None = None,
        months: tuple[Sequence[int], Sequence[int], Sequence[int], Sequence[int]] | None = None,
    ) -> CalendarIndex:
        """Build the index of a calendar (Python sequences; see :meth:`arrays`).

        Args:
            base: Proleptic ordinal of day 0.
            working: Whether each day is worked.
            sessions: Office sessions in *seconds* after midnight.
            tick: Ticks per second.
            saturday: Saturday reception sessions in seconds after midnight.
            regular_saturday: Whether each day is an ordinary (unworked) Saturday.
            months: ``(month, mday, month_start, month_days)`` tables, for weeks and months.
        """
        cum = [0]
        work: list[int] = []
        for i, worked in enumerate(working):
            if worked:
                work.append(base + i)
            cum.append(len(work))
        scaled = tuple((s * tick, e * tick) for s, e in sessions)
        month, mday, month_start, month_days = months or ((), (), (), ())
        return cls(
            base=base,
            n=len(working),
            tick=tick,
            day=86400 * tick,
            cum=tuple(cum),
            isw=tuple(bool(w) for w in working),
            work=tuple(work),
            regular_saturday=tuple(regular_saturday or (False,) * len(working)),
            sessions=scaled,
            saturday=tuple((s * tick, e * tick) for s, e in saturday),
            length=sum(e - s for s, e in scaled),
            open_t=scaled[0][0],
            close_t=scaled[-1][1],
            month=tuple(month),
            mday=tuple(mday),
            month_start=tuple(month_start),
            month_days=tuple(month_days),
        )

    def arrays(self) -> CalendarIndex:
        """The same calendar with numpy tables and second ticks, for the columnar path."""
        import numpy as np

        def scale(pairs: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
            return tuple((s // self.tick, e // self.tick) for s, e in pairs)

        sessions = scale(self.sessions)
        return CalendarIndex(
            base=self.base,
            n=self.n,
            tick=1,
            day=86400,
            cum=np.asarray(self.cum, dtype=np.int64),
            isw=np.asarray(self.isw, dtype=bool),
            work=np.asarray(self.work, dtype=np.int64),
            regular_saturday=np.asarray(self.regular_saturday, dtype=bool),
            sessions=sessions,
            saturday=scale(self.saturday),
            length=sum(e - s for s, e in sessions),
            open_t=sessions[0][0],
            close_t=sessions[-1][1],
            month=np.asarray(self.month, dtype=np.int64),
            mday=np.asarray(self.mday, dtype=np.int64),
            month_start=np.asarray(self.month_start, dtype=np.int64),
            month_days=np.asarray(self.month_days, dtype=np.int64),
        )

    # -- days ------------------------------------------------------------------------------

    def day_of(self, t: Vec) -> Vec:
        """Day index of an instant."""
        return t // self.day + (EPOCH - self.base)

    def at(self, i: Vec, clock: Vec) -> Vec:
        """The instant ``clock`` ticks after midnight of day ``i``."""
        return (i + (self.base - EPOCH)) * self.day + clock

    def opening(self, i: Vec) -> Vec:
        """Opening instant of day ``i``."""
        return self.at(i, self.open_t)

    def closing(self, i: Vec) -> Vec:
        """Closing instant of day ``i``."""
        return self.at(i, self.close_t)

    def nth(self, i: Vec, n: Vec) -> Vec:
        """Index into :attr:`work` of the n-th working day after day ``i`` (before, if n < 0).

        The caller checks ``0 <= k < len(work)`` when ``n != 0``; :meth:`add_days` uses it.
        """
        return where(n > 0, self.cum[i + 1] + n - 1, self.cum[i] + n)

    def add_days(self, i: Vec, n: Vec) -> Vec:
        """Day index of the n-th working day strictly after day ``i`` (``i`` for n = 0).

        A negative ``n`` counts backwards. Day ``i`` itself is never counted (Civil Code
        2015 Art. 147: the day of receipt is not counted).
        """
        return where(n == 0, i, take(self.work, self.nth(i, n)) - self.base)

    def next_working(self, i: Vec) -> Vec:
        """Day index of the first working day on or after day ``i``."""
        return take(self.work, self.cum[i]) - self.base

    def count_days(self, i: Vec, j: Vec) -> Vec:
        """Working days in ``(i, j]`` (negative, minus those in ``[j, i)``, if j < i)."""
        return where(j < i, self.cum[j] - self.cum[i], self.cum[j + 1] - self.cum[i + 1])

    # -- working time ------------------------------------------------------------------------

    def offset(self, clock: Vec) -> Vec:
        """Working ticks of a working day before ``clock`` ticks after midnight."""
        total: Vec = 0
        for s, e in self.sessions:
            total = total + clip(clock - s, 0, e - s)
        return total

    def position(self, t: Vec) -> Vec:
        """Working ticks from the calendar's start to the instant ``t``."""
        i = self.day_of(t)
        return self.cum[i] * self.length + where(self.isw[i], self.offset(t % self.day), 0)

    def clock_at_offset(self, rem: Vec) -> Vec:
        """Earliest clock (ticks after midnight) at which ``rem`` working ticks have passed."""
        out = self.sessions[0][0]
        done = rem <= 0
        before = 0
        for s, e in self.sessions:
            here = not_(done) & (rem <= before + (e - s))
            out = where(here, s + rem - before, out)
            done = done | here
            before += e - s
        return where(done, out, self.sessions[-1][1])

    def instant(self, p: Vec) -> Vec:
        """Earliest instant at which ``p`` working ticks have passed since the start.

        A position exactly at the end of a working day is that day's closing time, not the
        next opening. The caller checks ``p // length < len(work)``.
        """
        k, rem = divmod(p, self.length)
        at_end = (rem == 0) & (k > 0)
        k = where(at_end, k - 1, k)
        clock = where(at_end, self.close_t, self.clock_at_offset(rem))
        return (take(self.work, k) - EPOCH) * self.day + clock

    # -- calendar periods ----------------------------------------------------------------------

    def add_weeks(self, i: Vec, n: Vec) -> Vec:
        """Day index of the same weekday ``n`` weeks after day ``i``."""
        return i + 7 * n

    def add_months(self, i: Vec, n: Vec) -> Vec:
        """Day index of the same date ``n`` months after day ``i``, or that month's last day.

        Civil Code 2015 Art. 148(1)(c)-(d): a period in months ends on the corresponding
        date of the last month; without one, on that month's last day.
        """
        m = self.month[i] + n
        return take(self.month_start, m) + maximum(
            0, minimum(self.mday[i], take(self.month_days, m)) - 1
        )


DAYS_ONLY = CalendarIndex(
    base=EPOCH,
    n=0,
    tick=1_000_000,
    day=86_400_000_000,
    cum=(),
    isw=(),
    work=(),
    regular_saturday=(),
    sessions=((0, 86_400_000_000),),
    saturday=(),
    length=86_400_000_000,
    open_t=0,
    close_t=86_400_000_000,
)
"""An index with no working days, for rules that only compare instants and their days
(:meth:`CalendarIndex.day_of`), in microsecond ticks."""
