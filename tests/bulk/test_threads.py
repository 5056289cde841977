"""A table's slices classified on several threads give the same tables as on one."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from procflow import InputError, WorkCalendar, load_procedures
from procflow.bulk import classify, engine
from procflow.sample import generate

SPECS = Path(__file__).resolve().parents[2] / "specs"


@pytest.mark.parametrize("threads", ["2", "3"])
def test_threads_give_the_tables_of_one_thread(
    monkeypatch: pytest.MonkeyPatch, cal: WorkCalendar, threads: str
) -> None:
    monkeypatch.setattr(engine, "_SLICE", 97)  # many slices, the last one short
    table = generate(1_000, 2025, seed=3)
    library = load_procedures(SPECS)
    as_of = datetime(2025, 10, 31, 17, 0)

    def run(count: str) -> tuple[object, object]:
        monkeypatch.setenv(engine.THREADS_VARIABLE, count)
        result = classify(table, procedures=library, calendar=cal, as_of=as_of)
        return result.table, result.rejected

    one, many = run("1"), run(threads)
    assert one[0].num_rows + one[1].num_rows == 1_000  # type: ignore[attr-defined]
    assert many[0].equals(one[0])  # type: ignore[attr-defined]
    assert many[1].equals(one[1])  # type: ignore[attr-defined]


@pytest.mark.parametrize("text", ["two", "0", "-1"])
def test_a_bad_thread_count_is_an_error_naming_it(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    monkeypatch.setenv(engine.THREADS_VARIABLE, text)
    with pytest.raises(InputError, match=f"PROCFLOW_THREADS={text!r}"):
        engine._threads()


def test_without_the_variable_the_usable_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(engine.THREADS_VARIABLE, raising=False)
    assert 1 <= engine._threads() <= 8
