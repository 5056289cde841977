"""Choose the circular and the form number that apply to a dossier, by its receipt date.

Circular 01/2018/TT-VPCP governs dossiers received until 30 June 2025; Circular
03/2025/TT-VPCP governs those received from 1 July 2025: it renamed the apology (Mẫu 04, an
apology and request for more time), added a notice of stopping as Mẫu 05 and so renumbered
the control slip (Mẫu 05 became Mẫu 06) and the register (Mẫu 06 became Mẫu 07). What was
checked against which text, and what could not be, is in docs/forms.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from procflow.labels import LabelledEnum

__all__ = ["Circular", "FormKind", "FormVersion", "form_version"]

_FIRST_DAY_03_2025 = date(2025, 7, 1)


class Circular(LabelledEnum):
    """The circular whose appendix defines the forms."""

    @classmethod
    def labels(cls) -> Mapping[Any, tuple[str, str]]:
        """Each member's (Vietnamese, English) label."""
        return _CIRCULAR_LABELS

    TT_01_2018 = "01/2018/TT-VPCP"
    TT_03_2025 = "03/2025/TT-VPCP"


_CIRCULAR_LABELS: dict[Circular, tuple[str, str]] = {
    Circular.TT_01_2018: ("Thông tư 01/2018/TT-VPCP", "Circular 01/2018/TT-VPCP"),
    Circular.TT_03_2025: ("Thông tư 03/2025/TT-VPCP", "Circular 03/2025/TT-VPCP"),
}


class FormKind(LabelledEnum):
    """The office's forms, named by what they are for (the command line's KIND)."""

    @classmethod
    def labels(cls) -> Mapping[Any, tuple[str, str]]:
        """Each member's (Vietnamese, English) label."""
        return _FORM_KIND_LABELS

    RECEIPT = "receipt"
    SUPPLEMENT = "supplement"
    REFUSAL = "refusal"
    APOLOGY = "apology"
    CONTROL = "control"
    REGISTER = "register"


_FORM_KIND_LABELS: dict[FormKind, tuple[str, str]] = {
    FormKind.RECEIPT: ("giấy tiếp nhận hồ sơ và hẹn trả kết quả", "receipt and appointment"),
    FormKind.SUPPLEMENT: ("phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "supplement request"),
    FormKind.REFUSAL: ("phiếu từ chối tiếp nhận giải quyết hồ sơ", "refusal"),
    FormKind.APOLOGY: ("phiếu xin lỗi và hẹn lại ngày trả kết quả", "apology and new date"),
    FormKind.CONTROL: ("phiếu kiểm soát quá trình giải quyết hồ sơ", "process control sheet"),
    FormKind.REGISTER: ("sổ theo dõi hồ sơ", "dossier register"),
}


_NUMBERS: dict[Circular, dict[FormKind, str]] = {
    Circular.TT_01_2018: {
        FormKind.RECEIPT: "01",
        FormKind.SUPPLEMENT: "02",
        FormKind.REFUSAL: "03",
        FormKind.APOLOGY: "04",
        FormKind.CONTROL: "05",
        FormKind.REGISTER: "06",
    },
    Circular.TT_03_2025: {
        FormKind.RECEIPT: "01",
        FormKind.SUPPLEMENT: "02",
        FormKind.REFUSAL: "03",
        FormKind.APOLOGY: "04",
        FormKind.CONTROL: "06",
        FormKind.REGISTER: "07",
    },
}


_TITLES_01_2018: dict[FormKind, str] = {
    FormKind.RECEIPT: "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    FormKind.SUPPLEMENT: "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    FormKind.REFUSAL: "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    FormKind.APOLOGY: "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
    FormKind.CONTROL: "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
    FormKind.REGISTER: "SỔ THEO DÕI HỒ SƠ",
}

_TITLES: dict[Circular, dict[FormKind, str]] = {
    Circular.TT_01_2018: _TITLES_01_2018,
    # Circular 03/2025/TT-VPCP, Appendix I (15 September 2025): the same titles but the
    # apology's, which asks for more time ("đề nghị gia hạn") instead of giving a new date.
    Circular.TT_03_2025: _TITLES_01_2018
    | {FormKind.APOLOGY: "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"},
}


class FormVersion(BaseModel):
    """The circular and the form number ("Mẫu số") a form is printed under."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: FormKind
    circular: Circular
    number: str

    @property
    def label(self) -> str:
        """The heading printed on the form, e.g. ``Mẫu số 05 (Thông tư 01/2018/TT-VPCP)``."""
        return f"Mẫu số {self.number} (Thông tư {self.circular.value})"

    @property
    def title(self) -> str:
        """The form's title as its circular's appendix names it, in capitals.

        Examples:
            >>> from datetime import date
            >>> form_version(FormKind.APOLOGY, date(2025, 6, 30)).title
            'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ'
            >>> form_version(FormKind.APOLOGY, date(2025, 7, 1)).title
            'VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT'
        """
        return _TITLES[self.circular][self.kind]


def form_version(kind: FormKind, received: date) -> FormVersion:
    """Return the form version that applies to a dossier received on ``received``.

    The receipt date decides, not the date the form is printed: a dossier received on
    30 June 2025 keeps the forms of Circular 01/2018 for its whole life.

    Args:
        kind: Which form.
        received: The date the dossier was received (a ``datetime`` counts by its date).

    Returns:
        The circular and form number.

    Examples:
        >>> from datetime import date
        >>> form_version(FormKind.CONTROL, date(2025, 6, 30)).label
        'Mẫu số 05 (Thông tư 01/2018/TT-VPCP)'
        >>> form_version(FormKind.CONTROL, date(2025, 7, 1)).label
        'Mẫu số 06 (Thông tư 03/2025/TT-VPCP)'

    References:
        Circular 01/2018/TT-VPCP, appendix; Circular 03/2025/TT-VPCP (in force from
        1 July 2025), appendix.
    """
    # A datetime is a date subclass but does not compare with one: compare the calendar day.
    day = date(received.year, received.month, received.day)
    circular = Circular.TT_03_2025 if day >= _FIRST_DAY_03_2025 else Circular.TT_01_2018
    return FormVersion(kind=kind, circular=circular, number=_NUMBERS[circular][kind])
