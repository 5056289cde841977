"""The classification proper: the entry point, slices, and the law calls in array form."""

from __future__ import annotations

import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from procflow.bulk.assemble import _assemble, _scalar
from procflow.bulk.columns import (
    _DAY,
    _EPOCH,
    _EVENT_COLUMNS,
    _NAT,
    _OUTCOME_OF_RULE,
    _TIME_COLUMNS,
    BulkResult,
)
from procflow.bulk.reading import _CODED, Codes, _codes, _seconds, _text_column, _to_table
from procflow.bulk.rules import _Rules, _rules
from procflow.bulk.selection import Engine, RowsEngine, rows_engine
from procflow.calendar import WorkCalendar, to_local, vietnam_calendar
from procflow.errors import InputError
from procflow.evaluation import Procedures
from procflow.interchange import (
    Duplicates,
    duplicate_reasons,
    record_lines,
)
from procflow.law import wide
from procflow.law.index import CalendarIndex

# -- classification -------------------------------------------------------------------------


def max_event_time(table: pa.Table) -> datetime | None:
    """The latest event time in a wide table (local), or None if it has none."""
    latest = None
    for name in _EVENT_COLUMNS:
        if name in table.column_names:
            secs, _ = _seconds(table[name], table.num_rows)
            valid = secs[secs != _NAT]
            if valid.size:
                top = int(valid.max())
                latest = top if latest is None else max(latest, top)
    return None if latest is None else datetime(1970, 1, 1) + timedelta(seconds=latest)


def _as_of_seconds(as_of: datetime | date) -> tuple[int, datetime]:
    local = to_local(as_of) if isinstance(as_of, datetime) else datetime.combine(as_of, time.max)
    whole = local.replace(microsecond=0)
    # A sub-second as_of: an event at the same second but before it still counts.
    return int((whole - datetime(1970, 1, 1)).total_seconds()), local


def classify(
    source: Any,
    *,
    procedures: Procedures = None,
    calendar: WorkCalendar | None = None,
    as_of: datetime | date | None = None,
    index_offset: int = 0,
    received_after_as_of: Literal["reject", "skip"] = "reject",
    duplicates: Duplicates | Mapping[int, str] = "refuse",
    engine: Engine = "auto",
) -> BulkResult:
    """Classify every dossier of a wide-format source, as :func:`procflow.evaluate` would.

    Args:
        source: A pyarrow Table, a pandas or polars DataFrame, or a path to a CSV or
            Parquet file, in the wide interchange format (``docs/interchange.md``).
        procedures: The procedure library, for rows with a ``procedure_id``.
        calendar: The working calendar (default: :func:`~procflow.vietnam_calendar`).
        as_of: The instant to classify at (a date means its end); events after it are
            ignored. Default: the end of the day of the latest event in the source.
        index_offset: Added to every ``index`` (for batches of a larger source).
        received_after_as_of: ``"reject"`` (default) rejects a dossier received after
            ``as_of``, as :func:`~procflow.evaluate` does; ``"skip"`` leaves it out of both
            tables (a report of a past period does not count it).
        duplicates: Rows sharing a dossier id: ``"refuse"`` (default) rejects them all,
            ``"last"`` keeps the last (:func:`procflow.interchange.duplicate_reasons`);
            or the reasons already found for this batch's indexes (by :func:`classify_file`,
            over the whole file).
        engine: ``"auto"`` (default: the numpy engine, the faster one as measured, unless
            ``PROCFLOW_ENGINE`` says otherwise), ``"compiled"`` or ``"numpy"``; both give
            the same result (:mod:`procflow.bulk.selection`, ``docs/performance.md``).

    Returns:
        The classified rows and the rejected rows; together, every row of the source.

    Raises:
        InputError: If the source cannot be read or lacks ``dossier_id`` or ``received_at``,
            or the engine is unknown (or ``"compiled"`` without numba).

    Examples:
        >>> import pyarrow as pa
        >>> rows = pa.table({"dossier_id": ["A", "B"],
        ...                  "received_at": ["2024-08-29T10:00:00", "2024-08-29T10:00:00"],
        ...                  "finished_at": ["2024-09-05T16:00:00", "2024-09-06T09:00:00"],
        ...                  "time_limit": ["03 ngày làm việc", "03 ngày làm việc"]})
        >>> result = classify(rows, calendar=vietnam_calendar(years=[2024]))
        >>> result.table["outcome"].to_pylist(), result.rejected.num_rows
        (['on_time', 'late'], 0)
    """
    rows = rows_engine(engine)
    table = _to_table(source)
    missing = [c for c in ("dossier_id", "received_at") if c not in table.column_names]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)} for the wide format")
    lines = None
    if isinstance(source, str | Path) and Path(source).suffix.lower() != ".parquet":
        lines = record_lines(source, table.num_rows)
    repeated = (
        dict(duplicates)
        if isinstance(duplicates, Mapping)
        else _duplicates_of(table["dossier_id"], duplicates, index_offset, lines)
    )
    result = _classify_table(
        table, procedures, calendar, as_of, index_offset, received_after_as_of, rows
    )
    return _renumber(_reject_rows(result, repeated), lines)


