"""Bulk classification speed and memory, beside the bare working-day shift and loops.

Run: ``make bench-bulk`` (or ``.venv/bin/python benchmarks/bench_bulk.py [--sizes 1000000
10000000]``).

For each size, a synthetic year (``benchmarks/synthetic.py``) is classified and timed,
each case in a fresh process that reports its own peak memory (max RSS):

* ``numpy.busday_offset`` of the same receipt dates by 3 working days with the
  holidays: the speed limit of a bare working-day shift;
* ``procflow.bulk.classify`` from an in-memory pyarrow table (the table's build is not
  timed);
* ``procflow.bulk.classify_file`` streaming from Parquet to Parquet, in batches;
* the per-dossier ``procflow.evaluate`` loop and a loop over the ``holidays`` package's
  ``get_nth_working_day``, on a sample (``--sample`` rows), their rate applied to the size.

Goals: one million dossiers from memory in at most 5x ``busday_offset`` and about one
second on a 2-core machine; ten million streamed from Parquet under 1.5 GB peak memory.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
AS_OF = datetime(2025, 12, 31, 23, 59)


def _peak_mb() -> float:
    """This process's peak resident memory, in MB.

    ``VmHWM`` belongs to the process's own memory map, new at exec; ``ru_maxrss`` would
    carry over the parent's peak through fork and exec on Linux.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _case(name: str, size: int, data: str, sample: int) -> dict[str, Any]:
    """Run one case in this process; return its figures (the child side)."""
    import numpy as np
    import pyarrow.parquet as pq

    import procflow
    from procflow import bulk

    cal = procflow.vietnam_calendar(years=range(2024, 2027))
    library = procflow.load_procedures(ROOT / "src" / "procflow" / "specs")
    if name == "stream":
        start = time.perf_counter()
        classified, rejected, _ = bulk.classify_file(
            data,
            Path(data).with_suffix(".out.parquet"),
            procedures=library,
            calendar=cal,
            as_of=AS_OF,
        )
        seconds = time.perf_counter() - start
        return {"seconds": seconds, "rows": classified + rejected, "peak_mb": _peak_mb()}
    if name == "busday":
        days = pq.read_table(data, columns=["received_at"])["received_at"].to_numpy()
        days = days.astype("datetime64[D]")
        days_off = [
            np.datetime64(d)
            for d in (date(2024, 1, 1) + timedelta(days=k) for k in range(3 * 366))
            if d.year <= 2026 and d.weekday() < 5 and not cal.is_working_day(d)
        ]
        busdays = np.busdaycalendar(holidays=days_off)
        start = time.perf_counter()
        np.busday_offset(days, 3, roll="forward", busdaycal=busdays)
        seconds = time.perf_counter() - start
        return {"seconds": seconds, "rows": size, "peak_mb": _peak_mb()}
    if name == "classify":
        table = pq.read_table(data)
        bulk.classify(
            table.slice(0, 1000), procedures=library, calendar=cal, as_of=AS_OF
        )  # warm up
        start = time.perf_counter()
        result = bulk.classify(table, procedures=library, calendar=cal, as_of=AS_OF)
        seconds = time.perf_counter() - start
        rows = result.table.num_rows + result.rejected.num_rows
        return {"seconds": seconds, "rows": rows, "peak_mb": _peak_mb()}
    # The loops are timed on a sample; only the sample is read.
    rows = next(pq.ParquetFile(data).iter_batches(batch_size=sample)).to_pylist()
    if name == "evaluate":
        from procflow.interchange import row_to_dossier

        dossiers = [row_to_dossier(r) for r in rows]
        start = time.perf_counter()
        for d in dossiers:
            with contextlib.suppress(procflow.ProcflowError):
                procflow.evaluate(d, library, cal, as_of=AS_OF)
        seconds = (time.perf_counter() - start) * size / len(rows)
        return {"seconds": seconds, "rows": size, "peak_mb": _peak_mb(), "sampled": len(rows)}
    if name == "holidays":
        import holidays

        vn = holidays.country_holidays("VN", years=range(2024, 2027))
        days = [r["received_at"].date() for r in rows]
        start = time.perf_counter()
        for d in days:
            vn.get_nth_working_day(d, 3)
        seconds = (time.perf_counter() - start) * size / len(rows)
        return {"seconds": seconds, "rows": size, "peak_mb": _peak_mb(), "sampled": len(rows)}
    raise ValueError(name)


def _run(name: str, size: int, data: Path, sample: int) -> dict[str, Any]:
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            name,
            "--child-size",
            str(size),
            "--child-data",
            str(data),
            "--sample",
            str(sample),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return figures


def _make_data(size: int, folder: Path) -> Path:
    """Write a synthetic year of ``size`` rows to Parquet, a million at a time."""
    import pyarrow.parquet as pq

    sys.path.insert(0, str(ROOT))
    from benchmarks.synthetic import generate

    path = folder / f"year-{size}.parquet"
    writer = None
    done = 0
    while done < size:
        chunk = generate(min(1_000_000, size - done), 2025, seed=done)
        if writer is None:
            writer = pq.ParquetWriter(path, chunk.schema)
        writer.write_table(chunk)
        done += chunk.num_rows
    assert writer is not None
    writer.close()
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--sample", type=int, default=20_000, help="rows for the loop cases")
    parser.add_argument("--child")
    parser.add_argument("--make-data", type=int)
    parser.add_argument("--child-size", type=int)
    parser.add_argument("--child-data")
    opts = parser.parse_args()
    if opts.make_data:
        _make_data(opts.make_data, Path(opts.child_data))
        return
    if opts.child:
        print(json.dumps(_case(opts.child, opts.child_size, opts.child_data, opts.sample)))
        return
    header = (
        f"{'case':<44} {'rows':>11} {'seconds':>9} {'rows/s':>12} {'peak MB':>8} {'x busday':>9}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for size in opts.sizes:
            # Made in a child too, so that this process stays small.
            subprocess.run(
                [sys.executable, __file__, "--make-data", str(size), "--child-data", tmp],
                check=True,
            )
            data = Path(tmp) / f"year-{size}.parquet"
            print(f"\n{size:,} dossiers ({data.stat().st_size / 1e6:.0f} MB Parquet)")
            print(header)
            cases = [("busday", "numpy.busday_offset (same receipts)")]
            if size <= 2_000_000:
                cases.append(("classify", "procflow.bulk.classify, in memory"))
            cases += [
                ("stream", "procflow.bulk.classify_file, Parquet stream"),
                ("evaluate", "per-dossier evaluate loop (sampled)"),
                ("holidays", "holidays get_nth_working_day loop (sampled)"),
            ]
            busday = None
            for name, label in cases:
                f = _run(name, size, data, opts.sample)
                busday = f["seconds"] if name == "busday" else busday
                ratio = f["seconds"] / busday if busday else float("nan")
                rate = f["rows"] / f["seconds"]
                print(
                    f"{label:<44} {f['rows']:>11,} {f['seconds']:>9.3f} {rate:>12,.0f} "
                    f"{f['peak_mb']:>8.0f} {ratio:>9.1f}"
                )


if __name__ == "__main__":
    main()
