"""The ``procflow index766`` command: the Decision 766 indicators and points of a period."""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from procflow import cli_common
from procflow.calendar import WorkCalendar, to_local
from procflow.errors import InputError
from procflow.evaluation import Procedures
from procflow.findings import FINDINGS, count_findings
from procflow.index766 import SCALES, Index766, IndexReport, build_index, read_extra_columns
from procflow.interchange import Duplicates, read_dossiers
from procflow.report import period

__all__ = [
    "add_findings",
    "add_findings_sheet",
    "add_report_options",
    "file_index",
    "parse_period",
    "register",
    "report_findings",
]

_PERIODS = (
    (re.compile(r"(\d{4})-(\d{2})"), "month"),
    (re.compile(r"(\d{4})-?Q(\d)", re.IGNORECASE), "quarter"),
    (re.compile(r"(\d{4})-?H(\d)", re.IGNORECASE), "half"),
    (re.compile(r"(\d{4})()"), "year"),
)


def parse_period(text: str, option: str = "--period") -> tuple[date, date]:
    """Read a reporting period: ``YYYY-MM``, ``YYYY-Qn``, ``YYYYHn`` (half year) or ``YYYY``.

    Args:
        text: The period as typed.
        option: The option it was given to, named in errors.

    Returns:
        Its first and last day.

    Raises:
        InputError: If it is none of these forms, or its month, quarter or half is out of range.

    Examples:
        >>> from procflow.cli_index766 import parse_period
        >>> parse_period("2026-03")
        (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
        >>> parse_period("2026-Q1")[1], parse_period("2026H2")[0], parse_period("2026")[1]
        (datetime.date(2026, 3, 31), datetime.date(2026, 7, 1), datetime.date(2026, 12, 31))
    """
    for pattern, kind in _PERIODS:
        match = pattern.fullmatch(text.strip())
        if match is None:
            continue
        year, number = int(match[1]), int(match[2] or 1)
        try:
            return period(kind, year, number)  # type: ignore[arg-type]
        except ValueError as exc:
            raise InputError(f"{option} {text!r}: {exc}") from None
    raise InputError(
        f"{option}: expected YYYY-MM, YYYY-Qn, YYYYHn or YYYY (e.g. 2026-03, 2026-Q1, "
        f"2026H1, 2026), got {text!r}"
    )


def _row(group: Index766, codes: list[str]) -> list[Any]:
    cells: list[Any] = [group.key, group.dossiers]
    for code in codes:
        ind = group.indicators.get(code)
        cells += [None if ind is None else ind.value, None if ind is None else ind.points]
    return [*cells, group.points, group.max_points, *group.findings.values()]


def _headings(index: IndexReport) -> tuple[list[str], list[str]]:
    codes = list(index.total.indicators)
    head = ["group", "dossiers"]
    for code in codes:
        unit = "days" if SCALES[code].unit == "working_days" else "%"
        head += [f"{code} ({unit})", f"{code} points"]
    return codes, [*head, "points", "max points", *index.total.findings]


def _print_text(index: IndexReport, why: bool) -> None:
    codes, head = _headings(index)
    groups = [*index.groups, index.total]
    cli_common.print_table(
        head,
        ([_cell(c) for c in _row(group, codes)] for group in groups),
        title=f"Decision 766 index, {index.period_start} – {index.period_end}",
        right=range(1, len(head)),
    )
    if not why:
        return
    for group in groups:
        # The total repeats the groups' dossiers: list them once, under their group.
        if group.against_21 and (group.key != "total" or not index.groups):
            print(f"\n{group.key}: against 2.1")
            for status in group.against_21:
                d = status.delay
                step = "" if d is None else f"; {d.step_id} ({d.unit}) {d.overrun_hours:g} h over"
                print(
                    f"    {status.dossier_id}: {status.why} (end {status.end:%Y-%m-%d %H:%M}){step}"
                )


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _write_xlsx(index: IndexReport, path: str) -> None:
    try:
        import openpyxl
        from openpyxl.styles import Font
    except ImportError as exc:
        raise InputError("this output needs openpyxl: pip install 'procflow[excel]'") from exc
    from procflow.sheets import save_workbook, xlsx_values

    codes, head = _headings(index)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "766"
    sheet.append([f"Chỉ số QĐ 766/QĐ-TTg, {index.period_start} – {index.period_end}"])
    sheet.append(head)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for group in [*index.groups, index.total]:
        sheet.append(xlsx_values(_row(group, codes)))
    reasons = book.create_sheet("2.1")
    reasons.append(["group", "dossier_id", "end", "why"])
    groups = index.groups or (index.total,)
    for group in groups:
        for status in group.against_21:
            reasons.append(
                xlsx_values([group.key, status.dossier_id, to_local(status.end), status.why])
            )
    save_workbook(book, path)


