"""Legal time limits (thời hạn giải quyết) and the catalogue phrasing that states them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import cached_property
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from procflow.errors import TimeLimitError
from procflow.labels import LabelledEnum

__all__ = ["CountingModel", "TimeLimit", "TimeUnit"]


class TimeUnit(LabelledEnum):
    """The unit a time limit is stated in. Values are stable for serialisation."""

    @classmethod
    def labels(cls) -> Mapping[Any, tuple[str, str]]:
        """Each member's (Vietnamese, English) label."""
        return _UNIT_LABELS

    WORKING_DAYS = "working_days"
    """ngày làm việc: counted on the working calendar."""
    WORKING_HOURS = "working_hours"
    """giờ làm việc: counted over office hours."""
    CALENDAR_DAYS = "calendar_days"
    """ngày: every day counts; a last day that is off moves to the next working day."""
    SAME_DAY = "same_day"
    """trong ngày: by close of office on the day of (effective) receipt."""
    CLOCK_HOURS = "clock_hours"
    """giờ: clock hours, counted from the stated moment (Civil Code 2015 Art. 144, 147(1))."""
    WEEKS = "weeks"
    """tuần: ends on the same weekday of the last week (Civil Code 2015 Art. 147-148)."""
    MONTHS = "months"
    """tháng: ends on the same date of the last month, or its last day (Civil Code Art. 147-148)."""


_UNIT_LABELS: dict[TimeUnit, tuple[str, str]] = {
    TimeUnit.WORKING_DAYS: ("ngày làm việc", "working days"),
    TimeUnit.WORKING_HOURS: ("giờ làm việc", "working hours"),
    TimeUnit.CALENDAR_DAYS: ("ngày", "calendar days"),
    TimeUnit.SAME_DAY: ("trong ngày", "same day"),
    TimeUnit.CLOCK_HOURS: ("giờ", "hours"),
    TimeUnit.WEEKS: ("tuần", "weeks"),
    TimeUnit.MONTHS: ("tháng", "months"),
}


class CountingModel(LabelledEnum):
    """How a limit is counted (domain brief §3). Values are stable for serialisation."""

    @classmethod
    def labels(cls) -> Mapping[Any, tuple[str, str]]:
        """Each member's (Vietnamese, English) label."""
        return _MODEL_LABELS

    DAY = "day"
    """Close of office on the n-th working day after the effective receipt date."""
    HOUR = "hour"
    """n working hours (n × day length for day limits) from the effective start time."""
    CLOCK = "clock"
    """n clock hours of elapsed time from the effective start time (limits in giờ)."""


_MODEL_LABELS: dict[CountingModel, tuple[str, str]] = {
    CountingModel.DAY: ("tính theo ngày làm việc", "day model"),
    CountingModel.HOUR: ("tính theo giờ làm việc", "hour model"),
    CountingModel.CLOCK: ("tính theo giờ", "clock hours"),
}


