"""The ``procflow`` command line: the only part of procflow that prints.

Every command reads its inputs, calls the library, and prints or writes the result.
Errors from procflow are printed as one line ``procflow: error: ...`` with exit status 2.

Exit statuses (``docs/errors.md``): :data:`EXIT_OK` (0) everything was read and done;
:data:`EXIT_FINDINGS` (1) a check found problems (invalid specs, missed objectives, due
dates that disagree); :data:`EXIT_ERROR` (2) usage errors and unreadable inputs, nothing
written; :data:`EXIT_REJECTED` (3) some rows were rejected (each listed with its row and
reason), unless ``--accept-rejects``. When rows were rejected, 3 comes before 1.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import tempfile
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from datetime import date, datetime
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal, TextIO

from pydantic import ValidationError

from procflow import (
    __version__,
    cli_calendar,
    cli_common,
    cli_evaluate,
    cli_forecast,
    cli_form,
    cli_impact,
    cli_index766,
    cli_iso_review,
    cli_sample,
    cli_schema,
    cli_serve,
    cli_trends,
)
from procflow.alerts import Alert, alerts
from procflow.audit import AuditFinding
from procflow.audit_export import audit_json, cause_text, write_audit_xlsx
from procflow.auditfile import audit_file
from procflow.calendar import (
    DEFAULT_YEARS,
    WorkCalendar,
    load_overrides,
    to_local,
    vietnam_calendar,
)
from procflow.deadline import DueDate, day_en, day_vi, explain_due_date
from procflow.dossier import Dossier
from procflow.errors import InputError, ProcflowError, SpecError
from procflow.evaluation import Evaluation, evaluate
from procflow.export import rejects_csv, report_csv, report_json, write_png, write_xlsx
from procflow.instant import parse_instant
from procflow.interchange import Rejected, open_parquet
from procflow.io import refuse_overwrite
from procflow.parsing import parse_clock, parse_date, parse_datetime
from procflow.planning import plan
from procflow.procedure import Procedure, ProcedureLibrary
from procflow.report import (
    GroupBy,
    Report,
    check_objectives,
    load_objectives,
    month_ranges,
)
from procflow.reportfile import FileReporter
from procflow.spec import (
    load_procedure,
    load_procedures,
    packaged_specs,
    spec_files,
)
from procflow.timelimit import CountingModel, TimeLimit

__all__ = ["EXIT_ERROR", "EXIT_FINDINGS", "EXIT_OK", "EXIT_REJECTED", "main"]

EXIT_OK = 0
"""Every row was read and the command did what was asked."""
EXIT_FINDINGS = 1
"""A check found problems: invalid specs, missed objectives, disagreeing due dates."""
EXIT_ERROR = 2
"""A usage error or an input that cannot be read; no output was written."""
EXIT_REJECTED = 3
"""Outputs were written, but some rows were rejected (see the rejects); not with
``--accept-rejects``."""

Lang = Literal["vi", "en"]

SPECS_HELP = "folder of procedure specs (default: the packaged library)"


def _calendar(args: argparse.Namespace) -> WorkCalendar:
    overrides = load_overrides(args.overrides) if args.overrides else ()
    first, last = args.years
    return vietnam_calendar(
        years=range(first, last + 1),
        overrides=overrides,
        culture_day=not args.no_culture_day,
        allow_missing_holidays=args.allow_missing_holidays,
    )


def _years(text: str) -> tuple[int, int]:
    first, _, last = text.partition("-")
    try:
        return int(first), int(last or first)
    except ValueError:
        raise argparse.ArgumentTypeError(f"years must be YYYY or YYYY-YYYY, got {text!r}") from None


def _cmd_due(args: argparse.Namespace) -> int:
    cal = _calendar(args)
    received = parse_datetime(args.received, "RECEIVED")
    limit = TimeLimit.parse(args.limit)
    cutoff = parse_clock(args.cutoff, "--cutoff") if args.cutoff else None
    model = CountingModel(args.model) if args.model else None
    due = explain_due_date(received, limit, cal, cutoff=cutoff, model=model)
    if args.json:
        print(due.model_dump_json(indent=2))
    else:
        print(due.explain(args.lang))
    return 0


def _demo_outcomes(
    cal: WorkCalendar, examples: Traversable, library: ProcedureLibrary
) -> tuple[datetime, list[Dossier], list[Evaluation], list[Alert]]:
    """The example dossiers, evaluated at the file's ``as_of``, and their alerts."""
    path = examples / "dossiers.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ProcflowError(f"{path}: cannot read example dossiers: {exc}") from exc
    as_of = parse_instant(data["as_of"], f"{path} as_of")
    dossiers: list[Dossier] = []
    for number, raw in enumerate(data["dossiers"]):
        try:
            dossiers.append(Dossier.model_validate(raw))
        except ValidationError as exc:
            raise ProcflowError(f"{path}: dossier #{number}: {exc}") from exc
    evaluations = [evaluate(d, library, cal, as_of=as_of) for d in dossiers]
    found = list(alerts(evaluations, within_days=2, share=0.75))
    return as_of, dossiers, evaluations, found