def file_index(
    path: str,
    procedures: Procedures,
    calendar: WorkCalendar,
    start: date,
    end: date | datetime,
    by: str | None,
    *,
    optional_columns: bool = True,
    encoding: str | None = None,
    duplicates: Duplicates = "refuse",
) -> IndexReport:
    """Compute the Decision 766 index of a file, on the fastest builder that reads it.

    A wide-format file goes to the columnar builder
    (:func:`~procflow.index766_bulk.build_index_bulk`) when the ``bulk`` extra is
    installed; an event log (an ``event`` column), or any file without it, to the
    per-dossier builder (:func:`~procflow.index766.build_index`). Both give the same index
    (the file is told apart as the period report tells it, :class:`~procflow.FileReporter`).

    Args:
        path: The CSV or Parquet export.
        procedures: The procedure library.
        calendar: The working calendar.
        start: First day of the period.
        end: Its last day, or the moment it ends.
        by: The grouping (a dossier attribute or a column), None for the total only.
        optional_columns: Read the optional columns of 3.6, 4.1, 4.2 and 5.4
            (:data:`~procflow.index766.OPTIONAL_COLUMNS`); False counts the dossiers the
            period report counts, none rejected for those columns.
        encoding: The CSV file's text encoding; default by its byte order mark, else UTF-8.
        duplicates: Rows sharing a dossier id: ``"refuse"`` rejects them all, ``"last"``
            keeps the last.

    Returns:
        The index.

    Raises:
        InputError: If the file cannot be read, or the grouping is unknown.

    Examples:
        >>> from procflow.cli_index766 import file_index
        >>> idx = file_index("examples/dossiers-2025.csv", load_procedures("specs"),
        ...                  vietnam_calendar(years=range(2024, 2027)),
        ...                  date(2025, 3, 1), date(2025, 3, 31), "agency")
        >>> idx.total.indicators["2.1"].value, idx.total.dossiers, len(idx.groups)
        (88.08, 302, 4)
    """
    from procflow.reportfile import _engine_reads

    if _engine_reads(Path(path), encoding):
        from procflow.index766_bulk import build_index_bulk

        return build_index_bulk(
            path,
            procedures,
            calendar,
            start=start,
            end=end,
            by=by,
            optional_columns=optional_columns,
            encoding=encoding,
            duplicates=duplicates,
        )
    table = read_dossiers(path, encoding=encoding, duplicates=duplicates)
    extra = read_extra_columns(path, [by] if by else [], encoding=encoding)
    if not optional_columns:  # the grouping column only
        extra = {key: {by: v[by]} for key, v in extra.items() if by and by in v}
    return build_index(table, procedures, calendar, start=start, end=end, by=by, extra=extra)


def _cmd_index766(args: argparse.Namespace) -> int:
    from procflow.cli import _calendar, _library  # cli imports this module to register it

    start, end = parse_period(args.period)
    index = file_index(args.file, _library(args), _calendar(args), start, end, args.by)
    if args.output:
        stdout = cli_common.is_stdio(args.output)
        if not (stdout or args.output.lower().endswith(".xlsx")):
            raise InputError(f"-o {args.output}: index766 writes .xlsx (or use --json)")
        cli_common.write_binary(args.output, ".xlsx", lambda path: _write_xlsx(index, str(path)))
        if not stdout:
            print(f"wrote {args.output}")
    elif args.json:
        head = {"period_start": str(start), "period_end": str(end), "by": args.by}
        for group in [*index.groups, index.total]:
            print(json.dumps({**head, **group.model_dump(mode="json")}, ensure_ascii=False))
    else:
        _print_text(index, args.why)
    print(
        f"{index.dossiers} dossiers read, {len(index.rejected)} rejected; "
        f"{index.total.dossiers} in {start} – {end}: "
        f"{index.total.points:g} of {index.total.max_points:g} points",
        file=cli_common.info_stream(args, args.output),
    )
    for rejected in index.rejected:
        print(
            f"  {cli_common.shown(args, args.file)}:{rejected.row}: "
            f"{rejected.dossier_id or '-'}: {rejected.reason}",
            file=sys.stderr,
        )
    return 0


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """Add ``index766`` to the command line's subcommands.

    Args:
        sub: The subparsers of the ``procflow`` parser.
        common: The parent parser of the calendar options (``--years``, ``--overrides``...).
    """
    cmd = sub.add_parser(
        "index766", parents=[common], help="Decision 766 indicators and points of a period"
    )
    cmd.add_argument("file", metavar="FILE", help="CSV or Parquet export (wide or event log)")
    cmd.add_argument(
        "--period", required=True, help="YYYY-MM, YYYY-Qn, YYYYHn or YYYY, e.g. 2026-03"
    )
    cmd.add_argument("--by", help="group by agency, office, field, channel, procedure or a column")
    out = cmd.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print one JSON object per group")
    out.add_argument(
        "-o", "--output", metavar="FILE.xlsx", help="write an Excel workbook (- for stdout)"
    )
    cmd.add_argument("--why", action="store_true", help="list the dossiers counting against 2.1")
    cmd.add_argument(
        "--specs", metavar="DIR", help="procedure specs folder (default: the packaged library)"
    )
    cmd.set_defaults(run=_cmd_index766)


