"""Writing output files without ever leaving a half-written or clobbered file.

Every file procflow writes goes first to a temporary file in the same folder and is
then moved over the target in one step (:meth:`pathlib.Path.replace`), so a reader sees either
the old file or the complete new one, never a truncated mix. An output that is one of the
inputs is refused before anything is read (:func:`refuse_overwrite`).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from procflow.errors import InputError

__all__ = ["atomic_outputs", "atomic_write", "atomic_write_text", "refuse_overwrite"]


def _same_file(a: Path, b: Path) -> bool:
    if a.resolve() == b.resolve():
        return True
    try:
        return a.samefile(b)  # hard links, bind mounts
    except OSError:
        return False


def refuse_overwrite(inputs: Iterable[str | Path | None], outputs: Iterable[str | Path]) -> None:
    """Refuse outputs that are one of the inputs, before anything is read or written.

    Paths are compared resolved (``./a.csv`` and ``a.csv`` are the same file, and so are a
    symbolic or hard link and its target).

    Args:
        inputs: The files a command reads (None entries are skipped).
        outputs: The files it would write.

    Raises:
        InputError: If an output is an input; the message names both.

    Examples:
        >>> refuse_overwrite(["in.csv"], ["out.csv"])
        >>> refuse_overwrite(["in.csv"], ["./in.csv"])
        Traceback (most recent call last):
        ...
        procflow.errors.InputError: output './in.csv' is the input 'in.csv': choose another file
    """
    sources = [Path(p) for p in inputs if p is not None]
    for output in outputs:
        for source in sources:
            if _same_file(Path(output), source):
                raise InputError(
                    f"output {str(output)!r} is the input {str(source)!r}: choose another file"
                )


@contextmanager
def _temporary_for(target: Path) -> Iterator[Path]:
    if target.is_dir():
        raise InputError(f"output {str(target)!r} is a folder, not a file")
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp{target.suffix}")
    try:
        # Created as an ordinary new file would be (mode 0o666 less the umask), not 0o600.
        os.close(os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
    except OSError as exc:
        raise InputError(f"cannot write {str(target)!r}: {exc.strerror or exc}") from exc
    try:
        yield temporary
    finally:
        # On failure the half-written temporary goes; the old target is left as it was.
        temporary.unlink(missing_ok=True)


@contextmanager
def atomic_outputs(*paths: str | Path) -> Iterator[list[Path]]:
    """Write several files that appear together: temporary siblings replace them on success.

    The body writes the temporary files it is given, in the order of ``paths``. If it
    raises, every temporary file is removed and every target is left as it was.

    Args:
        paths: The files to create or replace.

    Yields:
        The temporary file for each path.

    Raises:
        InputError: If a path is a folder or its folder cannot be written.

    Examples:
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> with atomic_outputs(folder / "a.txt", folder / "b.txt") as (a, b):
        ...     _ = a.write_text("A", encoding="utf-8"), b.write_text("B", encoding="utf-8")
        >>> sorted(p.name for p in folder.iterdir())
        ['a.txt', 'b.txt']
    """
    targets = [Path(p) for p in paths]
    with ExitStack() as stack:
        temporaries = [stack.enter_context(_temporary_for(t)) for t in targets]
        yield temporaries
        for temporary, target in zip(temporaries, targets, strict=True):
            try:
                temporary.replace(target)
            except OSError as exc:
                raise InputError(f"cannot write {str(target)!r}: {exc.strerror or exc}") from exc


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
    with atomic_outputs(path) as (temporary,):
        write(temporary)


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
