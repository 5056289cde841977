"""``procflow.law.wide.judge`` is one function: on a batch's arrays and on one row's ints.

The numpy engine calls it on arrays, computing each branch on the rows that take it
(``ops.rows``/``some``/``pick``/``put``); the compiled loop and this test call it on one
row's plain Python ints, where the same helpers mean "this row takes the branch". Every
row of a synthetic year must come out the same both ways, field by field.
"""

from __future__ import annotations

import dataclasses
import math
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

from procflow import WorkCalendar, load_procedures
from procflow.bulk import engine
from procflow.law import wide
from procflow.law.codes import MISSING
from procflow.law.index import CalendarIndex
from procflow.sample import generate

SPECS = Path(__file__).resolve().parents[2] / "specs"
TIMES = (
    "received_at",
    "finished_at",
    "withdrawn_at",
    "supplement_requested_at",
    "supplement_received_at",
    "apology_issued_at",
)
RULES = ("value", "unit", "model", "cutoff", "policy", "window", "return_days", "apology_end")


def _python(ix: CalendarIndex) -> CalendarIndex:
    """The numpy index with its tables as tuples of Python ints (one dossier's shape)."""
    tables: dict[str, Any] = {
        f.name: tuple(v.tolist())
        for f in dataclasses.fields(ix)
        if isinstance(v := getattr(ix, f.name), np.ndarray)
    }
    return dataclasses.replace(ix, **tables)


def _plain(x: Any) -> Any:
    return x.item() if isinstance(x, np.generic) else x


@pytest.fixture(scope="module")
def captured(cal: WorkCalendar) -> list[tuple[Any, ...]]:
    """The arguments the engine hands its row function for a synthetic year."""
    slices: list[tuple[Any, ...]] = []

    def capture(*args: Any) -> dict[str, np.ndarray]:
        slices.append(args)
        return engine._classify_arrays(*args)

    year = generate(3_000, 2025, seed=7)
    # Requests never answered, long before the view: returned under every policy.
    unanswered = [
        {
            **row,
            "dossier_id": f"R-{k}",
            "procedure_id": "",
            "received_at": datetime(2025, 6, 2, 9, 0) + timedelta(days=k % 3),
            "finished_at": None,
            "withdrawn_at": None,
            "supplement_requested_at": datetime(2025, 6, 6, 10, 0),
            "supplement_received_at": None,
            "time_limit": "20 ngày làm việc",
            "supplement_policy": ("restart", "pause", "none")[k % 3],
        }
        for k, row in enumerate(year.slice(0, 9).to_pylist())
    ]
    table = pa.concat_tables([year, pa.Table.from_pylist(unanswered, schema=year.schema)])
    as_of = datetime(2025, 9, 30, 17, 0)
    engine._classify_table(table, load_procedures(SPECS), cal, as_of, 0, "reject", capture)
    return slices


def test_one_row_of_ints_is_judged_as_its_batch_judges_it(
    captured: list[tuple[Any, ...]],
) -> None:
    checked, rules_seen, branches = 0, set(), {"returned_at": 0, "waiting": 0, "apology": 0}
    for c, t, rules, idx, view in captured:
        ix = _python(c)
        times = {name: wide.seen(t[name], view) for name in TIMES[1:]}
        times["received_at"] = t["received_at"]
        columns = {name: getattr(rules, name)[idx] for name in RULES}
        batch = wide.judge(
            c, view, *(times[name] for name in TIMES), *(columns[name] for name in RULES)
        )
        for i in range(len(idx)):
            row = wide.judge(
                ix,
                view,
                *(_plain(times[name][i]) for name in TIMES),
                *(_plain(columns[name][i]) for name in RULES),
            )
            for field in wide.Judged._fields:
                got, want = getattr(row, field), _plain(getattr(batch, field)[i])
                assert isinstance(got, bool | int | float), (field, type(got))
                if isinstance(want, float) and math.isnan(want):
                    assert math.isnan(got), (i, field)
                else:
                    assert got == pytest.approx(want), (i, field, got, want)
            checked += 1
            rules_seen.add(row.rule)
            branches["returned_at"] += row.returned_at != MISSING
            branches["waiting"] += bool(row.waiting)
            branches["apology"] += bool(row.apology)
    assert checked > 2_000  # the rows received by the view, less those sent to evaluate()
    assert len(rules_seen) >= 6, rules_seen
    assert all(branches.values()), branches


def test_a_missing_instant_is_numpys_nat() -> None:
    assert np.int64(MISSING) == np.iinfo(np.int64).min
    assert wide.seen(MISSING, 10) == MISSING
    assert wide.seen(11, 10) == MISSING
    assert wide.seen(10, 10) == 10