def _demo_due_dates(
    cal: WorkCalendar, examples: Traversable
) -> list[tuple[dict[str, str], DueDate]]:
    """The example receipts (``receipts.csv``) and their explained due dates."""
    path = examples / "receipts.csv"
    if not path.is_file():
        raise ProcflowError(f"example data not found: {path}")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    out = []
    for number, row in enumerate(rows, start=2):
        where = f"{path}:{number}"
        received = parse_datetime(row["received_at"], f"{where} received_at")
        cutoff = parse_clock(row["cutoff"], f"{where} cutoff") if row["cutoff"] else None
        due = explain_due_date(received, TimeLimit.parse(row["time_limit"]), cal, cutoff=cutoff)
        out.append((row, due))
    return out


def _cmd_demo(args: argparse.Namespace) -> int:
    cal = _calendar(args)
    lang: Lang = args.lang
    examples = Path(args.examples) if args.examples else files("procflow") / "examples"
    as_of, dossiers, evaluations, found = _demo_outcomes(cal, examples, load_procedures(args.specs))
    due_dates = _demo_due_dates(cal, examples)
    if args.json:
        cli_common.print_json(
            {
                "as_of": to_local(as_of).isoformat(),
                "evaluations": [e.model_dump(mode="json") for e in evaluations],
                "alerts": [a.model_dump(mode="json") for a in found],
                "due_dates": [
                    {**row, "due": due.model_dump(mode="json")} for row, due in due_dates
                ],
            }
        )
        return 0
    title = "Kết quả giải quyết" if lang == "vi" else "Outcomes"
    print(f"== {title}: {examples / 'dossiers.json'}, as of {as_of:%Y-%m-%d %H:%M} ==\n")
    for dossier, e in zip(dossiers, evaluations, strict=True):
        print(f"{e.dossier_id}  {dossier.procedure_id or dossier.time_limit}  -> {e.outcome.value}")
        for note in e.notes:
            print(f"     {note.text(lang)}")
        print()
    print("== " + ("Cảnh báo" if lang == "vi" else "Alerts") + " ==\n")
    cli_common.print_table(
        ("hồ sơ", "cảnh báo", "") if lang == "vi" else ("dossier", "alert", ""),
        ((alert.dossier_id, alert.kind.value, alert.note.text(lang)) for alert in found),
    )
    print()
    title = "Ngày hẹn trả kết quả" if lang == "vi" else "Due dates"
    print(f"== {title}: {examples / 'receipts.csv'} ({len(due_dates)} dossiers) ==\n")
    for row, due in due_dates:
        print(f"{row['dossier_id']}  {row['procedure']}  [{row['time_limit']}]")
        print(f"  -> {due.due_at:%Y-%m-%d %H:%M}")
        for note in due.notes:
            print(f"     {note.text(lang)}")
        print()
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    files: list[Path] = []
    for name in args.paths or [str(packaged_specs())]:
        path = Path(name)
        files.extend(spec_files(path) if path.is_dir() else [path])
    problems: list[dict[str, str]] = []
    loaded: list[Procedure] = []
    for path in files:
        try:
            procedure = load_procedure(path)
        except SpecError as exc:
            lines = [str(problem) for problem in exc.problems] or [exc.message]
            problems += [_problem(args, path, "error", line) for line in lines]
            continue
        loaded.append(procedure)
        problems += [_problem(args, path, "warning", str(p)) for p in procedure.warnings()]
    try:
        ProcedureLibrary(loaded)
    except SpecError as exc:
        where = ", ".join(cli_common.shown(args, p) for p in args.paths) or str(packaged_specs())
        problems += [_problem(args, where, "error", str(p)) for p in exc.problems]
    errors = sum(p["kind"] == "error" for p in problems)
    summary = {
        "files": len(files),
        "valid": len(loaded),
        "errors": errors,
        "warnings": len(problems) - errors,
    }
    if args.json:
        cli_common.print_json({**summary, "problems": problems})
    else:
        for p in problems:
            print(f"{p['path']}: {p['problem']}")
        print(
            f"{len(files)} files, {len(loaded)} valid, {errors} errors, "
            f"{summary['warnings']} warnings"
        )
    return 1 if errors else 0


