"""Form II.06a: the official column order, the formulas, and the workbook's numbers."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from procflow import WorkCalendar, build_report, load_procedures
from procflow.forms.ii06a import COLUMNS, procedure_sections, write_ii06a
from procflow.interchange import read_dossiers
from procflow.report import GroupBy, Report
from tests.forms.samples import EXAMPLES, ROOT, SCREENSHOTS

HEADINGS = [
    "Tổng số",
    "Trực tuyến",
    "Trực tiếp và dịch vụ bưu chính",
    "Từ kỳ trước chuyển qua",
    "Tổng số",
    "Trước hạn",
    "Đúng hạn",
    "Quá hạn",
    "Tổng số",
    "Trong hạn",
    "Quá hạn",
]


@pytest.fixture(scope="module")
def report(cal: WorkCalendar) -> Report:
    table = read_dossiers(EXAMPLES / "dossiers-2025.csv")
    library = load_procedures(ROOT / "specs")
    return build_report(
        table, library, cal, start=date(2025, 1, 1), end=date(2025, 6, 30), by=GroupBy.PROCEDURE
    )


@pytest.fixture(scope="module")
def workbook(report: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    table = read_dossiers(EXAMPLES / "dossiers-2025.csv")
    path = tmp_path_factory.mktemp("ii06a") / "ii06a.xlsx"
    write_ii06a(
        report,
        path,
        agency="UBND phường Hoàn Kiếm",
        signer="Nguyễn Văn A",
        sections=procedure_sections(table.dossiers, None),
        labels={key: versions[-1].name_vi for key, versions in load_procedures().items()},
    )
    return path


def test_columns_in_the_official_order(workbook: Path) -> None:
    sheet = openpyxl.load_workbook(workbook).active
    assert sheet is not None
    assert [c.value for c in sheet[7][2:13]] == HEADINGS
    assert [sheet.cell(row=6, column=c).value for c in (3, 7, 11)] == [
        "Số hồ sơ nhận giải quyết",
        "Số hồ sơ đã giải quyết",
        "Số hồ sơ đang giải quyết",
    ]
    assert "UBND PHƯỜNG HOÀN KIẾM" in str(sheet["A2"].value)
    assert sheet["A3"].value == "Kỳ báo cáo: từ ngày 01/01/2025 đến ngày 30/06/2025"


def test_totals_are_formulas(workbook: Path) -> None:
    sheet = openpyxl.load_workbook(workbook).active
    assert sheet is not None
    # Row 9 is the first section's subtotal, row 10 its first procedure.
    assert sheet["C10"].value == "=D10+E10+F10"
    assert sheet["G10"].value == "=H10+I10+J10"
    assert sheet["K10"].value == "=L10+M10"
    assert str(sheet["C9"].value).startswith("=C10+")
    names = [sheet.cell(row=r, column=2).value for r in range(9, sheet.max_row + 1)]
    assert "Tổng cộng" in names
    assert "THỦ TRƯỞNG CƠ QUAN" not in names


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice not installed")
def test_libreoffice_recomputes_the_report(workbook: Path, report: Report) -> None:
    out = workbook.parent
    subprocess.run(
        [
            "libreoffice",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(out),
            str(workbook),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    with (out / "ii06a.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    total = next(r for r in rows if len(r) > 1 and r[1] == "Tổng cộng")
    expected = report.total
    assert [int(v) for v in total[2:13]] == [
        expected.received_online
        + expected.received_in_person
        + expected.received_post
        + expected.carried_over,
        expected.received_online,
        expected.received_in_person + expected.received_post,
        expected.carried_over,
        expected.resolved_total,
        expected.resolved_early,
        expected.resolved_on_time,
        expected.resolved_late,
        expected.in_progress_total,
        expected.in_progress_in_time,
        expected.in_progress_overdue,
    ]
    assert expected.received_total == int(total[2])
    assert len(COLUMNS) == 11
    if os.environ.get("PROCFLOW_REGEN") == "1" and shutil.which("pdftoppm"):
        _screenshot(workbook)


def _screenshot(workbook: Path) -> None:
    out = workbook.parent
    convert = ["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(out)]
    subprocess.run([*convert, str(workbook)], check=True, capture_output=True, timeout=120)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf, png = str(out / "ii06a.pdf"), str(SCREENSHOTS / "ii06a")
    render = ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile"]
    subprocess.run([*render, pdf, png], check=True, timeout=60)
