"""Columnar alerts (:func:`alerts`): the per-dossier alerts, row for row."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from procflow.bulk.engine import classify
from procflow.calendar import WorkCalendar
from procflow.evaluation import Procedures

ALERT_COLUMNS = (
    "dossier_id",
    "kind",
    "due_at",
    "remaining_hours",
    "used_share",
    "note_vi",
    "note_en",
)
"""Columns of :func:`alerts`' table."""


def alerts(
    source: Any,
    *,
    procedures: Procedures = None,
    calendar: WorkCalendar | None = None,
    as_of: datetime | date | None = None,
    within_hours: float | None = None,
    within_days: float | None = None,
    share: float | None = None,
    notes: bool = False,
) -> pa.Table:
    """:func:`procflow.alerts` for a whole table of dossiers, on the columnar engine.

    The dossiers are classified at ``as_of`` (:func:`classify`) and the same rule
    (:func:`procflow.alerts.alert_kind`) picks the alerts: every overdue dossier, and the
    in-time ones within the window or past the share of their time.

    Args:
        source: The dossiers, wide format (table, DataFrame or path).
        procedures: The procedure library, for rows with a ``procedure_id``.
        calendar: The working calendar (default: :func:`~procflow.vietnam_calendar`).
        as_of: The screen's instant (default: the end of the latest event's day).
        within_hours: Warn when at most this many working hours remain.
        within_days: Warn when at most this many working days remain.
        share: Warn when at least this share (0-1) of the time is used.
        notes: Add the reasons as text (``note_vi``, ``note_en``); a dashboard that words
            its own from ``kind``, ``due_at`` and ``remaining_hours`` leaves them out.

    Returns:
        One row per alert, columns :data:`ALERT_COLUMNS` (without the notes unless asked),
        by remaining time (least first).

    Raises:
        ValueError: If ``share`` is not between 0 and 1.

    Examples:
        >>> rows = pa.table({"dossier_id": ["A", "B"],
        ...                  "received_at": ["2024-08-29T10:00:00", "2024-09-04T10:00:00"],
        ...                  "time_limit": ["03 ngày làm việc", "03 ngày làm việc"]})
        >>> from procflow import bulk
        >>> found = bulk.alerts(rows, calendar=vietnam_calendar(years=[2024]),
        ...                     as_of=datetime(2024, 9, 6, 10), within_days=1)
        >>> found.select(["dossier_id", "kind", "remaining_hours"]).to_pylist()
        [{'dossier_id': 'A', 'kind': 'overdue', 'remaining_hours': -2.0}]
    """
    from procflow.alerts import ALERT_KINDS, alert_kind, alert_note, alert_window

    if share is not None and not 0 <= share <= 1:
        raise ValueError(f"share must be between 0 and 1, got {share}")
    t = classify(source, procedures=procedures, calendar=calendar, as_of=as_of).table
    outcome = t["outcome"].to_numpy(zero_copy_only=False)
    due_known = pc.is_valid(t["effective_due_at"]).to_numpy(zero_copy_only=False)
    remaining = pc.fill_null(t["remaining_hours"], 0.0).to_numpy(zero_copy_only=False)
    used = t["used_hours"].to_numpy(zero_copy_only=False)
    overdue = outcome == "overdue"
    open_ = ((outcome == "in_time") | overdue) & due_known
    code = alert_kind(
        open_,
        overdue,
        t["clock_stopped"].to_numpy(zero_copy_only=False),
        used,
        remaining,
        alert_window(within_hours, within_days),
        share,
    )
    rows = np.flatnonzero(code > 0)
    rows = rows[np.argsort(remaining[rows], kind="stable")]
    total = used + remaining
    used_share = np.where(total > 0, used / np.where(total > 0, total, 1.0), 1.0)
    picked = t.take(pa.array(rows, type=pa.int64()))
    kinds = [ALERT_KINDS[c] for c in code[rows].tolist()]
    texts = [
        alert_note(kind, due, rest, part)
        for kind, due, rest, part in zip(
            kinds,
            picked["effective_due_at"].to_pylist(),
            remaining[rows].tolist(),
            used_share[rows].tolist(),
            strict=True,
        )
        if kind is not None and notes
    ]
    columns = {
        "dossier_id": picked["dossier_id"],
        "kind": pa.array([str(k) for k in kinds], pa.string()),
        "due_at": picked["effective_due_at"],
        "remaining_hours": pa.array(remaining[rows]),
        "used_share": pa.array(used_share[rows]),
    }
    if notes:
        columns["note_vi"] = pa.array([n.vi for n in texts], pa.string())
        columns["note_en"] = pa.array([n.en for n in texts], pa.string())
    return pa.table(columns)