def _problem(args: argparse.Namespace, path: str | Path, kind: str, text: str) -> dict[str, str]:
    return {"path": cli_common.shown(args, path), "kind": kind, "problem": text}


def _cmd_show(args: argparse.Namespace) -> int:
    cal = _calendar(args)
    library = _library(args)
    received = parse_datetime(args.received, "--received")
    procedure = library.in_force(args.procedure_id, received.date())
    pl = plan(procedure, received, cal, conditions=args.condition or ())
    if args.json:
        cli_common.print_json(
            {"procedure": procedure.model_dump(mode="json"), "plan": pl.model_dump(mode="json")}
        )
        return 0
    vi = args.lang == "vi"
    fmt_day = day_vi if vi else day_en
    name = procedure.name_vi if vi or not procedure.name_en else procedure.name_en
    print(f"{procedure.id}: {name}")
    basis = "; ".join(str(ref) for ref in procedure.legal_basis)
    print(f"  {procedure.level.value}, {procedure.field} | {procedure.time_limit} | {basis}")
    validity = f"{procedure.effective_from} → {procedure.effective_to or '…'}"
    rules = procedure.rules
    print(
        f"  in force {validity} | cut-off {rules.cutoff or '-'} | "
        f"supplement {rules.supplement_policy.value} | "
        f"not counted: {', '.join(sorted(rules.not_counted)) or '-'}"
    )
    if procedure.agencies:
        shares = " + ".join(f"{a.agency} {a.limit}" for a in procedure.agencies)
        print(f"  agencies: {shares}")
    print(
        f"\n  received {received:%Y-%m-%d %H:%M}, start {pl.start_at:%Y-%m-%d %H:%M}, "
        f"due {pl.due_at:%H:%M} {fmt_day(pl.due_at.date())}"
    )
    if pl.conditions:
        print(f"  conditions: {', '.join(sorted(pl.conditions))}")
    print()
    cli_common.print_table(
        ("", "step", "unit", "budget", "start", "due", "slack"),
        (
            (
                "*" if s.critical else "",
                s.step_id,
                s.unit,
                s.budget or "-",
                f"{s.start_at:%Y-%m-%d %H:%M}",
                f"{s.due_at:%Y-%m-%d %H:%M}",
                f"{s.slack_hours:g}h",
            )
            for s in pl.steps
        ),
        right=[6],
    )
    print(f"\n  critical path (*): {' → '.join(pl.critical_path)}")
    print(
        f"  budgets on it {pl.budget_hours:g} working hours; "
        f"{pl.available_hours:g} available until the legal due date"
    )
    return 0


def _library(args: argparse.Namespace) -> ProcedureLibrary:
    """The ``--specs`` folder's procedures, or the packaged library when none is given."""
    return load_procedures(args.specs)


def _cmd_report(args: argparse.Namespace) -> int:
    cal = _calendar(args)
    start = parse_date(args.start, "--from")
    # A moment ("2025-06-30T12:00") ends the period mid-day; a date, at the end of that day.
    end: date | datetime = (
        parse_datetime(args.end, "--to") if "T" in args.end else parse_date(args.end, "--to")
    )
    fmt, to_stdout = _report_format(args)
    reporter = FileReporter(
        args.file, _library(args), cal, encoding=args.encoding, duplicates=args.duplicates
    )
    report = reporter.report(start, end, args.by)
    misses = check_objectives(report, load_objectives(args.objectives)) if args.objectives else []
    out = sys.stderr if to_stdout or args.json else sys.stdout
    _write_report(args, fmt, report, reporter, (start, end), out)
    if args.json and not to_stdout:  # the report went to a file: say what was written
        cli_common.print_json(
            {
                "output": args.output,
                "format": fmt,
                "dossiers": report.dossiers,
                "rejected": [r.model_dump(mode="json") for r in report.rejected],
                "objectives_missed": [m.model_dump(mode="json") for m in misses],
            }
        )
    print(
        f"{report.dossiers} dossiers read, {len(report.rejected)} rejected; "
        f"period {start} – {end}: received {report.total.received_total}, "
        f"resolved {report.total.resolved_total}, in progress {report.total.in_progress_total}",
        file=out,
    )
    for rejected in report.rejected:
        print(
            f"  {cli_common.shown(args, args.file)}:{rejected.row}: "
            f"{rejected.dossier_id or '-'}: {rejected.reason}",
            file=out,
        )
    for miss in misses:
        print(
            f"  objective missed: {miss.key}: {miss.metric} "
            f"{miss.value:.2f} % < {miss.minimum:g} %",
            file=out,
        )
    _write_rejects(args, report.rejected)
    return _status(args, len(report.rejected), EXIT_FINDINGS if misses else EXIT_OK)


