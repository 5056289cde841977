"""The audit of printed due dates as JSON and as an Excel workbook.

Every finding lists every cause that explains the source's date, most likely first
(:func:`procflow.audit.rank_causes`): the JSON keeps them as ``likely_causes``; the
workbook shows the most likely one, the others that explain the same date, and a summary
of how often each cause is named. openpyxl is imported only when a workbook is written.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from procflow.audit import CAUSE_ORDER, CAUSES, AuditFinding, AuditResult
from procflow.calendar import to_local
from procflow.errors import InputError
from procflow.sheets import save_workbook, xlsx_values

__all__ = ["FINDING_COLUMNS", "audit_json", "cause_text", "write_audit_xlsx"]

FINDING_COLUMNS: tuple[str, ...] = (
    "Dòng",
    "Mã hồ sơ",
    "Tiếp nhận",
    "Hẹn trả (hệ thống nguồn)",
    "Hẹn trả (procflow)",
    "Lệch (ngày làm việc)",
    "Lệch (giờ làm việc)",
    "Nguyên nhân có khả năng nhất",
    "Các nguyên nhân khác cũng cho ngày này",
    "Số nguyên nhân",
    "Mô tả nguyên nhân có khả năng nhất",
)
"""The columns of the findings sheet, in order."""


def audit_json(result: AuditResult) -> str:
    """Return the audit as JSON: the counts, every finding with its causes, the rejects.

    Examples:
        >>> import json
        >>> empty = AuditResult(checked=0, agreed=0, without_due=0, findings=(), rejected=())
        >>> sorted(json.loads(audit_json(empty)))
        ['agreed', 'checked', 'findings', 'rejected', 'without_due']
    """
    return result.model_dump_json(indent=2) + "\n"


def cause_text(finding: AuditFinding) -> str:
    """Name a finding's causes in one phrase, the most likely first.

    Examples:
        >>> from datetime import datetime
        >>> f = AuditFinding(row=1, dossier_id="A", received_at=datetime(2024, 1, 31, 15, 20),
        ...     source_due_at=datetime(2024, 2, 2, 17), procflow_due_at=datetime(2024, 2, 5, 17),
        ...     working_days_apart=-1, likely_causes=("ignores_cutoff", "counts_receipt_day"),
        ...     notes=())
        >>> cause_text(f)
        'ignores_cutoff; also explained by: counts_receipt_day'
    """
    causes = finding.likely_causes
    if not causes:
        return "unexplained"
    if len(causes) == 1:
        return causes[0]
    return f"{causes[0]}; also explained by: {', '.join(causes[1:])}"


def _finding_row(finding: AuditFinding) -> list[Any]:
    causes = finding.likely_causes
    return xlsx_values(
        [
            finding.row,
            finding.dossier_id,
            to_local(finding.received_at),
            to_local(finding.source_due_at),
            to_local(finding.procflow_due_at),
            finding.working_days_apart,
            finding.working_hours_apart,
            causes[0] if causes else "",
            ", ".join(causes[1:]),
            len(causes),
            CAUSES[causes[0]] if causes else "no typical mistake gives this date",
        ]
    )


def write_audit_xlsx(result: AuditResult, path: str | Path) -> None:
    """Write the audit as an Excel workbook.

    Sheets: "Sai lệch" (one row per finding: its most likely cause and every other cause
    that gives the same date), "Tổng hợp" (the counts, and per cause how often it is the
    most likely one and how often it is named at all) and, when rows were rejected,
    "Dòng lỗi".

    Args:
        result: The audit.
        path: The ``.xlsx`` file to write.

    Raises:
        InputError: If openpyxl is not installed.
    """
    try:
        import openpyxl
        from openpyxl.styles import Font
    except ImportError as exc:  # pragma: no cover - the excel extra is in the test extra
        raise InputError("this output needs openpyxl: pip install 'procflow[excel]'") from exc
    bold = Font(bold=True)
    book: Any = openpyxl.Workbook()  # typed loosely, as export.py does
    sheet = book.active
    sheet.title = "Sai lệch"
    sheet.append(list(FINDING_COLUMNS))
    for finding in result.findings:
        sheet.append(_finding_row(finding))
    for column in "CDE":
        for cell in sheet[column][1:]:
            cell.number_format = "dd/mm/yyyy hh:mm"
        sheet.column_dimensions[column].width = 18
    for column, width in (("B", 22), ("H", 30), ("I", 60), ("K", 70)):
        sheet.column_dimensions[column].width = width
    for cell in sheet[1]:
        cell.font = bold
    sheet.freeze_panes = "C2"

    summary = book.create_sheet("Tổng hợp")
    for label, value in (
        ("Đã kiểm tra", result.checked),
        ("Khớp với procflow", result.agreed),
        ("Sai lệch", len(result.findings)),
        ("Không có ngày hẹn của hệ thống nguồn", result.without_due),
        ("Dòng lỗi", len(result.rejected)),
        ("Sai lệch có nhiều nguyên nhân cùng giải thích", _ambiguous(result)),
    ):
        summary.append([label, value])
    summary.append([])
    summary.append(["Nguyên nhân", "Có khả năng nhất", "Được nêu", "Mô tả"])
    for cell in summary[summary.max_row]:
        cell.font = bold
    first = Counter(f.likely_causes[0] for f in result.findings if f.likely_causes)
    named = Counter(c for f in result.findings for c in f.likely_causes)
    for cause in CAUSE_ORDER:
        summary.append([cause, first[cause], named[cause], CAUSES[cause]])
    summary.append(["unexplained", sum(1 for f in result.findings if not f.likely_causes), "", ""])
    summary.column_dimensions["A"].width = 44
    summary.column_dimensions["D"].width = 80

    if result.rejected:
        errors = book.create_sheet("Dòng lỗi")
        errors.append(["Dòng", "Mã hồ sơ", "Lý do"])
        for rejected in result.rejected:
            errors.append(xlsx_values([rejected.row, rejected.dossier_id or "", rejected.reason]))
        errors.column_dimensions["C"].width = 100
    save_workbook(book, path)


def _ambiguous(result: AuditResult) -> int:
    return sum(1 for f in result.findings if len(f.likely_causes) > 1)
