"""Classifying a Dask DataFrame partition by partition (:func:`classify_dask`)."""

from __future__ import annotations

import operator
import uuid
from datetime import date, datetime
from typing import Any

import pyarrow as pa

from procflow.bulk.columns import BulkResult
from procflow.bulk.engine import classify
from procflow.calendar import WorkCalendar, vietnam_calendar
from procflow.errors import InputError
from procflow.evaluation import Procedures

# -- Dask ---------------------------------------------------------------------------------


def _arrow_frame(table: pa.Table) -> Any:
    """A pandas DataFrame over the table's Arrow buffers (``pd.ArrowDtype``, no copy)."""
    import pandas as pd

    return table.to_pandas(types_mapper=pd.ArrowDtype)


def _classify_partition(
    part: Any,
    offset: int,
    procedures: Procedures,
    calendar: WorkCalendar,
    as_of: datetime | date,
) -> tuple[Any, Any]:
    """One partition, read once, classified once: both outputs, Arrow-backed."""
    source = pa.Table.from_pandas(part, preserve_index=False)
    result = classify(
        source, procedures=procedures, calendar=calendar, as_of=as_of, index_offset=offset
    )
    return _arrow_frame(result.table), _arrow_frame(result.rejected)


def _empty(calendar: WorkCalendar, as_of: datetime | date) -> BulkResult:
    columns = {"dossier_id": pa.array([], pa.string()), "received_at": pa.array([], pa.string())}
    return classify(pa.table(columns), calendar=calendar, as_of=as_of)


def classify_dask(
    frame: Any,
    *,
    procedures: Procedures = None,
    calendar: WorkCalendar | None = None,
    as_of: datetime | date,
) -> tuple[Any, Any]:
    """Classify a Dask DataFrame partition by partition: one task per partition.

    Each partition is read once and classified once by :func:`classify` (same calendar,
    procedures and ``as_of``, which must be given: no partition knows the latest event of
    the others); the task returns both outputs, the classified rows and the rejected rows.
    ``index`` counts rows across partitions, as in the single-process result: a partition's
    offset is the sum of the earlier partitions' lengths, taken from the same read. Nothing
    is computed until the caller computes; compute both outputs in one call
    (``dask.compute(classified, rejected)``, or both ``to_parquet(..., compute=False)``) so
    that each partition is classified once. The columns are Arrow-backed
    (``pandas.ArrowDtype``), so writing them to Parquet copies nothing. Repeated dossier
    ids are found within a partition (partition by dossier id, or by period, to find them
    all).

    Args:
        frame: A ``dask.dataframe.DataFrame`` in the wide format.
        procedures: The procedure library.
        calendar: The working calendar (default: :func:`~procflow.vietnam_calendar`).
        as_of: The instant to classify at.

    Returns:
        Two Dask DataFrames: the classified rows and the rejected rows.

    Raises:
        InputError: If dask is not installed (``pip install 'procflow[dask]'``), or the
            frame lacks ``dossier_id`` or ``received_at``.

    Examples:
        >>> import dask, dask.dataframe as dd, pandas as pd
        >>> rows = pd.DataFrame({"dossier_id": ["A", "B", "C"],
        ...     "received_at": ["2024-08-29T10:00:00"] * 2 + ["not a time"],
        ...     "finished_at": ["2024-09-05T16:00:00", "2024-09-06T09:00:00", ""],
        ...     "time_limit": ["03 ngày làm việc"] * 3})
        >>> frame = dd.from_pandas(rows, npartitions=2)
        >>> classified, rejected = classify_dask(
        ...     frame, calendar=vietnam_calendar(years=[2024]), as_of=date(2024, 9, 30))
        >>> good, bad = dask.compute(classified, rejected, scheduler="sync")
        >>> good["outcome"].tolist(), bad["row"].tolist()
        (['on_time', 'late'], [4])
    """
    try:
        import dask.dataframe as dd
        from dask.delayed import delayed
    except ImportError as exc:  # pragma: no cover - the dask extra is in the test extra
        raise InputError("classify_dask needs dask: pip install 'procflow[dask]'") from exc
    missing = [c for c in ("dossier_id", "received_at") if c not in frame.columns]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)} for the wide format")
    cal = calendar or vietnam_calendar()
    empty = _empty(cal, as_of)
    # The calendar and the library enter the graph once (named, so dask need not hash them).
    token = uuid.uuid4().hex
    shared_cal = delayed(cal, name=f"procflow-calendar-{token}", traverse=False)
    shared_lib = delayed(procedures, name=f"procflow-procedures-{token}", traverse=False)
    run = delayed(_classify_partition, pure=True, nout=2)
    size = delayed(len, pure=True)
    add = delayed(operator.add, pure=True)
    offset: Any = 0
    outputs = []
    for part in frame.to_delayed():
        outputs.append(run(part, offset, shared_lib, shared_cal, as_of))
        offset = add(offset, size(part))
    return (
        dd.from_delayed([o[0] for o in outputs], meta=_arrow_frame(empty.table), verify_meta=False),
        dd.from_delayed(
            [o[1] for o in outputs], meta=_arrow_frame(empty.rejected), verify_meta=False
        ),
    )
