"""Per-call speed of procflow's calendar beside the ``holidays`` package's own methods.

Run: ``make bench`` (or ``.venv/bin/python benchmarks/bench_calendar.py``).

Each function is called on the same random inputs (receipt dates 2016–2028, shifts of
1–30 working days). Each pass over the inputs is timed as a whole; the table shows the
median and the best pass's time per call, and the speed-up of procflow over the
``holidays`` equivalent (ratio of medians). Goals: at least 20x faster than
``holidays``, and ``add_working_days`` under 5 µs median.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from datetime import time as time_of_day
from typing import Any

import holidays

import procflow

Case = tuple[Callable[..., Any], list[tuple[Any, ...]]]
"""A function and the argument tuples to call it with."""


def per_call_ns(
    fn: Callable[..., Any], args: Sequence[tuple[Any, ...]], rounds: int
) -> list[float]:
    """Time ``rounds`` passes over the inputs; return the mean ns per call of each pass.

    Timing a pass rather than each call keeps the clock's own cost (about 0.1 µs) out of
    sub-microsecond figures, as ``timeit`` does.
    """
    clock = time.perf_counter_ns
    samples: list[float] = []
    for _ in range(rounds):
        t0 = clock()
        for a in args:
            fn(*a)
        samples.append((clock() - t0) / len(args))
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000, help="inputs per function")
    parser.add_argument("--rounds", type=int, default=15, help="passes over the inputs")
    opts = parser.parse_args()

    rng = random.Random(20241121)
    cal = procflow.vietnam_calendar()
    vn = holidays.country_holidays("VN", years=range(2015, 2031))
    span = (date(2028, 12, 31) - date(2016, 1, 1)).days
    starts = [date(2016, 1, 1) + timedelta(days=rng.randrange(span)) for _ in range(opts.calls)]
    shifts = [rng.randint(1, 30) for _ in range(opts.calls)]
    ends = [d + timedelta(days=rng.randint(1, 45)) for d in starts]
    receipts = [datetime.combine(d, time_of_day(rng.randint(7, 17), 30)) for d in starts]
    limits = [procflow.TimeLimit.working_days(n) for n in shifts]

    def holidays_due(received: datetime, n: int) -> datetime:
        # The same day-model due date built on the holidays package (no cut-off).
        day = received.date()
        if not vn.is_working_day(day) or received.hour >= 17:
            day = vn.get_nth_working_day(day, 1)
        return datetime.combine(vn.get_nth_working_day(day, n), time_of_day(17))

    rows: list[tuple[str, Case, Case]] = [
        (
            "add_working_days",
            (cal.add_working_days, list(zip(starts, shifts, strict=True))),
            (vn.get_nth_working_day, list(zip(starts, shifts, strict=True))),
        ),
        (
            "count_working_days",
            (cal.count_working_days, list(zip(starts, ends, strict=True))),
            (
                vn.get_working_days_count,
                [(a + timedelta(days=1), b) for a, b in zip(starts, ends, strict=True)],
            ),
        ),
        (
            "due_date",
            (procflow.due_date, [(r, lim, cal) for r, lim in zip(receipts, limits, strict=True)]),
            (holidays_due, list(zip(receipts, shifts, strict=True))),
        ),
    ]
    print(f"{opts.calls} inputs x {opts.rounds} passes; time per call: median and best pass")
    header = ("operation", "procflow median", "best", "holidays median", "best", "speed-up")
    print("{:<20} {:>16} {:>9} {:>16} {:>9} {:>9}".format(*header))
    for name, (ours, our_args), (theirs, their_args) in rows:
        a = per_call_ns(ours, our_args, opts.rounds)
        b = per_call_ns(theirs, their_args, opts.rounds)
        med_a, med_b = statistics.median(a), statistics.median(b)
        print(
            f"{name:<20} {med_a / 1000:>13.2f} µs {min(a) / 1000:>6.2f} µs "
            f"{med_b / 1000:>13.2f} µs {min(b) / 1000:>6.2f} µs {med_b / med_a:>8.1f}x"
        )


if __name__ == "__main__":
    main()