def _renumber(result: BulkResult, lines: list[int] | None) -> BulkResult:
    """Rejected rows numbered by the file's lines (see :func:`record_lines`)."""
    if lines is None or result.rejected.num_rows == 0:
        return result
    rejected = result.rejected
    rows = pa.array([lines[i] for i in rejected["index"].to_pylist()], pa.int64())
    return BulkResult(result.table, rejected.set_column(1, "row", rows))


def _duplicates_of(
    column: pa.ChunkedArray, keep: Duplicates, offset: int = 0, lines: list[int] | None = None
) -> dict[int, str]:
    """Index to reason for the rows a repeated dossier id rejects (few ids go to Python)."""
    ids = pc.fill_null(pc.utf8_trim_whitespace(pc.cast(column, pa.string())), "").combine_chunks()
    # Sorted, a repeated id sits next to itself: cheaper than counting a million ids by hash.
    # Exports usually come in id order: then one comparison pass shows there is no repeat.
    if len(ids) < 2 or pc.all(pc.less(ids.slice(0, len(ids) - 1), ids.slice(1))).as_py():
        return duplicate_reasons([], [], keep)
    ordered = ids.take(pc.sort_indices(ids))
    after, before = ordered.slice(1), ordered.slice(0, max(len(ordered) - 1, 0))
    same = pc.and_(pc.equal(after, before), pc.not_equal(after, ""))
    repeated = pc.unique(pc.filter(after, same))
    if len(repeated) == 0:
        return duplicate_reasons([], [], keep)
    where = np.flatnonzero(pc.is_in(ids, value_set=repeated).to_numpy(zero_copy_only=False))
    reasons = duplicate_reasons(
        ids.take(pa.array(where)).to_pylist(),
        [lines[int(i) + offset] if lines else int(i) + offset + 2 for i in where],
        keep,
    )
    return {int(where[k]) + offset: reason for k, reason in reasons.items()}


def _reject_rows(result: BulkResult, reasons: dict[int, str]) -> BulkResult:
    """Move the classified rows whose index has a reason into the rejected rows."""
    if not reasons:
        return result
    table = result.table
    moved = pc.is_in(table["index"], value_set=pa.array(list(reasons), pa.int64()))
    gone = table.filter(moved)
    extra = pa.table(
        {
            "index": gone["index"],
            "row": pc.add(gone["index"], 2),
            "dossier_id": pc.cast(gone["dossier_id"], pa.string()),
            "reason": pa.array([reasons[i] for i in gone["index"].to_pylist()], pa.string()),
        }
    )
    rejected = pa.concat_tables([result.rejected, extra.cast(result.rejected.schema)])
    return BulkResult(table.filter(pc.invert(moved)), rejected.sort_by([("index", "ascending")]))


