"""The compiled engine: the rule core in one fused loop over a batch's rows (numba).

With the ``fast`` extra installed (``pip install procflow[fast]``), :func:`classify_rows`
takes the rows the numpy engine (:func:`procflow.bulk.engine._classify_arrays`) would take
and gives the same columns, computing each row once, start to end, with the rule core's
own functions (:mod:`procflow.law.compiled` compiles them from their source): no pass per
branch, no temporary arrays. The numpy engine stays the fallback and the oracle the tests
compare this loop with.

The loop calls :func:`procflow.law.wide.judge` on each row, the function the numpy engine
calls on the whole batch: the rule is written once, in the core. It is
compiled once per machine: numba keeps it on disk (``cache=True``), keyed by this file and
by a digest of the rule core's source (:data:`procflow.law.compiled.STAMP`).

numba is imported when this module is, which the engine does on its first batch.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np

from procflow.bulk.columns import _NAT, _OUTCOME_OF_RULE
from procflow.law import compiled as law_compiled
from procflow.law.index import CalendarIndex
from procflow.law.wide import judge, seen

__all__ = ["classify_rows"]

_INTS = ("due_at", "effective_due_at", "d766_due_at", "returned_at", "rule")
_FLOATS = ("used_hours", "remaining_hours")
_FLAGS = (
    "clock_stopped",
    "waiting_for_applicant",
    "apology",
    "apology_timely",
    "d766_on_time",
    "request_outside_window",
)


def _make_loop(stamp: str) -> Any:
    """The fused loop; ``stamp`` (the rule core's digest) is part of its cache key."""

    # Without reference counting (the caller allocates the output): faster to run and to
    # compile, as for the core (procflow.law.compiled.OPTIONS).
    @numba.njit(cache=True, nogil=True, **law_compiled.OPTIONS)  # type: ignore[untyped-decorator]
    def loop(c: Any, view: int, times: Any, rules: Any, outcome_of_rule: Any, out: Any) -> None:
        assert len(stamp) > 0  # the closure that keys the cache to the rule core's source
        rec_t, fin_t, wd_t, req_t, srec_t, apo_t = times
        value, unit, model, cutoff, policy, window, apology_end, return_days = rules
        ints, floats, flags, outcome, fin_out, wd_out = out
        for i in range(len(rec_t)):
            fin, wd = seen(fin_t[i], view), seen(wd_t[i], view)
            j = judge(
                c,
                view,
                rec_t[i],
                fin,
                wd,
                seen(req_t[i], view),
                seen(srec_t[i], view),
                seen(apo_t[i], view),
                value[i],
                unit[i],
                model[i],
                cutoff[i],
                policy[i],
                window[i],
                return_days[i],
                apology_end[i],
            )
            ints[0, i] = j.due_at
            ints[1, i] = j.effective_due_at
            ints[2, i] = j.d766_due_at
            ints[3, i] = j.returned_at
            ints[4, i] = j.rule
            floats[0, i] = j.used_hours
            floats[1, i] = j.remaining_hours
            flags[0, i] = j.clock_stopped
            flags[1, i] = j.waiting
            flags[2, i] = j.apology
            flags[3, i] = j.apology_timely
            flags[4, i] = j.d766_on_time
            flags[5, i] = j.request_outside_window
            outcome[i] = outcome_of_rule[j.rule]
            fin_out[i] = fin
            wd_out[i] = wd

    return loop


_LOOP = _make_loop(law_compiled.STAMP)

_TIMES_IN = (
    "received_at",
    "finished_at",
    "withdrawn_at",
    "supplement_requested_at",
    "supplement_received_at",
    "apology_issued_at",
)

_RULES_IN = (
    ("value", np.float64),
    ("unit", np.int64),
    ("model", np.int64),
    ("cutoff", np.int64),
    ("policy", np.int64),
    ("window", np.float64),
    ("apology_end", np.bool_),
    ("return_days", np.int64),
)
"""The counting rules the loop reads per row, in its order, with their dtypes."""

_TABLES: dict[int, tuple[CalendarIndex, Any]] = {}
"""The calendars' tables for compiled code, by the identity of their index (built once)."""


def _tables_of(c: CalendarIndex) -> Any:
    known = _TABLES.get(id(c))
    if known is None or known[0] is not c:
        known = (c, law_compiled.tables(c))
        _TABLES[id(c)] = known
    return known[1]


def classify_rows(
    c: CalendarIndex, t: dict[str, np.ndarray], rules: Any, idx: np.ndarray, view: int
) -> dict[str, np.ndarray]:
    """What :func:`procflow.bulk.engine._classify_arrays` gives, by the compiled loop.

    Args:
        c: The calendar (second ticks, numpy tables: ``WorkCalendar.law_arrays``).
        t: The time columns of the rows, local seconds, ``_NAT`` for missing.
        rules: The counting rules of every row of the slice (``_Rules``).
        idx: The rows of the slice these are.
        view: The instant classified at, local seconds.

    Returns:
        The output columns, by name, as the numpy engine gives them.
    """
    times = tuple(np.ascontiguousarray(t[name], dtype=np.int64) for name in _TIMES_IN)
    n = len(times[0])
    ints = np.empty((len(_INTS), n), dtype=np.int64)
    floats = np.empty((len(_FLOATS), n), dtype=np.float64)
    flags = np.empty((len(_FLAGS), n), dtype=np.bool_)
    outcome = np.empty(n, dtype=np.int8)
    fin, wd = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    row_rules = tuple(
        np.ascontiguousarray(getattr(rules, name)[idx], dtype=dtype) for name, dtype in _RULES_IN
    )
    _LOOP(
        _tables_of(c),
        view,
        times,
        row_rules,
        _OUTCOME_OF_RULE.astype(np.int8),
        (ints, floats, flags, outcome, fin, wd),
    )
    out: dict[str, np.ndarray] = {name: ints[k] for k, name in enumerate(_INTS)}
    out.update({name: floats[k] for k, name in enumerate(_FLOATS)})
    out.update({name: flags[k] for k, name in enumerate(_FLAGS)})
    out["used_days"] = floats[0] / (c.length / 3600)
    out["outcome"] = outcome
    out["supplement_requests"] = (t["supplement_requested_at"] != _NAT) & (
        t["supplement_requested_at"] <= view
    )
    out["supplement_requests"] = out["supplement_requests"].astype(np.int64)
    out["d766_known"] = fin != _NAT
    out["finished_at"] = fin
    out["withdrawn_at"] = wd
    out["received_at"] = t["received_at"]
    return out
