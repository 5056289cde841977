"""Spreadsheet safety: text that a spreadsheet would run as a formula, or cannot hold.

A cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
read by Excel, LibreOffice and Google Sheets as a formula (CSV injection). procflow writes
such text as text: in XLSX the cell is typed as a string; in CSV the text gets a leading
apostrophe, the OWASP rule, which spreadsheets show as the text itself. Control characters
XLSX cannot hold (U+0000–U+0008, U+000B, U+000C, U+000E–U+001F) are replaced by U+FFFD.
Every other text (dossier ids, names, notes) is written unchanged.

References:
    OWASP, "CSV Injection" (https://owasp.org/www-community/attacks/CSV_Injection).
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["FORMULA_START", "REPLACEMENT", "csv_cell", "xlsx_text"]

FORMULA_START = re.compile(r"^[=+\-@\t\r]")
"""Text a spreadsheet would read as a formula."""

_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

REPLACEMENT = "\ufffd"
"""What stands for a control character XLSX cannot hold."""


def csv_cell(value: Any) -> Any:
    """Neutralise one CSV cell: text that starts like a formula gets a leading ``'``.

    Args:
        value: The cell's value; values other than text are returned as they are.

    Returns:
        The value to write.

    Examples:
        >>> csv_cell("=1+1"), csv_cell("@SUM(A1)"), csv_cell("HS-001"), csv_cell(-3)
        ("'=1+1", "'@SUM(A1)", 'HS-001', -3)
    """
    if isinstance(value, str) and FORMULA_START.match(value):
        return "'" + value
    return value


def xlsx_text(value: Any) -> tuple[Any, bool]:
    r"""Make one XLSX cell's value safe to store.

    Args:
        value: The cell's value; values other than text are returned as they are.

    Returns:
        The value (control characters replaced by U+FFFD) and whether it must be typed
        as text because it starts like a formula.

    Examples:
        >>> xlsx_text("a\x01b"), xlsx_text("=1+1"), xlsx_text(3)
        (('a�b', False), ('=1+1', True), (3, False))
    """
    if not isinstance(value, str):
        return value, False
    return _XLSX_ILLEGAL.sub(REPLACEMENT, value), bool(FORMULA_START.match(value))