def _report_findings(
    args: argparse.Namespace, reporter: FileReporter, start: date, end: date | datetime
) -> dict[str, dict[str, int]]:
    """The finding counts of the report's groups: its file, period, encoding and duplicates."""
    return cli_index766.report_findings(
        args.file,
        reporter.procedures,
        reporter.calendar,
        start,
        end,
        args.by,
        encoding=args.encoding,
        duplicates=args.duplicates,
    )


def _report_format(args: argparse.Namespace) -> tuple[str, bool]:
    """The report's format, and whether it goes to standard output; usage errors first."""
    to_stdout = not args.output or cli_common.is_stdio(args.output)
    fmt = args.format or ("json" if to_stdout else Path(args.output).suffix.lstrip("."))
    if args.findings and fmt not in ("json", "csv", "xlsx"):
        raise ProcflowError(f"--findings adds columns to JSON, CSV and XLSX reports, not {fmt}")
    if args.json and to_stdout and fmt != "json":
        raise InputError(f"--json prints the report as JSON; write {fmt} with -o FILE")
    if fmt == "table" and not to_stdout:
        raise InputError(f"--format table prints the report; -o {args.output} needs another")
    if fmt in ("xlsx", "png"):
        cli_common.refuse_binary_to_terminal(args.output, f".{fmt}")
    if cli_common.is_stdio(args.output) and cli_common.is_stdio(args.rejects):
        raise InputError("-o - and --rejects -: only one output can be standard output")
    return fmt, to_stdout


def _write_report(
    args: argparse.Namespace,
    fmt: str,
    report: Report,
    reporter: FileReporter,
    period: tuple[date, date | datetime],
    out: TextIO,
) -> None:
    """Write or print the report in ``fmt`` (``-o``, or standard output)."""
    start, end = period
    to_stdout = not args.output or cli_common.is_stdio(args.output)
    if fmt == "png":
        if not args.output:
            raise ProcflowError("--format png needs -o FILE.png (or -o - for standard output)")
        months = [reporter.report(first, last) for first, last in month_ranges(start, end)]
        cli_common.write_binary(
            args.output, ".png", lambda path: write_png(months, path, title=args.title)
        )
        if not to_stdout:
            print(f"wrote {args.output} ({len(months)} months)", file=out)
    elif fmt == "xlsx":
        if not args.output:
            raise ProcflowError("--format xlsx needs -o FILE.xlsx (or -o - for standard output)")
        found = (  # a sheet of finding counts per group (procflow.findings)
            _report_findings(args, reporter, start, end) if args.findings else None
        )

        def workbook(path: Path) -> None:
            write_xlsx(report, path, title=args.title)
            if found is not None:
                cli_index766.add_findings_sheet(str(path), found)

        cli_common.write_binary(args.output, ".xlsx", workbook)
        if not to_stdout:
            print(f"wrote {args.output}", file=out)
    elif fmt in ("json", "csv"):
        text = report_json(report) if fmt == "json" else report_csv(report)
        if args.findings:  # counted per group (procflow.findings), joined by group key
            text = cli_index766.add_findings(
                text, fmt, _report_findings(args, reporter, start, end)
            )
        if not to_stdout:
            Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        cli_common.write_text(args.output, text)
        if not to_stdout:
            print(f"wrote {args.output}", file=out)
    elif fmt == "table":
        _print_report(report, args.lang)
    else:
        raise ProcflowError(f"unknown report format {fmt!r}: json, csv, xlsx, png or table")