def _classify_table(
    table: pa.Table,
    procedures: Procedures,
    calendar: WorkCalendar | None,
    as_of: datetime | date | None,
    index_offset: int,
    received_after_as_of: Literal["reject", "skip"],
    rows: RowsEngine | None = None,
) -> BulkResult:
    cal = calendar or vietnam_calendar()
    if as_of is None:
        latest = max_event_time(table)
        as_of = latest.date() if latest is not None else date(cal.last_year, 12, 31)
    view, as_of_dt = _as_of_seconds(as_of)
    c = cal.law_arrays
    # Slices keep the arrays small: the same memory serves every slice, in cache. numpy and
    # pyarrow release the GIL on whole-array work, so slices run on the machine's cores.

    def one(first: int) -> BulkResult:
        return _classify_slice(
            table.slice(first, _SLICE),
            c,
            cal,
            procedures,
            view,
            as_of_dt,
            index_offset + first,
            received_after_as_of,
            rows or _classify_arrays,
        )

    firsts = range(0, max(table.num_rows, 1), _SLICE)
    workers = min(len(firsts), _threads())
    if workers > 1:
        with ThreadPoolExecutor(workers, thread_name_prefix="procflow-classify") as pool:
            parts = list(pool.map(one, firsts))
    else:
        parts = [one(first) for first in firsts]
    if len(parts) == 1:
        return parts[0]
    return BulkResult(
        pa.concat_tables([p.table for p in parts]), pa.concat_tables([p.rejected for p in parts])
    )


_SLICE = 131_072
"""Rows classified at a time inside :func:`classify`."""

THREADS_VARIABLE = "PROCFLOW_THREADS"
"""Environment variable: how many threads classify a table's slices (default: the cores)."""


def _threads() -> int:
    """Threads for a table's slices: ``PROCFLOW_THREADS``, else the usable cores (at most 8)."""
    text = os.environ.get(THREADS_VARIABLE, "").strip()
    if text:
        try:
            wanted = int(text)
        except ValueError:
            raise InputError(f"{THREADS_VARIABLE}={text!r}: expected a whole number") from None
        if wanted < 1:
            raise InputError(f"{THREADS_VARIABLE}={text!r}: expected 1 or more")
        return wanted
    return max(
        1,
        min(
            8,
            len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else os.cpu_count() or 1,
        ),
    )


