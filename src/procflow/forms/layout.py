"""Each form's printed layout, in Vietnamese: a neutral list of blocks both renderers draw.

A :class:`Layout` is the page as a person reads it: the head (superior body and office on
the left, the national motto on the right, the number and the date line), the title, the
lines, tables and signature blocks. :mod:`procflow.forms.html_render` and
:mod:`procflow.forms.docx_render` draw the same layout, so the web page and the printed
form say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from procflow.calendar import to_local
from procflow.dossier import Channel
from procflow.forms.context import Component
from procflow.forms.models import (
    ApologySlip,
    ControlSlip,
    Form,
    ReceiptSlip,
    RefusalSlip,
    Register,
    SupplementRequest,
)
from procflow.forms.version import Circular, FormKind

__all__ = [
    "MOTTO",
    "Layout",
    "Signature",
    "Table",
    "Text",
    "date_line",
    "layout",
    "moment_vi",
]

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
"""The national motto every form carries top right (quốc hiệu, tiêu ngữ)."""


_BLANK = "……………"
_CHANNELS = {
    Channel.ONLINE: "trực tuyến",
    Channel.IN_PERSON: "trực tiếp",
    Channel.POST: "qua dịch vụ bưu chính",
}


@dataclass(frozen=True, slots=True)
class Text:
    """A line of text. ``style`` is ``plain``, ``bold``, ``italic`` or ``center``."""

    text: str
    style: str = "plain"


@dataclass(frozen=True, slots=True)
class Table:
    """A table with a heading row; a line feed in a cell is a line break."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()
    """Relative column widths (empty: equal)."""
    small: bool = False
    """Printed in a smaller type (wide tables)."""


@dataclass(frozen=True, slots=True)
class Signature:
    """Signature blocks side by side: (role, hint, name) each."""

    blocks: tuple[tuple[str, str, str], ...]


Block = Text | Table | Signature


@dataclass(frozen=True, slots=True)
class Layout:
    """A form's page.

    Attributes:
        kind: Which form (a :class:`FormKind`, or another document's name).
        label: "Mẫu số 01 (Thông tư ...)", printed top right.
        head: The superior body and the office, top left.
        number: The document number line ("Số: ...").
        date_line: "<place>, ngày .. tháng .. năm ..".
        title: The form's title.
        blocks: The lines, tables and signatures, in order.
        landscape: Printed on a landscape page (the register).
    """

    kind: str
    label: str
    head: tuple[str, ...]
    number: str
    date_line: str
    title: str
    blocks: tuple[Block, ...]
    landscape: bool = False


def moment_vi(at: datetime) -> str:
    """Hour, minute and date the way the forms print them (local time).

    Examples:
        >>> from datetime import datetime
        >>> moment_vi(datetime(2024, 9, 5, 17, 0))
        '17 giờ 00 phút, ngày 05 tháng 09 năm 2024'
    """
    local = to_local(at)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d} tháng {local:%m} năm {local:%Y}"


def date_line(place: str, day: date) -> str:
    """The date line of a form's head.

    Examples:
        >>> from datetime import date
        >>> date_line("Hà Tĩnh", date(2024, 8, 29))
        'Hà Tĩnh, ngày 29 tháng 08 năm 2024'
    """
    return f"{place or _BLANK}, ngày {day:%d} tháng {day:%m} năm {day:%Y}"


def _short(at: datetime | None) -> str:
    return "" if at is None else f"{to_local(at):%H:%M %d/%m/%Y}"


def _or_blank(text: str) -> str:
    return text or _BLANK


def _components(components: tuple[Component, ...]) -> Table:
    rows = tuple(
        (str(number), c.name, c.form, f"{c.count:02d}")
        for number, c in enumerate(components, start=1)
    )
    return Table(
        ("STT", "Tên loại giấy tờ", "Hình thức", "Số lượng"),
        rows or (("", "", "", ""),),
        (1, 8, 4, 2),
    )


