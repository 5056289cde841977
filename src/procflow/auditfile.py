"""The audit of an export file, read in batches: memory follows the batch, not the file.

:func:`audit_file` gives the same result as :func:`procflow.audit.audit` over
:func:`~procflow.read_dossiers` of the whole file (tested), but holds only one batch of
dossiers at a time. The ids repeated anywhere in the file are found first by the streamed
engine's pass over the ``dossier_id`` column alone (one 64-bit hash per row,
:mod:`procflow.bulk.streaming`), for CSV and Parquet alike. The wrong rules the audit tries
(:mod:`procflow.audit`) are built once per file, not once per batch. An event log (rows of
one dossier may be anywhere in the file) is read whole.
"""

from __future__ import annotations

from pathlib import Path

from procflow.audit import AuditFinding, AuditResult, _audit, _Mistakes, audit, rank_findings
from procflow.calendar import WorkCalendar
from procflow.dossier import Dossier
from procflow.errors import InputError, ProcflowError
from procflow.evaluation import Procedures
from procflow.interchange import (
    DossierTable,
    Duplicates,
    Rejected,
    _columns,
    _text,
    duplicate_reasons,
    read_dossiers,
    read_rows,
    row_to_dossier,
)

__all__ = ["audit_file"]


def audit_file(
    path: str | Path,
    procedures: Procedures,
    calendar: WorkCalendar,
    *,
    batch_size: int = 10_000,
    encoding: str | None = None,
    duplicates: Duplicates = "refuse",
) -> AuditResult:
    """Audit the due dates a source system printed in a CSV or Parquet export.

    Args:
        path: The export (wide format with ``due_at``, or an event log).
        procedures: The procedure library, or None for inline rules.
        calendar: The working calendar.
        batch_size: Dossiers audited per batch.
        encoding: The CSV file's text encoding; default: by its byte order mark, else UTF-8.
        duplicates: Rows sharing a dossier id: ``"refuse"`` rejects them all, ``"last"``
            keeps the last (:func:`~procflow.interchange.duplicate_reasons`).

    Returns:
        The audit, findings and rejected rows in file order; every row is checked, without
        a due date, or rejected.

    Raises:
        InputError: If the file cannot be read, lacks a required column, or the batch size
            is not positive.

    Examples:
        >>> result = audit_file("examples/dossiers-2025.csv", load_procedures(),
        ...                     vietnam_calendar(years=range(2024, 2027)), batch_size=500)
        >>> whole = audit(read_dossiers("examples/dossiers-2025.csv"), load_procedures(),
        ...               vietnam_calendar(years=range(2024, 2027)))
        >>> (result.checked, len(result.findings)) == (whole.checked, len(whole.findings))
        True
    """
    if batch_size < 1:
        raise InputError(f"batch size must be at least 1, got {batch_size}")
    path = Path(path)
    try:
        columns = _columns(path, encoding)
    except InputError:
        columns = []
    if "event" in columns or "dossier_id" not in columns or "received_at" not in columns:
        # A log, or a file whose columns tell the reader's own error: read it whole.
        return audit(
            read_dossiers(path, encoding=encoding, duplicates=duplicates), procedures, calendar
        )
    # Pass 1: the ids only, so that no dossier is audited twice.
    refused = _repeats(path, encoding, duplicates)
    # Pass 2: the dossiers, one batch at a time, the wrong rules built once for them all.
    mistakes = _Mistakes(calendar)
    parts: list[AuditResult] = []
    batch: list[tuple[int, Dossier | Rejected]] = []

    def flush() -> None:
        read = [(n, d) for n, d in batch if isinstance(d, Dossier)]
        table = DossierTable(
            source=str(path),
            shape="wide",
            dossiers=tuple(d for _, d in read),
            rows=tuple(n for n, _ in read),
            rejected=tuple(d for _, d in batch if isinstance(d, Rejected)),
        )
        parts.append(_audit(table, procedures, mistakes))
        batch.clear()

    for number, record in read_rows(path, encoding):
        dossier_id = _text(record.get("dossier_id")) or None
        reason = refused.get(number)
        if reason is None:
            try:
                batch.append((number, row_to_dossier(record)))
            except ProcflowError as exc:
                reason = str(exc)
        if reason is not None:
            batch.append((number, Rejected(row=number, dossier_id=dossier_id, reason=reason)))
        if len(batch) >= batch_size:
            flush()
    if batch or not parts:
        flush()
    findings: list[AuditFinding] = [f for p in parts for f in p.findings]
    rejected: list[Rejected] = [r for p in parts for r in p.rejected]
    return AuditResult(
        checked=sum(p.checked for p in parts),
        agreed=sum(p.agreed for p in parts),
        without_due=sum(p.without_due for p in parts),
        # The causes are ranked with the evidence of the whole file, not of one batch.
        findings=rank_findings(sorted(findings, key=lambda f: f.row)),
        rejected=tuple(sorted(rejected, key=lambda r: r.row or 0)),
    )


def _repeats(path: Path, encoding: str | None, duplicates: Duplicates) -> dict[int, str]:
    """Row number to reason, for the rows a dossier id repeated anywhere in the file rejects.

    The streamed engine's pass over the ``dossier_id`` column alone
    (:mod:`procflow.bulk.streaming`) tells them. Without pyarrow, or for a CSV file its
    reader refuses (a row short of cells, which :func:`~procflow.interchange.read_rows`
    pads), the rows are read here one by one instead.
    """
    duplicate_reasons([], [], duplicates)  # an unknown mode is an error before any read
    try:
        from procflow.bulk.streaming import _file_duplicates
    except ImportError:
        pass
    else:
        try:
            reasons, lines = _file_duplicates(path, duplicates, encoding)
        except InputError:
            if path.suffix.lower() == ".parquet":
                raise
        else:
            return {(lines[p] if lines else p + 2): reason for p, reason in reasons.items()}
    ids: list[str] = []
    numbers: list[int] = []
    for number, record in read_rows(path, encoding):
        ids.append(_text(record.get("dossier_id")))
        numbers.append(number)
    return {numbers[p]: reason for p, reason in duplicate_reasons(ids, numbers, duplicates).items()}
