"""The ``procflow schema [NAME]`` command: print or write a public model's JSON Schema."""

from __future__ import annotations

import argparse
import sys

from procflow.contracts import MODELS, schema_text
from procflow.io import atomic_write_text

__all__ = ["register"]


def _cmd_schema(args: argparse.Namespace) -> int:
    text = schema_text(args.name)
    if args.output is None or args.output == "-":
        sys.stdout.write(text)
    else:
        atomic_write_text(args.output, text)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``schema`` to the command line's subcommands.

    Args:
        sub: The subparsers of the ``procflow`` parser.
    """
    schema = sub.add_parser("schema", help="print the JSON Schema of a public model")
    schema.add_argument(
        "name",
        nargs="?",
        default="procedure",
        choices=list(MODELS),
        help="the model (default %(default)s)",
    )
    schema.add_argument("-o", "--output", help="file to write (default, or -: stdout)")
    schema.set_defaults(run=_cmd_schema)
