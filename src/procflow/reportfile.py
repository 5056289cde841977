"""Period reports of one dossier export file, on the fastest engine that can read it.

A wide-format file is counted on the columnar engine (:mod:`procflow.bulk`) when its
dependencies are installed; an event log, or any file without them, is read once with
:func:`~procflow.read_dossiers` and counted dossier by dossier. Both give the same report
(tested in ``tests/bulk``). The command line and the HTTP service both report through here.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from procflow.calendar import WorkCalendar
from procflow.evaluation import Procedures
from procflow.interchange import DossierTable, Duplicates, read_columns, read_dossiers
from procflow.report import BREAKDOWNS, COLUMN_BREAKDOWNS, GroupBy, Report, build_report

__all__ = ["FileReporter"]


def _engine_reads(path: Path, encoding: str | None = None) -> bool:
    """Whether the columnar engine can read this file (pyarrow installed, wide format)."""
    try:
        import procflow.bulk  # noqa: F401
    except ImportError:
        return False
    columns = read_columns(path, encoding)
    return columns is not None and "event" not in columns


class FileReporter:
    """Reports of one export file over any number of periods; the file is read once.

    Args:
        path: The CSV or Parquet export (wide or event log).
        procedures: The procedure library, or None for dossiers with inline rules.
        calendar: The working calendar.
        encoding: The CSV file's text encoding (e.g. ``"cp1258"``); default: by its byte
            order mark, else UTF-8.
        duplicates: Rows sharing a dossier id anywhere in the file: ``"refuse"`` (default)
            rejects them all, ``"last"`` counts the last.

    Raises:
        InputError: If the file cannot be read or lacks a required column.

    Examples:
        >>> from procflow import load_procedures, vietnam_calendar
        >>> reporter = FileReporter("examples/dossiers-2025.csv", load_procedures(),
        ...                         vietnam_calendar(years=range(2024, 2027)))
        >>> q1 = reporter.report(date(2025, 1, 1), date(2025, 3, 31))
        >>> t = q1.total
        >>> t.received_total == (t.resolved_total + t.in_progress_total + t.withdrawn
        ...                      + t.returned)
        True
    """

    def __init__(
        self,
        path: str | Path,
        procedures: Procedures,
        calendar: WorkCalendar,
        *,
        encoding: str | None = None,
        duplicates: Duplicates = "refuse",
    ) -> None:
        self.path = Path(path)
        self.procedures = procedures
        self.calendar = calendar
        self.encoding = encoding
        self.duplicates: Duplicates = duplicates
        self.table: DossierTable | None = (
            None if _engine_reads(self.path, encoding) else self._read_dossiers()
        )

    def _read_dossiers(self) -> DossierTable:
        return read_dossiers(self.path, encoding=self.encoding, duplicates=self.duplicates)

    def report(self, start: date, end: date | datetime, by: GroupBy | str | None = None) -> Report:
        """Build the report of the period ``[start, end]``, grouped ``by``.

        Args:
            start: First day of the period (included).
            end: Last day of the period (included).
            by: Group rows by (see :class:`~procflow.GroupBy`), None for the total only.

        Returns:
            The report, its ``rejected`` naming every row that could not be counted.

        Raises:
            ValueError: If ``end`` is before ``start`` or ``by`` is unknown.
        """
        group = None if by is None else GroupBy(by).value
        if (
            self.table is None
            and group is not None
            and GroupBy(group) in BREAKDOWNS - COLUMN_BREAKDOWNS
        ):
            # The columnar engine groups by the row's columns and its spec; a breakdown by
            # step needs each dossier's step plan.
            self.table = self._read_dossiers()
        if self.table is None:
            from procflow import bulk

            return bulk.build_report(
                self.path,
                self.procedures,
                self.calendar,
                start=start,
                end=end,
                by=group,
                duplicates=self.duplicates,
                encoding=self.encoding,
            )
        return build_report(
            self.table, self.procedures, self.calendar, start=start, end=end, by=group
        )
