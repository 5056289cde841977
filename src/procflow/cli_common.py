"""The conventions every ``procflow`` command shares, for people and for scripts.

- ``-`` as an input file reads standard input (CSV, JSON, JSON Lines, TOML or Parquet,
  told apart by their first bytes); ``-o -`` writes standard output. A binary output
  (XLSX, Parquet, PNG, DOCX) is written to standard output as bytes, but never to a
  terminal. Output to standard output is written once it is complete; output to a file
  is written atomically (:mod:`procflow.io`).
- ``--json`` prints one JSON document on standard output (JSON Lines where the command
  streams), and an error as one JSON object ``{"error": TYPE, "message": ...}`` on
  standard error, with the same exit status.
- Progress bars only on a terminal (``--progress`` / ``--no-progress`` force them).
- Tables are laid out by rich, in columns as wide as their Vietnamese text.

Only the command line imports this module; ``rich`` is imported inside the functions
that lay out tables, so ``import procflow`` stays light.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, NoReturn

from procflow.errors import InputError
from procflow.io import atomic_write_text

__all__ = [
    "STDIN_NAME",
    "STDIO",
    "JsonErrorParser",
    "ScriptParser",
    "add_json",
    "add_progress",
    "error_document",
    "info_stream",
    "is_stdio",
    "print_json",
    "print_table",
    "refuse_binary_to_terminal",
    "refuse_json_with_stdout",
    "show_progress",
    "shown",
    "spooled_stdin",
    "write_binary",
    "write_text",
]

STDIO = "-"
"""The file name that means standard input (as an input) or standard output (``-o -``)."""

STDIN_NAME = "<stdin>"
"""How messages name standard input."""

STDIN_INPUTS = ("file", "dossier", "context", "overrides", "objectives", "paths")
"""The arguments a command reads files from, where ``-`` means standard input."""


class ScriptParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are JSON on standard error under ``--json``.

    Args:
        json_errors: Report usage errors as ``{"error": "UsageError", "message": ...}``.
        kwargs: As :class:`argparse.ArgumentParser`.
    """

    def __init__(self, *, json_errors: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.json_errors = json_errors

    def error(self, message: str) -> NoReturn:
        """Print the usage error and exit with status 2."""
        if self.json_errors:
            print(error_document("UsageError", f"{self.prog}: {message}"), file=sys.stderr)
            raise SystemExit(2)
        super().error(message)


class JsonErrorParser(ScriptParser):
    """A :class:`ScriptParser` whose usage errors are JSON (the parsers under ``--json``)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(json_errors=True, **kwargs)


def error_document(kind: str, message: str) -> str:
    """The JSON object an error is reported as under ``--json``.

    Examples:
        >>> error_document("InputError", "a.csv: cannot open: No such file or directory")
        '{"error": "InputError", "message": "a.csv: cannot open: No such file or directory"}'
    """
    return json.dumps({"error": kind, "message": message}, ensure_ascii=False)


def add_json(parser: argparse.ArgumentParser, help: str = "print JSON on standard output") -> None:
    """Add ``--json`` to a command (once).

    Args:
        parser: The command's parser.
        help: What ``--json`` prints.
    """
    if not any("--json" in action.option_strings for action in parser._actions):
        parser.add_argument("--json", action="store_true", help=help)


def add_progress(parser: argparse.ArgumentParser) -> None:
    """Add ``--progress`` / ``--no-progress`` (default: a bar only on a terminal)."""
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar (default: only when standard error is a terminal)",
    )


def show_progress(args: argparse.Namespace, stream: IO[str] | None = None) -> bool:
    """Whether to draw a progress bar: as forced, else only on a terminal.

    Args:
        args: The parsed arguments (``progress`` None, True or False).
        stream: Where the bar would go (default standard error).

    Examples:
        >>> import argparse, io
        >>> show_progress(argparse.Namespace(progress=None), io.StringIO())
        False
        >>> show_progress(argparse.Namespace(progress=True), io.StringIO())
        True
    """
    forced: bool | None = getattr(args, "progress", None)
    if forced is not None:
        return forced
    return (stream or sys.stderr).isatty()


def is_stdio(name: str | None) -> bool:
    """Whether a file argument is ``-`` (standard input or output).

    Examples:
        >>> is_stdio("-"), is_stdio("out.csv"), is_stdio(None)
        (True, False, False)
    """
    return name == STDIO


def info_stream(args: argparse.Namespace, *outputs: str | None) -> IO[str]:
    """Where to print messages for people: standard error when standard output carries data.

    That is under ``--json``, or when one of ``outputs`` is ``-``.
    """
    if getattr(args, "json", False) or any(is_stdio(o) for o in outputs):
        return sys.stderr
    return sys.stdout


def refuse_json_with_stdout(args: argparse.Namespace, output: str | None) -> None:
    """Refuse ``--json`` with ``-o -`` where the output is not itself the JSON document.

    Raises:
        InputError: Standard output cannot carry both the data and the JSON summary.
    """
    if getattr(args, "json", False) and is_stdio(output):
        raise InputError(
            "--json and -o -: standard output carries the data; "
            "write it to a file (-o FILE) to get the JSON summary"
        )


def print_json(data: Any) -> None:
    """Print one JSON document (indented, UTF-8 text kept as it is) on standard output."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()


def write_text(output: str | None, text: str) -> None:
    """Write text to ``output`` atomically, or whole to standard output for None or ``-``."""
    if output is None or is_stdio(output):
        sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
        sys.stdout.flush()
    else:
        atomic_write_text(output, text)


def write_binary(output: str, suffix: str, write: Callable[[Path], object]) -> None:
    """Write a binary file with ``write(path)``; for ``-``, then copy it whole to stdout.

    Args:
        output: The file, or ``-`` for standard output.
        suffix: The file's ending (``.xlsx``), for the writer of a temporary file.
        write: Writes the whole file at the path it is given (atomically for a file).

    Raises:
        InputError: If ``output`` is ``-`` and standard output is a terminal.
    """
    if not is_stdio(output):
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        write(Path(output))
        return
    refuse_binary_to_terminal(output, suffix)
    with tempfile.TemporaryDirectory(prefix="procflow-") as folder:
        path = Path(folder) / f"stdout{suffix}"
        write(path)
        data = path.read_bytes()
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def refuse_binary_to_terminal(output: str | None, suffix: str) -> None:
    """Refuse to write a binary format (``.xlsx``, ``.parquet``...) to a terminal.

    Commands call it before their work, so the refusal comes at once.

    Raises:
        InputError: If ``output`` is ``-`` and standard output is a terminal.
    """
    if is_stdio(output) and sys.stdout.isatty():
        raise InputError(
            f"-o -: a {suffix.lstrip('.').upper()} file is binary; redirect standard "
            "output to a file or a pipe (procflow ... -o - > out" + suffix + ")"
        )


def _sniff(data: bytes, name: str) -> str:
    """The file ending standard input's content reads as, for the argument ``name``."""
    if data.startswith(b"PAR1"):
        return ".parquet"
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head in (b"{", b"["):
        lines = [line for line in data.splitlines() if line.strip()]
        if name == "file" and len(lines) > 1 and all(line.lstrip()[:1] == b"{" for line in lines):
            return ".jsonl"
        return ".json"
    if name in ("overrides", "objectives", "paths"):
        return ".toml"
    return ".csv"


@contextmanager
def spooled_stdin(args: argparse.Namespace) -> Iterator[dict[str, str]]:
    """Put standard input, where an input argument is ``-``, in a temporary file.

    The commands read their inputs by path (some twice); standard input is read once,
    whole, into a temporary file with the ending of its content, and the argument
    becomes that file's path. The file is removed afterwards.

    Args:
        args: The parsed arguments; ``stdin_inputs`` (default :data:`STDIN_INPUTS`) names
            the arguments that may be ``-``.

    Yields:
        The temporary path to its display name (``<stdin>``), for messages.

    Raises:
        InputError: If more than one input is ``-``.
    """
    names: Sequence[str] = getattr(args, "stdin_inputs", STDIN_INPUTS)
    dashes = [
        name
        for name in names
        if is_stdio(getattr(args, name, None))
        or (isinstance(getattr(args, name, None), list) and STDIO in getattr(args, name))
    ]
    if not dashes:
        yield {}
        return
    if len(dashes) > 1 or (
        isinstance(getattr(args, dashes[0]), list) and getattr(args, dashes[0]).count(STDIO) > 1
    ):
        raise InputError(f"only one input can be standard input (-), got {', '.join(dashes)}")
    name = dashes[0]
    binary = getattr(sys.stdin, "buffer", None)
    data = binary.read() if binary is not None else sys.stdin.read().encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="procflow-stdin-") as folder:
        path = Path(folder) / f"stdin{_sniff(data, name)}"
        path.write_bytes(data)
        value = getattr(args, name)
        if isinstance(value, list):
            setattr(args, name, [str(path) if v == STDIO else v for v in value])
        else:
            setattr(args, name, str(path))
        args.spooled = {str(path): STDIN_NAME}
        yield args.spooled