_REPORT_TABLE = (
    ("key", "Nhóm", "Group"),
    ("received_total", "Nhận", "Received"),
    ("carried_over", "Kỳ trước", "Carried over"),
    ("resolved_total", "Đã giải quyết", "Resolved"),
    ("resolved_early", "Trước hạn", "Early"),
    ("resolved_on_time", "Đúng hạn", "On time"),
    ("resolved_late", "Quá hạn", "Late"),
    ("in_progress_total", "Đang giải quyết", "In progress"),
    ("in_progress_overdue", "Đang quá hạn", "Overdue"),
    ("withdrawn", "Rút", "Withdrawn"),
    ("returned", "Trả lại", "Returned"),
    ("timely_rate", "Trước và đúng hạn (%)", "Timely (%)"),
)


def _figure(value: object) -> object:
    """A rate with two decimals (the reports' convention), any other value as it is."""
    return f"{value:.2f}" if isinstance(value, float) else value


def _print_report(report: Report, lang: Lang) -> None:
    """Print a report as a table (``--format table``): the main figures of each group."""
    title = (
        f"Báo cáo {report.period_start} – {report.period_end}"
        if lang == "vi"
        else f"Report {report.period_start} – {report.period_end}"
    )
    cli_common.print_table(
        [vi if lang == "vi" else en for _, vi, en in _REPORT_TABLE],
        (
            [_figure(getattr(row, key)) for key, _, _ in _REPORT_TABLE]
            for row in [*report.rows, report.total]
        ),
        title=title,
        right=range(1, len(_REPORT_TABLE)),
    )


def _write_rejects(args: argparse.Namespace, rejected: Sequence[Rejected]) -> None:
    if args.rejects:
        cli_common.write_text(args.rejects, rejects_csv(rejected))


def _status(args: argparse.Namespace, rejected: int, otherwise: int) -> int:
    """EXIT_REJECTED if rows were rejected and not accepted, else ``otherwise``."""
    if rejected and not args.accept_rejects:
        print(
            f"procflow: {rejected} rows rejected (exit status {EXIT_REJECTED}); "
            "--accept-rejects to accept them",
            file=sys.stderr,
        )
        return EXIT_REJECTED
    return otherwise


def _cmd_classify(args: argparse.Namespace) -> int:
    from procflow import bulk

    cal = _calendar(args)
    as_of = parse_datetime(args.as_of, "--as-of") if args.as_of else None
    if args.quiet:
        args.progress = False
    to_stdout = cli_common.is_stdio(args.output)
    cli_common.refuse_json_with_stdout(args, args.output)
    if to_stdout and args.format is None:
        raise InputError("-o -: name the format to write with --format csv or --format parquet")
    if args.format == "parquet":
        cli_common.refuse_binary_to_terminal(args.output, ".parquet")
    bar = None
    if cli_common.show_progress(args):
        from tqdm import tqdm

        bar = tqdm(total=_row_count(args.file), unit=" rows", desc="classify", file=sys.stderr)

    def progress(done: int) -> None:
        if bar is not None:
            bar.update(done - bar.n)

    with ExitStack() as stack:
        # Standard output gets the classified rows once they are complete; the rejected
        # rows, which go beside the output file, are listed on standard error instead.
        output = args.output
        if to_stdout:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="procflow-"))
            output = str(Path(folder) / f"stdout.{args.format}")
        try:
            classified, rejected, rejected_path = bulk.classify_file(
                args.file,
                output,
                procedures=_library(args),
                calendar=cal,
                as_of=as_of,
                batch_size=args.batch_size,
                progress=progress,
                format=args.format,
                duplicates=args.duplicates,
                encoding=args.encoding,
            )
        finally:
            if bar is not None:
                bar.close()
        rejects = _classify_rejects(rejected_path) if to_stdout else []
        if to_stdout:
            data = Path(output).read_bytes()
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
    where = "standard output" if to_stdout else args.output
    rejected_where = "standard error" if to_stdout else str(rejected_path)
    info = cli_common.info_stream(args, args.output)
    if args.json:
        cli_common.print_json(
            {
                "rows": classified + rejected,
                "classified": classified,
                "rejected": rejected,
                "output": args.output,
                "rejected_output": None if to_stdout else str(rejected_path),
            }
        )
    print(
        f"{classified + rejected} rows: {classified} classified into {where}, "
        f"{rejected} rejected into {rejected_where}",
        file=info,
    )
    for row, dossier_id, reason in rejects:
        print(f"  {cli_common.shown(args, args.file)}:{row}: {dossier_id or '-'}: {reason}",
              file=sys.stderr)  # fmt: skip
    return _status(args, rejected, EXIT_OK)


