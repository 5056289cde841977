"""Run one wide-format row through every engine, so a legal table tests each of them.

``dossier`` is :func:`procflow.evaluate`, ``bulk`` the columnar numpy engine and
``compiled`` the columnar compiled loop (numba), present when the ``fast`` extra is.
"""

from __future__ import annotations

import importlib.util
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from procflow import Procedure, WorkCalendar, evaluate, load_procedures
from procflow.bulk import classify
from procflow.bulk.selection import Engine
from procflow.calendar import to_local
from procflow.evaluation import Procedures
from procflow.interchange import row_to_dossier

SPECS = Path(__file__).parents[2] / "src" / "procflow" / "specs"
COMPILED = importlib.util.find_spec("numba") is not None
ENGINES = ("dossier", "bulk", "compiled") if COMPILED else ("dossier", "bulk")
COLUMNAR: dict[str, Engine] = {"bulk": "numpy", "compiled": "compiled"}
"""The ``engine`` of :func:`procflow.bulk.classify` for each columnar engine of ENGINES."""
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
        result = classify(
            table, procedures=procedures, calendar=cal, as_of=as_of, engine=COLUMNAR[engine]
        )
        assert result.rejected.num_rows == 0, result.rejected.to_pylist()
        got = result.table.to_pylist()[0]
        out = {name: got[name] for name in (*FIELDS, "apology_timely")}
    return {k: to_local(v) if isinstance(v, datetime) else v for k, v in out.items()}


def supplement_row(requested: str, supplied: str, finished: str, **rules: str) -> dict[str, str]:
    """A 3-working-day dossier received Thursday 29/8/2024 10:00 with one supplement cycle."""
    return {
        "received_at": "2024-08-29T10:00",
        "time_limit": "03 ngày làm việc",
        "supplement_requested_at": requested,
        "supplement_received_at": supplied,
        "finished_at": finished,
        "result": "granted" if finished else "",
        **rules,
    }


def procedure_with(**changes: Any) -> Procedure:
    """The shipped CFS procedure (3 working days, no steps used here) with other rules.

    ``time_limit`` replaces the limit; every other keyword replaces a counting rule.
    """
    base = load_procedures(SPECS)["cfs-ha-tinh"][-1]
    limit = changes.pop("time_limit", base.time_limit)
    rules = base.rules.model_copy(update={"cutoff": None, **changes})
    return base.model_copy(update={"rules": rules, "time_limit": limit})
