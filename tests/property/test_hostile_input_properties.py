"""Hostile input: any offset, any second, random step graphs with cycles, fuzzed files.

Only ProcflowError may escape; every row is accounted for; an instant means the same
whatever offset it is written in.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from procflow import (
    ProcflowError,
    SpecError,
    TimeLimit,
    WorkCalendar,
    bulk,
    due_date,
    parse_procedure,
    read_dossiers,
    vietnam_calendar,
)
from procflow.calendar import to_local
from procflow.interchange import WIDE_COLUMNS
from procflow.parsing import parse_datetime

from .strategies import aware_instants, limits

ROOT = Path(__file__).parents[2]


@cache
def century() -> WorkCalendar:
    return vietnam_calendar(years=range(1990, 2101))


@given(aware_instants())
def test_an_instant_reads_the_same_in_any_offset(pair: tuple[datetime, datetime]) -> None:
    local, aware = pair
    assert to_local(parse_datetime(aware.isoformat())) == local


@settings(max_examples=150)
@given(aware_instants(), limits, st.sampled_from([None, "15:00"]))
def test_due_dates_do_not_depend_on_the_offset(
    pair: tuple[datetime, datetime], limit: TimeLimit, cutoff: str | None
) -> None:
    local, aware = pair
    cut = parse_datetime(f"2000-01-01T{cutoff}").time() if cutoff else None
    cal = century()
    try:
        expected = due_date(local, limit, cal, cutoff=cut)
    except ProcflowError:  # the century's last days: beyond the calendar
        return
    assert to_local(due_date(aware, limit, cal, cutoff=cut)) == expected


@st.composite
def step_graphs(draw: st.DrawFn) -> tuple[list[dict[str, Any]], bool]:
    """Random step graphs, cycles allowed; and whether the graph has a cycle."""
    n = draw(st.integers(1, 12))
    ids = [f"s{i}" for i in range(n)]
    nexts = [sorted(set(draw(st.lists(st.sampled_from(ids), max_size=3)))) for _ in ids]
    steps = [
        {"id": sid, "name": f"Bước {i}", "budget": "1 giờ làm việc", "next": nexts[i]}
        for i, sid in enumerate(ids)
    ]
    return steps, _has_cycle(dict(zip(ids, nexts, strict=True)))


def _has_cycle(edges: dict[str, list[str]]) -> bool:
    """Kahn's algorithm: a cycle leaves some node with predecessors forever."""
    indegree = dict.fromkeys(edges, 0)
    for targets in edges.values():
        for t in targets:
            indegree[t] += 1
    ready = [k for k, v in indegree.items() if v == 0]
    seen = 0
    while ready:
        node = ready.pop()
        seen += 1
        for t in edges[node]:
            indegree[t] -= 1
            if indegree[t] == 0:
                ready.append(t)
    return seen < len(edges)


@given(step_graphs())
def test_random_step_graphs_validate_or_give_a_spec_error(
    graph: tuple[list[dict[str, Any]], bool],
) -> None:
    steps, cyclic = graph
    text = json.dumps(
        {
            "id": "g",
            "name_vi": "Thủ tục",
            "level": "commune",
            "effective_from": "2020-01-01",
            "legal_basis": [{"document": "Nghị định thử"}],
            "time_limit": "40 ngày làm việc",
            "steps": steps,
        }
    )
    if cyclic:
        with pytest.raises(SpecError, match="cycle"):
            parse_procedure(text, fmt="json")
        return
    try:
        procedure = parse_procedure(text, fmt="json")
    except SpecError:  # unreachable steps or several ends: a spec error too
        return
    path, _ = procedure.longest_path()
    assert path[-1] == procedure.end.id


SPEC = (ROOT / "specs" / "cfs-ha-tinh.toml").read_text(encoding="utf-8")


@settings(max_examples=200)
@given(st.integers(0, len(SPEC)), st.integers(0, 40), st.text(max_size=20))
def test_mangled_spec_files_give_only_spec_errors(cut: int, drop: int, insert: str) -> None:
    text = SPEC[:cut] + insert + SPEC[cut + drop :]
    error = None
    try:
        parse_procedure(text, path="mangled.toml")
    except SpecError as exc:
        error = str(exc)
    assert error is None or "mangled.toml" in error


cells = st.one_of(
    st.just(""),
    st.sampled_from(
        [
            "2025-03-03T09:00:00",
            "2025-03-03T09:00:00+14:00",
            "2025-03-03 09:00",
            "03/03/2025",
            "9999-12-31T23:59:59",
            "0001-01-01",
            "3 ngày",
            "3,5 ngày",
            "03 ngày làm việc",
            "cfs-ha-tinh",
            "granted",
            "refused",
            "online",
            "15:00",
            "25:99",
            "pause",
            "=1+1",
        ]
    ),
    st.text(max_size=12),
)
rows = st.lists(st.lists(cells, min_size=len(WIDE_COLUMNS), max_size=len(WIDE_COLUMNS)), max_size=6)


@settings(max_examples=60)
@given(rows)
def test_fuzzed_csv_rows_are_read_or_rejected_never_crash(data: list[list[str]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(WIDE_COLUMNS)
    writer.writerows(data)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csv"
        path.write_text(out.getvalue(), encoding="utf-8")
        try:
            table = read_dossiers(path)
        except ProcflowError:
            return
        written = sum(1 for row in data if any(c.strip() for c in row) or row)
        assert table.total <= written
        try:
            result = bulk.classify(path, calendar=vietnam_calendar(years=[2025]))
        except ProcflowError:
            return
        assert result.table.num_rows + result.rejected.num_rows == table.total


@pytest.mark.parametrize("name", ["bad.toml", "bad.json"])
def test_truncated_spec_files_name_the_file(tmp_path: Path, name: str) -> None:
    from procflow import dump_procedure, load_procedure

    procedure = parse_procedure(SPEC)
    text = dump_procedure(procedure, "json" if name.endswith("json") else "toml")
    path = tmp_path / name
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(SpecError, match=name):
        load_procedure(path)