def _classify_slice(
    table: pa.Table,
    c: CalendarIndex,
    cal: WorkCalendar,
    procedures: Procedures,
    view: int,
    as_of_dt: datetime,
    index_offset: int,
    received_after_as_of: str,
    rows: RowsEngine | None = None,
) -> BulkResult:
    from procflow.bulk.columns import _reads_as_level

    n = table.num_rows
    times: dict[str, np.ndarray] = {}
    odd = np.zeros(n, dtype=bool)
    for name in _TIME_COLUMNS:
        secs, weird = _seconds(table[name] if name in table.column_names else None, n)
        times[name] = secs
        odd |= weird
    rec = times["received_at"]
    codes: Codes = {name: _codes(table, name) for name in _CODED}
    for name, allowed in (
        ("channel", ("", "online", "in_person", "post")),
        ("result", ("", "granted", "refused")),
    ):
        column_codes, values = codes[name]
        odd |= np.asarray([v not in allowed for v in values], dtype=bool)[column_codes]
    # A service level the reader does not know: the per-dossier path rejects the row, naming it.
    level_codes, levels = _codes(table, "service_level")
    odd |= np.asarray([not _reads_as_level(v) for v in levels], dtype=bool)[level_codes]
    ids = pc.cast(table["dossier_id"], pa.string())
    blank = pc.or_(pc.utf8_is_space(ids), pc.equal(pc.binary_length(ids), 0))  # "", "  "
    odd |= pc.fill_null(blank, True).to_numpy(zero_copy_only=False)
    odd |= rec == _NAT
    # Timeline checks (as check_timeline orders a wide row's events); failures go scalar.
    req, srec = times["supplement_requested_at"], times["supplement_received_at"]
    apo, new_due = times["apology_issued_at"], times["apology_new_due_at"]
    fin, wd = times["finished_at"], times["withdrawn_at"]
    present = {k: v != _NAT for k, v in times.items()}
    for name in (
        "finished_at",
        "withdrawn_at",
        "supplement_requested_at",
        "supplement_received_at",
        "apology_issued_at",
    ):
        odd |= present[name] & (times[name] < rec)
    odd |= present["supplement_received_at"] & (~present["supplement_requested_at"] | (srec < req))
    odd |= present["finished_at"] & present["withdrawn_at"]
    for name in ("supplement_requested_at", "supplement_received_at", "apology_issued_at"):
        odd |= present[name] & present["finished_at"] & (times[name] > fin)
        odd |= present[name] & present["withdrawn_at"] & (times[name] > wd)
    odd |= present["apology_issued_at"] & present["apology_new_due_at"] & (new_due <= apo)
    # Dates the calendar covers, with room for the due date: others go scalar.
    lo_s = (c.base - _EPOCH) * _DAY
    hi_s = (c.base + c.n - _EPOCH) * _DAY
    for name in _EVENT_COLUMNS:
        v = times[name]
        odd |= present[name] & ((v < lo_s) | (v >= hi_s))
    rules = _rules(codes, rec, procedures)
    odd |= rules.bad
    late = ~odd & (rec > view)  # received after as_of: rejected, as evaluate() does
    odd |= late
    # Room at the end of the calendar for the longest shift of these rows, in days.
    per_unit = np.array([1.0, 1 / 8, 1.0, 0.0, 1 / 24, 7.0, 31.0])
    horizon = rules.value * per_unit[rules.unit] + np.maximum(rules.return_days, 0)
    day_index = np.clip(rec // _DAY + _EPOCH - c.base, 0, c.n)
    room = (c.cum[-1] - c.cum[day_index]) - 2 * (horizon + 1) - 60
    odd |= room < 0
    ok = ~odd
    idx = np.flatnonzero(ok)
    out = (rows or _classify_arrays)(c, {k: v[idx] for k, v in times.items()}, rules, idx, view)
    out = {
        **out,
        # The findings' input beside request_outside_window: the first new date promised.
        "apology_new_due_at": np.where(out["apology"], new_due[idx], _NAT),
    }
    skip = received_after_as_of == "skip"
    scalar = _scalar(table, np.flatnonzero(odd & ~late), procedures, cal, as_of_dt, skip)
    late_rows = np.flatnonzero(late)
    if late_rows.size and received_after_as_of == "skip":
        return _assemble(table, codes, idx, out, scalar, index_offset)
    if late_rows.size:
        late_ids = _text_column(table, "dossier_id").take(pa.array(late_rows)).to_pylist()
        scalar += [
            (
                int(i),
                f"dossier {d!r} was received at "
                f"{(datetime(1970, 1, 1) + timedelta(seconds=int(rec[i]))).isoformat()}, "
                f"after as_of {as_of_dt.isoformat()}",
                d,
            )
            for i, d in zip(late_rows, late_ids, strict=True)
        ]
    return _assemble(table, codes, idx, out, scalar, index_offset)


def _classify_arrays(
    c: CalendarIndex, t: dict[str, np.ndarray], rules: _Rules, idx: np.ndarray, view: int
) -> dict[str, np.ndarray]:
    """The rule core over arrays: what :func:`procflow.evaluate` computes, row by row.

    :func:`procflow.law.wide.judge` is the whole rule; it computes the branches only some
    rows take (supplement cycles, clock stops, returns, apologies) on those rows only.
    """
    fin = wide.seen(t["finished_at"], view)
    wd = wide.seen(t["withdrawn_at"], view)
    req = wide.seen(t["supplement_requested_at"], view)
    judged = wide.judge(
        c,
        view,
        t["received_at"],
        fin,
        wd,
        req,
        wide.seen(t["supplement_received_at"], view),
        wide.seen(t["apology_issued_at"], view),
        rules.value[idx],
        rules.unit[idx],
        rules.model[idx],
        rules.cutoff[idx],
        rules.policy[idx],
        rules.window[idx],
        rules.return_days[idx],
        rules.apology_end[idx],
    )
    out: dict[str, np.ndarray] = judged._asdict()
    out["outcome"] = _OUTCOME_OF_RULE[judged.rule]
    out["used_days"] = judged.used_hours / (c.length / 3600)
    out["supplement_requests"] = (req != _NAT).astype(np.int64)
    out["waiting_for_applicant"] = out.pop("waiting")
    out["d766_known"] = fin != _NAT
    out["finished_at"] = fin
    out["withdrawn_at"] = wd
    out["received_at"] = t["received_at"]
    return out
