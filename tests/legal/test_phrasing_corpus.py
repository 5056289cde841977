"""Time limits as the national catalogue of procedures (dichvucong.gov.vn) writes them.

Each row: the text of a procedure's "Thời hạn giải quyết" field, the limit it states (value,
unit) and the counting model it is counted by by default (domain brief §3: the day model for
whole days, weeks and months; the hour model for working hours and fractions of a day; the
clock model for "giờ" alone, Civil Code 2015 Art. 144, 147(1)). Then texts that are not a
time limit, each a clear error quoting the text.
"""

from __future__ import annotations

import pytest

from procflow import TimeLimit, TimeLimitError
from procflow.timelimit import CountingModel, TimeUnit

WD, WH, CD = TimeUnit.WORKING_DAYS, TimeUnit.WORKING_HOURS, TimeUnit.CALENDAR_DAYS
SAME, CLOCK = TimeUnit.SAME_DAY, TimeUnit.CLOCK_HOURS
WEEKS, MONTHS = TimeUnit.WEEKS, TimeUnit.MONTHS
DAY, HOUR, CLOCK_MODEL = CountingModel.DAY, CountingModel.HOUR, CountingModel.CLOCK

CORPUS: list[tuple[str, float, TimeUnit, CountingModel]] = [
    # working days, with the trailing clause in its usual forms
    ("15 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", 15, WD, DAY),
    ("05 ngày làm việc kể từ ngày nhận được hồ sơ hợp lệ", 5, WD, DAY),
    ("10 ngày làm việc kể từ ngày nhận hồ sơ đầy đủ, hợp lệ.", 10, WD, DAY),
    ("05 ngày làm việc, kể từ ngày nhận đủ hồ sơ hợp lệ", 5, WD, DAY),
    ("10 ngày làm việc (kể từ ngày nhận đủ hồ sơ hợp lệ)", 10, WD, DAY),
    ("03 ngày làm việc kể từ ngày nhận đủ hồ sơ theo quy định", 3, WD, DAY),
    ("01 ngày làm việc", 1, WD, DAY),
    ("5 ngày làm việc", 5, WD, DAY),
    ("10 Ngày làm việc", 10, WD, DAY),
    ("TRONG VÒNG 03 NGÀY LÀM VIỆC", 3, WD, DAY),
    # leading words
    ("Trong vòng 03 ngày làm việc", 3, WD, DAY),
    ("trong vòng 7 ngày làm việc", 7, WD, DAY),
    ("Trong thời hạn 05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", 5, WD, DAY),
    ("Trong thời hạn 03 ngày làm việc, kể từ ngày nhận đủ hồ sơ", 3, WD, DAY),
    ("Trong thời hạn không quá 05 ngày làm việc", 5, WD, DAY),
    ("Không quá 10 ngày làm việc", 10, WD, DAY),
    ("Không quá 03 ngày làm việc kể từ ngày tiếp nhận hồ sơ", 3, WD, DAY),
    ("Không quá 01 ngày làm việc", 1, WD, DAY),
    ("Tối đa 20 ngày làm việc", 20, WD, DAY),
    ("Tối đa không quá 03 ngày làm việc", 3, WD, DAY),
    ("Chậm nhất 05 ngày làm việc", 5, WD, DAY),
    ("Trong thời gian 05 ngày làm việc", 5, WD, DAY),
    ("Thời hạn giải quyết: 05 ngày làm việc", 5, WD, DAY),
    ("Thời hạn: 12 ngày làm việc", 12, WD, DAY),
    ("- 05 ngày làm việc", 5, WD, DAY),
    ("+ 07 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", 7, WD, DAY),
    # numbers spelled out in brackets
    ("03 (ba) ngày làm việc", 3, WD, DAY),
    ("03 (ba) ngày làm việc kể từ ngày nhận hồ sơ đầy đủ, hợp lệ", 3, WD, DAY),
    ("Trong thời hạn 02 (hai) ngày làm việc", 2, WD, DAY),
    ("Trong vòng 01 (một) ngày làm việc", 1, WD, DAY),
    ("Trong thời hạn 10 (mười) ngày làm việc", 10, WD, DAY),
    ("15 (mười lăm) ngày làm việc", 15, WD, DAY),
    ("Trong vòng 03 (ba) ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", 3, WD, DAY),
    # an inter-agency total with its shares, and an exception after the limit
    ("16 ngày làm việc (Phòng Tài chính: 03 ngày; Sở: 13 ngày)", 16, WD, DAY),
    (
        "20 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ (trường hợp phải xác minh thì "
        "thời hạn không quá 30 ngày làm việc)",
        20,
        WD,
        DAY,
    ),
    ("07 ngày làm việc đối với trường hợp không phải xác minh", 7, WD, DAY),
    # fractions of a working day: counted in working hours (0.5 day = 4 hours)
    ("1/2 ngày làm việc", 0.5, WD, HOUR),
    ("Trong thời hạn 1/2 ngày làm việc", 0.5, WD, HOUR),
    ("0,5 ngày làm việc", 0.5, WD, HOUR),
    ("0.5 ngày làm việc", 0.5, WD, HOUR),
    ("1,5 ngày làm việc", 1.5, WD, HOUR),
    ("2,5 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", 2.5, WD, HOUR),
    # same day and next working day
    ("Trong ngày", 0, SAME, DAY),
    ("Ngay trong ngày", 0, SAME, DAY),
    ("Trong ngày làm việc", 0, SAME, DAY),
    ("Ngay trong ngày làm việc", 0, SAME, DAY),
    ("Giải quyết ngay trong ngày", 0, SAME, DAY),
    ("Trả kết quả trong ngày", 0, SAME, DAY),
    ("Trong ngày (đối với hồ sơ nhận trước 15 giờ)", 0, SAME, DAY),
    ("Trong ngày làm việc tiếp theo", 1, WD, DAY),
    ("Ngày làm việc tiếp theo", 1, WD, DAY),
    ("Ngày làm việc kế tiếp", 1, WD, DAY),
    # working hours
    ("08 giờ làm việc", 8, WH, HOUR),
    ("Trong 04 giờ làm việc", 4, WH, HOUR),
    ("Trong 02 giờ làm việc", 2, WH, HOUR),
    ("12 giờ làm việc", 12, WH, HOUR),
    ("Trong thời hạn 04 giờ làm việc kể từ thời điểm tiếp nhận hồ sơ", 4, WH, HOUR),
    ("168 giờ làm việc", 168, WH, HOUR),
    # clock hours: "giờ" alone
    ("24 giờ", 24, CLOCK, CLOCK_MODEL),
    ("48 giờ", 48, CLOCK, CLOCK_MODEL),
    ("Không quá 24 giờ", 24, CLOCK, CLOCK_MODEL),
    ("Trong vòng 24 giờ kể từ khi nhận đủ hồ sơ", 24, CLOCK, CLOCK_MODEL),
    # calendar days: "ngày" alone
    ("05 ngày", 5, CD, DAY),
    ("45 ngày", 45, CD, DAY),
    ("90 ngày", 90, CD, DAY),
    ("30 ngày kể từ ngày nhận được hồ sơ hợp lệ", 30, CD, DAY),
    ("Trong thời hạn 30 ngày, kể từ ngày nhận đủ hồ sơ hợp lệ", 30, CD, DAY),
    ("Trong thời hạn 15 ngày kể từ ngày nhận đủ hồ sơ hợp lệ", 15, CD, DAY),
    ("Trong vòng 30 ngày kể từ ngày nhận được hồ sơ hợp lệ", 30, CD, DAY),
    ("Trong thời hạn 60 ngày", 60, CD, DAY),
    # weeks and months (Civil Code 2015 Art. 147-148)
    ("02 tuần", 2, WEEKS, DAY),
    ("Tối đa 02 tuần", 2, WEEKS, DAY),
    ("01 tháng", 1, MONTHS, DAY),
    ("Trong thời hạn 01 tháng", 1, MONTHS, DAY),
    ("Trong thời hạn 02 tháng", 2, MONTHS, DAY),
    ("03 tháng kể từ ngày nhận đủ hồ sơ hợp lệ", 3, MONTHS, DAY),
    ("06 tháng", 6, MONTHS, DAY),
    # English, as some exports translate the field
    ("3 working days", 3, WD, DAY),
    ("Within 5 working days", 5, WD, DAY),
    ("Same day", 0, SAME, DAY),
]


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 60
    assert len({text for text, *_ in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize(("text", "value", "unit", "model"), CORPUS, ids=[c[0] for c in CORPUS])
def test_catalogue_phrasing(text: str, value: float, unit: TimeUnit, model: CountingModel) -> None:
    limit = TimeLimit.parse(text)
    assert (limit.value, limit.unit, limit.default_model) == (value, unit, model)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Theo quy định",
        "Theo quy định của pháp luật",
        "Không quy định thời hạn",
        "03",
        "ba ngày làm việc",  # the number only in words
        "05 năm",  # years are not a unit of these limits
        "0 ngày làm việc",
        "Vài ngày",
        "1,5 ngày",  # calendar days are whole (Civil Code periods)
        "-3 ngày làm việc",  # a negative number, not a bullet
    ],
)
def test_unreadable_text_is_a_clear_error(text: str) -> None:
    with pytest.raises(TimeLimitError) as info:
        TimeLimit.parse(text)
    assert repr(text) in str(info.value)
