"""What-if impact and late forecast: the per-dossier path beside the columnar one.

Run: ``.venv/bin/python benchmarks/bench_impact.py [--rows 50000] [--repeat 3]``.

A ``procflow sample`` year of ``--rows`` dossiers is written to CSV, then timed from the
file (reading included, as the command line runs them):

* ``impact``: :func:`procflow.impact.impact` after :func:`procflow.read_dossiers`, and
  :func:`procflow.impact_bulk.impact_bulk`, for a second quarter under a new calendar
  decision (an extra day off on 29/4) and under an amended spec folder (the birth
  registration's limit cut to one working day);
* ``forecast``: :func:`procflow.forecast.forecast_late` and
  :func:`procflow.forecast_bulk.forecast_bulk` at 30/6 17:00.

The columnar cases are the best of ``--repeat`` runs (after a warm-up run); the
per-dossier ones run once (they take minutes). Both results are checked equal.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _timed(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def _per_dossier(path: Path, old: Any, new: Any, start: date, end: date) -> Any:
    """The per-dossier impact as the command line runs it: read the file, then compare."""
    from procflow import read_dossiers
    from procflow.impact import impact

    return impact(read_dossiers(path), old, new, start=start, end=end)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000, help="dossiers in the sample file")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each columnar case")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-forecast", action="store_true", help="skip the forecast cases")
    args = parser.parse_args()

    from procflow import CalendarOverride, load_procedures, read_dossiers, vietnam_calendar
    from procflow.forecast import forecast_late
    from procflow.forecast_bulk import forecast_bulk
    from procflow.impact import Scenario
    from procflow.impact_bulk import impact_bulk
    from procflow.sample import generate, write

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "year.csv"
        write(generate(args.rows, seed=args.seed), path)
        specs = Path(tmp) / "specs"
        shutil.copytree(ROOT / "specs", specs)
        birth = specs / "dang-ky-khai-sinh.toml"
        text = birth.read_text(encoding="utf-8")
        limit = next(line for line in text.splitlines() if line.startswith("time_limit"))
        birth.write_text(text.replace(limit, 'time_limit = "01 ngày làm việc"'), encoding="utf-8")
        years = range(2024, 2027)
        library = load_procedures(ROOT / "specs")
        cal = vietnam_calendar(years=years)
        off = CalendarOverride(
            date=date(2025, 4, 29), kind="day_off", name_vi="Nghỉ (ví dụ)", source="TB (ví dụ)"
        )
        today = Scenario(cal, library)
        cases: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = []
        start, end = date(2025, 4, 1), date(2025, 6, 30)
        decided = vietnam_calendar(years=years, overrides=[off])
        for name, new in (
            ("impact, a new day off", Scenario(decided, library)),
            ("impact, an amended spec", Scenario(cal, load_procedures(specs))),
        ):
            cases.append(
                (
                    name,
                    partial(_per_dossier, path, today, new, start, end),
                    partial(impact_bulk, path, today, new, start=start, end=end),
                )
            )
        if not args.no_forecast:
            as_of = datetime(2025, 6, 30, 17)
            cases.append(
                (
                    "forecast at 30/6",
                    lambda: forecast_late(read_dossiers(path).dossiers, library, cal, as_of=as_of),
                    lambda: forecast_bulk(path, library, cal, as_of=as_of),
                )
            )
        print(f"{args.rows:,} dossiers ({path.stat().st_size / 1e6:.1f} MB of CSV)")
        print("| case | per dossier, s | columnar, s | speed-up | dossiers/s, columnar |")
        print("|---|---|---|---|---|")
        for name, slow, fast in cases:
            fast()  # warm-up: the calendar's arrays, imports
            fast_s, fast_result = _timed(fast, args.repeat)
            slow_s, slow_result = _timed(slow, 1)
            assert slow_result == fast_result, f"{name}: the two paths differ"
            size = len(fast_result.changed) if hasattr(fast_result, "changed") else len(fast_result)
            print(
                f"| {name} ({size:,} {'changed' if hasattr(fast_result, 'changed') else 'open'})"
                f" | {slow_s:.1f} | {fast_s:.2f} | {slow_s / fast_s:.0f}× "
                f"| {args.rows / fast_s:,.0f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
