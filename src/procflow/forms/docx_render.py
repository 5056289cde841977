"""Draw a form as a Word document (DOCX), the file offices edit and print.

Needs ``python-docx`` (extra ``forms``); it is imported only here, so the core stays light.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

from procflow.errors import InputError
from procflow.forms.layout import MOTTO, Layout, Signature, Table, Text, layout
from procflow.forms.models import Form
from procflow.io import atomic_write

__all__ = ["docx_bytes", "write_docx", "write_layout_docx"]

_FONT = "Times New Roman"


def _docx() -> Any:
    try:
        import docx
        import docx.enum.section
        import docx.enum.text
        import docx.shared
    except ImportError as exc:  # the extra is optional
        raise InputError(f"DOCX forms need procflow[forms] (python-docx): {exc}") from exc
    return docx


def _paragraph(
    container: Any,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    center: bool = False,
    size: float | None = None,
    underline: bool = False,
) -> Any:
    docx = _docx()
    paragraph = container.add_paragraph()
    if center:
        paragraph.alignment = docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = docx.shared.Pt(3)
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    if size is not None:
        run.font.size = docx.shared.Pt(size)
    return paragraph


def _cell(
    cell: Any, text: str, *, bold: bool = False, center: bool = False, size: float | None = None
) -> None:
    # The first paragraph exists already; a "\n" in the text is a line break.
    paragraph = cell.paragraphs[0]
    if center:
        paragraph.alignment = _docx().enum.text.WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold
    if size is not None:
        run.font.size = _docx().shared.Pt(size)


def _grid(document: Any, table: Table) -> None:
    element = document.add_table(rows=1 + len(table.rows), cols=len(table.headers))
    element.style = "Table Grid"
    _widths(element, table.widths, document)
    size = 9.0 if table.small else None
    for column, heading in enumerate(table.headers):
        _cell(element.cell(0, column), heading, bold=True, center=True, size=size)
    for number, row in enumerate(table.rows, start=1):
        for column, text in enumerate(row):
            _cell(element.cell(number, column), text, size=size)


def _widths(element: Any, widths: tuple[float, ...], document: Any) -> None:
    if not widths:
        return
    section = document.sections[0]
    usable = section.page_width - section.left_margin - section.right_margin
    element.autofit = False
    total = sum(widths)
    # Word reads the cells' widths, LibreOffice the grid's: set both.
    for column, share in zip(element.columns, widths, strict=True):
        column.width = int(usable * share / total)
    for row in element.rows:
        for cell, share in zip(row.cells, widths, strict=True):
            cell.width = int(usable * share / total)


def _signature(document: Any, signature: Signature) -> None:
    element = document.add_table(rows=1, cols=len(signature.blocks))
    for column, (role, hint, name) in enumerate(signature.blocks):
        cell = element.cell(0, column)
        _cell(cell, role, bold=True, center=True)
        _paragraph(cell, hint, italic=True, center=True)
        for _ in range(3):
            cell.add_paragraph()
        _paragraph(cell, name, bold=True, center=True)


def _build(page: Layout) -> Any:
    docx = _docx()
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = _FONT
    style.font.size = docx.shared.Pt(13)
    section = document.sections[0]
    if page.landscape:
        section.orientation = docx.enum.section.WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = docx.shared.Mm(297), docx.shared.Mm(210)
    else:
        section.page_width, section.page_height = docx.shared.Mm(210), docx.shared.Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, docx.shared.Mm(20))
    label = _paragraph(document, page.label, italic=True, size=11)
    label.alignment = docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    head = document.add_table(rows=1, cols=2)
    _widths(head, (4, 6), document)
    left, right = head.cell(0, 0), head.cell(0, 1)
    lines = [*page.head, page.number]
    _cell(left, lines[0], bold=len(lines) > 1, center=True)
    for number, line in enumerate(lines[1:], start=1):
        _paragraph(left, line, bold=number < len(lines) - 1, center=True)
    _cell(right, MOTTO[0], bold=True, center=True)
    right.paragraphs[0].runs[0].font.size = docx.shared.Pt(12)
    _paragraph(right, MOTTO[1], bold=True, center=True, underline=True)
    _paragraph(right, page.date_line, italic=True, center=True)
    _paragraph(document, page.title, bold=True, center=True, size=14)
    for block in page.blocks:
        if isinstance(block, Text):
            _paragraph(
                document,
                block.text,
                bold=block.style == "bold",
                italic=block.style == "italic",
                center=block.style == "center",
            )
        elif isinstance(block, Table):
            _grid(document, block)
        else:
            _signature(document, block)
    return document


def write_layout_docx(page: Layout, path: str | Path) -> None:
    """Write a laid-out page as a DOCX file, atomically."""
    document = _build(page)
    atomic_write(path, lambda temporary: document.save(str(temporary)))


def write_docx(form: Form, path: str | Path) -> None:
    """Write a form as a Word document: A4, Times New Roman 13, the national motto, its layout.

    Args:
        form: Any form.
        path: The ``.docx`` file to write (replaced atomically).

    Raises:
        InputError: If python-docx is not installed (extra ``forms``).
    """
    write_layout_docx(layout(form), path)


def docx_bytes(form: Form) -> bytes:
    """Draw a form as a Word document in memory (what a web service answers).

    Args:
        form: Any form.

    Returns:
        The ``.docx`` file's bytes, the same document :func:`write_docx` writes.

    Raises:
        InputError: If python-docx is not installed (extra ``forms``).
    """
    buffer = BytesIO()
    _build(layout(form)).save(buffer)
    return buffer.getvalue()
