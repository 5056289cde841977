"""The ``procflow sample`` command: write a realistic synthetic year of dossiers."""

from __future__ import annotations

import argparse
from pathlib import Path

from procflow.errors import InputError

__all__ = ["register"]


def _cmd_sample(args: argparse.Namespace) -> int:
    try:
        from procflow import sample
    except ImportError as exc:  # numpy and pyarrow come with procflow[bulk]
        raise InputError(f"procflow sample needs procflow[bulk]: {exc}") from exc
    out = Path(args.output)
    if out.suffix.lower() not in (".csv", ".parquet"):
        raise InputError(f"-o {args.output}: write a .csv or a .parquet file")
    if args.n < 0:
        raise InputError(f"N must be zero or more, got {args.n}")
    table = sample.generate(args.n, args.year, args.seed)
    if args.audit:
        table = sample.with_source_due_dates(table, args.year, args.seed)
    if args.quality:
        table = sample.with_quality_columns(table, args.seed)
    sample.write(table, out)
    print(f"wrote {table.num_rows} dossiers to {out}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``sample`` to the command line's subcommands.

    Args:
        sub: The subparsers of the ``procflow`` parser.
    """
    cmd = sub.add_parser("sample", help="write a synthetic year of dossiers (seeded)")
    cmd.add_argument("n", type=int, metavar="N", help="how many dossiers")
    cmd.add_argument("-o", "--output", required=True, help="FILE.parquet or FILE.csv")
    cmd.add_argument("--year", type=int, default=2025, help="the year (default %(default)s)")
    cmd.add_argument("--seed", type=int, default=0, help="random seed (default %(default)s)")
    cmd.add_argument("--audit", action="store_true", help="add a source system's due_at")
    cmd.add_argument(
        "--quality", action="store_true", help="add unit, officer and Decision 766 columns"
    )
    cmd.set_defaults(run=_cmd_sample)
