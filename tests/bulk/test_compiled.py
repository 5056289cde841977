"""The compiled engine (numba): chosen when installed, the numpy engine without it, cached."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from procflow import InputError, WorkCalendar, load_procedures
from procflow.bulk import classify, engine
from procflow.bulk.selection import ENGINE_VARIABLE, rows_engine
from procflow.law.index import CalendarIndex
from tests.legal.engines import COMPILED, SPECS

needs_numba = pytest.mark.skipif(not COMPILED, reason="the fast extra (numba) is not installed")

ROWS = pa.table(
    {
        "dossier_id": ["A", "B", "C"],
        "received_at": ["2024-08-29T10:00:00", "2024-08-29T10:00:00", "2024-08-29T16:30:00"],
        "finished_at": ["2024-09-05T16:00:00", "2024-09-06T09:00:00", ""],
        "supplement_requested_at": ["", "2024-08-30T09:00:00", ""],
        "supplement_received_at": ["", "2024-09-03T10:00:00", ""],
        "time_limit": ["03 ngày làm việc", "03 ngày làm việc", "8 giờ làm việc"],
    }
)
AS_OF = datetime(2024, 9, 30, 12, 0)


def test_numpy_is_chosen_by_name_and_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert rows_engine("numpy") is engine._classify_arrays
    monkeypatch.setenv(ENGINE_VARIABLE, "numpy")
    assert rows_engine() is engine._classify_arrays
    assert rows_engine("auto") is engine._classify_arrays


def test_an_unknown_engine_is_an_error_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputError, match="unknown engine 'gpu'"):
        classify(ROWS, engine="gpu")  # type: ignore[arg-type]
    monkeypatch.setenv(ENGINE_VARIABLE, "fastest")
    with pytest.raises(InputError, match="PROCFLOW_ENGINE='fastest'"):
        classify(ROWS)


def test_without_numba_the_numpy_engine_classifies(
    monkeypatch: pytest.MonkeyPatch, cal: WorkCalendar
) -> None:
    """A failed import of numba (the extra absent): auto falls back, compiled says why."""
    expected = classify(ROWS, calendar=cal, as_of=AS_OF, engine="numpy").table
    for name in ("procflow.bulk.compiled", "procflow.law.compiled"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.setitem(sys.modules, "numba", None)  # import numba raises ImportError
    monkeypatch.delenv(ENGINE_VARIABLE, raising=False)
    assert rows_engine() is engine._classify_arrays
    assert classify(ROWS, calendar=cal, as_of=AS_OF).table.equals(expected)
    with pytest.raises(InputError, match=r"engine 'compiled' needs numba.*procflow\[fast\]"):
        classify(ROWS, calendar=cal, as_of=AS_OF, engine="compiled")


@needs_numba
def test_auto_picks_the_numpy_engine_and_compiled_is_chosen_by_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from procflow.bulk.compiled import classify_rows

    monkeypatch.delenv(ENGINE_VARIABLE, raising=False)
    assert rows_engine() is engine._classify_arrays  # the faster one, as measured
    assert rows_engine("compiled") is classify_rows
    monkeypatch.setenv(ENGINE_VARIABLE, "compiled")
    assert rows_engine() is classify_rows


@needs_numba
def test_both_engines_give_the_same_tables(cal: WorkCalendar) -> None:
    from benchmarks.synthetic import generate

    library = load_procedures(SPECS)
    table = generate(20_000, 2025, seed=11)
    as_of = datetime(2025, 10, 15, 10, 0)
    got = classify(table, procedures=library, calendar=cal, as_of=as_of, engine="compiled")
    expected = classify(table, procedures=library, calendar=cal, as_of=as_of, engine="numpy")
    assert got.table.equals(expected.table)
    assert got.rejected.equals(expected.rejected)
    outcomes = set(got.table["outcome"].to_pylist())
    assert {"early", "on_time", "late", "in_time", "overdue", "withdrawn"} <= outcomes


@needs_numba
def test_numba_is_imported_on_the_first_batch_not_with_procflow() -> None:
    code = (
        "import sys, procflow, procflow.bulk; "
        "print('numba' in sys.modules, 'procflow.bulk.compiled' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.split() == ["False", "False"]


_FRESH = """
import json
from datetime import datetime
import pyarrow as pa
from procflow import vietnam_calendar
from procflow.bulk import classify
from procflow.bulk import compiled
rows = pa.table({"dossier_id": ["A"], "received_at": ["2024-08-29T10:00:00"],
                 "time_limit": ["03 ngày làm việc"]})
table = classify(rows, calendar=vietnam_calendar(years=range(2024, 2027)),
                 as_of=datetime(2024, 9, 30), engine="compiled").table
stats = compiled._LOOP.stats
print(json.dumps({"hits": sum(stats.cache_hits.values()),
                  "misses": sum(stats.cache_misses.values()),
                  "due": str(table["due_at"][0].as_py())}))
"""


@needs_numba
def test_a_second_process_loads_the_loop_from_the_disk_cache(tmp_path: Path) -> None:
    """numba's cache=True: the first process may compile, the next one loads, not compiles."""
    script = tmp_path / "fresh.py"
    script.write_text(_FRESH, encoding="utf-8")
    runs = [
        json.loads(
            subprocess.run(
                [sys.executable, str(script)], check=True, capture_output=True, text=True
            ).stdout
        )
        for _ in range(2)
    ]
    assert runs[1] == {"hits": 1, "misses": 0, "due": "2024-09-05 17:00:00"}
    assert runs[0]["due"] == runs[1]["due"]


_TABLES = ("cum", "isw", "work", "regular_saturday", "month", "mday", "month_start", "month_days")


def _python_tables(c: CalendarIndex) -> CalendarIndex:
    """The columnar calendar (second ticks) with Python tuples: the core's int meaning."""
    tables: dict[str, Any] = {name: tuple(getattr(c, name).tolist()) for name in _TABLES}
    return dataclasses.replace(c, **tables)


@needs_numba
def test_the_loop_as_plain_python_gives_the_same_tables(
    monkeypatch: pytest.MonkeyPatch, cal: WorkCalendar
) -> None:
    """The loop's own source, run by Python on ints (no numba), equals the numpy engine."""
    from benchmarks.synthetic import generate

    from procflow.bulk import compiled

    loop = compiled._LOOP.py_func  # the function numba compiles, as Python wrote it

    def as_python(c: CalendarIndex, view: int, times: Any, rules: Any, *rest: Any) -> None:
        lists = [tuple(column.tolist()) for column in (*times, *rules)]
        loop(c, view, tuple(lists[: len(times)]), tuple(lists[len(times) :]), *rest)

    library = load_procedures(SPECS)
    table = generate(3_000, 2025, seed=5)
    as_of = datetime(2025, 9, 1, 15, 0)
    expected = classify(table, procedures=library, calendar=cal, as_of=as_of, engine="numpy")
    monkeypatch.setattr(compiled, "_tables_of", _python_tables)
    monkeypatch.setattr(compiled, "_LOOP", as_python)
    got = classify(table, procedures=library, calendar=cal, as_of=as_of, engine="compiled")
    assert got.table.equals(expected.table)
