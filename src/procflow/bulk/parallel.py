"""Classifying a Dask DataFrame partition by partition (:func:`classify_dask`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import numpy as np
import pyarrow as pa

from procflow.bulk.engine import classify
from procflow.calendar import WorkCalendar, vietnam_calendar
from procflow.errors import InputError
from procflow.evaluation import Procedures

# -- Dask ---------------------------------------------------------------------------------


def classify_dask(
    frame: Any,
    *,
    procedures: Procedures = None,
    calendar: WorkCalendar | None = None,
    as_of: datetime | date,
) -> tuple[Any, Any]:
    """Classify a Dask DataFrame partition by partition (``map_partitions``).

    Each partition is classified by :func:`classify` with the same calendar, procedures
    and ``as_of`` (which must be given: no partition knows the latest event of the
    others); ``index`` counts rows across partitions, as in the single-process result.

    Args:
        frame: A ``dask.dataframe.DataFrame`` in the wide format.
        procedures: The procedure library.
        calendar: The working calendar (default: :func:`~procflow.vietnam_calendar`).
        as_of: The instant to classify at.

    Returns:
        Two Dask DataFrames: the classified rows and the rejected rows.

    Raises:
        InputError: If dask is not installed (``pip install 'procflow[dask]'``).
    """
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - dask needs pandas
        raise InputError("classify_dask needs dask: pip install 'procflow[dask]'") from exc
    cal = calendar or vietnam_calendar()
    sizes = frame.map_partitions(len).compute()
    offsets = np.concatenate([[0], np.cumsum(np.asarray(sizes))[:-1]]).tolist()
    empty = classify(
        pa.table(
            {"dossier_id": pa.array([], pa.string()), "received_at": pa.array([], pa.string())}
        ),
        calendar=cal,
        as_of=as_of,
    )

    def run(part: Any, which: int, partition_info: dict[str, Any] | None = None) -> Any:
        number = 0 if partition_info is None else partition_info["number"]
        source = pa.Table.from_pandas(part, preserve_index=False)
        result = classify(
            source,
            procedures=procedures,
            calendar=cal,
            as_of=as_of,
            index_offset=int(offsets[number]),
        )
        return result[which].to_pandas()

    meta_table = empty.table.to_pandas()
    meta_rejected = empty.rejected.to_pandas()
    assert isinstance(meta_table, pd.DataFrame)
    return (
        frame.map_partitions(run, 0, meta=meta_table),
        frame.map_partitions(run, 1, meta=meta_rejected),
    )
