"""The per-dossier path as the oracle for the bulk engine: compare every row and field."""

from __future__ import annotations

import importlib.util
from datetime import datetime
from typing import Any

import pyarrow as pa

from procflow import ProcflowError, WorkCalendar, evaluate
from procflow.bulk import BulkResult, classify
from procflow.calendar import to_local
from procflow.evaluation import Procedures
from procflow.interchange import WIDE_COLUMNS, row_to_dossier

FIELDS = (
    "due_at",
    "effective_due_at",
    "d766_due_at",
    "outcome",
    "rule",
    "used_hours",
    "used_days",
    "remaining_hours",
    "supplement_requests",
    "clock_stopped",
    "waiting_for_applicant",
    "d766_on_time",
    "finished_at",
    "withdrawn_at",
)


def scalar(
    record: dict[str, Any], procedures: Procedures, cal: WorkCalendar, as_of: datetime
) -> dict[str, Any] | str:
    """What the per-dossier path says of one wide row: its fields, or why it is rejected."""
    try:
        dossier = row_to_dossier({k: v for k, v in record.items() if k in WIDE_COLUMNS})
        e = evaluate(dossier, procedures, cal, as_of=as_of)
    except ProcflowError as exc:
        return str(exc)
    out: dict[str, Any] = {}
    for name in FIELDS:
        value = getattr(e, name)
        if isinstance(value, datetime):
            value = to_local(value)
        out[name] = value.value if name == "outcome" else value
    out["apology"] = e.apology is not None
    out["apology_timely"] = e.apology is not None and e.apology.timely
    return out


def _first_difference(a: pa.Table, b: pa.Table) -> tuple[str, int, Any, Any] | None:
    """The first column, row and values where two tables of the same shape differ."""
    for name in a.column_names:
        left, right = a[name].to_pylist(), b[name].to_pylist()
        for row, (x, y) in enumerate(zip(left, right, strict=True)):
            if x != y:
                return name, row, x, y
    return None


COMPILED = importlib.util.find_spec("numba") is not None
"""Whether the compiled engine can run here (the ``fast`` extra)."""


def compare(
    table: pa.Table, procedures: Procedures, cal: WorkCalendar, as_of: datetime
) -> BulkResult:
    """Assert that bulk and per-dossier paths agree on every row of ``table``."""
    # Row by row: a repeated id would reject its rows (tests/safety/test_duplicates.py).
    ids = [
        f"{i}#{n}" if i and str(i).strip() else i
        for n, i in enumerate(table["dossier_id"].to_pylist())
    ]
    table = table.set_column(table.column_names.index("dossier_id"), "dossier_id", pa.array(ids))
    result = classify(table, procedures=procedures, calendar=cal, as_of=as_of, engine="numpy")
    assert result.table.num_rows + result.rejected.num_rows == table.num_rows
    # The compiled loop, when numba is installed, must give the very same tables.
    if COMPILED:
        other = classify(table, procedures=procedures, calendar=cal, as_of=as_of, engine="compiled")
        assert other.table.equals(result.table), _first_difference(other.table, result.table)
        assert other.rejected.equals(result.rejected)
    classified = {row["index"]: row for row in result.table.to_pylist()}
    rejected = {row["index"]: row for row in result.rejected.to_pylist()}
    for index, record in enumerate(table.to_pylist()):
        expected = scalar(record, procedures, cal, as_of)
        if isinstance(expected, str):
            assert index in rejected, (index, record, expected)
            assert rejected[index]["reason"] == expected
            assert rejected[index]["row"] == index + 2
            continue
        assert index in classified, (index, record, rejected.get(index))
        got = {k: classified[index][k] for k in (*FIELDS, "apology", "apology_timely")}
        assert got == expected, (
            index,
            record,
            {k: (got[k], expected[k]) for k in got if got[k] != expected[k]},
        )
    return result
