"""Writing output files without ever leaving a half-written or clobbered file.

Every file procflow writes goes first to a temporary file in the same folder and is
then moved over the target in one step (:meth:`pathlib.Path.replace`), so a reader sees either
the old file or the complete new one, never a truncated mix.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from procflow.errors import InputError

__all__ = ["atomic_write", "atomic_write_text"]


def atomic_write(path: str | Path, write: Callable[[Path], object]) -> None:
    """Write ``path`` atomically: ``write`` fills a temporary sibling, then it replaces ``path``.

    Args:
        path: The file to create or replace.
        write: Called with the temporary file's path; it must write the whole content.

    Raises:
        InputError: If ``path`` is a folder.

    Examples:
        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
        >>> atomic_write(target, lambda tmp: tmp.write_text("ok", encoding="utf-8"))
        >>> target.read_text(encoding="utf-8")
        'ok'
    """
    target = Path(path)
    if target.is_dir():
        raise InputError(f"output {str(target)!r} is a folder, not a file")
    handle, name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp" + target.suffix, dir=target.parent or "."
    )
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        temporary.replace(target)
    finally:
        # On failure the half-written temporary goes; the old target is left as it was.
        temporary.unlink(missing_ok=True)


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically.

    Args:
        path: The file to create or replace.
        text: The whole content.

    Examples:
        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.csv"
        >>> atomic_write_text(target, "a,b")
        >>> target.read_text(encoding="utf-8")
        'a,b'
    """
    atomic_write(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))
