"""Breakdowns by unit, officer, service level and inter-agency on the columnar engine.

The columnar report (``bulk.build_report``, streamed in batches) must give the per-dossier
report's rows for each breakdown a wide row answers (``report.COLUMN_BREAKDOWNS``), and
``FileReporter`` takes the columnar engine for them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from procflow import WorkCalendar, bulk, load_procedures, read_dossiers
from procflow.report import COLUMN_BREAKDOWNS, GroupBy, build_report
from procflow.reportfile import FileReporter

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "dossiers-2025.csv"


@pytest.mark.parametrize("by", sorted(g.value for g in COLUMN_BREAKDOWNS))
def test_columnar_breakdowns_equal_the_per_dossier_report(cal: WorkCalendar, by: str) -> None:
    library = load_procedures(ROOT / "specs")
    start, end = date(2025, 1, 1), date(2025, 6, 30)
    expected = build_report(read_dossiers(EXAMPLE), library, cal, start=start, end=end, by=by)
    got = bulk.build_report(EXAMPLE, library, cal, start=start, end=end, by=by, batch_size=700)
    assert got.model_dump() == expected.model_dump()
    assert len(got.rows) >= 2  # the example has several groups for each breakdown
    reporter = FileReporter(EXAMPLE, library, cal)
    assert reporter.report(start, end, by).model_dump() == expected.model_dump()
    assert reporter.table is None  # the file was not read dossier by dossier


def test_a_breakdown_by_step_still_reads_the_dossiers(cal: WorkCalendar) -> None:
    reporter = FileReporter(EXAMPLE, load_procedures(ROOT / "specs"), cal)
    reporter.report(date(2025, 1, 1), date(2025, 3, 31), GroupBy.STEP)
    assert reporter.table is not None
