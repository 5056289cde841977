"""Run one wide-format row through every engine, so a legal table tests each of them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pyarrow as pa

from procflow import WorkCalendar, evaluate
from procflow.bulk import classify
from procflow.calendar import to_local
from procflow.evaluation import Procedures
from procflow.interchange import row_to_dossier

ENGINES = ("dossier", "bulk")
FIELDS = ("due_at", "effective_due_at", "d766_due_at", "outcome", "rule", "d766_on_time")


def run(
    engine: str,
    row: dict[str, str],
    cal: WorkCalendar,
    as_of: datetime,
    procedures: Procedures = None,
) -> dict[str, Any]:
    """The fields of :data:`FIELDS` one engine gives for ``row`` (local times)."""
    if engine == "dossier":
        e = evaluate(row_to_dossier({"dossier_id": "HS-1", **row}), procedures, cal, as_of=as_of)
        out = {name: getattr(e, name) for name in FIELDS}
        out["outcome"] = e.outcome.value
        out["apology_timely"] = e.apology is not None and e.apology.timely
    else:
        table = pa.table({k: [v] for k, v in {"dossier_id": "HS-1", **row}.items()})
        result = classify(table, procedures=procedures, calendar=cal, as_of=as_of)
        assert result.rejected.num_rows == 0, result.rejected.to_pylist()
        got = result.table.to_pylist()[0]
        out = {name: got[name] for name in (*FIELDS, "apology_timely")}
    return {k: to_local(v) if isinstance(v, datetime) else v for k, v in out.items()}