def _receipt(form: ReceiptSlip) -> tuple[Block, ...]:
    office = form.office or "Bộ phận Một cửa"
    return (
        Text(f"Mã hồ sơ: {form.dossier_id}", "center"),
        Text(f"{office} đã tiếp nhận hồ sơ của: {_or_blank(form.applicant)}"),
        Text(f"Địa chỉ: {_or_blank(form.address)}"),
        Text(f"Số điện thoại: {_or_blank(form.phone)}    Email: {_or_blank(form.email)}"),
        Text(f"Nội dung yêu cầu giải quyết: {_or_blank(form.request)}"),
        Text(f"Hình thức nộp hồ sơ: {_CHANNELS[form.channel]}"),
        Text("1. Thành phần hồ sơ nộp gồm:"),
        _components(form.components),
        Text(f"2. Số lượng hồ sơ: {form.sets:02d} (bộ)"),
        Text(f"3. Thời hạn giải quyết hồ sơ theo quy định: {form.time_limit}"),
        Text(f"4. Thời gian nhận hồ sơ: {moment_vi(form.received_at)}"),
        Text(f"5. Thời gian trả kết quả giải quyết hồ sơ: {moment_vi(form.return_at)}", "bold"),
        Text(f"6. Đăng ký nhận kết quả tại: {_or_blank(form.collect_at)}"),
        Text(
            f"Vào Sổ theo dõi hồ sơ, Quyển số: {_or_blank(form.register_book)}, "
            f"Số thứ tự: {_or_blank(form.register_number)}",
            "italic",
        ),
        Signature(
            (
                ("NGƯỜI NỘP HỒ SƠ", "(Ký và ghi rõ họ tên)", form.applicant),
                ("NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)", form.officer),
            )
        ),
    )


def _supplement(form: SupplementRequest) -> tuple[Block, ...]:
    office = form.office or "Bộ phận Một cửa"
    return (
        Text(f"Mã hồ sơ: {form.dossier_id}", "center"),
        Text(f"Hồ sơ của: {_or_blank(form.applicant)}"),
        Text(f"Nội dung yêu cầu giải quyết: {_or_blank(form.request)}"),
        Text(f"Ngày tiếp nhận hồ sơ: {moment_vi(form.received_at)}"),
        Text(f"Ngày yêu cầu bổ sung: {moment_vi(form.requested_at)}"),
        Text(f"{office} yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:"),
        _components(form.components_to_add),
        Text(f"Lý do: {_or_blank(form.reason)}"),
        Text(
            "Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, ông/bà liên hệ với "
            f"{_or_blank(form.contact)} để được hướng dẫn."
        ),
        Signature((("NGƯỜI HƯỚNG DẪN", "(Ký và ghi rõ họ tên)", form.officer),)),
    )


def _refusal(form: RefusalSlip) -> tuple[Block, ...]:
    office = form.office or "Bộ phận Một cửa"
    return (
        Text(f"Mã hồ sơ: {form.dossier_id}", "center"),
        Text(f"{office} tiếp nhận hồ sơ của: {_or_blank(form.applicant)}"),
        Text(f"Nội dung yêu cầu giải quyết: {_or_blank(form.request)}"),
        Text(f"Ngày tiếp nhận hồ sơ: {moment_vi(form.received_at)}"),
        Text(
            "Sau khi xem xét, đối chiếu thành phần hồ sơ với quy định, "
            f"{office} thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:"
        ),
        Text(form.reason, "bold"),
        Text("Xin thông báo để ông/bà được biết và thực hiện."),
        Signature((("NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)", form.officer),)),
    )


def _apology(form: ApologySlip) -> tuple[Block, ...]:
    office = form.office or "Cơ quan"
    received = to_local(form.received_at)
    new_date = moment_vi(form.new_due_at)
    # Circular 01/2018 gives a new date (hẹn lại); Circular 03/2025 asks for more time.
    promise = (
        f"đề nghị gia hạn thời gian giải quyết hồ sơ đến {new_date}"
        if form.version.circular is Circular.TT_03_2025
        else f"sẽ trả kết quả giải quyết hồ sơ cho ông/bà vào {new_date}"
    )
    return (
        Text(f"Kính gửi: {_or_blank(form.applicant)}", "center"),
        Text(
            f"Ngày {received:%d/%m/%Y}, {office} tiếp nhận giải quyết hồ sơ đề nghị "
            f"{_or_blank(form.request)}; mã hồ sơ: {form.dossier_id}."
        ),
        Text(f"Thời gian hẹn trả kết quả giải quyết hồ sơ: {moment_vi(form.original_due_at)}."),
        Text(
            f"Tuy nhiên đến nay, {office} chưa trả kết quả giải quyết hồ sơ cho ông/bà đúng hạn "
            f"ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả. Lý do: {_or_blank(form.reason)}."
        ),
        Text(f"Sự chậm trễ này đã gây phiền hà cho ông/bà. {office} xin lỗi ông/bà và {promise}."),
        Text("Xin trân trọng cảm ơn sự hợp tác của ông/bà."),
        Signature((("THỦ TRƯỞNG CƠ QUAN", "(Ký, ghi rõ họ tên và đóng dấu)", form.officer),)),
    )