def _classify_rejects(path: Path) -> list[tuple[int, str | None, str]]:
    """The rejected rows ``classify`` wrote: row, dossier id and reason."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        records = pq.read_table(path).to_pylist()
    else:
        with path.open(encoding="utf-8", newline="") as f:
            records = list(csv.DictReader(f))
    return [(int(r["row"]), r["dossier_id"] or None, str(r["reason"])) for r in records]


def _row_count(path: str) -> int | None:
    """Rows in a Parquet file (from its metadata), None for CSV (unknown until read)."""
    if Path(path).suffix.lower() == ".parquet":
        return int(open_parquet(path).metadata.num_rows)
    return None


def _cmd_audit(args: argparse.Namespace) -> int:
    cal = _calendar(args)
    # Read in batches: memory follows the batch, not the file (procflow.auditfile).
    result = audit_file(
        args.file, _library(args), cal, encoding=args.encoding, duplicates=args.duplicates
    )
    source = cli_common.shown(args, args.file)
    written = args.output and not cli_common.is_stdio(args.output)
    fmt = args.format or (
        Path(args.output).suffix.lstrip(".") if written else "json" if args.json else "text"
    )
    if fmt not in ("text", "json", "xlsx"):
        raise ProcflowError(f"unknown audit format {fmt!r}: text, json or xlsx")
    # Beside a JSON or XLSX document on standard output, messages go to standard error.
    info = sys.stderr if fmt != "text" and not written else cli_common.info_stream(args)
    if fmt == "json":
        cli_common.write_text(args.output, audit_json(result))
        if written:
            print(f"wrote {args.output}", file=info)
    elif fmt == "xlsx":
        if not args.output:
            raise ProcflowError("--format xlsx needs -o FILE.xlsx (or -o - for standard output)")
        cli_common.write_binary(args.output, ".xlsx", lambda path: write_audit_xlsx(result, path))
        if written:
            print(f"wrote {args.output}", file=info)
    elif result.findings:
        headers = ["row", "dossier", "received", "source due", "procflow due", "apart", "causes"]
        cli_common.print_table(
            [*headers, "explanation"] if args.explain else headers,
            (_audit_row(finding, args) for finding in result.findings),
            title=source,
            right=[0, 5],
        )
    if args.json and written:  # the audit went to a file: say what was written
        cli_common.print_json(
            {
                "output": args.output,
                "format": fmt,
                "checked": result.checked,
                "agreed": result.agreed,
                "disagree": len(result.findings),
                "without_due": result.without_due,
                "rejected": [r.model_dump(mode="json") for r in result.rejected],
            }
        )
    for rejected in result.rejected:
        print(
            f"{source}:{rejected.row}: {rejected.dossier_id or '-'}: rejected: {rejected.reason}",
            file=info,
        )
    print(
        f"{result.checked} checked, {result.agreed} agree, {len(result.findings)} disagree, "
        f"{result.without_due} without a source due date, {len(result.rejected)} rejected",
        file=info,
    )
    _write_rejects(args, result.rejected)
    return _status(args, len(result.rejected), EXIT_FINDINGS if result.findings else EXIT_OK)


def _audit_row(finding: AuditFinding, args: argparse.Namespace) -> list[object]:
    """One disagreeing due date as a table row."""
    # Limits in hours are compared to the minute: show the source's time and the gap.
    hours = finding.working_hours_apart
    source_format = "%Y-%m-%d" if hours is None else "%Y-%m-%d %H:%M"
    apart = (
        f"{finding.working_days_apart:+d} working days"
        if hours is None
        else f"{hours:+g} working hours"
    )
    row: list[object] = [
        finding.row,
        finding.dossier_id,
        f"{to_local(finding.received_at):%Y-%m-%d %H:%M}",
        f"{to_local(finding.source_due_at):{source_format}}",
        f"{to_local(finding.procflow_due_at):%Y-%m-%d %H:%M}",
        apart,
        cause_text(finding),
    ]
    if args.explain:
        row.append("\n".join(note.text(args.lang) for note in finding.notes))
    return row


_INPUTS = ("file", "overrides", "objectives")
_OUTPUTS = ("output", "rejects")


def _refuse_clobber(args: argparse.Namespace) -> None:
    """Refuse, before anything is read, an output that is one of the command's inputs."""
    inputs = [getattr(args, name, None) for name in _INPUTS]
    outputs = [getattr(args, name, None) for name in _OUTPUTS]
    refuse_overwrite(
        [i for i in inputs if not cli_common.is_stdio(i)],
        [o for o in outputs if o and not cli_common.is_stdio(o)],
    )


