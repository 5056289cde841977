"""The classified table: the per-dossier fallback (``_scalar``), dictionaries, assembly."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from procflow.bulk.columns import _NAT, _OUTCOMES, _RULES, OUTPUT_COLUMNS, BulkResult
from procflow.bulk.reading import Codes
from procflow.calendar import WorkCalendar, to_local
from procflow.errors import ProcflowError
from procflow.evaluation import Procedures, evaluate
from procflow.interchange import (
    WIDE_COLUMNS,
    row_to_dossier,
)


def _scalar(
    table: pa.Table,
    rows: np.ndarray,
    procedures: Procedures,
    cal: WorkCalendar,
    as_of: datetime,
    skip_received_after: bool = False,
) -> list[tuple[int, dict[str, Any] | str, str]]:
    """The per-dossier path for the rows the array path does not take.

    Returns ``(index, evaluated values or the rejection reason, dossier id)`` per row. With
    ``skip_received_after``, a row that reads as a dossier received after ``as_of`` is left
    out (neither classified nor rejected), as the per-dossier report skips it before
    evaluating it; a row that does not read is rejected all the same.
    """
    out: list[tuple[int, dict[str, Any] | str, str]] = []
    if rows.size == 0:
        return out
    records = table.take(pa.array(rows)).to_pylist()
    for index, record in zip(rows.tolist(), records, strict=True):
        dossier_id = "" if record.get("dossier_id") is None else str(record["dossier_id"]).strip()
        try:
            dossier = row_to_dossier({k: v for k, v in record.items() if k in WIDE_COLUMNS})
            if skip_received_after and to_local(dossier.received_at) > as_of:
                continue
            e = evaluate(dossier, procedures, cal, as_of=as_of)
        except ProcflowError as exc:
            out.append((index, str(exc), dossier_id))
            continue
        apology = e.apology
        out.append(
            (
                index,
                {
                    "due_at": e.due_at,
                    "effective_due_at": e.effective_due_at,
                    "d766_due_at": e.d766_due_at,
                    "outcome": e.outcome.value,
                    "rule": e.rule,
                    "used_hours": e.used_hours,
                    "used_days": e.used_days,
                    "remaining_hours": e.remaining_hours,
                    "supplement_requests": e.supplement_requests,
                    "clock_stopped": e.clock_stopped,
                    "waiting_for_applicant": e.waiting_for_applicant,
                    "apology": e.apology is not None,
                    "apology_timely": e.apology is not None and e.apology.timely,
                    "d766_on_time": e.d766_on_time,
                    "finished_at": e.finished_at,
                    "withdrawn_at": e.withdrawn_at,
                    "received_at": e.received_at,
                    "returned_at": e.returned_at,
                    "apology_new_due_at": None if apology is None else apology.new_due_at,
                    "request_outside_window": any(
                        note.code == "request_outside_window" for note in e.notes
                    ),
                },
                dossier_id,
            )
        )
    return out


_TIMES_OUT = (
    "received_at",
    "finished_at",
    "withdrawn_at",
    "due_at",
    "effective_due_at",
    "d766_due_at",
    "returned_at",
    "apology_new_due_at",
)
_FLOATS_OUT = ("used_hours", "used_days", "remaining_hours")
_FLAGS_OUT = (
    "clock_stopped",
    "waiting_for_applicant",
    "apology",
    "apology_timely",
    "d766_on_time",
    "request_outside_window",
)


def _seconds_of(value: datetime | None) -> int:
    if value is None:
        return int(_NAT)
    return int((to_local(value) - datetime(1970, 1, 1)).total_seconds())


def _dictionary(
    codes: np.ndarray, texts: list[str], missing: np.ndarray | None = None
) -> pa.DictionaryArray:
    """A dictionary-encoded string column, its values made unique (a valid categorical)."""
    distinct = list(dict.fromkeys(texts))
    remap = np.asarray([distinct.index(t) for t in texts], dtype=np.int32)
    return pa.DictionaryArray.from_arrays(
        pa.array(remap[codes], type=pa.int32(), mask=missing), pa.array(distinct, pa.string())
    )


def _merge_scalar(
    full: dict[str, np.ndarray],
    keep: np.ndarray,
    scalar: list[tuple[int, dict[str, Any] | str, str]],
) -> list[tuple[int, str, str]]:
    """Write the per-dossier path's rows into the full columns; return its rejections."""
    rejected: list[tuple[int, str, str]] = []
    for i, values, dossier_id in scalar:
        if isinstance(values, str):
            rejected.append((i, values, dossier_id))
            continue
        keep[i] = True
        for name in _TIMES_OUT:
            full[name][i] = _seconds_of(values[name])
        for name in _FLOATS_OUT:
            full[name][i] = np.nan if values[name] is None else values[name]
        for name in _FLAGS_OUT:
            full[name][i] = bool(values[name])
        full["d766_known"][i] = values["d766_on_time"] is not None
        full["outcome"][i] = _OUTCOMES.index(values["outcome"])
        full["rule"][i] = _RULES.index(values["rule"])
        full["supplement_requests"][i] = values["supplement_requests"]
    return rejected


