"""The Decision 766 index and the report's findings at columnar speed, beside the report.

Run: ``.venv/bin/python benchmarks/bench_index766.py [--rows 200000] [--per-dossier]``.

On a year of ``procflow sample --quality`` dossiers written as CSV, each line is what a
command computes and its time against ``procflow.bulk.build_report`` of the same file and
period (the yardstick: read, classify, count), with the goal for the ratio:

* ``build_index_bulk`` per agency (``procflow index766 --by agency``): at most 2x;
* ``report_findings`` per agency (the extra work of ``procflow report --findings``): at most 2x.

``--per-dossier`` adds the per-dossier ``build_index`` on the same file, for the record (it
takes minutes on 200,000 rows). Timings are the best of a few repeats.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import procflow
from procflow import bulk
from procflow.cli_index766 import report_findings
from procflow.index766 import build_index, read_extra_columns
from procflow.index766_bulk import build_index_bulk
from procflow.sample import generate, with_quality_columns, write

ROOT = Path(__file__).resolve().parents[1]
START, END = date(2025, 1, 1), date(2025, 12, 31)


def _best(fn: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--per-dossier", action="store_true", help="also the per-dossier index")
    opts = parser.parse_args()
    cal = procflow.vietnam_calendar(years=range(2024, 2027))
    library = procflow.load_procedures(ROOT / "specs")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "year.csv"
        write(with_quality_columns(generate(opts.rows, 2025, seed=0), 0), path)
        report = _best(
            lambda: bulk.build_report(path, library, cal, start=START, end=END, by="agency")
        )
        cases: list[tuple[str, float, float | None]] = [
            (
                "build_index_bulk, by agency",
                _best(
                    lambda: build_index_bulk(path, library, cal, start=START, end=END, by="agency")
                ),
                2.0,
            ),
            (
                "report_findings, by agency",
                _best(lambda: report_findings(str(path), library, cal, START, END, "agency")),
                2.0,
            ),
        ]
        if opts.per_dossier:
            table = procflow.read_dossiers(path)
            extra = read_extra_columns(path, ["agency"])
            cases.append(
                (
                    "build_index (per dossier), by agency",
                    _best(
                        lambda: build_index(
                            table, library, cal, start=START, end=END, by="agency", extra=extra
                        ),
                        repeat=1,
                    ),
                    None,
                )
            )
    print(f"{opts.rows:,} dossiers; yardstick bulk.build_report by agency: {report:.2f} s")
    for name, seconds, goal in cases:
        ratio = seconds / report
        verdict = "" if goal is None else ("  ok" if ratio <= goal else "  MISSED")
        target = "" if goal is None else f" (goal <= {goal:g}x)"
        print(f"{name:40s} {seconds:8.2f} s  {ratio:6.2f}x{target}{verdict}")


if __name__ == "__main__":
    main()