def shown(args: argparse.Namespace, path: str | Path | None) -> str:
    """How messages name an input: ``<stdin>`` for standard input, else the path as given.

    Examples:
        >>> import argparse
        >>> shown(argparse.Namespace(spooled={"/tmp/x/stdin.csv": "<stdin>"}), "/tmp/x/stdin.csv")
        '<stdin>'
        >>> shown(argparse.Namespace(), "a.csv")
        'a.csv'
    """
    text = "" if path is None else str(path)
    spooled: dict[str, str] = getattr(args, "spooled", {})
    return spooled.get(text, text)


def unspool(args: argparse.Namespace, message: str) -> str:
    """A message with the temporary file of standard input named ``<stdin>``."""
    for path, name in getattr(args, "spooled", {}).items():
        message = message.replace(path, name)
    return message


def print_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str | None = None,
    right: Iterable[int] = (),
    file: IO[str] | None = None,
) -> None:
    """Print a table laid out by rich: columns fit their text, wide characters included.

    On a terminal the table fits its width; in a pipe or a file every column is as wide
    as its widest cell (nothing is cut), without colours.

    Args:
        headers: The column headings.
        rows: The cells, one sequence per row (None prints ``-``).
        title: A line above the table.
        right: The indexes of columns aligned right (numbers).
        file: Where to print (default standard output).

    Examples:
        >>> print_table(["ngày", "tên"], [["2026-01-01", "Tết Dương lịch"]])
        ngày         tên
        ───────────────────────────
        2026-01-01   Tết Dương lịch
    """
    from rich import box
    from rich.console import Console
    from rich.table import Table

    out = file or sys.stdout
    terminal = out.isatty()
    aligned = set(right)
    table = Table(
        title=title,
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        title_justify="left",
        header_style="bold" if terminal else None,
    )
    for number, heading in enumerate(headers):
        table.add_column(heading, justify="right" if number in aligned else "left")
    for row in rows:
        table.add_row(*("-" if cell is None else str(cell) for cell in row))
    if terminal:
        Console(file=out, highlight=False, emoji=False, markup=False).print(table)
        return
    # In a pipe: no colours, nothing cut or wrapped, no trailing blanks.
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=100_000, color_system=None, highlight=False, emoji=False, markup=False
    )
    console.print(table)
    out.write("".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines()))
