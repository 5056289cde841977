"""procflow's speed goals, each measured beside its yardstick in one run.

Run: ``make bench-goals`` (or ``.venv/bin/python benchmarks/bench_goals.py [--rows 1000000]``).

Each line is a goal of the rule-core work (docs/performance.md): what procflow takes, what
the yardstick takes on the same input, their ratio and the goal for it.

* 1 M dossiers, warm, the compiled path (when numba is installed: goal at most 5x) and the
  numpy path (goal at most 12x), each from an in-memory Arrow table with plain strings and
  from Parquet as ``procflow sample`` writes it, against ``numpy.busday_offset`` of the same
  receipts by 3 working days; and the compiled path's first call in a fresh process with
  numba's cache warm (goal: at most 8x);
* ``evaluate(detail=False)`` per dossier against one ``holidays`` ``get_nth_working_day``
  call (goal: at most 2x);
* ``alerts()`` over 10,000 open dossiers against ``bulk.classify`` of the same rows (goal:
  at most 3x), both the columnar ``procflow.bulk.alerts`` and the per-dossier loop;
* ``import procflow`` in a fresh process against ``python -c pass`` (goal: at most 4x).

Timings are the best of a few repeats; the machine is whatever runs it.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

import procflow
from procflow import bulk
from procflow.interchange import WIDE_COLUMNS, row_to_dossier
from procflow.sample import generate, write

ROOT = Path(__file__).resolve().parents[1]
AS_OF = datetime(2025, 12, 31, 23, 59)


def _best(fn: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _busday(table: pa.Table, cal: procflow.WorkCalendar) -> Callable[[], object]:
    days = table["received_at"].to_numpy().astype("datetime64[D]")
    first, last = date(2024, 1, 1), date(2026, 12, 31)
    off = [
        np.datetime64(first + timedelta(days=k))
        for k in range((last - first).days + 1)
        if (first + timedelta(days=k)).weekday() < 5
        and not cal.is_working_day(first + timedelta(days=k))
    ]
    busdays = np.busdaycalendar(holidays=off)
    return lambda: np.busday_offset(days, 3, roll="forward", busdaycal=busdays)


def _pair(
    case: Callable[[], object], yardstick: Callable[[], object], goal: float
) -> tuple[float, str, float, float]:
    seconds, base = _paired(case, yardstick)
    return seconds, "busday_offset", base, goal


def _paired(case: Callable[[], object], yardstick: Callable[[], object]) -> tuple[float, float]:
    """Best of three of a case and of its yardstick, run in turns (a busy machine slows both)."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(3):
        for fn, out in ((yardstick, times[1]), (case, times[0])):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    return min(times[0]), min(times[1])


def _plain(table: pa.Table) -> pa.Table:
    """The table with every column as plain strings or timestamps (no dictionaries)."""
    return pa.table(
        {
            name: column.cast(pa.string()) if pa.types.is_dictionary(column.type) else column
            for name, column in zip(table.column_names, table.columns, strict=True)
        }
    )


_FIRST_CALL = """
import sys, time
from datetime import datetime
from pathlib import Path
import pyarrow.parquet as pq
import procflow
from procflow import bulk
cal = procflow.vietnam_calendar(years=range(2024, 2027))
library = procflow.load_procedures(Path(sys.argv[2]))
table = pq.read_table(sys.argv[1])
start = time.perf_counter()
bulk.classify(table, procedures=library, calendar=cal, as_of=datetime(2025, 12, 31, 23, 59),
              engine="compiled")
print(time.perf_counter() - start)
"""


def _first_call(path: Path) -> float:
    """The first classify call of a fresh process (numba loaded, its loop from the cache)."""

    def once() -> float:
        out = subprocess.run(
            [sys.executable, "-c", _FIRST_CALL, str(path), str(ROOT / "specs")],
            check=True,
            capture_output=True,
            text=True,
        )
        return float(out.stdout.split()[-1])

    once()  # the cache is warm from here on
    return min(once() for _ in range(3))


