"""Peak memory of ``procflow report`` on a large Parquet file, and of its duplicate-id pass.

Run: ``.venv/bin/python benchmarks/bench_report_memory.py [--rows 10000000]`` (the file is
made by ``procflow sample``, which needs about 6 GB for ten million rows), or
``--data year.parquet`` to measure an existing file.

Each case runs in a fresh process that reports its own peak resident memory (``VmHWM``):

* ``report``: ``procflow report FILE --from 2025-01-01 --to 2025-12-31 --by field -o r.json``;
* ``ids``: the report's first pass alone, the ids repeated anywhere in the file
  (``procflow.bulk.streaming._file_duplicates``).

Goal (docs/performance.md): the report of ten million rows at most 1.0 GB (1000 MB) peak;
the report's memory follows its batches, so a smaller file says little about it.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

GOAL_MB = 1000.0


def _peak_mb() -> float:
    """This process's peak resident memory, in MB (``VmHWM``, new at exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _case(name: str, data: Path) -> dict[str, Any]:
    """Run one case in this process; return its figures (the child side)."""
    start = time.perf_counter()
    if name == "report":
        from procflow.cli import main

        with tempfile.TemporaryDirectory() as folder:
            args = ["report", str(data), "--from", "2025-01-01", "--to", "2025-12-31"]
            status = main([*args, "--by", "field", "-o", str(Path(folder) / "r.json")])
        if status not in (0, 3):  # 3: some rows were rejected, the report is still written
            raise SystemExit(f"procflow report exited {status}")
        return {"seconds": time.perf_counter() - start, "peak_mb": _peak_mb()}
    if name == "ids":
        from procflow.bulk.streaming import _file_duplicates

        repeated, _ = _file_duplicates(data, "refuse")
        return {
            "seconds": time.perf_counter() - start,
            "peak_mb": _peak_mb(),
            "repeated": len(repeated),
        }
    raise ValueError(name)


def _run(name: str, data: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", name, "--data", str(data)],
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="rows of the sample made")
    parser.add_argument("--data", type=Path, help="an existing wide-format Parquet file")
    parser.add_argument("--child")
    opts = parser.parse_args()
    if opts.child:
        print(json.dumps(_case(opts.child, opts.data)))
        return
    with tempfile.TemporaryDirectory() as folder:
        data = opts.data
        if data is None:
            data = Path(folder) / "year.parquet"
            # Made by the command line in a child, so that this process stays small.
            make = "from procflow.cli import main; raise SystemExit(main())"
            subprocess.run(
                [sys.executable, "-c", make, "sample", str(opts.rows), "-o", str(data)],
                check=True,
                capture_output=True,
            )
        import pyarrow.parquet as pq

        rows = pq.ParquetFile(data).metadata.num_rows
        print(f"{rows:,} dossiers ({data.stat().st_size / 1e6:.0f} MB Parquet)")
        print(f"{'case':<40} {'seconds':>9} {'peak MB':>9}")
        for name, label in (
            ("ids", "duplicate-id pass alone"),
            ("report", "procflow report --by field"),
        ):
            f = _run(name, data)
            mark = ""
            if name == "report" and rows >= 10_000_000:
                mark = f"  goal <= {GOAL_MB:.0f}: {'ok' if f['peak_mb'] <= GOAL_MB else 'over'}"
            print(f"{label:<40} {f['seconds']:>9.1f} {f['peak_mb']:>9.0f}{mark}")


if __name__ == "__main__":
    main()
