"""The ``procflow calendar YEAR`` command: a year's days off and worked Saturdays, with sources."""

from __future__ import annotations

import argparse
import json
from datetime import date

from procflow import cli_common
from procflow.calendar import DayInfo, WorkCalendar

__all__ = ["register", "year_days"]


def year_days(calendar: WorkCalendar, year: int) -> list[DayInfo]:
    """List the days of ``year`` that are not ordinary weekdays or weekends, in date order.

    Holidays, compensatory days, swapped days off, worked Saturdays and the days of
    Government decisions and overrides, each with its name and source document.

    Args:
        calendar: The working calendar (it must cover ``year``).
        year: The year.

    Returns:
        The days, in date order.

    Examples:
        >>> from procflow import vietnam_calendar
        >>> days = year_days(vietnam_calendar(years=[2026]), 2026)
        >>> [(d.date.isoformat(), d.kind.value) for d in days][1:3]
        [('2026-01-02', 'override_day_off'), ('2026-01-10', 'override_workday')]
        >>> days[1].source.split(" ngày ")[0]
        'Công văn 12729/VPCP-KGVX'
    """
    return calendar.special_days(date(year, 1, 1), date(year, 12, 31))


def _cmd_calendar(args: argparse.Namespace) -> int:
    from procflow.cli import _calendar  # cli imports this module to register it

    args.years = (args.year, args.year)
    days = year_days(_calendar(args), args.year)
    if args.json:
        rows = [
            {
                "date": d.date.isoformat(),
                "weekday": d.date.strftime("%A"),
                "kind": d.kind.value,
                "working": d.is_working,
                "name_vi": d.name_vi,
                "name_en": d.name_en,
                "source": d.source,
            }
            for d in days
        ]
        print(json.dumps({"year": args.year, "days": rows}, ensure_ascii=False, indent=2))
        return 0
    vi = args.lang == "vi"
    cli_common.print_table(
        ("ngày", "thứ", "", "ngày nghỉ, ngày làm việc", "nguồn")
        if vi
        else ("date", "day", "", "day off or worked", "source"),
        (
            (
                d.date.isoformat(),
                f"{d.date:%a}",
                ("làm việc" if d.is_working else "nghỉ")
                if vi
                else ("working" if d.is_working else "off"),
                d.label(args.lang).removesuffix(f" [{d.source}]"),
                d.source,
            )
            for d in days
        ),
    )
    return 0


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add ``calendar`` to the command line's subcommands.

    Args:
        sub: The subparsers of the ``procflow`` parser.
        common: The parent parser of the calendar options.
    """
    cal = sub.add_parser(
        "calendar",
        parents=[common],
        help="a year's days off and worked Saturdays, with their sources",
    )
    cal.add_argument("year", metavar="YEAR", type=int, help="the year, e.g. 2026")
    cal.add_argument("--json", action="store_true", help="print JSON")
    cal.set_defaults(run=_cmd_calendar)