def _fresh(code: str) -> float:
    def run() -> None:
        subprocess.run([sys.executable, "-c", code], check=True)

    return _best(run, repeat=5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=5_000, help="dossiers for the loops")
    opts = parser.parse_args()
    cal = procflow.vietnam_calendar(years=range(2024, 2027))
    library = procflow.load_procedures(ROOT / "specs")
    lines: list[tuple[str, float, str, float, float]] = []

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "year.parquet"
        write(generate(opts.rows, 2025, seed=0), path)
        from_parquet = pq.read_table(path)
        plain = _plain(from_parquet)
        busday_run = _busday(plain, cal)
        busday = _best(busday_run)

        def run(table: pa.Table, engine: bulk.Engine) -> Callable[[], object]:
            return lambda: bulk.classify(
                table, procedures=library, calendar=cal, as_of=AS_OF, engine=engine
            )

        engines: list[tuple[bulk.Engine, int]] = [("numpy", 12)]
        if importlib.util.find_spec("numba") is not None:
            engines.insert(0, ("compiled", 5))
        for engine, target in engines:
            run(plain.slice(0, 1000), engine)()  # warm: the calendar's arrays are built once
            name = f"classify {opts.rows:,} {engine}, plain strings"
            lines.append((name, *_pair(run(plain, engine), busday_run, target)))
            name = f"classify {opts.rows:,} {engine}, Parquet (sample)"
            lines.append((name, *_pair(run(from_parquet, engine), busday_run, target)))
        if engines[0][0] == "compiled":
            name = f"classify {opts.rows:,} compiled, first call"
            lines.append((name, _first_call(path), "busday_offset", busday, 8))

        rows = plain.slice(0, opts.sample).to_pylist()
        dossiers = [row_to_dossier({k: v for k, v in r.items() if k in WIDE_COLUMNS}) for r in rows]

        def loop() -> None:
            for d in dossiers:
                with contextlib.suppress(procflow.ProcflowError):
                    procflow.evaluate(d, library, cal, as_of=AS_OF, detail=False)

        import holidays

        vn = holidays.country_holidays("VN", years=range(2024, 2027))
        received = [r["received_at"].date() for r in rows]

        def nth() -> None:
            for d in received:
                vn.get_nth_working_day(d, 3)

        per = len(dossiers)
        lines.append(
            (
                "evaluate(detail=False), per dossier",
                _best(loop) / per,
                "get_nth_working_day",
                _best(nth) / per,
                2,
            )
        )

        # 10,000 open dossiers: received in the last weeks before the screen's instant.
        screen = datetime(2025, 12, 15, 10, 0)
        late = plain.filter(
            pa.compute.greater_equal(plain["received_at"], pa.scalar(datetime(2025, 11, 1)))
        )
        opened = late.filter(pa.compute.less(late["received_at"], pa.scalar(screen))).slice(
            0, 10_000
        )
        opened = opened.drop_columns(
            [c for c in ("finished_at", "withdrawn_at", "result") if c in opened.column_names]
        )
        classify_open = _best(
            lambda: bulk.classify(opened, procedures=library, calendar=cal, as_of=screen)
        )
        columnar = _best(
            lambda: bulk.alerts(
                opened, procedures=library, calendar=cal, as_of=screen, within_days=2
            )
        )
        lines.append(
            (f"bulk.alerts, {opened.num_rows:,} open", columnar, "bulk.classify", classify_open, 3)
        )
        open_dossiers = [
            row_to_dossier({k: v for k, v in r.items() if k in WIDE_COLUMNS})
            for r in opened.to_pylist()
        ]

        def per_dossier() -> None:
            evaluations = [
                procflow.evaluate(d, library, cal, as_of=screen, detail=False)
                for d in open_dossiers
            ]
            procflow.alerts(evaluations, within_days=2)

        lines.append(
            (
                f"evaluate + alerts(), {opened.num_rows:,} open",
                _best(per_dossier, repeat=1),
                "bulk.classify",
                classify_open,
                3,
            )
        )

    bare = _fresh("pass")
    lines.append(("import procflow", _fresh("import procflow"), "python -c pass", bare, 4))

    print(f"{'case':44} {'seconds':>10} {'yardstick':22} {'seconds':>10} {'ratio':>7} {'goal':>6}")
    for case, seconds, yardstick, base, goal in lines:
        ratio = seconds / base
        mark = "ok" if ratio <= goal else "over"
        print(
            f"{case:44} {seconds:10.6f} {yardstick:22} {base:10.6f} {ratio:6.1f}x {goal:>4}x {mark}"
        )


if __name__ == "__main__":
    main()
