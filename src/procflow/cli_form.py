"""The ``procflow form`` command: print a dossier's form as DOCX, HTML or JSON, or the II.06a.

``procflow form KIND DOSSIER.json -o OUT.docx|.html|.json`` with KIND one of receipt,
supplement, refusal, apology, control (one dossier) or register (a dossier file: a JSON
list, or a CSV/Parquet export); ``procflow form ii06a FILE --from --to -o OUT.xlsx`` writes
the periodic report on form II.06a.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from procflow import cli_common
from procflow.calendar import WorkCalendar, to_local
from procflow.dossier import Dossier
from procflow.errors import InputError
from procflow.forms import Form, FormContext, FormKind, build_form, render_html
from procflow.forms import register as build_register
from procflow.interchange import DossierTable, Rejected, read_dossiers
from procflow.parsing import parse_date, parse_datetime
from procflow.procedure import ProcedureLibrary

__all__ = ["II06A", "form_schema", "register"]

II06A = "ii06a"
"""The KIND that writes the periodic report on form II.06a."""

_KINDS = [k.value for k in FormKind] + [II06A]


def form_schema(kind: FormKind) -> dict[str, Any]:
    """The JSON Schema of a form's data (what ``-o FORM.json`` writes).

    Examples:
        >>> form_schema(FormKind.RECEIPT)["title"]
        'ReceiptSlip'
    """
    from procflow.forms import models

    classes: dict[FormKind, type[BaseModel]] = {
        FormKind.RECEIPT: models.ReceiptSlip,
        FormKind.SUPPLEMENT: models.SupplementRequest,
        FormKind.REFUSAL: models.RefusalSlip,
        FormKind.APOLOGY: models.ApologySlip,
        FormKind.CONTROL: models.ControlSlip,
        FormKind.REGISTER: models.Register,
    }
    return classes[kind].model_json_schema()


def _read_json(path: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not JSON: {exc}") from exc


def _context(raw: Any, where: str) -> FormContext:
    try:
        return FormContext.model_validate(raw or {})
    except ValidationError as exc:
        raise InputError(f"{where}: form context: {exc}") from exc


def _dossier(raw: Any, where: str, procedure: str | None) -> Dossier:
    if not isinstance(raw, dict):
        raise InputError(f"{where}: a dossier must be a JSON object, got {type(raw).__name__}")
    if procedure is not None:
        raw = {**raw, "procedure_id": procedure}
    try:
        return Dossier.model_validate(raw)
    except ValidationError as exc:
        raise InputError(f"{where}: {exc}") from exc


def _split(raw: Any) -> tuple[Any, Any]:
    """A file holds a dossier, or ``{"dossier": ..., "form": ...}``."""
    if isinstance(raw, dict) and "dossier" in raw:
        return raw["dossier"], raw.get("form")
    return raw, None


_FORMATS = {".json": "json", ".html": "html", ".htm": "html", ".docx": "docx"}


def _format(args: argparse.Namespace) -> str:
    """The format to write: ``--format``, else by the ending of ``-o``."""
    if args.format:
        return str(args.format)
    if cli_common.is_stdio(args.output):
        raise InputError("-o -: name the format with --format docx, html or json")
    fmt = _FORMATS.get(Path(args.output).suffix.lower())
    if fmt is None:
        raise InputError(f"output {args.output!r}: write .docx, .html or .json")
    return fmt


def _write(form: Form, output: str, fmt: str) -> None:
    if fmt == "json":
        cli_common.write_text(output, form.model_dump_json(indent=2) + "\n")
    elif fmt == "html":
        cli_common.write_text(output, render_html(form))
    else:
        from procflow.forms.docx_render import write_docx

        cli_common.write_binary(output, ".docx", lambda path: write_docx(form, path))


def _wrote(args: argparse.Namespace, what: str, **figures: object) -> None:
    """Say what was written: a line (on stderr if stdout has the form), or JSON."""
    if cli_common.is_stdio(args.output):
        return  # standard output has the form itself
    if args.json:
        cli_common.print_json({"output": args.output, "kind": args.kind, **figures})
    else:
        print(f"wrote {what}", file=cli_common.info_stream(args, args.output))


def _register_input(
    args: argparse.Namespace,
) -> tuple[list[Dossier], list[Rejected], dict[str, FormContext], datetime | None]:
    path = args.dossier
    if Path(path).suffix.lower() in (".csv", ".parquet"):
        table: DossierTable = read_dossiers(path)
        return list(table.dossiers), list(table.rejected), {}, None
    raw = _read_json(path)
    as_of = None
    if isinstance(raw, dict) and "dossiers" in raw:
        if raw.get("as_of"):
            as_of = parse_datetime(str(raw["as_of"]), f"{path} as_of")
        raw = raw["dossiers"]
    if not isinstance(raw, list):
        raise InputError(f"{path}: the register takes a JSON list of dossiers")
    dossiers: list[Dossier] = []
    rejected: list[Rejected] = []
    contexts: dict[str, FormContext] = {}
    for number, item in enumerate(raw, start=1):
        where = f"{path}: dossier #{number}"
        body, context = _split(item)
        try:
            dossier = _dossier(body, where, args.procedure)
        except InputError as exc:
            rejected.append(Rejected(row=number, dossier_id=None, reason=str(exc)))
            continue
        dossiers.append(dossier)
        if context is not None:
            contexts[dossier.id] = _context(context, where)
    return dossiers, rejected, contexts, as_of


def _cmd_form(args: argparse.Namespace) -> int:
    from procflow.cli import _calendar, _library

    kind_text: str = args.kind
    if args.schema:
        if kind_text == II06A:
            raise InputError("form ii06a is a workbook; it has no JSON Schema")
        print(json.dumps(form_schema(FormKind(kind_text)), ensure_ascii=False, indent=2))
        return 0
    if args.json and args.output is None and kind_text != II06A:
        args.output, args.format = cli_common.STDIO, "json"  # the form's data, on stdout
    if args.dossier is None or args.output is None:
        raise InputError(f"procflow form {kind_text} needs DOSSIER and -o OUT")
    cal: WorkCalendar = _calendar(args)
    library: ProcedureLibrary | None = _library(args)
    if not cli_common.is_stdio(args.output):
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    if kind_text == II06A:
        return _cmd_ii06a(args, cal, library)
    kind = FormKind(kind_text)
    fmt = _format(args)
    extra = _context(_read_json(args.context), args.context) if args.context else None
    if kind is FormKind.REGISTER:
        dossiers, rejected, contexts, file_as_of = _register_input(args)
        latest = [to_local(max(e.at for e in d.events)) for d in dossiers]
        if not (args.as_of or file_as_of or latest):
            raise InputError(f"{args.dossier}: no dossier to date the register; give --as-of")
        as_of = parse_datetime(args.as_of, "--as-of") if args.as_of else file_as_of or max(latest)
        book = build_register(
            dossiers,
            library,
            cal,
            as_of=as_of,
            contexts=contexts,
            context=extra,
            rejected=rejected,
        )
        _write(book, args.output, fmt)
        _wrote(
            args,
            f"{args.output} ({book.version.label}): "
            f"{len(book.entries)} dossiers, {len(book.rejected)} rejected",
            version=book.version.label,
            dossiers=len(book.entries),
            rejected=[item.model_dump(mode="json") for item in book.rejected],
        )
        for item in book.rejected:
            print(
                f"  {cli_common.shown(args, args.dossier)}: #{item.row}: "
                f"{item.dossier_id or '-'}: {item.reason}",
                file=cli_common.info_stream(args, args.output),
            )
        return 0
    body, context = _split(_read_json(args.dossier))
    dossier = _dossier(body, args.dossier, args.procedure)
    merged = extra or _context(context, args.dossier)
    form: Form = build_form(kind, dossier, library, cal, merged)
    _write(form, args.output, fmt)
    _wrote(args, f"{args.output} ({form.version.label})", version=form.version.label)
    return 0


def _cmd_ii06a(
    args: argparse.Namespace, cal: WorkCalendar, library: ProcedureLibrary | None
) -> int:
    from procflow.forms.ii06a import procedure_sections, write_ii06a
    from procflow.report import GroupBy, build_report

    if not (args.start and args.end):
        raise InputError("procflow form ii06a needs --from and --to")
    if not (cli_common.is_stdio(args.output) or Path(args.output).suffix.lower() == ".xlsx"):
        raise InputError(f"output {args.output!r}: form ii06a writes an .xlsx workbook")
    start = parse_date(args.start, "--from")
    end = parse_date(args.end, "--to")
    table = read_dossiers(args.dossier)
    by = GroupBy(args.by) if args.by else GroupBy.FIELD
    report = build_report(table, library, cal, start=start, end=end, by=by)
    sections = labels = None
    if by is GroupBy.PROCEDURE:
        sections = procedure_sections(table.dossiers, library)
        if library is not None:
            labels = {key: library[key][-1].name_vi for key in sections if key in library}
    cli_common.write_binary(
        args.output,
        ".xlsx",
        lambda path: write_ii06a(
            report,
            path,
            agency=args.agency,
            signer=args.signer,
            sections=sections,
            labels=labels,
        ),
    )
    _wrote(
        args,
        f"{args.output}: {len(report.rows)} rows, received {report.total.received_total}, "
        f"resolved {report.total.resolved_total}; {report.dossiers} dossiers read, "
        f"{len(report.rejected)} rejected",
        rows=len(report.rows),
        dossiers=report.dossiers,
        rejected=[item.model_dump(mode="json") for item in report.rejected],
    )
    for item in report.rejected:
        print(
            f"  {cli_common.shown(args, args.dossier)}:{item.row}: "
            f"{item.dossier_id or '-'}: {item.reason}",
            file=cli_common.info_stream(args, args.output),
        )
    return 0


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add ``form`` to the command line's subcommands.

    Args:
        sub: The subparsers of the ``procflow`` parser.
        common: The parent parser of the calendar options (``--years``, ``--overrides``...).
    """
    form = sub.add_parser(
        "form", parents=[common], help="print a dossier's form (DOCX, HTML, JSON) or the II.06a"
    )
    form.add_argument("kind", metavar="KIND", choices=_KINDS, help=", ".join(_KINDS))
    form.add_argument(
        "dossier",
        metavar="DOSSIER",
        nargs="?",
        help="dossier JSON (register: JSON list or CSV export; ii06a: CSV export)",
    )
    form.add_argument(
        "-o", "--output", help="file to write: .docx, .html or .json (ii06a: .xlsx); - for stdout"
    )
    form.add_argument(
        "--format", choices=("docx", "html", "json"), help="default: by the ending of -o"
    )
    form.add_argument("--procedure", metavar="ID", help="the dossier's procedure id")
    form.add_argument(
        "--specs", metavar="DIR", help="folder of procedure specs (default: the packaged library)"
    )
    form.add_argument("--context", metavar="JSON", help="form context: applicant, components...")
    form.add_argument("--as-of", help="register: instant outcomes are judged at")
    form.add_argument("--from", dest="start", help="ii06a: first day, YYYY-MM-DD")
    form.add_argument("--to", dest="end", help="ii06a: last day, YYYY-MM-DD")
    form.add_argument("--by", choices=("field", "procedure"), help="ii06a rows (default field)")
    form.add_argument("--agency", default="", help="ii06a: the reporting agency")
    form.add_argument("--signer", default="", help="ii06a: who signs the report")
    form.add_argument("--schema", action="store_true", help="print the form's JSON Schema")
    cli_common.add_json(form, help="print the form's data as JSON (with -o: what was written)")
    form.set_defaults(run=_cmd_form)
