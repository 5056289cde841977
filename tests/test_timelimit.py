"""Reading time limits as the national catalogue of procedures writes them."""

from __future__ import annotations

import pytest

from procflow import ProcflowError, TimeLimit, TimeLimitError, TimeUnit

WD, WH, CD, SD = (
    TimeUnit.WORKING_DAYS,
    TimeUnit.WORKING_HOURS,
    TimeUnit.CALENDAR_DAYS,
    TimeUnit.SAME_DAY,
)

CATALOGUE_TEXTS = [
    ("03 ngày làm việc", 3, WD),
    ("15 ngày", 15, CD),
    ("04 giờ làm việc", 4, WH),
    ("Trong ngày", 0, SD),
    ("Trong ngày làm việc", 0, SD),
    ("0,5 ngày làm việc", 0.5, WD),
    ("30 ngày kể từ ngày nhận đủ hồ sơ hợp lệ", 30, CD),
    ("03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", 3, WD),
    ("Trong thời hạn 05 ngày làm việc", 5, WD),
    ("Không quá 20 ngày", 20, CD),
    ("168 giờ làm việc", 168, WH),
    ("1.5 ngày làm việc", 1.5, WD),
    ("TRONG NGÀY", 0, SD),
    ("03 ngay lam viec", 3, WD),  # typed without diacritics
    ("3 working days", 3, WD),
    ("4 working hours", 4, WH),
    ("15 days", 15, CD),
    ("15 calendar days", 15, CD),
    ("same day", 0, SD),
    ("within 10 working days", 10, WD),
]


@pytest.mark.parametrize(
    ("text", "value", "unit"), CATALOGUE_TEXTS, ids=[t for t, _, _ in CATALOGUE_TEXTS]
)
def test_parse_catalogue_text(text: str, value: float, unit: TimeUnit) -> None:
    assert TimeLimit.parse(text) == TimeLimit(value=value, unit=unit)


@pytest.mark.parametrize(
    "text", ["", "ba ngày", "theo quy định", "0 ngày làm việc", "-3 working days"]
)
def test_unreadable_text_is_quoted_in_the_error(text: str) -> None:
    with pytest.raises(TimeLimitError) as info:
        TimeLimit.parse(text)
    assert repr(text) in str(info.value)
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, ProcflowError)


@pytest.mark.parametrize(
    ("limit", "text"),
    [
        (TimeLimit.working_days(3), "03 ngày làm việc"),
        (TimeLimit.working_days(0.5), "0,5 ngày làm việc"),
        (TimeLimit.calendar_days(15), "15 ngày"),
        (TimeLimit.working_hours(4), "04 giờ làm việc"),
        (TimeLimit.same_day(), "Trong ngày"),
    ],
)
def test_str_is_catalogue_text_and_parses_back(limit: TimeLimit, text: str) -> None:
    assert str(limit) == text
    assert TimeLimit.parse(str(limit)) == limit


def test_json_accepts_catalogue_text_or_object() -> None:
    assert TimeLimit.model_validate("03 ngày làm việc") == TimeLimit.working_days(3)
    assert TimeLimit.model_validate_json(
        '{"value": 3, "unit": "working_days"}'
    ) == TimeLimit.working_days(3)
    assert TimeLimit.working_days(3).model_dump(mode="json") == {
        "value": 3.0,
        "unit": "working_days",
    }


@pytest.mark.parametrize(
    "data",
    [
        {"value": 0, "unit": "working_days"},
        {"value": 2, "unit": "same_day"},
        {"value": 1.5, "unit": "calendar_days"},
    ],
)
def test_impossible_values_are_refused(data: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=str(data["value"])):
        TimeLimit.model_validate(data)


def test_hours() -> None:
    assert TimeLimit.working_days(3).hours() == 24
    assert TimeLimit.working_days(0.25).hours() == 2
    with pytest.raises(TimeLimitError, match="15 ngày"):
        TimeLimit.calendar_days(15).hours()