def _assemble(
    table: pa.Table,
    codes: Codes,
    idx: np.ndarray,
    out: dict[str, np.ndarray],
    scalar: list[tuple[int, dict[str, Any] | str, str]],
    offset: int,
) -> BulkResult:
    """Both paths' results into full-length columns, then one filter of the kept rows."""
    n = table.num_rows
    full: dict[str, np.ndarray] = {}
    for name in _TIMES_OUT:
        full[name] = np.full(n, _NAT, dtype=np.int64)
    for name in _FLOATS_OUT:
        full[name] = np.full(n, np.nan)
    for name in (*_FLAGS_OUT, "d766_known"):
        full[name] = np.zeros(n, dtype=bool)
    full["outcome"] = np.zeros(n, dtype=np.int8)
    full["rule"] = np.zeros(n, dtype=np.int8)
    full["supplement_requests"] = np.zeros(n, dtype=np.int64)
    if len(idx) == n:  # every row by the engine (the usual slice): its columns as they are
        full = {name: out[name].astype(column.dtype, copy=False) for name, column in full.items()}
    else:
        for name, column in full.items():
            column[idx] = out[name]
    keep = np.zeros(n, dtype=bool)
    keep[idx] = True
    rejected = _merge_scalar(full, keep, scalar)
    # Most slices keep every row: no copy then.
    kept = full if bool(keep.all()) else {k: v[keep] for k, v in full.items()}
    positions = np.flatnonzero(keep)
    mask = pa.array(keep)

    def stamp(values: np.ndarray) -> pa.Array:
        # _NAT is numpy's NaT: the seconds are viewed as datetimes, not copied.
        return pa.array(values.view("datetime64[s]"), mask=values == _NAT)

    columns: dict[str, Any] = {"index": pa.array(positions + offset, type=pa.int64())}
    columns["dossier_id"] = pc.utf8_trim_whitespace(
        pc.cast(table["dossier_id"], pa.string()).filter(mask)
    )
    for name in ("procedure_id", "channel", "office", "agency", "field"):
        column_codes, texts = codes[name]
        if name == "channel":
            texts = [t or "in_person" for t in texts]
        columns[name] = _dictionary(column_codes[keep], texts)
    finished = kept["finished_at"] != _NAT
    result_codes, result_texts = codes["result"]
    columns["result"] = _dictionary(
        result_codes[keep], [t or "granted" for t in result_texts], missing=~finished
    )
    for name in _TIMES_OUT:
        columns[name] = stamp(kept[name])
    for name in _FLOATS_OUT:
        columns[name] = pa.array(kept[name], mask=np.isnan(kept[name]))
    for name in (
        "clock_stopped",
        "waiting_for_applicant",
        "apology",
        "apology_timely",
        "request_outside_window",
    ):
        columns[name] = pa.array(kept[name])
    columns["d766_on_time"] = pa.array(kept["d766_on_time"], mask=~kept["d766_known"])
    columns["supplement_requests"] = pa.array(kept["supplement_requests"])
    # The outcome and rule are plain strings, the values of procflow.Outcome and RULES.
    columns["outcome"] = pa.DictionaryArray.from_arrays(
        pa.array(kept["outcome"], pa.int8()), pa.array(_OUTCOMES, pa.string())
    ).cast(pa.string())
    columns["rule"] = pa.DictionaryArray.from_arrays(
        pa.array(kept["rule"], pa.int8()), pa.array(_RULES, pa.string())
    ).cast(pa.string())
    classified = pa.table({k: columns[k] for k in OUTPUT_COLUMNS})
    rejected.sort(key=lambda item: item[0])  # in file order
    rejected_table = pa.table(
        {
            "index": pa.array([i + offset for i, _, _ in rejected], type=pa.int64()),
            "row": pa.array([i + offset + 2 for i, _, _ in rejected], type=pa.int64()),
            "dossier_id": pa.array([d or None for _, _, d in rejected], type=pa.string()),
            "reason": pa.array([r for _, r, _ in rejected], type=pa.string()),
        }
    )
    return BulkResult(classified, rejected_table)