def _fold(text: str) -> str:
    """Lower-case, strip Vietnamese diacritics and collapse spaces, for matching."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return " ".join(text.split())


_NUMBER = r"(?P<n>\d+(?:[.,]\d+)?)"
# Leading words that do not change the limit, as the catalogue writes them: a bullet, the
# field's label ("Thời hạn giải quyết:"), "Giải quyết" / "Trả kết quả", and any run of
# "trong (vòng | thời hạn | thời gian)", "chậm nhất", "không quá", "tối đa".
_LEAD = (
    r"^(?:[-+*\u2022]\s+)?"
    r"(?:thoi han(?: giai quyet)?\s*:\s*)?"
    r"(?:(?:giai quyet|tra ket qua) )?"
    r"(?:(?:(?:trong (?:vong |thoi han |thoi gian )?|thoi han |thoi gian |cham nhat |khong qua "
    r"|toi da |la )*)"
    r"|(?:within |no more than |up to |at most )?)"
)
_NEXT_DAY = re.compile(_LEAD + r"(?:trong )?ngay lam viec (?:tiep theo|ke tiep|hom sau)\b")
"""'(trong) ngày làm việc tiếp theo': by close of office on the next working day."""
_PATTERNS: tuple[tuple[re.Pattern[str], TimeUnit], ...] = tuple(
    (re.compile(_LEAD + body), unit)
    for body, unit in (
        (r"(?:ngay )?(?:trong )?ngay(?: lam viec)?(?:$|[ ,.;(])", TimeUnit.SAME_DAY),
        (r"(?:the )?same(?: working)? day\b", TimeUnit.SAME_DAY),
        (_NUMBER + r" ngay lam viec\b", TimeUnit.WORKING_DAYS),
        (_NUMBER + r" gio lam viec\b", TimeUnit.WORKING_HOURS),
        (_NUMBER + r" gio\b", TimeUnit.CLOCK_HOURS),
        (_NUMBER + r" tuan(?: le)?\b", TimeUnit.WEEKS),
        (_NUMBER + r" thang\b", TimeUnit.MONTHS),
        (_NUMBER + r" ngay\b", TimeUnit.CALENDAR_DAYS),
        (_NUMBER + r" (?:working|business) days?\b", TimeUnit.WORKING_DAYS),
        (_NUMBER + r" (?:working|business|office) hours?\b", TimeUnit.WORKING_HOURS),
        (_NUMBER + r" (?:clock )?hours?\b", TimeUnit.CLOCK_HOURS),
        (_NUMBER + r" weeks?\b", TimeUnit.WEEKS),
        (_NUMBER + r" months?\b", TimeUnit.MONTHS),
        (_NUMBER + r" (?:calendar )?days?\b", TimeUnit.CALENDAR_DAYS),
    )
)
# "03 (ba) ngày": the number in words repeats the digits; "1/2 ngày": a fraction.
_SPELLED = re.compile(r"(\d)\s*\([^)]*\)")
_FRACTION = re.compile(r"\b(\d+)\s*/\s*(\d+)\b")


def _numbers(folded: str) -> str:
    """Drop spelled-out numbers in brackets and write fractions as decimals."""
    folded = _SPELLED.sub(r"\1", folded)
    return _FRACTION.sub(
        lambda m: f"{int(m.group(1)) / int(m.group(2)):g}" if int(m.group(2)) else m.group(0),
        folded,
    )


_WHOLE_UNITS = frozenset({TimeUnit.CALENDAR_DAYS, TimeUnit.WEEKS, TimeUnit.MONTHS})
"""Units counted as Civil Code periods: whole numbers only."""


class TimeLimit(BaseModel):
    """A legal time limit: a value and a unit.

    Attributes:
        value: How many units; fractions such as 0.5 or 0.25 working days are allowed.
            0 for :attr:`TimeUnit.SAME_DAY`.
        unit: The unit.

    Examples:
        >>> TimeLimit.parse("03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ")
        TimeLimit(value=3.0, unit=<TimeUnit.WORKING_DAYS: 'working_days'>)
        >>> str(TimeLimit.parse("0,5 ngày làm việc"))
        '0,5 ngày làm việc'
        >>> TimeLimit.parse("Trong ngày").unit
        <TimeUnit.SAME_DAY: 'same_day'>
        >>> TimeLimit.parse("168 working hours").hours(8)
        168.0
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: float = Field(ge=0)
    unit: TimeUnit

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        # A bare string in JSON or a spec file is catalogue text.
        if isinstance(data, str):
            return cls._parts(data)
        return data

    @model_validator(mode="after")
    def _consistent(self) -> TimeLimit:
        if self.unit is TimeUnit.SAME_DAY:
            if self.value != 0:
                raise ValueError(f"a same-day limit has no value, got {self.value}")
        elif self.value <= 0:
            raise ValueError(f"a time limit of {self.value} {self.unit} must be positive")
        elif self.unit in _WHOLE_UNITS and not self.value.is_integer():
            raise ValueError(f"a limit in {self.unit} must be a whole number, got {self.value}")
        return self

    @classmethod
    def _parts(cls, text: str) -> dict[str, Any]:
        folded = _numbers(_fold(text))
        if _NEXT_DAY.match(folded):
            return {"value": 1.0, "unit": TimeUnit.WORKING_DAYS}
        for pattern, unit in _PATTERNS:
            match = pattern.match(folded)
            if match is None:
                continue
            if unit is TimeUnit.SAME_DAY:
                return {"value": 0.0, "unit": unit}
            value = float(match.group("n").replace(",", "."))
            if value <= 0:
                raise TimeLimitError(f"time limit {text!r} must be positive")
            return {"value": value, "unit": unit}
        raise TimeLimitError(
            f"cannot read the time limit {text!r}; expected e.g. '03 ngày làm việc', "
            "'15 ngày', '04 giờ làm việc', 'Trong ngày' or '3 working days'"
        )

    @classmethod
    def parse(cls, text: str) -> TimeLimit:
        """Read a time limit as the national catalogue of procedures writes it.

        Understands "03 ngày làm việc", "15 ngày" (calendar days), "04 giờ làm việc",
        "24 giờ" (clock hours: "giờ" alone, Civil Code Art. 144, 147(1)), "02 tuần",
        "01 tháng", "Trong ngày", "Ngay trong ngày", "Trong ngày làm việc" (same day),
        "(Trong) ngày làm việc tiếp theo" (1 working day: close of office on the next
        working day), "0,5 ngày làm việc" (decimal comma), "1/2 ngày làm việc", "03 (ba)
        ngày làm việc", "Trong vòng 03 ngày làm việc",
        trailing clauses such as "kể từ ngày nhận đủ hồ sơ hợp lệ", leading "Trong thời
        hạn", "Trong thời gian", "Chậm nhất", "Không quá", "Tối đa" (in any run), the
        field's label "Thời hạn giải quyết:", "Giải quyết" / "Trả kết quả", a list bullet
        ("- ", "+ "), and English ("3 working days", "4 working hours",
        "15 days", "same day"). Diacritics and case do not matter.

        Args:
            text: The catalogue text.

        Returns:
            The time limit.

        Raises:
            TimeLimitError: If the text is not a time limit; the message quotes it.
        """
        if not isinstance(text, str):
            raise TimeLimitError(f"a time limit text must be a string, got {text!r}")
        try:
            return cls(**cls._parts(text))
        except ValidationError as exc:
            reason = exc.errors()[0]["msg"].removeprefix("Value error, ")
            raise TimeLimitError(f"time limit {text!r}: {reason}") from exc

    @classmethod
    def working_days(cls, n: float) -> TimeLimit:
        """Make a limit of ``n`` working days."""
        return cls(value=n, unit=TimeUnit.WORKING_DAYS)

    @classmethod
    def working_hours(cls, n: float) -> TimeLimit:
        """Make a limit of ``n`` working hours."""
        return cls(value=n, unit=TimeUnit.WORKING_HOURS)

    @classmethod
    def calendar_days(cls, n: int) -> TimeLimit:
        """Make a limit of ``n`` calendar days."""
        return cls(value=n, unit=TimeUnit.CALENDAR_DAYS)

    @classmethod
    def same_day(cls) -> TimeLimit:
        """Make a same-day limit (trong ngày)."""
        return cls(value=0, unit=TimeUnit.SAME_DAY)

    @cached_property
    def is_whole_days(self) -> bool:
        """Whether the limit is a whole number of working or calendar days, or same day."""
        return self.unit in (TimeUnit.SAME_DAY, TimeUnit.WEEKS, TimeUnit.MONTHS) or (
            self.unit in (TimeUnit.WORKING_DAYS, TimeUnit.CALENDAR_DAYS) and self.value.is_integer()
        )

    @cached_property
    def whole_working_days(self) -> int | None:
        """The limit as a whole number of working days, or None if it is not one."""
        if self.unit is TimeUnit.WORKING_DAYS and self.value.is_integer():
            return int(self.value)
        return None

    @cached_property
    def default_model(self) -> CountingModel:
        """The counting model used unless a procedure says otherwise.

        The day model for whole working days, calendar days, weeks, months and same day;
        the clock model for clock hours (giờ); the hour model for working hours and
        fractional working days (0.5 day = 4 working hours).
        """
        if self.unit is TimeUnit.CLOCK_HOURS:
            return CountingModel.CLOCK
        return CountingModel.DAY if self.is_whole_days else CountingModel.HOUR

    def hours(self, day_hours: float = 8.0) -> float:
        """Return the limit in working hours, one working day being ``day_hours`` hours.

        Raises:
            TimeLimitError: For calendar-day and same-day limits, which have no hour measure.
        """
        if self.unit is TimeUnit.WORKING_HOURS:
            return self.value
        if self.unit is TimeUnit.WORKING_DAYS:
            return self.value * day_hours
        raise TimeLimitError(f"a limit of {self} cannot be counted in working hours")

    def _number(self) -> str:
        if self.value.is_integer():
            return f"{int(self.value):02d}"
        return f"{self.value:g}"

    def __str__(self) -> str:
        if self.unit is TimeUnit.SAME_DAY:
            return "Trong ngày"
        return f"{self._number().replace('.', ',')} {self.unit.label('vi')}"

    def english(self) -> str:
        """Describe the limit in English, e.g. ``"3 working days"``."""
        if self.unit is TimeUnit.SAME_DAY:
            return "same day"
        return f"{self.value:g} {self.unit.label('en')}"
