"""The ``procflow impact`` command: what a new calendar or amended specs change in a period.

A wide-format file goes through the columnar engine (:func:`procflow.impact_bulk.impact_bulk`),
an event log dossier by dossier (:func:`procflow.impact.impact`); both give the same result.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from procflow import cli_common
from procflow.calendar import to_local, vietnam_calendar
from procflow.cli_index766 import parse_period
from procflow.errors import InputError
from procflow.impact import Scenario, impact
from procflow.interchange import read_dossiers
from procflow.reportfile import _engine_reads
from procflow.spec import load_procedures

__all__ = ["register"]


def _at(t: datetime | None) -> str:
    return "-" if t is None else f"{to_local(t):%Y-%m-%d %H:%M}"


def _cmd_impact(args: argparse.Namespace) -> int:
    from procflow.cli import _calendar  # cli imports this module to register it

    if not args.overrides and not args.specs:
        raise InputError("procflow impact needs --overrides NEW.toml or --specs NEW_DIR")
    start, end = parse_period(args.period)
    first, last = args.years
    old_calendar = vietnam_calendar(
        years=range(first, last + 1), culture_day=not args.no_culture_day
    )
    base = load_procedures(args.base_specs)
    old = Scenario(old_calendar, base)
    new = Scenario(_calendar(args), load_procedures(args.specs) if args.specs else base)
    if _engine_reads(Path(args.file)):
        from procflow.impact_bulk import impact_bulk

        result = impact_bulk(args.file, old, new, start=start, end=end, by=args.by, lang=args.lang)
    else:  # an event log (or no columnar engine): dossier by dossier
        table = read_dossiers(args.file)
        result = impact(table, old, new, start=start, end=end, by=args.by, lang=args.lang)
    if args.json:
        print(result.model_dump_json(indent=2, exclude={"old_report", "new_report"}))
        return 0
    what = " and ".join(
        part
        for part in (
            f"calendar overrides {args.overrides}" if args.overrides else "",
            f"specs {args.specs}" if args.specs else "",
        )
        if part
    )
    print(
        f"Impact of {what} on {cli_common.shown(args, args.file)}, {start} – {end}: "
        f"{len(result.changed)} of {result.checked} "
        f"dossiers change (due date or outcome)"
    )
    if result.changed:
        print()
        cli_common.print_table(
            ("row", "dossier", "due", "effective due", "outcome", "why"),
            (
                (
                    c.row,
                    c.dossier_id,
                    _change(c.old_due_at, c.new_due_at),
                    _change(c.old_effective_due_at, c.new_effective_due_at),
                    f"{c.old_outcome or '-'} → {c.new_outcome or '-'}"
                    if c.old_outcome != c.new_outcome
                    else c.old_outcome,
                    "\n".join(c.reasons),
                )
                for c in result.changed
            ),
            right=[0],
        )
    print()
    if not result.figures:
        print("No report figure changes.")
        return 0
    print("Report figures that change:")
    cli_common.print_table(
        ("group", "figure", "today", "new", "change"),
        (
            (f.key, f.figure, f.old, f.new, None if f.delta is None else f"{f.delta:+g}")
            for f in result.figures
        ),
        right=[2, 3, 4],
    )
    return 0


def _change(old: datetime | None, new: datetime | None) -> str:
    """``old → new`` when they differ, else the one value."""
    return _at(old) if old == new else f"{_at(old)} → {_at(new)}"


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """Add ``impact`` to the command line's subcommands.

    ``--overrides`` (of the calendar options) is the new calendar's: the baseline is the
    calendar procflow ships.

    Args:
        sub: The subparsers of the ``procflow`` parser.
        common: The parent parser of the calendar options.
    """
    cmd = sub.add_parser(
        "impact",
        parents=[common],
        help="what new calendar overrides or amended specs change in a period",
    )
    cmd.add_argument("file", metavar="FILE", help="CSV or Parquet export (wide or event log)")
    cmd.add_argument("--period", required=True, help="YYYY-MM, YYYY-Qn, YYYYHn or YYYY")
    cmd.add_argument("--specs", metavar="NEW_DIR", help="the amended procedure specs")
    cmd.add_argument(
        "--base-specs", metavar="DIR", help="today's procedure specs (default: the packaged ones)"
    )
    cmd.add_argument("--by", help="group the report figures (as procflow report --by)")
    cmd.add_argument("--json", action="store_true", help="print the impact as JSON")
    cmd.set_defaults(run=_cmd_impact)
