"""``classify_dask`` on 1 and 2 local worker processes, beside one process.

Run: ``make bench-dask`` (or ``.venv/bin/python benchmarks/bench_dask.py [--rows 10000000]
[--data year.parquet]``).

A ``procflow sample`` year (Parquet, row groups of 131,072 rows) is classified at the end of
2025 three ways, each timed from the start of the read to the last byte written, both outputs
(classified and rejected) written to Parquet:

* one process: ``procflow.bulk.classify_file``, streaming from Parquet to Parquet in batches;
* ``procflow.bulk.classify_dask`` on a ``distributed.LocalCluster`` of 1 worker process, then
  of 2 worker processes (one thread each): ``dask.dataframe.read_parquet`` with Arrow-backed
  columns, partitions of ``--row-groups`` row groups, both outputs to Parquet in one compute.
  The workers start with ``MALLOC_MMAP_THRESHOLD_`` at 64 MiB (docs/dask.md: distributed's
  nanny sets ``MALLOC_TRIM_THRESHOLD_``, which can keep glibc from reusing freed memory for
  the engine's arrays); a last case shows 2 workers with distributed's defaults.

The cluster's start is not timed (a cluster serves many jobs). Goal: 2 workers faster than
one process.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
AS_OF = datetime(2025, 12, 31, 23, 59)


def _one_process(data: Path, out: Path, library: Any, cal: Any) -> tuple[float, int]:
    from procflow import bulk

    start = time.perf_counter()
    classified, rejected, _ = bulk.classify_file(
        data, out / "one.parquet", procedures=library, calendar=cal, as_of=AS_OF
    )
    return time.perf_counter() - start, classified + rejected


def _warm() -> None:
    import procflow.bulk  # noqa: F401


WORKER_ENV = {"MALLOC_MMAP_THRESHOLD_": str(64 << 20)}
"""What docs/dask.md advises for the workers' environment."""


def _dask(
    data: Path, out: Path, library: Any, cal: Any, workers: int, row_groups: int, tuned: bool
) -> tuple[float, int]:
    import dask.config
    import dask.dataframe as dd
    import pyarrow.parquet as pq
    from dask.base import compute
    from distributed import Client, LocalCluster

    from procflow import bulk

    environ = dict(dask.config.get("distributed.nanny.pre-spawn-environ"))
    if tuned:
        environ.update(WORKER_ENV)
    with (
        dask.config.set({"distributed.nanny.pre-spawn-environ": environ}),
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        client.run(_warm)  # the workers import procflow once, before the clock
        target = out / f"dask-{workers}-{tuned}"
        shutil.rmtree(target, ignore_errors=True)
        start = time.perf_counter()
        frame = dd.read_parquet(data, dtype_backend="pyarrow", split_row_groups=row_groups)
        classified, rejected = bulk.classify_dask(
            frame, procedures=library, calendar=cal, as_of=AS_OF
        )
        compute(
            classified.to_parquet(target / "classified", write_index=False, compute=False),
            rejected.to_parquet(target / "rejected", write_index=False, compute=False),
        )
        seconds = time.perf_counter() - start
    rows = sum(
        pq.ParquetDataset(target / name).read(columns=["index"]).num_rows
        for name in ("classified", "rejected")
    )
    return seconds, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--data", type=Path, help="a procflow sample file (made if absent)")
    parser.add_argument("--row-groups", type=int, default=8, help="row groups per partition")
    parser.add_argument("--repeat", type=int, default=1, help="rounds; the best of each is kept")
    args = parser.parse_args()
    import procflow

    work = Path(tempfile.mkdtemp(prefix="procflow-bench-dask-"))
    try:
        data = args.data or work / "year.parquet"
        if not data.exists():
            procflow_cli = Path(sys.executable).with_name("procflow")
            subprocess.run(
                [str(procflow_cli), "sample", str(args.rows), "-o", str(data)], check=True
            )
        cal = procflow.vietnam_calendar(years=range(2024, 2027))
        library = procflow.load_procedures(ROOT / "src" / "procflow" / "specs")
        cases = ["one process, classify_file"]
        setups = ((1, True), (2, True), (2, False))
        for workers, tuned in setups:
            name = f"classify_dask, {workers} worker{'s' if workers > 1 else ''}"
            cases.append(name + ("" if tuned else ", default malloc"))
        best: dict[str, tuple[float, int]] = {}
        print(f"load average before: {os.getloadavg()[0]:.1f}")
        for _ in range(args.repeat):  # the cases interleaved, so each sees the same machine
            runs = [_one_process(data, work, library, cal)]
            for workers, tuned in setups:
                runs.append(_dask(data, work, library, cal, workers, args.row_groups, tuned))
            for name, (seconds, rows) in zip(cases, runs, strict=True):
                print(f"  {name}: {seconds:.2f} s")
                if name not in best or seconds < best[name][0]:
                    best[name] = (seconds, rows)
        print(f"load average after: {os.getloadavg()[0]:.1f}")
        base = best[cases[0]][0]
        print(
            f"{'case (best of ' + str(args.repeat) + ')':<40} {'rows':>12} {'seconds':>9} "
            f"{'rows/s':>11} {'vs one':>7}"
        )
        for name in cases:
            seconds, rows = best[name]
            print(
                f"{name:<40} {rows:>12,} {seconds:>9.2f} {rows / seconds:>11,.0f} "
                f"{base / seconds:>6.2f}x"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
