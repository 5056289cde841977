"""Draw a form as a standalone HTML page (no template engine; every text is escaped).

The page is built as an element tree (:mod:`xml.etree.ElementTree`), so every value a
dossier or a user supplied is text, never markup.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from procflow.forms.layout import MOTTO, Layout, Signature, Table, Text, layout
from procflow.forms.models import Form

__all__ = ["STYLE", "render_html", "render_layout_html"]

STYLE = """
body { font-family: "Times New Roman", serif; font-size: 13pt; margin: 2em; }
article.form { max-width: 60em; margin: auto; }
article.landscape { max-width: 90em; }
.label { text-align: right; font-style: italic; font-size: 11pt; }
table.head { width: 100%; border-collapse: collapse; }
table.head td { width: 50%; text-align: center; vertical-align: top; }
.motto1 { font-weight: bold; }
.motto2 { font-weight: bold; text-decoration: underline; }
.dateline { font-style: italic; }
h1 { text-align: center; font-size: 14pt; margin: 1em 0 0.3em; }
p { margin: 0.3em 0; }
p.center { text-align: center; }
p.bold { font-weight: bold; }
p.italic { font-style: italic; }
table.grid { width: 100%; border-collapse: collapse; margin: 0.5em 0; }
table.grid th, table.grid td { border: 1px solid #000; padding: 0.2em 0.4em; }
table.small { font-size: 9pt; }
table.sign { width: 100%; margin-top: 1.5em; }
table.sign td { text-align: center; vertical-align: top; }
.role { font-weight: bold; }
.hint { font-style: italic; }
.name { margin-top: 4em; font-weight: bold; }
@page { size: A4; margin: 20mm; }
@page wide { size: A4 landscape; margin: 15mm; }
@media print {
  body { margin: 0; }
  article.form { max-width: none; }
  article.landscape { page: wide; }
  table.grid tr, table.sign { break-inside: avoid; }
}
"""
"""The page's stylesheet (A4 proportions, Times New Roman as printed forms use); printed on
A4 with the DOCX's 20 mm margins, the register on a landscape page."""


def _lines(parent: ET.Element, text: str) -> None:
    # A cell's "\n" is a line break: text, <br>, text...
    parts = text.split("\n")
    parent.text = parts[0]
    for part in parts[1:]:
        ET.SubElement(parent, "br").tail = part


def _p(parent: ET.Element, text: str, cls: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, "p", {"class": cls} if cls else {})
    element.text = text
    return element


def _grid(parent: ET.Element, table: Table) -> None:
    element = ET.SubElement(parent, "table", {"class": "grid small" if table.small else "grid"})
    head = ET.SubElement(ET.SubElement(element, "thead"), "tr")
    for heading in table.headers:
        ET.SubElement(head, "th").text = heading
    body = ET.SubElement(element, "tbody")
    for row in table.rows:
        tr = ET.SubElement(body, "tr")
        for cell in row:
            _lines(ET.SubElement(tr, "td"), cell)


def _signature(parent: ET.Element, signature: Signature) -> None:
    row = ET.SubElement(ET.SubElement(parent, "table", {"class": "sign"}), "tr")
    for role, hint, name in signature.blocks:
        cell = ET.SubElement(row, "td")
        _p(cell, role, "role")
        _p(cell, hint, "hint")
        _p(cell, name, "name")


def render_layout_html(page: Layout) -> str:
    """Draw a laid-out page as an HTML document (UTF-8 text)."""
    root = ET.Element("html", {"lang": "vi"})
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "meta", {"charset": "utf-8"})
    ET.SubElement(head, "title").text = page.title
    ET.SubElement(head, "style").text = STYLE
    body = ET.SubElement(root, "body")
    classes = f"form form-{page.kind}" + (" landscape" if page.landscape else "")
    article = ET.SubElement(body, "article", {"class": classes})
    _p(article, page.label, "label")
    row = ET.SubElement(ET.SubElement(article, "table", {"class": "head"}), "tr")
    left = ET.SubElement(row, "td")
    for line in page.head:
        _p(left, line, "bold")
    _p(left, page.number)
    right = ET.SubElement(row, "td")
    _p(right, MOTTO[0], "motto1")
    _p(right, MOTTO[1], "motto2")
    _p(right, page.date_line, "dateline")
    ET.SubElement(article, "h1").text = page.title
    for block in page.blocks:
        if isinstance(block, Text):
            _p(article, block.text, None if block.style == "plain" else block.style)
        elif isinstance(block, Table):
            _grid(article, block)
        else:
            _signature(article, block)
    ET.indent(root, space=" ")
    return "<!DOCTYPE html>\n" + ET.tostring(root, encoding="unicode", method="html") + "\n"


def render_html(form: Form) -> str:
    """Draw a form as an HTML page, in Vietnamese, with the national motto.

    Args:
        form: Any form.

    Returns:
        The HTML document.

    Examples:
        >>> from datetime import date, datetime
        >>> from procflow.forms import FormKind, form_version
        >>> from procflow.forms.models import Register
        >>> r = Register(version=form_version(FormKind.REGISTER, date(2025, 7, 1)),
        ...     agency="", office="<UBND xã>", place="", number="",
        ...     issued_on=date(2025, 7, 31), as_of=datetime(2025, 7, 31, 17),
        ...     entries=(), rejected=())
        >>> page = render_html(r)
        >>> "Độc lập - Tự do - Hạnh phúc" in page, "&lt;UBND XÃ&gt;" in page
        (True, True)
    """
    return render_layout_html(layout(form))
