"""Bulk classification of dossiers in the wide interchange format: a columnar engine.

:func:`classify` gives, for every row, what :func:`procflow.evaluate` gives for that
dossier (due dates, outcome, rule, time used and left, Decision 766 view), computed with
numpy over the calendar's precomputed working-day arrays: no Python loop per row on the
hot path. The rules are the per-dossier path's, written once more in array form:

* times become seconds (local time) and positions (working seconds since the calendar's
  start, from the prefix counts of working days); a shift by n working days is one index
  into the sorted working days, a shift by working hours is a division by the day length;
* the effective receipt (cut-off, office hours, days off, Saturday reception), the day and
  hour models, calendar days and same day, supplement restart, pause and none, withdrawal
  and ``as_of`` follow :mod:`procflow.deadline` and :mod:`procflow.evaluation` line by line.

Rows the array path does not take — a value that does not parse as the common ISO forms,
a time zone offset, sub-second times, an inconsistent timeline, a date outside the
calendar — go through the per-dossier path, which reads, checks and evaluates them one by
one (and rejects those it cannot). So every row is classified exactly as
:func:`procflow.evaluate` would, and ``rows in = rows classified + rows rejected``, always.
The tests check this row by row on random and large inputs.

Needs the ``bulk`` extra (numpy, pyarrow).
"""

from __future__ import annotations

__all__ = [
    "ALERT_COLUMNS",
    "OUTPUT_COLUMNS",
    "BulkResult",
    "Engine",
    "alerts",
    "build_report",
    "classify",
    "classify_dask",
    "classify_file",
    "csv_safe_table",
    "max_event_time",
    "output_format",
]

from procflow.bulk.alerting import ALERT_COLUMNS, alerts
from procflow.bulk.assemble import _assemble as _assemble
from procflow.bulk.assemble import _scalar as _scalar
from procflow.bulk.columns import _OUTCOME_OF_RULE as _OUTCOME_OF_RULE
from procflow.bulk.columns import OUTPUT_COLUMNS, BulkResult
from procflow.bulk.engine import _classify_arrays as _classify_arrays
from procflow.bulk.engine import _classify_slice as _classify_slice
from procflow.bulk.engine import _duplicates_of as _duplicates_of
from procflow.bulk.engine import classify, max_event_time
from procflow.bulk.parallel import classify_dask
from procflow.bulk.reading import _read_csv as _read_csv
from procflow.bulk.reading import _to_table as _to_table
from procflow.bulk.report import build_report
from procflow.bulk.rules import _rules as _rules
from procflow.bulk.selection import Engine
from procflow.bulk.streaming import classify_file, csv_safe_table, output_format