def _control(form: ControlSlip) -> tuple[Block, ...]:
    rows = tuple(
        (
            str(h.number),
            f"Giao: {h.from_unit}\nNhận: {h.to_unit}",
            _short(h.planned_at),
            _short(h.actual_at) or "chưa giao",
            h.status.words[0],
            "",
        )
        for h in form.hand_overs
    )
    return (
        Text(f"Mã hồ sơ: {form.dossier_id}", "center"),
        Text(f"(Kèm theo hồ sơ của: {_or_blank(form.applicant)})", "center"),
        Text(f"Thủ tục: {_or_blank(form.procedure_name)}"),
        Text(f"Thời hạn giải quyết: {form.time_limit}"),
        Text(f"Ngày nhận hồ sơ: {moment_vi(form.received_at)}"),
        Text(f"Ngày hẹn trả kết quả: {moment_vi(form.due_at)}"),
        Table(
            (
                "STT",
                "Tên cơ quan, bộ phận giao, nhận",
                "Thời gian giao, nhận theo quy trình",
                "Thời gian giao, nhận thực tế",
                "Kết quả (trước hạn / đúng hạn / quá hạn)",
                "Ghi chú",
            ),
            rows,
            (1, 7, 3, 3, 3, 2),
        ),
        Text(f"Tình trạng đến {_short(form.as_of)}.", "italic"),
    )


def _register(form: Register) -> tuple[Block, ...]:
    rows = tuple(
        (
            str(e.number),
            e.dossier_id,
            e.procedure_name,
            e.applicant,
            e.address,
            e.agency,
            _short(e.received_at),
            _short(e.due_at),
            _short(e.finished_at),
            _short(e.handed_over_at),
            e.outcome.words[0],
            e.note,
        )
        for e in form.entries
    )
    blocks: list[Block] = [
        Text(f"Tình trạng đến {_short(form.as_of)}", "center"),
        Table(
            (
                "STT",
                "Mã hồ sơ",
                "Tên thủ tục hành chính",
                "Tên tổ chức, cá nhân",
                "Địa chỉ, số điện thoại",
                "Cơ quan chủ trì giải quyết",
                "Nhận hồ sơ",
                "Hẹn trả kết quả",
                "Hoàn thành giải quyết",
                "Trả kết quả",
                "Tình trạng",
                "Ghi chú",
            ),
            rows,
            (1.1, 2.6, 4, 3, 3, 2.6, 3, 3, 3, 3, 2.6, 2.6),
            small=True,
        ),
    ]
    if form.rejected:
        blocks.append(Text(f"Không đưa vào sổ: {len(form.rejected)} hồ sơ", "italic"))
        blocks += [Text(f"dòng {r.row}: {r.dossier_id or '-'}: {r.reason}") for r in form.rejected]
    return tuple(blocks)


def layout(form: Form) -> Layout:
    """Lay a form out as its page.

    Args:
        form: Any form.

    Returns:
        The page's head, title and blocks.

    Examples:
        >>> from datetime import date
        >>> from procflow.forms import FormKind, form_version
        >>> from procflow.forms.models import Register
        >>> r = Register(version=form_version(FormKind.REGISTER, date(2025, 7, 1)), agency="",
        ...     office="UBND xã", place="", number="", issued_on=date(2025, 7, 31),
        ...     as_of=datetime(2025, 7, 31, 17), entries=(), rejected=())
        >>> page = layout(r)
        >>> page.label, page.title
        ('Mẫu số 07 (Thông tư 03/2025/TT-VPCP)', 'SỔ THEO DÕI HỒ SƠ')
    """
    if isinstance(form, ReceiptSlip):
        blocks = _receipt(form)
    elif isinstance(form, SupplementRequest):
        blocks = _supplement(form)
    elif isinstance(form, RefusalSlip):
        blocks = _refusal(form)
    elif isinstance(form, ApologySlip):
        blocks = _apology(form)
    elif isinstance(form, ControlSlip):
        blocks = _control(form)
    else:
        blocks = _register(form)
    kind = form.version.kind
    return Layout(
        kind=kind,
        label=form.version.label,
        head=tuple(line.upper() for line in (form.agency, form.office) if line),
        number=f"Số: {form.number or _BLANK}",
        date_line=date_line(form.place, form.issued_on),
        title=form.version.title,
        blocks=blocks,
        landscape=kind is FormKind.REGISTER,
    )
