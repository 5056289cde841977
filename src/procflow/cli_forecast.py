"""The ``procflow forecast`` command: late risk and apology alerts of open dossiers."""

from __future__ import annotations

import argparse
import json
from datetime import datetime, time
from pathlib import Path

from procflow import cli_common
from procflow.calendar import to_local, vietnam_now
from procflow.cli_index766 import parse_period
from procflow.forecast import backtest, forecast_late
from procflow.interchange import read_dossiers
from procflow.parsing import parse_datetime
from procflow.report import month_ranges
from procflow.reportfile import _engine_reads

__all__ = ["register"]


def _cmd_forecast(args: argparse.Namespace) -> int:
    from procflow.cli import _calendar, _library  # cli imports this module to register it

    cal = _calendar(args)
    library = _library(args)
    # A wide file on the columnar engine; an event log (or no engine) dossier by dossier.
    wide = _engine_reads(Path(args.file))
    table = None if wide else read_dossiers(args.file)
    if args.backtest:
        start, end = parse_period(args.backtest, "--backtest")
        # Mid-month forecasts, scored against the outcomes at the end of the data's horizon.
        at = [datetime.combine(a.replace(day=15), time(12)) for a, _ in month_ranges(start, end)]
        final = (
            parse_datetime(args.as_of, "--as-of") if args.as_of else datetime.combine(end, time.max)
        )
        if table is None:
            from procflow.forecast_bulk import backtest_bulk

            result = backtest_bulk(args.file, library, cal, at=at, final=final)
        else:
            result = backtest(table.dossiers, library, cal, at=at, final=final)
        print(result.model_dump_json(indent=2))  # JSON with or without --json
        return 0
    as_of = parse_datetime(args.as_of, "--as-of") if args.as_of else vietnam_now()
    options = {"as_of": as_of, "threshold": args.threshold, "within_hours": args.within}
    if table is None:
        from procflow.forecast_bulk import forecast_bulk

        found = forecast_bulk(args.file, library, cal, **options)
    else:
        found = forecast_late(table.dossiers, library, cal, **options)
    if args.alerts:
        found = [f for f in found if f.alert]
    if args.json:
        print(json.dumps([f.model_dump(mode="json") for f in found], ensure_ascii=False, indent=2))
        return 0
    print(f"{len(found)} open dossiers at {as_of:%Y-%m-%d %H:%M}, most likely late first")
    if not found:
        return 0
    cli_common.print_table(
        ("dossier", "p(late)", "used", "group", "hours left", "path left", "apology by", "alert"),
        (
            (
                f.dossier_id,
                None if f.probability_late is None else f"{100 * f.probability_late:.0f} %",
                f"{f.used_share or 0:g} %",
                f.group,
                None if f.hours_left is None else f"{f.hours_left:g} h",
                None if f.critical_path_left_hours is None else f"{f.critical_path_left_hours:g} h",
                ("-" if f.apology_deadline is None else f"{to_local(f.apology_deadline):%Y-%m-%d}")
                + (" (sent)" if f.apology_sent else ""),
                f.alert or "",
            )
            for f in found
        ),
        right=[1, 2, 4, 5],
    )
    return 0


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """Add ``forecast`` to the command line's subcommands.

    Args:
        sub: The subparsers of the ``procflow`` parser.
        common: The parent parser of the calendar options.
    """
    cmd = sub.add_parser(
        "forecast", parents=[common], help="late risk and apology alerts of open dossiers"
    )
    cmd.add_argument("file", metavar="FILE", help="CSV or Parquet export (wide or event log)")
    cmd.add_argument("--as-of", help="the moment of the forecast (default: now)")
    cmd.add_argument("--alerts", action="store_true", help="only dossiers with an alert")
    cmd.add_argument("--threshold", type=float, default=0.5, help="likely late from (0.5)")
    cmd.add_argument("--within", type=float, default=8.0, help="alert window, working hours")
    cmd.add_argument(
        "--backtest", metavar="PERIOD", help="replay mid-month forecasts over a period; Brier"
    )
    cmd.add_argument("--json", action="store_true", help="print JSON")
    cmd.add_argument(
        "--specs", metavar="DIR", help="procedure specs folder (default: the packaged library)"
    )
    cmd.set_defaults(run=_cmd_forecast)
