"""The ``procflow evaluate`` command: dossiers in, evaluations out, as JSON Lines, streamed.

Each input line is one dossier (the ``dossier`` JSON Schema); each output line is its
evaluation (the ``evaluation`` schema), written as soon as it is made, so a pipe of any
length runs in constant memory. A line that cannot be read or evaluated is reported on
stderr with its line number and skipped; the others go on; the exit status is then 3.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from procflow import cli_common
from procflow.calendar import VN_TZ
from procflow.dossier import Dossier
from procflow.errors import InputError, ProcflowError
from procflow.evaluation import evaluate
from procflow.instant import parse_instant

__all__ = ["register"]

EXIT_REJECTED = 3


def _problem(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'dossier'}: {e['msg']}" for e in exc.errors()
    )


def _run(
    lines: Iterable[str], out: TextIO, err: TextIO, where: str, args: argparse.Namespace
) -> int:
    from procflow.cli import _calendar, _library  # cli imports this module to register it

    library = _library(args)
    cal = _calendar(args)
    as_of = (
        parse_instant(args.as_of, "--as-of")
        if args.as_of
        else datetime.now(VN_TZ).replace(tzinfo=None, microsecond=0)
    )
    bad = done = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            try:
                dossier = Dossier.model_validate_json(line)
            except ValidationError as exc:
                raise InputError(_problem(exc)) from exc
            result = evaluate(dossier, library, cal, as_of=as_of)
        except ProcflowError as exc:
            bad += 1
            message = f"{where}:{number}: {exc}"
            if args.json:  # one JSON object per rejected line, as errors are under --json
                message = json.dumps(
                    {"error": type(exc).__name__, "message": message, "line": number},
                    ensure_ascii=False,
                )
            print(message, file=err)
            continue
        out.write(result.model_dump_json() + "\n")
        out.flush()
        done += 1
    if not args.json:
        print(f"{done + bad} dossiers: {done} evaluated, {bad} rejected", file=err)
    return EXIT_REJECTED if bad else 0


def _cmd_evaluate(args: argparse.Namespace) -> int:
    with ExitStack() as stack:
        if args.file == "-":
            source: TextIO = sys.stdin
        else:
            try:
                source = stack.enter_context(Path(args.file).open(encoding="utf-8"))
            except OSError as exc:
                raise InputError(f"{args.file}: cannot read: {exc.strerror}") from exc
        if args.output in (None, "-"):
            out: TextIO = sys.stdout
        else:
            out = stack.enter_context(Path(args.output).open("w", encoding="utf-8"))
        where = "<stdin>" if args.file == "-" else args.file
        return _run(source, out, sys.stderr, where, args)


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """Add ``evaluate`` to the command line's subcommands.

    Args:
        sub: The subparsers of the ``procflow`` parser.
        common: The calendar and language options every command shares.
    """
    cmd = sub.add_parser(
        "evaluate", parents=[common], help="evaluate dossiers: JSON Lines in, JSON Lines out"
    )
    cmd.add_argument("file", metavar="FILE", nargs="?", default="-", help="JSON Lines, - = stdin")
    cmd.add_argument("-o", "--output", help="JSON Lines to write (default, or -: stdout)")
    cmd.add_argument("--as-of", help="instant to evaluate at (default: now, Vietnam time)")
    cmd.add_argument(
        "--specs", metavar="DIR", help="folder of procedure specs (default: the packaged library)"
    )
    cli_common.add_json(cmd, help="JSON Lines out (always), errors as JSON on stderr")
    # Standard input is streamed line by line, not read whole (procflow.cli_common).
    cmd.set_defaults(run=_cmd_evaluate, stdin_inputs=())