def add_report_options(report: argparse.ArgumentParser) -> None:
    """Add ``--findings`` to ``procflow report``: a column per compliance finding.

    Args:
        report: The ``report`` subcommand's parser.
    """
    report.add_argument(
        "--findings",
        action="store_true",
        help="add a column per compliance finding (JSON, CSV; XLSX: a sheet)",
    )


def report_findings(
    path: str,
    procedures: Procedures,
    calendar: WorkCalendar,
    start: date,
    end: date | datetime,
    by: str | None,
    *,
    encoding: str | None = None,
    duplicates: Duplicates = "refuse",
) -> dict[str, dict[str, int]]:
    """Count the compliance findings of each report group (and ``"total"``) of a file.

    The dossiers of the period and their groups are those of the report: the optional
    columns of the index are not read, so no row is rejected for them. A wide-format file
    is counted on the columnar engine, an event log dossier by dossier (:func:`file_index`).

    Args:
        path: The CSV or Parquet export.
        procedures: The procedure library.
        calendar: The working calendar.
        start: First day of the period.
        end: Its last day, or the moment it ends.
        by: The report's grouping, None for the total only.
        encoding: The CSV file's text encoding, as the report reads it.
        duplicates: Rows sharing a dossier id, as the report treats them.

    Returns:
        Group key to finding code to the number of dossiers with it, ``"total"`` last.

    Examples:
        >>> from procflow.cli_index766 import report_findings
        >>> found = report_findings("examples/dossiers-2025.csv", load_procedures("specs"),
        ...                         vietnam_calendar(years=range(2024, 2027)),
        ...                         date(2025, 1, 1), date(2025, 3, 31), None)
        >>> found["total"]["late_without_apology"], found["total"]["request_outside_window"]
        (53, 11)
    """
    index = file_index(
        path,
        procedures,
        calendar,
        start,
        end,
        by,
        optional_columns=False,
        encoding=encoding,
        duplicates=duplicates,
    )
    return {group.key: group.findings for group in [*index.groups, index.total]}


def add_findings(text: str, fmt: str, counts: dict[str, dict[str, int]]) -> str:
    """Add the finding counts to a report printed as JSON (``findings`` per row) or CSV.

    Args:
        text: The report as :func:`~procflow.export.report_json` or ``report_csv`` wrote it.
        fmt: ``"json"`` or ``"csv"``.
        counts: Group key to finding code to count (:func:`report_findings`).

    Returns:
        The report with the findings; CSV columns are ``finding_`` and the code.

    Raises:
        InputError: For another format.
    """
    zero = count_findings([])
    if fmt == "json":
        data = json.loads(text)
        for row in [*data["rows"], data["total"]]:
            row["findings"] = counts.get(row["key"], zero)
        return json.dumps(data, ensure_ascii=False, indent=2)
    if fmt != "csv":
        raise InputError(f"--findings adds columns to JSON and CSV reports, not {fmt}")
    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*rows[0], *(f"finding_{code.value}" for code in FINDINGS)])
    for row in rows[1:]:
        writer.writerow([*row, *counts.get(row[0], zero).values()])
    return out.getvalue()


def add_findings_sheet(path: str, counts: dict[str, dict[str, int]]) -> None:
    """Add a sheet "Phát hiện" to a report workbook: one row per group, a column per finding.

    Args:
        path: The ``.xlsx`` report written by :func:`~procflow.export.write_xlsx`.
        counts: Group key to finding code to count (:func:`report_findings`).

    Raises:
        InputError: If openpyxl is not installed.
    """
    try:
        import openpyxl
        from openpyxl.styles import Font
    except ImportError as exc:
        raise InputError("this output needs openpyxl: pip install 'procflow[excel]'") from exc
    from procflow.sheets import save_workbook, xlsx_values

    try:
        book = openpyxl.load_workbook(path)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise InputError(f"{path}: not a readable XLSX file (corrupt or truncated?)") from exc
    sheet = book.create_sheet("Phát hiện")
    sheet.append(["Nhóm", *(FINDINGS[code].vi for code in FINDINGS)])
    sheet.append(["key", *(code.value for code in FINDINGS)])
    for cell in [*sheet[1], *sheet[2]]:
        cell.font = Font(bold=True)
    for key, row in counts.items():
        sheet.append(xlsx_values([key, *row.values()]))
    save_workbook(book, path)