def _common_options() -> argparse.ArgumentParser:
    """The calendar and language options every command shares."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--years",
        type=_years,
        default=(DEFAULT_YEARS.start, DEFAULT_YEARS.stop - 1),
        help="calendar years, YYYY-YYYY (default %(default)s)",
    )
    common.add_argument("--overrides", metavar="FILE", help="TOML file of calendar overrides")
    common.add_argument(
        "--no-culture-day", action="store_true", help="24/11 Vietnam Culture Day is a working day"
    )
    common.add_argument(
        "--lang", choices=("vi", "en"), default="vi", help="language of explanations"
    )
    common.add_argument(
        "--allow-missing-holidays",
        action="store_true",
        help="allow calendar years the holidays package has no data for (weekends only)",
    )
    return common


def _rows_options() -> argparse.ArgumentParser:
    rows = argparse.ArgumentParser(add_help=False)
    rows.add_argument(
        "--accept-rejects",
        action="store_true",
        help=f"exit 0 even if rows were rejected (default: exit {EXIT_REJECTED})",
    )
    rows.add_argument(
        "--encoding",
        metavar="CODEC",
        help="text encoding of a CSV file, e.g. cp1258 (default: by its BOM, else UTF-8)",
    )
    return rows


def _add_audit(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
    rows: argparse.ArgumentParser,
) -> None:
    """Add the ``audit`` command."""
    audit_cmd = sub.add_parser(
        "audit", parents=[common, rows], help="check the due dates a system printed"
    )
    audit_cmd.add_argument("file", metavar="FILE", help="CSV or Parquet export with due_at")
    audit_cmd.add_argument("--specs", metavar="DIR", help=SPECS_HELP)
    audit_cmd.add_argument("--explain", action="store_true", help="print procflow's explanation")
    audit_cmd.add_argument("--rejects", metavar="CSV", help="write the rejected rows to CSV")
    audit_cmd.add_argument(
        "--format", choices=("text", "json", "xlsx"), help="default: by -o, else text"
    )
    audit_cmd.add_argument("-o", "--output", help="file to write (JSON or XLSX)")
    audit_cmd.add_argument(
        "--duplicates",
        choices=("refuse", "last"),
        default="refuse",
        help="rows sharing a dossier id: reject them all (default) or audit the last",
    )
    audit_cmd.set_defaults(run=_cmd_audit)


def _add_demo(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add the ``demo`` command."""
    demo = sub.add_parser("demo", parents=[common], help="run procflow on the shipped examples")
    demo.add_argument(
        "--examples", metavar="DIR", help="examples folder (default: the packaged examples)"
    )
    demo.add_argument("--specs", metavar="DIR", help=SPECS_HELP)
    demo.set_defaults(run=_cmd_demo)


