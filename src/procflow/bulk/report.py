"""Period reports counted on the columnar engine (:func:`build_report`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from procflow.bulk.assemble import _seconds_of
from procflow.bulk.columns import _EPOCH, _NAT
from procflow.bulk.engine import _renumber, classify
from procflow.bulk.reading import _codes, _to_table
from procflow.bulk.rules import _versions, in_force_rows
from procflow.bulk.streaming import _batches, _file_duplicates
from procflow.calendar import WorkCalendar
from procflow.columnar import group_keys
from procflow.errors import ProcflowError
from procflow.evaluation import Procedures
from procflow.index766 import on_time_21
from procflow.interchange import Duplicates, Rejected
from procflow.law import counters as law_counters
from procflow.report import COLUMN_BREAKDOWNS, GroupBy, Report, ReportRow, Tally, period_bounds
from procflow.timelimit import TimeLimit

# -- reports on the engine ----------------------------------------------------------------


def _limit_labels(table: pa.Table) -> tuple[np.ndarray, list[str]]:
    """Per row, the normalised limit text (as str(TimeLimit)) for grouping by procedure."""
    codes, values = _codes(table, "time_limit")
    labels = []
    for text in values:
        try:
            labels.append(str(TimeLimit.parse(text)) if text else "")
        except ProcflowError:
            labels.append("")
    return codes, labels


def build_report(
    source: Any,
    procedures: Procedures,
    calendar: WorkCalendar,
    *,
    start: date,
    end: date | datetime,
    by: str | None = None,
    batch_size: int = 262_144,
    duplicates: Duplicates = "refuse",
    encoding: str | None = None,
) -> Report:
    """The period report of :func:`procflow.build_report`, computed on the columnar engine.

    Gives the same :class:`~procflow.Report` as the per-dossier path on the same rows
    (tested), from a wide-format source (table, DataFrame or path). A CSV or Parquet path
    is read in batches of ``batch_size`` rows and its counters accumulated, so memory
    follows the batch, not the file; a first pass over its ``dossier_id`` column alone finds
    the ids repeated anywhere in it, so a repeat in another batch is found too.

    Args:
        source: The dossiers, wide format.
        procedures: The procedure library, or None for inline rules.
        calendar: The working calendar.
        start: First day of the period.
        end: Last day of the period, or the moment it ends.
        by: Group rows by ``"field"``, ``"procedure"``, ``"office"``, ``"agency"`` or
            ``"channel"``.
        batch_size: Rows read at a time from a file.
        duplicates: Rows sharing a dossier id: ``"refuse"`` (default) rejects them all,
            ``"last"`` counts the last; the rejections name the id and its rows.
        encoding: A CSV file's text encoding (e.g. ``"cp1258"``, ``"utf-16"``); default:
            by its byte order mark, else UTF-8.

    Returns:
        The report.

    Raises:
        InputError: If ``start`` or ``end`` has the wrong type or ``end`` is before
            ``start`` (naming the value), or the source cannot be read.
    """
    start, as_of = period_bounds(start, end)
    group = GroupBy(by) if by is not None else None
    repeated: Duplicates | dict[int, str] = duplicates
    lines = None
    if isinstance(source, str | Path) and Path(source).is_file():
        repeated, lines = _file_duplicates(Path(source), duplicates, encoding)
        batches, _ = _batches(Path(source), batch_size, encoding)
        parts: Iterable[pa.Table] = (pa.Table.from_batches([b]) for b in batches)
    else:
        parts = [_to_table(source)]
    tallies: dict[str, Tally] = {}
    # The working days of each resolved dossier, by key, as arrays (8 bytes a row, where a
    # Tally's list of floats takes 32): they become lists one row of the report at a time.
    days: dict[str, list[np.ndarray]] = {}
    rejected: list[Rejected] = []
    dossiers = 0
    for table in parts:
        found = (
            {i: r for i, r in repeated.items() if dossiers <= i < dossiers + table.num_rows}
            if isinstance(repeated, dict)
            else repeated
        )
        for key, (tally, used) in _batch_tallies(
            table, procedures, calendar, start, as_of, group, dossiers, rejected, found, lines
        ).items():
            tallies.setdefault(key, Tally()).merge(tally)
            days.setdefault(key, []).append(used)
        dossiers += table.num_rows
    total = Tally()
    for tally in tallies.values():
        total.merge(tally)
    return Report(
        period_start=start,
        period_end=as_of.date(),
        period_end_at=as_of,
        by=group,
        rows=tuple(_row(k, tallies[k], days[k]) for k in sorted(tallies))
        if group is not None
        else (),
        # The days in the order merging the tallies gives them (a sum of floats has one).
        total=_row("total", total, [d for k in tallies for d in days[k]]),
        dossiers=dossiers,
        rejected=tuple(rejected),
    )


def _row(key: str, tally: Tally, days: list[np.ndarray]) -> ReportRow:
    """The report row of a tally whose working days were kept as arrays, in file order.

    The mean is :meth:`Tally.row`'s, the same Python ``sum`` over the same floats in the
    same order, fed an array at a time rather than from one list of every row.
    """
    row = tally.row(key)
    count = sum(len(d) for d in days)
    if not count:
        return row
    used = sum(chain.from_iterable(d.tolist() for d in days))
    return row.model_copy(update={"mean_working_days": round(used / count, 2)})


def _batch_tallies(
    table: pa.Table,
    procedures: Procedures,
    calendar: WorkCalendar,
    start: date,
    as_of: datetime,
    group: GroupBy | None,
    offset: int,
    rejected: list[Rejected],
    duplicates: Duplicates | dict[int, str] = "refuse",
    lines: list[int] | None = None,
) -> dict[str, tuple[Tally, np.ndarray]]:
    """The report counters of one batch, by group key; its rejected rows are appended.

    Each key's tally comes with the working days its resolved dossiers used, in file order
    (the tally's own ``days`` left empty).

    ``duplicates`` is the mode, or the reasons already found for this batch's indexes;
    ``lines`` numbers the rejected rows by the file's lines.
    """
    result = classify(
        table,
        procedures=procedures,
        calendar=calendar,
        as_of=as_of,
        received_after_as_of="skip",
        index_offset=offset,
        duplicates=duplicates,
    )
    result = _renumber(result, lines)
    t = result.table
    n = t.num_rows

    def day(name: str) -> np.ndarray:
        days = pc.cast(pc.cast(t[name], pa.date32()), pa.int32())
        values: np.ndarray = pc.fill_null(days, -1).to_numpy(zero_copy_only=False)
        return values

    received = day("received_at")
    finished, withdrawn = day("finished_at"), day("withdrawn_at")
    ended = np.where(finished >= 0, finished, withdrawn)
    returned = day("returned_at")
    ended = np.where(returned >= 0, returned, ended)
    start_day = start.toordinal() - _EPOCH
    # Rows received after the period's end were skipped by classify (received_after_as_of).
    counted = law_counters.in_period(True, received, ended, start_day)
    new = received >= start_day
    outcome = np.asarray(t["outcome"].to_numpy(zero_copy_only=False), dtype=object)
    channel = np.asarray(t["channel"].to_numpy(zero_copy_only=False), dtype=object)
    finished_ok = np.isin(outcome, ["early", "on_time", "late"])
    refused = np.asarray(pc.fill_null(t["result"], "").to_numpy(zero_copy_only=False), dtype=object)
    flags: dict[str, np.ndarray] = law_counters.counters(
        counted,
        new,
        _code_of(channel, law_counters.CHANNELS),
        _code_of(outcome, law_counters.OUTCOMES),
        t["apology"].to_numpy(zero_copy_only=False),
        refused == "refused",
        t["waiting_for_applicant"].to_numpy(zero_copy_only=False),
        _on_time_21(t, as_of),
    )
    # Group keys, as the per-dossier report computes them.
    if group is None:
        keys = np.full(n, "total", dtype=object)
    elif group is GroupBy.CHANNEL:
        keys = channel
    elif group in (GroupBy.OFFICE, GroupBy.AGENCY):
        keys = np.asarray(t[group.value].to_numpy(zero_copy_only=False), dtype=object)
    elif group in COLUMN_BREAKDOWNS:  # the row's own column, or its procedure's spec
        keys = group_keys(t, table, procedures, group, offset)
    elif group is GroupBy.PROCEDURE:
        pid = np.asarray(t["procedure_id"].to_numpy(zero_copy_only=False), dtype=object)
        codes, labels = _limit_labels(table)
        label = np.asarray(labels, dtype=object)[codes[t["index"].to_numpy()]]
        keys = np.where(pid != "", pid, label)
    else:
        keys = np.asarray(t["field"].to_numpy(zero_copy_only=False), dtype=object)
        pid = np.asarray(t["procedure_id"].to_numpy(zero_copy_only=False), dtype=object)
        missing = (keys == "") & (pid != "") & (procedures is not None)
        # The field of the procedure version in force at receipt, per procedure.
        for name in {str(x) for x in pid[missing]}:
            rows = missing & (pid == name)
            for version in _versions(procedures, name):
                keys[rows & in_force_rows(version, received)] = version.field
    used_days = t["used_days"].to_numpy(zero_copy_only=False)
    d766 = pc.fill_null(t["d766_on_time"], False).to_numpy(zero_copy_only=False)
    tallies: dict[str, tuple[Tally, np.ndarray]] = {}
    key_of_row = keys
    for key in sorted({str(k) for k in key_of_row[counted]}):
        rows = counted & (key_of_row == key)
        tally = Tally()
        tally.counts = {name: int(np.count_nonzero(mask & rows)) for name, mask in flags.items()}
        tally.counts = {k: v for k, v in tally.counts.items() if v}
        resolved_rows = rows & finished_ok
        tally.d766 = int(np.count_nonzero(d766 & resolved_rows))
        tallies[key] = (tally, np.asarray(used_days[resolved_rows], dtype=np.float64))
    rejected.extend(
        Rejected(row=r["row"], dossier_id=r["dossier_id"], reason=r["reason"])
        for r in result.rejected.to_pylist()
    )
    return tallies


def _code_of(values: np.ndarray, codes: tuple[str, ...]) -> np.ndarray:
    """The rule core's code of each value (-1 for a value not in ``codes``)."""
    out = np.full(len(values), -1, dtype=np.int64)
    for code, value in enumerate(codes):
        out[values == value] = code
    return out


def _on_time_21(t: pa.Table, as_of: datetime) -> np.ndarray:
    """Decision 766 indicator 2.1's numerator per classified row (procflow.index766).

    The count ends at the finish, else the return, else the withdrawal, else the period
    end. A lone open supplement request requested in time ends it earlier in
    :func:`~procflow.index766.status_21`, but the Decision 766 due date then moves by the
    whole wait, so the result is the same.
    """

    def seconds(name: str) -> np.ndarray:
        whole = pc.cast(pc.cast(t[name], pa.timestamp("s")), pa.int64())
        values: np.ndarray = pc.fill_null(whole, _NAT).to_numpy(zero_copy_only=False)
        return values

    fin, back, wd = seconds("finished_at"), seconds("returned_at"), seconds("withdrawn_at")
    end = np.where(fin != _NAT, fin, np.where(back != _NAT, back, wd))
    end = np.where(end != _NAT, end, _seconds_of(as_of))
    requests = t["supplement_requests"].to_numpy(zero_copy_only=False)
    on_time: np.ndarray = on_time_21(end, seconds("d766_due_at"), requests)
    return on_time
