"""The ``procflow iso-review`` command: the ISO 9001 management review pack of a period.

``procflow iso-review FILE --period 2024H1 -o review.xlsx`` writes the workbook and, next to
it, the document ``review.docx`` (needs ``procflow[forms]``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from procflow import cli_common
from procflow.errors import InputError

__all__ = ["register"]


def _cmd_iso_review(args: argparse.Namespace) -> int:
    from procflow.cli import _calendar, _library
    from procflow.cli_index766 import parse_period  # the periods every command reads
    from procflow.forms.iso_review import iso_review, write_review_docx, write_review_xlsx
    from procflow.interchange import read_dossiers
    from procflow.report import GroupBy

    start, end = parse_period(args.period)
    if cli_common.is_stdio(args.output):
        raise InputError("-o -: the review pack is two files (XLSX and DOCX); name the .xlsx")
    output = Path(args.output)
    if output.suffix.lower() != ".xlsx":
        raise InputError(f"output {args.output!r}: the review pack is an .xlsx workbook")
    document = output.with_suffix(".docx")
    output.parent.mkdir(parents=True, exist_ok=True)
    review = iso_review(
        read_dossiers(args.file),
        _library(args),
        _calendar(args),
        start=start,
        end=end,
        agency=args.agency,
        by=GroupBy(args.by),
        per_stratum=args.sample,
        seed=args.seed,
    )
    write_review_xlsx(review, output)
    write_review_docx(review, document)
    info = cli_common.info_stream(args)
    if args.json:
        cli_common.print_json(
            {
                "output": str(output),
                "document": str(document),
                "summary": review.summary,
                "nonconformities": len(review.nonconformities),
                "sampled": len(review.sample),
                "rejected": [item.model_dump(mode="json") for item in review.rejected],
            }
        )
    else:
        print(review.summary)
    print(
        f"wrote {output} and {document}: {len(review.nonconformities)} nonconformities, "
        f"{len(review.sample)} dossiers sampled, {len(review.rejected)} rejected",
        file=info,
    )
    for item in review.rejected:
        print(
            f"  {cli_common.shown(args, args.file)}:{item.row}: "
            f"{item.dossier_id or '-'}: {item.reason}",
            file=info,
        )
    return 0


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add ``iso-review`` to the command line's subcommands.

    Args:
        sub: The subparsers of the ``procflow`` parser.
        common: The parent parser of the calendar options.
    """
    review = sub.add_parser(
        "iso-review", parents=[common], help="ISO 9001 management review pack (XLSX + DOCX)"
    )
    review.add_argument("file", metavar="FILE", help="CSV or Parquet export")
    review.add_argument(
        "--period", required=True, help="YYYY-MM, YYYY-Qn, YYYYHn or YYYY (e.g. 2024H1)"
    )
    review.add_argument("-o", "--output", required=True, help="workbook .xlsx (DOCX beside it)")
    review.add_argument(
        "--specs", metavar="DIR", help="folder of procedure specs (default: the packaged library)"
    )
    review.add_argument("--agency", default="", help="the agency reviewed")
    review.add_argument(
        "--by",
        choices=("office", "agency", "field", "procedure"),
        default="office",
        help="what a unit is (default %(default)s)",
    )
    review.add_argument("--sample", type=int, default=5, help="dossiers drawn per outcome")
    review.add_argument("--seed", type=int, default=0, help="the sample's seed")
    cli_common.add_json(review, help="print what was written as JSON")
    review.set_defaults(run=_cmd_iso_review)
