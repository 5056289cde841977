"""The form version follows the receipt date across the 1 July 2025 switch."""

from datetime import date, datetime

import pytest

from procflow.forms import Circular, FormKind, form_version

CASES = [
    ("receipt-last-day-01", FormKind.RECEIPT, date(2025, 6, 30), Circular.TT_01_2018, "01"),
    ("control-last-day-01", FormKind.CONTROL, date(2025, 6, 30), Circular.TT_01_2018, "05"),
    ("register-last-day-01", FormKind.REGISTER, date(2025, 6, 30), Circular.TT_01_2018, "06"),
    ("control-first-day-03", FormKind.CONTROL, date(2025, 7, 1), Circular.TT_03_2025, "06"),
    ("register-first-day-03", FormKind.REGISTER, date(2025, 7, 1), Circular.TT_03_2025, "07"),
    ("apology-2026", FormKind.APOLOGY, date(2026, 1, 5), Circular.TT_03_2025, "04"),
    (
        "datetime-counts-by-date",
        FormKind.CONTROL,
        datetime(2025, 6, 30, 23, 59),
        Circular.TT_01_2018,
        "05",
    ),
]


@pytest.mark.parametrize(
    ("kind", "received", "circular", "number"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_version_by_receipt_date(
    kind: FormKind, received: date, circular: Circular, number: str
) -> None:
    version = form_version(kind, received)
    assert (version.circular, version.number) == (circular, number)


def test_every_kind_has_a_number_under_both_circulars() -> None:
    for kind in FormKind:
        assert form_version(kind, date(2024, 1, 2)).number
        assert form_version(kind, date(2026, 1, 2)).number


# The titles of Circular 03/2025/TT-VPCP's Appendix I (as listed on its publication of
# 15 September 2025); Circular 01/2018/TT-VPCP's as printed before (docs/forms.md says what
# was checked against what).
TITLES = [
    ("receipt-01", FormKind.RECEIPT, date(2025, 6, 30), "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
    ("receipt-03", FormKind.RECEIPT, date(2025, 7, 1), "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
    (
        "supplement-03",
        FormKind.SUPPLEMENT,
        date(2025, 7, 1),
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    ),
    (
        "refusal-03",
        FormKind.REFUSAL,
        date(2025, 7, 1),
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    ),
    (
        "apology-01",
        FormKind.APOLOGY,
        date(2025, 6, 30),
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
    ),
    (
        "apology-03-renamed",
        FormKind.APOLOGY,
        date(2025, 7, 1),
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
    ),
    (
        "control-03",
        FormKind.CONTROL,
        date(2025, 7, 1),
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
    ),
    ("register-03", FormKind.REGISTER, date(2025, 7, 1), "SỔ THEO DÕI HỒ SƠ"),
]


@pytest.mark.parametrize(
    ("kind", "received", "title"), [t[1:] for t in TITLES], ids=[t[0] for t in TITLES]
)
def test_title_by_circular(kind: FormKind, received: date, title: str) -> None:
    assert form_version(kind, received).title == title
