"""Golden files of every form (JSON data and HTML page), and the DOCX's structure.

Regenerate with ``PROCFLOW_REGEN=1 make unit`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from procflow import WorkCalendar
from procflow.forms import ControlSlip, ReceiptSlip, render_html
from procflow.forms.docx_render import write_docx
from procflow.forms.layout import MOTTO
from tests.forms.samples import GOLDEN, SAMPLES, sample

REGEN = os.environ.get("PROCFLOW_REGEN") == "1"
NAMES = [s[0] for s in SAMPLES]


def _check(path: Path, text: str) -> None:
    if REGEN:
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"{path} missing: run with PROCFLOW_REGEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{path} differs (PROCFLOW_REGEN=1)"


@pytest.mark.parametrize("name", NAMES)
def test_json_golden(name: str, cal: WorkCalendar) -> None:
    _check(GOLDEN / f"{name}.json", sample(name, cal).model_dump_json(indent=2) + "\n")


@pytest.mark.parametrize("name", NAMES)
def test_html_golden(name: str, cal: WorkCalendar) -> None:
    _check(GOLDEN / f"{name}.html", render_html(sample(name, cal)))


def _docx_texts(path: Path) -> tuple[list[str], list[list[list[str]]]]:
    import docx

    document = docx.Document(str(path))
    paragraphs = [p.text for p in document.paragraphs]
    tables = [[[cell.text for cell in row.cells] for row in t.rows] for t in document.tables]
    return paragraphs, tables


@pytest.mark.parametrize("name", NAMES)
def test_docx_has_head_and_title(name: str, cal: WorkCalendar, tmp_path: Path) -> None:
    form = sample(name, cal)
    write_docx(form, tmp_path / "form.docx")
    paragraphs, tables = _docx_texts(tmp_path / "form.docx")
    assert paragraphs[0] == form.version.label
    motto_cell = tables[0][0][1]
    assert MOTTO[0] in motto_cell
    assert MOTTO[1] in motto_cell
    assert form.version.title in paragraphs


def test_docx_receipt_prints_the_due_date(cal: WorkCalendar, tmp_path: Path) -> None:
    form = sample("receipt", cal)
    assert isinstance(form, ReceiptSlip)
    write_docx(form, tmp_path / "r.docx")
    paragraphs, tables = _docx_texts(tmp_path / "r.docx")
    # CFS (Hà Tĩnh QĐ 2904), 3 working days from Monday 9/3/2026 08:00: due Thursday 12/3.
    assert (
        "5. Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 12 tháng 03 năm 2026"
        in paragraphs
    )
    components = tables[1]
    assert components[0] == ["STT", "Tên loại giấy tờ", "Hình thức", "Số lượng"]
    assert components[2] == [
        "2",
        "Giấy chứng nhận đăng ký doanh nghiệp",
        "bản sao có chứng thực",
        "01",
    ]


def test_docx_control_slip_rows(cal: WorkCalendar, tmp_path: Path) -> None:
    form = sample("control", cal)
    assert isinstance(form, ControlSlip)
    write_docx(form, tmp_path / "c.docx")
    _, tables = _docx_texts(tmp_path / "c.docx")
    rows = tables[1][1:]
    assert len(rows) == len(form.hand_overs) == 5
    assert rows[0][1].splitlines() == [
        "Giao: Bộ phận Một cửa, Trung tâm Phục vụ hành chính công tỉnh",
        "Nhận: Phòng Quản lý thương mại",
    ]
    assert [r[4] for r in rows] == [
        "đúng hạn",
        "quá hạn",
        "quá hạn",
        "quá hạn",
        "đang giải quyết quá hạn",
    ]
