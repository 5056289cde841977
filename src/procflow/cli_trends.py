"""The ``procflow trends`` command: a report figure month by month per group, and its objective."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from procflow import cli_common
from procflow.cli_index766 import parse_period
from procflow.errors import InputError
from procflow.report import GroupBy
from procflow.reportfile import FileReporter
from procflow.trends import trends, trends_csv, write_trend_png

__all__ = ["register"]


def _cmd_trends(args: argparse.Namespace) -> int:
    from procflow.cli import _calendar, _library  # cli imports this module to register it

    start, end = parse_period(args.period)
    reporter = FileReporter(args.file, _library(args), _calendar(args))
    t = trends(
        reporter.report,
        start=start,
        end=end,
        by=args.by,
        metric=args.metric,
        objective=args.objective,
    )
    fmt = _format(args)
    info = cli_common.info_stream(args, args.output)
    if fmt == "png":
        if not args.output:
            raise InputError("--format png needs -o FILE.png (or -o - for standard output)")
        cli_common.write_binary(
            args.output, ".png", lambda path: write_trend_png(t, path, title=args.title)
        )
    elif fmt == "table":
        cli_common.print_table(
            ["key", *t.months],
            (
                [trend.key or "-", *(None if v is None else f"{v:.2f}" for v in trend.values)]
                for trend in t.series
            ),
            title=t.metric,
            right=range(1, len(t.months) + 1),
        )
    elif args.json and not args.output:
        cli_common.print_json(t.model_dump(mode="json"))
    else:
        cli_common.write_text(args.output, trends_csv(t))
    if args.output and not cli_common.is_stdio(args.output):
        if args.json:
            cli_common.print_json(
                {"output": args.output, "format": fmt, **t.model_dump(mode="json")}
            )
        print(f"wrote {args.output}", file=info)
    if args.objective is not None:
        for trend in t.series:
            if trend.below:
                print(
                    f"  below {args.objective:g}: {trend.key or '-'}: {', '.join(trend.below)}",
                    file=info,
                )
    return 0


def _format(args: argparse.Namespace) -> str:
    """``--format``, else by the ending of ``-o``, else a table on a terminal and CSV in a pipe."""
    fmt: str
    if args.format:
        fmt = args.format
    elif args.output and not cli_common.is_stdio(args.output):
        fmt = Path(args.output).suffix.lower().lstrip(".")
        if fmt not in ("png", "csv"):
            raise InputError(f"-o {args.output}: trends writes .png or .csv")
    elif not args.output and not args.json and sys.stdout.isatty():
        fmt = "table"  # read by a person: laid out; a pipe or a file gets CSV
    else:
        fmt = "csv"
    if fmt == "table" and args.output:
        raise InputError("--format table prints the series; it writes no file")
    if args.json and fmt == "table":
        raise InputError("--json prints the series as JSON, not as a table")
    return fmt


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """Add ``trends`` to the command line's subcommands.

    Args:
        sub: The subparsers of the ``procflow`` parser.
        common: The parent parser of the calendar options.
    """
    cmd = sub.add_parser(
        "trends", parents=[common], help="a report figure month by month, per group"
    )
    cmd.add_argument("file", metavar="FILE", help="CSV or Parquet export (wide or event log)")
    cmd.add_argument("--period", required=True, help="YYYY-MM, YYYY-Qn, YYYYHn or YYYY")
    cmd.add_argument("--by", choices=[g.value for g in GroupBy], help="one series per group")
    cmd.add_argument(
        "--metric", default="timely_rate", help="a report figure (default %(default)s)"
    )
    cmd.add_argument("--objective", type=float, help="the objective, e.g. 95 (percent)")
    cmd.add_argument(
        "-o", "--output", help="chart .png or table .csv, - for stdout (default: print the series)"
    )
    cmd.add_argument(
        "--format",
        choices=("csv", "png", "table"),
        help="default: by -o, else a table on a terminal, csv in a pipe",
    )
    cli_common.add_json(cmd, help="print the series as JSON (with -o: what was written)")
    cmd.add_argument("--title", default="", help="the chart's title")
    cmd.add_argument(
        "--specs", metavar="DIR", help="procedure specs folder (default: the packaged library)"
    )
    cmd.set_defaults(run=_cmd_trends)
