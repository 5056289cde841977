"""The ``procflow sample`` command: write a realistic synthetic year of dossiers."""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from procflow import cli_common
from procflow.errors import InputError
from procflow.io import atomic_write

__all__ = ["register"]


def _cmd_sample(args: argparse.Namespace) -> int:
    try:
        from procflow import sample
    except ImportError as exc:  # numpy and pyarrow come with procflow[bulk]
        raise InputError(f"procflow sample needs procflow[bulk]: {exc}") from exc
    stdout = cli_common.is_stdio(args.output)
    cli_common.refuse_json_with_stdout(args, args.output)
    fmt = args.format or ("" if stdout else Path(args.output).suffix.lower().lstrip("."))
    if fmt not in ("csv", "parquet"):
        raise InputError(
            "-o -: name the format with --format csv or --format parquet"
            if stdout
            else f"-o {args.output}: write a .csv or a .parquet file"
        )
    if args.n < 0:
        raise InputError(f"N must be zero or more, got {args.n}")
    table = sample.generate(args.n, args.year, args.seed)
    if args.audit:
        table = sample.with_source_due_dates(table, args.year, args.seed)
    if args.quality:
        table = sample.with_quality_columns(table, args.seed)
    if stdout:
        cli_common.write_binary(args.output, f".{fmt}", lambda path: sample.write(table, path))
    elif Path(args.output).suffix.lower() == f".{fmt}":
        sample.write(table, Path(args.output))
    else:  # sample.write goes by the file's ending: write a temporary file, copy it
        with tempfile.TemporaryDirectory(prefix="procflow-") as folder:
            path = Path(folder) / f"sample.{fmt}"
            sample.write(table, path)
            atomic_write(args.output, lambda target: shutil.copyfile(path, target))
    if args.json:
        cli_common.print_json({"output": args.output, "format": fmt, "dossiers": table.num_rows})
    else:
        where = "standard output" if stdout else args.output
        print(
            f"wrote {table.num_rows} dossiers to {where}",
            file=cli_common.info_stream(args, args.output),
        )
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``sample`` to the command line's subcommands.

    Args:
        sub: The subparsers of the ``procflow`` parser.
    """
    cmd = sub.add_parser("sample", help="write a synthetic year of dossiers (seeded)")
    cmd.add_argument("n", type=int, metavar="N", help="how many dossiers")
    cmd.add_argument("-o", "--output", required=True, help="FILE.parquet or FILE.csv, - for stdout")
    cmd.add_argument("--format", choices=("csv", "parquet"), help="default: by the ending of -o")
    cli_common.add_json(cmd, help="print what was written as JSON")
    cmd.add_argument("--year", type=int, default=2025, help="the year (default %(default)s)")
    cmd.add_argument("--seed", type=int, default=0, help="random seed (default %(default)s)")
    cmd.add_argument("--audit", action="store_true", help="add a source system's due_at")
    cmd.add_argument(
        "--quality", action="store_true", help="add unit, officer and Decision 766 columns"
    )
    cmd.set_defaults(run=_cmd_sample)
