"""Writing reports: JSON, CSV, XLSX laid out like form II.06a, and a PNG chart.

XLSX needs ``openpyxl`` (extra ``excel``), PNG needs ``matplotlib`` (extra ``chart``); they are
imported only when asked for, so the core stays light for embedding.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from procflow.errors import InputError
from procflow.io import atomic_write
from procflow.report import Report, ReportRow

__all__ = ["COLUMNS", "report_csv", "report_json", "write_png", "write_xlsx"]

COLUMNS: tuple[tuple[str, str], ...] = (
    ("key", "Nhóm"),
    ("received_total", "Số hồ sơ nhận giải quyết - Tổng số"),
    ("received_new", "Mới tiếp nhận trong kỳ"),
    ("received_online", "Trực tuyến"),
    ("received_in_person", "Trực tiếp"),
    ("received_post", "Dịch vụ bưu chính"),
    ("carried_over", "Từ kỳ trước chuyển qua"),
    ("resolved_total", "Đã giải quyết - Tổng số"),
    ("resolved_early", "Trước hạn"),
    ("resolved_on_time", "Đúng hạn"),
    ("resolved_late", "Quá hạn"),
    ("resolved_late_with_apology", "Quá hạn có văn bản xin lỗi"),
    ("resolved_late_without_apology", "Quá hạn không có văn bản xin lỗi"),
    ("resolved_refused", "Từ chối"),
    ("in_progress_total", "Đang giải quyết - Tổng số"),
    ("in_progress_in_time", "Trong hạn"),
    ("in_progress_overdue", "Quá hạn"),
    ("in_progress_waiting", "Chờ bổ sung"),
    ("withdrawn", "Rút hồ sơ"),
    ("early_rate", "Tỷ lệ trước hạn (%)"),
    ("on_time_rate", "Tỷ lệ đúng hạn (%)"),
    ("late_rate", "Tỷ lệ quá hạn (%)"),
    ("timely_rate", "Tỷ lệ trước và đúng hạn (%)"),
    ("mean_working_days", "Thời gian giải quyết trung bình (ngày làm việc)"),
    ("d766_on_time_rate", "Chỉ số đúng hạn theo QĐ 766 (%)"),
)
"""Report columns: key and Vietnamese heading, in the order of the CSV and XLSX."""


def report_json(report: Report) -> str:
    """The report as JSON: ``rows`` (one per group), ``total``, the period and rejected rows."""
    return report.model_dump_json(indent=2)


def _rows(report: Report) -> list[ReportRow]:
    return [*report.rows, report.total]


def report_csv(report: Report) -> str:
    """The report as CSV: one line per group and a last line ``total``; English keys as header.

    Examples:
        >>> r = Report(period_start=date(2025, 1, 1), period_end=date(2025, 3, 31), by=None,
        ...            rows=(), total=ReportRow(key="total"), dossiers=0)
        >>> report_csv(r).splitlines()[0][:40]
        'key,received_total,received_new,received'
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([key for key, _ in COLUMNS])
    for row in _rows(report):
        data = row.model_dump()
        writer.writerow(["" if data[key] is None else data[key] for key, _ in COLUMNS])
    return out.getvalue()


def _need(module: str, extra: str) -> Any:
    try:
        return __import__(module, fromlist=["_"])
    except ImportError as exc:
        raise InputError(f"this output needs {module}: pip install 'procflow[{extra}]'") from exc


_GROUP_HEADINGS = {
    None: "Tổng hợp",
    "field": "Lĩnh vực",
    "procedure": "Thủ tục",
    "office": "Cơ quan tiếp nhận",
    "agency": "Cơ quan giải quyết",
    "channel": "Hình thức nộp",
    "unit": "Bộ phận",
    "officer": "Cán bộ, công chức",
    "step": "Bước vượt thời gian nhiều nhất",
    "service_level": "Mức độ dịch vụ công trực tuyến",
    "inter_agency": "Liên thông",
}


