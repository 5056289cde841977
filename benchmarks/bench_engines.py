"""The rules alone: the numpy engine against the compiled loop, on the same rows.

Run: ``.venv/bin/python benchmarks/bench_engines.py [--rows 1000000]`` (needs numba).

Classifies a synthetic year (``procflow sample``'s) once to capture the arrays each slice
hands to its engine, then times ``procflow.bulk.engine._classify_arrays`` (numpy) and
``procflow.bulk.compiled.classify_rows`` (the compiled loop) over the same slices, in turns,
best of three. Reading, rule lookup and the output table are left out: this is the part
the engines do differently.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

import procflow
from procflow.bulk import compiled, engine
from procflow.sample import generate, write

ROOT = Path(__file__).resolve().parents[1]
ENGINES = (("numpy", engine._classify_arrays), ("compiled", compiled.classify_rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    opts = parser.parse_args()
    cal = procflow.vietnam_calendar(years=range(2024, 2027))
    library = procflow.load_procedures(ROOT / "specs")
    slices: list[tuple[Any, ...]] = []

    def capture(*args: Any) -> dict[str, Any]:
        slices.append(args)
        return engine._classify_arrays(*args)

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "year.parquet"
        write(generate(opts.rows, 2025, seed=0), path)
        table = pq.read_table(path)
    as_of = datetime(2025, 12, 31, 23, 59)
    engine._classify_table(table, library, cal, as_of, 0, "reject", capture)
    compiled.classify_rows(*slices[0])  # load the loop (from numba's cache, or compile it)
    best = {"numpy": float("inf"), "compiled": float("inf")}
    for _ in range(3):
        for name, rows in ENGINES:
            start = time.perf_counter()
            for args in slices:
                rows(*args)
            best[name] = min(best[name], time.perf_counter() - start)
    taken = sum(len(args[3]) for args in slices)
    for name, seconds in best.items():
        per_row = seconds / taken * 1e9
        print(f"{name:9} {seconds:8.3f} s for {taken:,} rows ({per_row:5.0f} ns a row)")


if __name__ == "__main__":
    main()
