"""Classified rows as whole columns: the period a row counts in, and the group it counts in.

The columnar engine (:func:`procflow.bulk.classify`) gives, per row, what
:func:`procflow.evaluate` gives per dossier. The period report and the Decision 766 index
built on it need two more answers per row, written here once for every columnar builder:

* :func:`period_flags`: the report counters a row adds to (received, carried over,
  resolved early / on time / late, in progress, withdrawn, returned, Decision 766), as the
  per-dossier report's ``_counters`` gives them;
* :func:`group_keys`: the row's group for a report ``by`` field, procedure, office,
  agency, channel, unit, officer, step, service level or inter-agency, as
  :class:`~procflow.GroupBy` defines it for one dossier.

Needs the ``bulk`` extra (numpy, pyarrow).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from procflow.dossier import ServiceLevel
from procflow.errors import ProcflowError
from procflow.evaluation import Procedures
from procflow.index766 import on_time_21
from procflow.procedure import Procedure, ProcedureLibrary
from procflow.report import GroupBy
from procflow.timelimit import TimeLimit

__all__ = [
    "NAT",
    "codes",
    "days",
    "group_keys",
    "mapped",
    "on_time_21_rows",
    "period_flags",
    "seconds",
    "strings",
    "versions",
]

NAT = np.iinfo(np.int64).min
"""A missing time, in :func:`seconds`."""
_EPOCH = date(1970, 1, 1).toordinal()
T = TypeVar("T")


def seconds(t: pa.Table, name: str) -> np.ndarray:
    """A time column as local seconds since 1970 (:data:`NAT` where missing)."""
    whole = pc.cast(pc.cast(t[name], pa.timestamp("s")), pa.int64())
    values: np.ndarray = pc.fill_null(whole, NAT).to_numpy(zero_copy_only=False)
    return values


def days(t: pa.Table, name: str) -> np.ndarray:
    """A time column as local days since 1970 (-1 where missing)."""
    whole = pc.cast(pc.cast(t[name], pa.date32()), pa.int32())
    values: np.ndarray = pc.fill_null(whole, -1).to_numpy(zero_copy_only=False)
    return values


def codes(t: pa.Table, name: str) -> tuple[np.ndarray, list[str]]:
    """A text column as dictionary codes: (code per row, distinct trimmed values).

    ``""`` stands for a missing value or an absent column; trimming the few distinct values,
    not every row, keeps this cheap on large tables.
    """
    if name not in t.column_names:
        return np.zeros(t.num_rows, dtype=np.int64), [""]
    encoded = pc.dictionary_encode(pc.cast(t[name], pa.string())).combine_chunks()
    values = [v.strip() for v in encoded.dictionary.to_pylist()]
    distinct = list(dict.fromkeys([*values, ""]))
    number = {v: k for k, v in enumerate(distinct)}
    remap = np.asarray([number[v] for v in values] + [number[""]], dtype=np.int64)
    indices = pc.fill_null(encoded.indices, len(values)).to_numpy(zero_copy_only=False)
    return remap[indices.astype(np.int64)], distinct


def strings(t: pa.Table, name: str) -> np.ndarray:
    """A text column as an object array of trimmed strings, ``""`` where missing or absent."""
    row_codes, distinct = codes(t, name)
    out: np.ndarray = np.asarray(distinct, dtype=object)[row_codes]
    return out


def mapped(t: pa.Table, name: str, read: Callable[[str], T], dtype: Any = object) -> np.ndarray:
    """A text column with ``read`` applied to each distinct trimmed value (once each)."""
    row_codes, distinct = codes(t, name)
    out: np.ndarray = np.asarray([read(v) for v in distinct], dtype=dtype)[row_codes]
    return out


def on_time_21_rows(t: pa.Table, as_of: datetime) -> np.ndarray:
    """Decision 766 indicator 2.1's numerator per classified row (:mod:`procflow.index766`).

    The count ends at the finish, else the return, else the withdrawal, else the period
    end. A lone open supplement request requested in time ends it earlier in
    :func:`~procflow.index766.status_21`, but the Decision 766 due date then moves by the
    whole wait, so the result is the same.

    Args:
        t: Classified rows (:data:`procflow.bulk.OUTPUT_COLUMNS`).
        as_of: The moment the period ends.

    Returns:
        A boolean per row.
    """
    fin, back, wd = seconds(t, "finished_at"), seconds(t, "returned_at"), seconds(t, "withdrawn_at")
    end = np.where(fin != NAT, fin, np.where(back != NAT, back, wd))
    whole = int((as_of.replace(tzinfo=None) - datetime(1970, 1, 1)).total_seconds())
    end = np.where(end != NAT, end, whole)
    requests = t["supplement_requests"].to_numpy(zero_copy_only=False)
    on_time: np.ndarray = on_time_21(end, seconds(t, "d766_due_at"), requests)
    return on_time


def period_flags(t: pa.Table, start: date, as_of: datetime) -> dict[str, np.ndarray]:
    """The report counters each classified row adds to, as boolean columns.

    A row counts in the period (``received_total``) unless it was received before
    ``start`` and ended (finished, withdrawn or returned) before it too; rows received
    after ``as_of`` are left out by the classification (``received_after_as_of="skip"``).

    Args:
        t: Classified rows, classified at ``as_of``.
        start: First day of the period.
        as_of: The moment the period ends.

    Returns:
        Counter name (:class:`~procflow.ReportRow`'s) to a boolean per row.
    """
    received = days(t, "received_at")
    finished, withdrawn = days(t, "finished_at"), days(t, "withdrawn_at")
    ended = np.where(finished >= 0, finished, withdrawn)
    returned = days(t, "returned_at")
    ended = np.where(returned >= 0, returned, ended)
    start_day = start.toordinal() - _EPOCH
    counted = ~((received < start_day) & (ended >= 0) & (ended < start_day))
    new = received >= start_day
    outcome = strings(t, "outcome")
    channel = strings(t, "channel")
    finished_ok = np.isin(outcome, ["early", "on_time", "late"])
    open_ = np.isin(outcome, ["in_time", "overdue"])
    refused = strings(t, "result") == "refused"
    apology = t["apology"].to_numpy(zero_copy_only=False)
    waiting = t["waiting_for_applicant"].to_numpy(zero_copy_only=False)
    return {
        "received_total": counted,
        "received_new": counted & new,
        "received_online": counted & new & (channel == "online"),
        "received_in_person": counted & new & (channel == "in_person"),
        "received_post": counted & new & (channel == "post"),
        "carried_over": counted & ~new,
        "withdrawn": counted & (outcome == "withdrawn"),
        "returned": counted & (outcome == "returned"),
        "d766_counted": counted,
        "d766_on_time": counted & on_time_21_rows(t, as_of),
        "resolved_total": counted & finished_ok,
        "resolved_early": counted & (outcome == "early"),
        "resolved_on_time": counted & (outcome == "on_time"),
        "resolved_late": counted & (outcome == "late"),
        "resolved_late_with_apology": counted & (outcome == "late") & apology,
        "resolved_refused": counted & finished_ok & refused,
        "in_progress_total": counted & open_,
        "in_progress_in_time": counted & (outcome == "in_time"),
        "in_progress_overdue": counted & (outcome == "overdue"),
        "in_progress_waiting": counted & open_ & waiting,
    }


def versions(procedures: Procedures, pid: str) -> tuple[Procedure, ...]:
    """Every version of a procedure (a plain mapping has one, in force always)."""
    if procedures is None:
        return ()
    if isinstance(procedures, ProcedureLibrary):
        return procedures.get(pid, ())
    found = procedures.get(pid)
    if found is None:
        return ()
    return (found.model_copy(update={"effective_from": date.min, "effective_to": None}),)


def _by_version(
    t: pa.Table, procedures: Procedures, rows: np.ndarray, read: str
) -> tuple[np.ndarray, np.ndarray]:
    """Per row, ``read`` of the procedure version in force at receipt, and where one was."""
    n = t.num_rows
    out = np.full(n, "", dtype=object)
    found = np.zeros(n, dtype=bool)
    pid = strings(t, "procedure_id")
    received = days(t, "received_at")
    for name in {str(x) for x in pid[rows & (pid != "")]}:
        mine = rows & (pid == name)
        for version in versions(procedures, name):
            lo = max(version.effective_from.toordinal(), 1) - _EPOCH
            hi = version.effective_to.toordinal() - _EPOCH if version.effective_to else None
            here = mine & (received >= lo)
            if hi is not None:
                here &= received <= hi
            if read == "field":
                out[here] = version.field
            else:
                out[here] = "inter_agency" if version.agencies else "single_agency"
            found |= here
    return out, found


def _limit_label(text: str) -> str:
    """The normalised limit text (as ``str(TimeLimit)``), for grouping by procedure."""
    try:
        return str(TimeLimit.parse(text)) if text else ""
    except ProcflowError:
        return ""


def _service_level(text: str) -> str:
    try:
        return ServiceLevel.parse(text).value if text else ""
    except ValueError:
        return ""  # the per-dossier reader rejects such a row


def group_keys(
    t: pa.Table,
    source: pa.Table,
    procedures: Procedures,
    by: GroupBy | None,
    offset: int = 0,
) -> np.ndarray:
    """Each classified row's group, as the per-dossier report groups one dossier.

    Args:
        t: Classified rows (their ``index`` is the position in ``source`` plus ``offset``).
        source: The wide-format rows classified (for the columns the classification does
            not carry: ``time_limit``, ``unit``, ``officer``, ``service_level``).
        procedures: The procedure library (a procedure's field, its inter-agency shares).
        by: The grouping; None for ``"total"``.
        offset: The ``index_offset`` the rows were classified with.

    Returns:
        An object array of group keys, ``""`` where the data does not say.

    Examples:
        >>> import pyarrow as pa
        >>> from procflow.bulk import classify
        >>> rows = pa.table({"dossier_id": ["A"], "received_at": ["2026-03-02T09:00:00"],
        ...                  "time_limit": ["03 ngày làm việc"], "service_level": ["4"],
        ...                  "officer": [" Lan "]})
        >>> t = classify(rows, calendar=vietnam_calendar(years=[2026])).table
        >>> [group_keys(t, rows, None, GroupBy(k))[0] for k in ("service_level", "officer")]
        ['full_online', 'Lan']
    """
    n = t.num_rows
    if by is None:
        return np.full(n, "total", dtype=object)
    positions = t["index"].to_numpy() - offset
    everyone = np.ones(n, dtype=bool)
    if by in (GroupBy.CHANNEL, GroupBy.OFFICE, GroupBy.AGENCY):
        return strings(t, by.value)
    if by in (GroupBy.UNIT, GroupBy.OFFICER):
        # A wide row's events name no unit or officer: its own column is the answer.
        keys: np.ndarray = strings(source, by.value)[positions]
        return keys
    if by is GroupBy.SERVICE_LEVEL:
        levels: np.ndarray = mapped(source, "service_level", _service_level)[positions]
        return levels
    if by is GroupBy.STEP:
        # A wide row records no steps, so no step overran its budget.
        return np.full(n, "", dtype=object)
    if by is GroupBy.INTER_AGENCY:
        return _by_version(t, procedures, everyone, "inter_agency")[0]
    pid = strings(t, "procedure_id")
    if by is GroupBy.PROCEDURE:
        labels = mapped(source, "time_limit", _limit_label)[positions]
        out: np.ndarray = np.where(pid != "", pid, labels)
        return out
    keys = strings(t, "field")
    missing = (keys == "") & (pid != "")
    fields, found = _by_version(t, procedures, missing, "field")
    keys[found] = fields[found]
    return keys