def write_xlsx(report: Report, path: str | Path, *, title: str = "") -> None:  # noqa: C901
    """Write the report as an Excel sheet laid out like form II.06a, with Vietnamese headings.

    Args:
        report: The report.
        path: The ``.xlsx`` file to write.
        title: The agency or unit named in the title (optional).

    Raises:
        InputError: If openpyxl is not installed.
    """
    openpyxl = _need("openpyxl", "excel")
    styles = _need("openpyxl.styles", "excel")
    utils = _need("openpyxl.utils", "excel")
    bold = styles.Font(bold=True)
    center = styles.Alignment(horizontal="center", vertical="center", wrap_text=True)
    thin = styles.Side(style="thin")
    box = styles.Border(left=thin, right=thin, top=thin, bottom=thin)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "II.06a"
    width = len(COLUMNS) + 1
    last = utils.get_column_letter(width)
    sheet["A1"] = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" + (
        f" - {title}" if title else ""
    )
    sheet["A2"] = (
        f"Kỳ báo cáo: từ ngày {report.period_start:%d/%m/%Y} đến ngày {report.period_end:%d/%m/%Y}"
    )
    for cell in ("A1", "A2"):
        sheet.merge_cells(f"{cell}:{last}{cell[1:]}")
        sheet[cell].alignment = center
    sheet["A1"].font = styles.Font(bold=True, size=13)
    # Two heading rows: groups of columns, then the columns.
    groups = [
        ("Số hồ sơ nhận giải quyết", 3, 8),
        ("Kết quả giải quyết - Đã giải quyết", 9, 15),
        ("Đang giải quyết", 16, 19),
        ("Tỷ lệ và thời gian", 21, 26),
    ]
    sheet.cell(row=4, column=1, value="STT")
    sheet.cell(row=4, column=2, value=_GROUP_HEADINGS.get(report.by.value if report.by else None))
    for text, first, end in groups:
        sheet.cell(row=4, column=first, value=text)
        sheet.merge_cells(start_row=4, start_column=first, end_row=4, end_column=end)
    sheet.cell(row=4, column=20, value="Rút hồ sơ")
    for column in (1, 2, 20):
        sheet.merge_cells(start_row=4, start_column=column, end_row=5, end_column=column)
    for index, (_, heading) in enumerate(COLUMNS[1:], start=3):
        if index != 20:
            sheet.cell(row=5, column=index, value=heading)
    for row in sheet.iter_rows(min_row=4, max_row=5, max_col=width):
        for cell in row:
            cell.font, cell.alignment, cell.border = bold, center, box
    sheet.row_dimensions[5].height = 60
    for number, data_row in enumerate(_rows(report), start=1):
        values = data_row.model_dump()
        is_total = data_row is report.total
        excel_row = 5 + number
        sheet.cell(row=excel_row, column=1, value="" if is_total else number)
        sheet.cell(
            row=excel_row,
            column=2,
            value="Tổng cộng" if is_total else (values["key"] or "(không rõ)"),
        )
        for index, (key, _) in enumerate(COLUMNS[1:], start=3):
            cell = sheet.cell(row=excel_row, column=index, value=values[key])
            if key.endswith("rate") or key == "mean_working_days":
                cell.number_format = "0.00"
        for cell in sheet[excel_row][:width]:
            cell.border = box
            if is_total:
                cell.font = bold
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 36
    for index in range(3, width + 1):
        sheet.column_dimensions[utils.get_column_letter(index)].width = 12
    sheet.freeze_panes = "C6"
    if report.rejected:
        errors = book.create_sheet("Dòng lỗi")
        errors.append(["Dòng", "Mã hồ sơ", "Lý do"])
        for rejected in report.rejected:
            errors.append([rejected.row, rejected.dossier_id or "", rejected.reason])
        errors.column_dimensions["C"].width = 100
    atomic_write(path, lambda temporary: book.save(temporary))


def write_png(months: Sequence[Report], path: str | Path, *, title: str = "") -> None:
    """Draw resolved dossiers per month, stacked early / on time / late, as a PNG.

    Args:
        months: One report per month (see :func:`procflow.report.monthly`).
        path: The ``.png`` file to write.
        title: The chart's title.

    Raises:
        InputError: If matplotlib is not installed.
    """
    matplotlib = _need("matplotlib", "chart")
    matplotlib.use("Agg")  # no screen needed
    plt = _need("matplotlib.pyplot", "chart")
    labels = [f"{m.period_start:%m/%Y}" for m in months]
    early = [m.total.resolved_early for m in months]
    on_time = [m.total.resolved_on_time for m in months]
    late = [m.total.resolved_late for m in months]
    figure, axes = plt.subplots(figsize=(10, 5), dpi=100)
    axes.bar(labels, early, label="Trước hạn (early)", color="#2e7d32")
    axes.bar(labels, on_time, bottom=early, label="Đúng hạn (on time)", color="#1565c0")
    axes.bar(
        labels,
        late,
        bottom=[a + b for a, b in zip(early, on_time, strict=True)],
        label="Quá hạn (late)",
        color="#c62828",
    )
    axes.set_ylabel("Hồ sơ đã giải quyết (resolved)")
    axes.set_title(title or "Kết quả giải quyết hồ sơ theo tháng")
    axes.legend()
    axes.tick_params(axis="x", rotation=45)
    figure.tight_layout()
    atomic_write(path, lambda temporary: figure.savefig(temporary, format="png"))
    plt.close(figure)
