"""The periodic report on form II.06a as a filable workbook (XLSX), from a ``Report``.

The columns follow the form's order: received (total, online, in person and by post,
carried over from the previous period), resolved (total, early, on time, late), in progress
(total, in time, overdue). The totals are Excel formulas, so an officer who corrects a
count sees the totals follow: each row's totals sum its parts, each section's subtotal and
the grand total sum their rows. Needs ``openpyxl`` (extra ``forms`` or ``excel``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from procflow.dossier import Dossier
from procflow.errors import InputError
from procflow.io import atomic_write
from procflow.procedure import ProcedureLibrary
from procflow.report import GroupBy, Report, ReportRow

__all__ = ["COLUMNS", "procedure_sections", "write_ii06a"]

COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("received_total", "Số hồ sơ nhận giải quyết", "Tổng số"),
    ("received_online", "Số hồ sơ nhận giải quyết", "Trực tuyến"),
    ("received_in_person_and_post", "Số hồ sơ nhận giải quyết", "Trực tiếp và dịch vụ bưu chính"),
    ("carried_over", "Số hồ sơ nhận giải quyết", "Từ kỳ trước chuyển qua"),
    ("resolved_total", "Số hồ sơ đã giải quyết", "Tổng số"),
    ("resolved_early", "Số hồ sơ đã giải quyết", "Trước hạn"),
    ("resolved_on_time", "Số hồ sơ đã giải quyết", "Đúng hạn"),
    ("resolved_late", "Số hồ sơ đã giải quyết", "Quá hạn"),
    ("in_progress_total", "Số hồ sơ đang giải quyết", "Tổng số"),
    ("in_progress_in_time", "Số hồ sơ đang giải quyết", "Trong hạn"),
    ("in_progress_overdue", "Số hồ sơ đang giải quyết", "Quá hạn"),
)
"""The count columns after STT and the row name: key, group heading, heading."""

_FIRST = 3  # column C: the first count column
_TOTALS = {  # a total column and the columns it sums (0-based in COLUMNS)
    0: (1, 2, 3),
    4: (5, 6, 7),
    8: (9, 10),
}
_HEADINGS = {GroupBy.FIELD: "Lĩnh vực giải quyết", GroupBy.PROCEDURE: "Thủ tục hành chính"}


def _value(row: ReportRow, key: str) -> int:
    if key == "received_in_person_and_post":
        return row.received_in_person + row.received_post
    value = getattr(row, key)
    assert isinstance(value, int)
    return value


def procedure_sections(
    dossiers: Iterable[Dossier], library: ProcedureLibrary | None
) -> dict[str, str]:
    """The field of each procedure, to group a by-procedure report under field subtotals.

    A dossier's own ``field`` wins; otherwise its procedure's field in the library.

    Examples:
        >>> d = Dossier.model_validate({"id": "1", "procedure_id": "p", "field": "Hộ tịch",
        ...     "events": [{"type": "received", "at": "2025-03-03T09:00"}]})
        >>> procedure_sections([d], None)
        {'p': 'Hộ tịch'}
    """
    sections: dict[str, str] = {}
    for dossier in dossiers:
        key = dossier.procedure_id or (str(dossier.time_limit) if dossier.time_limit else "")
        field = dossier.field
        known = dossier.procedure_id
        if not field and library is not None and known is not None and known in library:
            field = library[known][-1].field
        sections.setdefault(key, field)
    return sections


def _openpyxl() -> Any:
    try:
        import openpyxl
        import openpyxl.styles
        import openpyxl.utils
    except ImportError as exc:  # the extra is optional
        raise InputError(f"form II.06a needs procflow[forms] (openpyxl): {exc}") from exc
    return openpyxl


def write_ii06a(
    report: Report,
    path: str | Path,
    *,
    agency: str = "",
    signer: str = "",
    sections: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
) -> None:
    """Write the report on form II.06a: title, two heading rows, rows, totals, signatures.

    Args:
        report: The report, grouped by field or by procedure.
        path: The ``.xlsx`` file to write (replaced atomically).
        agency: The reporting agency, named in the title.
        signer: Who signs (the head of the agency).
        sections: For a report by procedure, each row key's field: rows are then grouped
            under one subtotal row per field (see :func:`procedure_sections`).
        labels: A printed name for each row key (e.g. a procedure's name for its id).

    Raises:
        InputError: If openpyxl is missing, or the report is not grouped by field or procedure.
    """
    if report.by not in (GroupBy.FIELD, GroupBy.PROCEDURE):
        raise InputError(
            f"form II.06a has rows by field or by procedure; the report is grouped by "
            f"{report.by.value if report.by else 'nothing'}"
        )
    sheet = _Sheet(_openpyxl())
    sheet.title(report, agency)
    sheet.headings(_HEADINGS[report.by])
    sheet.body(sorted(report.rows, key=lambda r: r.key), sections or {}, labels or {})
    sheet.signature(signer)
    atomic_write(path, lambda temporary: sheet.book.save(temporary))


_LAST = _FIRST + len(COLUMNS) - 1


class _Sheet:
    """The II.06a sheet being written, row by row."""

    def __init__(self, openpyxl: Any) -> None:
        styles = openpyxl.styles
        self.letter = openpyxl.utils.get_column_letter
        self.styles = styles
        self.bold = styles.Font(bold=True)
        self.italic = styles.Font(italic=True)
        self.center = styles.Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.wrap = styles.Alignment(wrap_text=True, vertical="center")
        thin = styles.Side(style="thin")
        self.box = styles.Border(left=thin, right=thin, top=thin, bottom=thin)
        self.book = openpyxl.Workbook()
        self.sheet = self.book.active
        self.sheet.title = "II.06a"
        self.row = 9  # the first data row, after the headings and column numbers

    def merged(
        self, row: int, text: str, *, font: Any = None, first: int = 1, end: int = _LAST
    ) -> None:
        cell = self.sheet.cell(row=row, column=first, value=text)
        self.sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=end)
        cell.alignment = self.center
        if font is not None:
            cell.font = font

    def title(self, report: Report, agency: str) -> None:
        self.merged(1, "Biểu số II.06a/VPCP/KSTT", font=self.italic, first=_LAST - 3)
        self.merged(
            2,
            "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
            + (f" TẠI {agency.upper()}" if agency else ""),
            font=self.styles.Font(bold=True, size=13),
        )
        self.merged(
            3,
            f"Kỳ báo cáo: từ ngày {report.period_start:%d/%m/%Y} "
            f"đến ngày {report.period_end:%d/%m/%Y}",
            font=self.italic,
        )
        self.merged(4, f"Đơn vị báo cáo: {agency or '……………'}", first=1, end=6)
        self.merged(4, "Đơn vị tính: số hồ sơ TTHC", first=_LAST - 3)

    def headings(self, rows_heading: str) -> None:
        # Heading rows 6-7, column numbers in row 8.
        sheet = self.sheet
        sheet.cell(row=6, column=1, value="STT")
        sheet.cell(row=6, column=2, value=rows_heading)
        for column in (1, 2):
            sheet.merge_cells(start_row=6, start_column=column, end_row=7, end_column=column)
        groups: dict[str, list[int]] = {}
        for index, (_, group, heading) in enumerate(COLUMNS):
            groups.setdefault(group, []).append(_FIRST + index)
            sheet.cell(row=7, column=_FIRST + index, value=heading)
        for group, columns in groups.items():
            sheet.cell(row=6, column=columns[0], value=group)
            sheet.merge_cells(
                start_row=6, start_column=columns[0], end_row=6, end_column=columns[-1]
            )
        for column in range(1, _LAST + 1):
            sheet.cell(row=8, column=column, value=f"({column})")
        for row in sheet.iter_rows(min_row=6, max_row=8, max_col=_LAST):
            for cell in row:
                cell.font, cell.alignment, cell.border = self.bold, self.center, self.box
        sheet.row_dimensions[7].height = 45
        sheet.column_dimensions["A"].width = 6
        sheet.column_dimensions["B"].width = 42
        for column in range(_FIRST, _LAST + 1):
            sheet.column_dimensions[self.letter(column)].width = 12

    def write(self, number: str, name: str, values: list[int | str], *, strong: bool) -> None:
        sheet = self.sheet
        sheet.cell(row=self.row, column=1, value=number)
        sheet.cell(row=self.row, column=2, value=name).alignment = self.wrap
        for index, value in enumerate(values):
            sheet.cell(row=self.row, column=_FIRST + index, value=value)
        for cell in sheet[self.row][:_LAST]:
            cell.border = self.box
            if strong:
                cell.font = self.bold
        self.row += 1

    def counts(self, row: ReportRow) -> list[int | str]:
        """A data row's counts, its totals as formulas over its own parts."""
        values: list[int | str] = [_value(row, key) for key, _, _ in COLUMNS]
        for total, parts in _TOTALS.items():
            cells = "+".join(f"{self.letter(_FIRST + p)}{self.row}" for p in parts)
            values[total] = f"={cells}"
        return values

    def sums(self, rows: list[int]) -> list[int | str]:
        """A subtotal or total row: every column the sum of ``rows``."""
        return [
            "=" + "+".join(f"{self.letter(_FIRST + index)}{r}" for r in rows) if rows else 0
            for index in range(len(COLUMNS))
        ]

    def body(
        self, rows: list[ReportRow], sections: Mapping[str, str], names: Mapping[str, str]
    ) -> None:
        def name(data: ReportRow) -> str:
            return names.get(data.key, data.key) or "(không rõ)"

        total_rows: list[int] = []
        if not sections:
            for number, data in enumerate(rows, start=1):
                total_rows.append(self.row)
                self.write(str(number), name(data), self.counts(data), strong=False)
        else:
            by_section: dict[str, list[ReportRow]] = {}
            for data in rows:
                by_section.setdefault(sections.get(data.key, ""), []).append(data)
            for number, (section, members) in enumerate(sorted(by_section.items()), start=1):
                head = self.row
                total_rows.append(head)
                self.row += 1  # the subtotal row is written once its members' rows are known
                member_rows = []
                for sub, data in enumerate(members, start=1):
                    member_rows.append(self.row)
                    self.write(f"{number}.{sub}", name(data), self.counts(data), strong=False)
                after, self.row = self.row, head
                label = section or "(không rõ lĩnh vực)"
                self.write(str(number), label, self.sums(member_rows), strong=True)
                self.row = after
        self.write("", "Tổng cộng", self.sums(total_rows), strong=True)

    def signature(self, signer: str) -> None:
        sign = self.row + 1
        self.merged(sign, "NGƯỜI LẬP BIỂU", font=self.bold, first=1, end=4)
        self.merged(sign + 1, "(Ký, ghi rõ họ tên)", font=self.italic, first=1, end=4)
        self.merged(sign, "THỦ TRƯỞNG CƠ QUAN", font=self.bold, first=_LAST - 4)
        self.merged(sign + 1, "(Ký, ghi rõ họ tên, đóng dấu)", font=self.italic, first=_LAST - 4)
        if signer:
            self.merged(sign + 5, signer, font=self.bold, first=_LAST - 4)
        sheet = self.sheet
        sheet.freeze_panes = "C9"
        sheet.print_title_rows = "6:8"
        sheet.page_setup.orientation = "landscape"
        # One page wide, as many pages tall as the rows need.
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
