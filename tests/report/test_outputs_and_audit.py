"""Report outputs (CSV, XLSX, PNG) and the audit of printed due dates."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from procflow import (
    Dossier,
    WorkCalendar,
    audit,
    build_report,
    report_csv,
    report_json,
    write_png,
    write_xlsx,
)
from procflow.report import monthly
from tests.evaluation.cases import ev
from tests.report.test_report import HAND


@pytest.fixture(scope="module")
def q1(cal: WorkCalendar) -> Any:
    return build_report(HAND, None, cal, start=date(2025, 1, 1), end=date(2025, 3, 31), by="field")


def test_csv_has_a_row_per_group_and_the_total(q1: Any) -> None:
    lines = report_csv(q1).splitlines()
    assert lines[0].startswith("key,received_total,received_new,received_online,")
    assert [line.split(",")[0] for line in lines[1:]] == ["Hộ tịch", "Đất đai", "total"]
    assert lines[-1].split(",")[1] == "11"


def test_json_round_trips(q1: Any) -> None:
    assert type(q1).model_validate_json(report_json(q1)) == q1


def test_xlsx_is_laid_out_like_form_ii_06a(q1: Any, tmp_path: Path) -> None:
    path = tmp_path / "q1.xlsx"
    write_xlsx(q1, path, title="UBND xã thử")
    sheet = openpyxl.load_workbook(path)["II.06a"]
    assert sheet.title == "II.06a"
    assert sheet["A1"].value == "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH - UBND xã thử"
    assert sheet["A2"].value == "Kỳ báo cáo: từ ngày 01/01/2025 đến ngày 31/03/2025"
    assert sheet["C4"].value == "Số hồ sơ nhận giải quyết"
    assert sheet["B4"].value == "Lĩnh vực"
    assert sheet["E5"].value == "Trực tuyến"
    assert [sheet.cell(row=r, column=2).value for r in (6, 7, 8)] == [
        "Hộ tịch",
        "Đất đai",
        "Tổng cộng",
    ]
    assert sheet["C8"].value == 11
    assert sheet["C8"].font.bold
    assert "C4:H4" in {str(r) for r in sheet.merged_cells.ranges}


def test_png_chart(cal: WorkCalendar, tmp_path: Path) -> None:
    path = tmp_path / "chart.png"
    months = monthly(HAND, None, cal, start=date(2025, 1, 1), end=date(2025, 3, 31))
    assert [m.period_start for m in months] == [
        date(2025, 1, 1),
        date(2025, 2, 1),
        date(2025, 3, 1),
    ]
    write_png(months, path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# -- audit ----------------------------------------------------------------------------------


def _printed(received: str, due: str, limit: str = "02 ngày làm việc", **rules: Any) -> Dossier:
    return Dossier.model_validate(
        {
            "id": f"{received}->{due}",
            "time_limit": limit,
            "due_at": due,
            "events": [ev("received", received)],
            **rules,
        }
    )


@pytest.mark.parametrize(
    ("dossier", "causes"),
    [
        pytest.param(
            _printed("2024-01-31T15:20", "2024-02-02T17:00", cutoff="15:00"),
            ("ignores_cutoff", "counts_receipt_day"),
            id="cutoff",
        ),
        pytest.param(
            _printed("2024-08-29T10:00", "2024-09-03T17:00", "03 ngày làm việc"),
            ("ignores_holidays",),
            id="national-day",
        ),
        pytest.param(
            _printed("2024-05-02T10:00", "2024-05-06T17:00"),
            ("ignores_swapped_saturday", "ignores_holidays"),
            id="swap-saturday",
        ),
        pytest.param(
            _printed("2024-03-04T10:00", "2024-03-05T17:00"),
            ("counts_receipt_day",),
            id="receipt-day",
        ),
        pytest.param(
            _printed("2024-04-26T16:00", "2024-05-21T17:00", "15 ngày"),
            ("calendar_days_as_working_days",),
            id="calendar-days",
        ),
        pytest.param(_printed("2024-03-04T10:00", "2024-03-20T17:00"), (), id="unexplained"),
    ],
)
def test_audit_names_the_likely_mistake(
    cal: WorkCalendar, dossier: Dossier, causes: tuple[str, ...]
) -> None:
    result = audit([dossier], None, cal)
    assert result.checked == 1
    assert result.agreed == 0
    assert result.findings[0].likely_causes == causes


def test_audit_counts_agreements(cal: WorkCalendar) -> None:
    ok = _printed("2024-03-04T10:00", "2024-03-06T17:00")
    missing = Dossier.model_validate(
        {
            "id": "M",
            "time_limit": "02 ngày làm việc",
            "events": [ev("received", "2024-03-04T10:00")],
        }
    )
    result = audit([ok, missing], None, cal)
    assert (result.checked, result.agreed, result.without_due, len(result.findings)) == (1, 1, 1, 0)