def _parser(*, json_errors: bool = False) -> argparse.ArgumentParser:
    parser = cli_common.ScriptParser(
        json_errors=json_errors,
        prog="procflow",
        description="Vietnamese administrative procedures: due dates, outcomes, reports.",
    )
    parser.add_argument("--version", action="version", version=f"procflow {__version__}")
    common = _common_options()
    rows = _rows_options()
    parser_class: type[argparse.ArgumentParser] = (
        cli_common.JsonErrorParser if json_errors else cli_common.ScriptParser
    )
    sub = parser.add_subparsers(
        dest="command",
        required=True,
        parser_class=parser_class,
    )

    due = sub.add_parser("due", parents=[common], help="compute and explain one due date")
    due.add_argument("received", metavar="RECEIVED", help="receipt time, e.g. 2024-01-31T15:20")
    due.add_argument("limit", metavar="LIMIT", help='time limit, e.g. "03 ngày làm việc"')
    due.add_argument("--cutoff", help="cut-off time, e.g. 15:00")
    due.add_argument("--model", choices=[m.value for m in CountingModel], help="counting model")
    due.add_argument("--json", action="store_true", help="print the explanation as JSON")
    due.set_defaults(run=_cmd_due)

    validate = sub.add_parser("validate", help="check procedure spec files")
    validate.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="spec files or folders (default: the packaged library)",
    )
    validate.set_defaults(run=_cmd_validate)

    show = sub.add_parser("show", parents=[common], help="show a procedure's step plan")
    show.add_argument("procedure_id", metavar="PROCEDURE_ID")
    show.add_argument("--specs", metavar="DIR", help=SPECS_HELP)
    show.add_argument(
        "--received", default="2026-03-02T09:00", help="sample receipt time (default %(default)s)"
    )
    show.add_argument(
        "--condition", action="append", metavar="NAME", help="a condition that holds (repeatable)"
    )
    show.set_defaults(run=_cmd_show)

    report = sub.add_parser(
        "report", parents=[common, rows], help="period report of a dossier export"
    )
    report.add_argument("file", metavar="FILE", help="CSV or Parquet export (wide or event log)")
    report.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
    report.add_argument(
        "--to",
        dest="end",
        required=True,
        help="last day, YYYY-MM-DD, or the moment the period ends, YYYY-MM-DDTHH:MM",
    )
    report.add_argument("--by", choices=[g.value for g in GroupBy], help="group rows by")
    report.add_argument(
        "--format",
        choices=("json", "csv", "xlsx", "png", "table"),
        help="default: by -o, else json; table prints the main figures",
    )
    report.add_argument("-o", "--output", help="file to write, - for stdout (default: print JSON)")
    report.add_argument("--specs", metavar="DIR", help=SPECS_HELP)
    report.add_argument("--objectives", metavar="TOML", help="quality objectives to check")
    report.add_argument("--title", default="", help="agency named in the XLSX/PNG title")
    report.add_argument("--rejects", metavar="CSV", help="write the rejected rows to CSV")
    report.add_argument(
        "--duplicates",
        choices=("refuse", "last"),
        default="refuse",
        help="rows sharing a dossier id: reject them all (default) or count the last",
    )
    cli_index766.add_report_options(report)
    report.set_defaults(run=_cmd_report)

    classify = sub.add_parser(
        "classify", parents=[common, rows], help="classify a large export into Parquet (streaming)"
    )
    classify.add_argument("file", metavar="FILE", help="CSV or Parquet export, wide format")
    classify.add_argument(
        "-o", "--output", required=True, help="Parquet or CSV file to write, - for stdout"
    )
    classify.add_argument("--format", choices=("parquet", "csv"), help="default: by -o")
    classify.add_argument(
        "--duplicates",
        choices=("refuse", "last"),
        default="refuse",
        help="rows sharing a dossier id: reject them all (default) or keep the last",
    )
    classify.add_argument("--as-of", help="instant to classify at (default: end of the last day)")
    classify.add_argument("--specs", metavar="DIR", help=SPECS_HELP)
    classify.add_argument("--batch-size", type=int, default=262_144, help="rows per batch")
    classify.add_argument("--quiet", action="store_true", help="no progress bar (--no-progress)")
    cli_common.add_progress(classify)
    classify.set_defaults(run=_cmd_classify)

    _add_audit(sub, common, rows)

    _add_demo(sub, common)
    cli_serve.register(sub)
    cli_schema.register(sub)
    cli_sample.register(sub)
    for command in (
        cli_evaluate,
        cli_index766,
        cli_impact,
        cli_forecast,
        cli_trends,
        cli_form,
        cli_iso_review,
        cli_calendar,
    ):
        command.register(sub, common)
    for command_parser in sub.choices.values():  # every command speaks JSON (docs/cli.md)
        cli_common.add_json(command_parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Args:
        argv: The arguments (default ``sys.argv[1:]``).

    Returns:
        The exit status: 0 on success, 1 when a check found problems, 2 on errors, 3
        when rows were rejected (unless ``--accept-rejects``).
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _parser(json_errors="--json" in argv).parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        with cli_common.spooled_stdin(args):
            _refuse_clobber(args)
            return run(args)
    except ProcflowError as exc:
        return _error(args, type(exc).__name__, str(exc))
    except BrokenPipeError:  # e.g. `procflow demo | head`
        return 0
    except OSError as exc:  # a file the library did not name: name it here
        where = f"{exc.filename}: " if exc.filename else ""
        return _error(args, "InputError", f"{where}{exc.strerror or exc}")


def _error(args: argparse.Namespace, kind: str, message: str) -> int:
    """Report an error on standard error (JSON under ``--json``); the exit status."""
    message = cli_common.unspool(args, message)
    if getattr(args, "json", False):
        print(cli_common.error_document(kind, message), file=sys.stderr)
    else:
        print(f"procflow: error: {message}", file=sys.stderr)
    return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
