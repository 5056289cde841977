"""The ``procflow trends`` command: a report figure month by month per group, and its objective."""

from __future__ import annotations

import argparse
from pathlib import Path

from procflow.cli_index766 import parse_period
from procflow.errors import InputError
from procflow.io import atomic_write_text
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
    if args.output and args.output.lower().endswith(".png"):
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        write_trend_png(t, args.output, title=args.title)
        print(f"wrote {args.output}")
    elif args.output and args.output.lower().endswith(".csv"):
        atomic_write_text(args.output, trends_csv(t))
        print(f"wrote {args.output}")
    elif args.output:
        raise InputError(f"-o {args.output}: trends writes .png or .csv")
    else:
        print(trends_csv(t), end="")
    if args.objective is not None:
        for trend in t.series:
            if trend.below:
                print(f"  below {args.objective:g}: {trend.key or '-'}: {', '.join(trend.below)}")
    return 0


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
    cmd.add_argument("-o", "--output", help="chart .png or table .csv (default: print CSV)")
    cmd.add_argument("--title", default="", help="the chart's title")
    cmd.add_argument(
        "--specs", metavar="DIR", help="procedure specs folder (default: the packaged library)"
    )
    cmd.set_defaults(run=_cmd_trends)
