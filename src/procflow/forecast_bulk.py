"""Late forecast on the columnar engine: the open dossiers of a year's wide-format file.

:func:`forecast_bulk` gives the forecasts :func:`procflow.forecast.forecast_late` gives
for the dossiers of the same file, and :func:`backtest_bulk` the back-test of
:func:`procflow.forecast.backtest`, from :func:`procflow.bulk.classify`'s columns instead
of one evaluation per dossier:

* the share of its limit each dossier has used comes from the ``used_hours`` and
  ``remaining_hours`` columns (:func:`procflow.breakdown.used_share`, rounded as
  :func:`~procflow.breakdown.share_of_limit` rounds it);
* the estimate counts, per group, the finished dossiers that used at least that share
  with one sorted search per group instead of a pass over the history per open dossier;
  the formula is :mod:`procflow.forecast`'s;
* the apology deadline, the alert and the critical path are computed for the open
  dossiers only, with the per-dossier path's functions. A wide row records no step, so
  the budget left on the critical path is the whole path's budget, found once per
  procedure version (the path and the budgets depend on the procedure, not on the
  receipt time).

The per-dossier functions stay the reference (tested equal on the example data). Event
logs (one row per event) are forecast by the per-dossier path only.

Needs the ``bulk`` extra (numpy, pyarrow).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from procflow.breakdown import used_share
from procflow.bulk import _to_table, classify
from procflow.calendar import VN_TZ, WorkCalendar, like, to_local
from procflow.columnar import NAT, group_keys, seconds, strings, versions
from procflow.evaluation import Procedures, apology_deadline
from procflow.forecast import (
    Backtest,
    Forecast,
    _alert,
    _apology_rule,
    _base_rate,
    _estimate,
    _order,
    _path_left,
    _score,
)
from procflow.parsing import parse_datetime
from procflow.planning import plan
from procflow.procedure import Procedure
from procflow.report import GroupBy

__all__ = ["as_read", "aware_rows", "backtest_bulk", "forecast_bulk"]

_EPOCH = datetime(1970, 1, 1)
_AWARE = datetime(1970, 1, 1, tzinfo=VN_TZ)
_OFFSET = r"([zZ]|[+-]\d\d(:?\d\d)?)\s*$"
"""Text that may end with a UTC offset (a date alone too: those are read to be sure)."""


def aware_rows(raw: pa.Table, positions: np.ndarray) -> np.ndarray:
    """Whether each row's ``received_at`` carries a UTC offset, as the dossier reader sees it.

    The per-dossier path keeps such a dossier's times aware (Vietnam time); the columnar
    engine gives naive local times. Only the texts that may end with an offset are read.

    Args:
        raw: The wide-format rows.
        positions: The rows to look at (positions in ``raw``).

    Returns:
        A boolean per position.

    Examples:
        >>> rows = pa.table({"received_at": ["2025-03-02T09:00", "2025-03-02T09:00+07:00"]})
        >>> aware_rows(rows, np.array([0, 1])).tolist()
        [False, True]
    """
    column = raw["received_at"]
    if pa.types.is_timestamp(column.type):
        return np.full(len(positions), column.type.tz is not None, dtype=bool)
    if not len(positions):
        return np.zeros(0, dtype=bool)
    text = pc.cast(column.take(pa.array(positions, pa.int64())), pa.string())
    maybe = pc.fill_null(pc.match_substring_regex(text, _OFFSET), False)
    out = np.zeros(len(positions), dtype=bool)
    for k in np.flatnonzero(maybe.to_numpy(zero_copy_only=False)):
        value = text[int(k)].as_py()
        out[k] = parse_datetime(value).tzinfo is not None
    return out


def as_read(t: datetime | None, aware: bool) -> datetime | None:
    """A naive local time as the per-dossier path gives it: aware when the receipt was."""
    return None if t is None else like(t, _AWARE) if aware else t


def _times(t: pa.Table, name: str, rows: np.ndarray) -> list[datetime | None]:
    """A time column's values at ``rows`` (positions in ``t``), naive local."""
    return [
        None if v == NAT else _EPOCH + np.timedelta64(int(v), "s").item()
        for v in seconds(t, name)[rows]
    ]


def _shares(t: pa.Table) -> tuple[np.ndarray, np.ndarray]:
    """Each row's share of its limit used (percent, rounded), and where there is one."""
    used = t["used_hours"].to_numpy(zero_copy_only=False)
    remaining = pc.fill_null(t["remaining_hours"], np.nan).to_numpy(zero_copy_only=False)
    allowed = used + remaining
    known = ~np.isnan(remaining) & (np.nan_to_num(allowed) > 0)
    share = np.zeros(len(used))
    share[known] = used_share(used[known], allowed[known])
    # Rounded as share_of_limit rounds (Python's round, not numpy's): the same numbers.
    share[known] = [round(x, 2) for x in share[known].tolist()]
    return share, known


def _version(procedures: Procedures, pid: str, day: date) -> Procedure | None:
    """The procedure version in force on ``day`` (the row was classified, so there is one)."""
    return next((v for v in versions(procedures, pid) if v.in_force(day)), None)


def _forecasts(
    raw: pa.Table,
    procedures: Procedures,
    calendar: WorkCalendar,
    as_of: datetime,
    threshold: float,
    within_hours: float,
) -> list[Forecast]:
    t = classify(
        raw,
        procedures=procedures,
        calendar=calendar,
        as_of=as_of,
        received_after_as_of="skip",
        duplicates="refuse",
    ).table
    outcome = strings(t, "outcome")
    share, known = _shares(t)
    group = group_keys(t, raw, procedures, GroupBy.PROCEDURE)
    finished = np.isin(outcome, ["early", "on_time", "late"]) & known
    late = outcome == "late"
    base = _base_rate(int(np.count_nonzero(finished & late)), int(np.count_nonzero(finished)))
    open_rows = np.flatnonzero(np.isin(outcome, ["in_time", "overdue"]))
    probability = np.full(len(open_rows), np.nan)
    behind = np.zeros(len(open_rows), dtype=np.int64)
    for name in {str(g) for g in group[open_rows]}:
        past = finished & (group == name)
        order = np.argsort(share[past], kind="stable")
        shares, lates = share[past][order], late[past][order]
        # Late dossiers among those that used at least each share: a suffix sum.
        late_from = np.concatenate([np.cumsum(lates[::-1])[::-1], [0]])
        mine = np.flatnonzero((group[open_rows] == name) & known[open_rows])
        first = np.searchsorted(shares, share[open_rows[mine]], side="left")
        same = len(shares) - first
        probability[mine] = _estimate(late_from[first], same, base)
        behind[mine] = same
    past_limit = known[open_rows] & (share[open_rows] > 100)
    probability[past_limit], behind[past_limit] = 1.0, 0
    return _order(
        _open_forecasts(
            raw,
            t,
            open_rows,
            share,
            known,
            group,
            probability,
            behind,
            procedures,
            calendar,
            as_of,
            threshold,
            within_hours,
        )
    )


def _open_forecasts(
    raw: pa.Table,
    t: pa.Table,
    rows: np.ndarray,
    share: np.ndarray,
    known: np.ndarray,
    group: np.ndarray,
    probability: np.ndarray,
    behind: np.ndarray,
    procedures: Procedures,
    calendar: WorkCalendar,
    as_of: datetime,
    threshold: float,
    within_hours: float,
) -> list[Forecast]:
    """The forecast of each open row: apology deadline, alert and critical path."""
    if not len(rows):
        return []
    aware = aware_rows(raw, t["index"].to_numpy()[rows]).tolist()
    due, received = _times(t, "effective_due_at", rows), _times(t, "received_at", rows)
    pid = strings(t, "procedure_id")[rows].tolist()
    ids = strings(t, "dossier_id")[rows].tolist()
    overdue = (strings(t, "outcome")[rows] == "overdue").tolist()
    sent = t["apology"].to_numpy(zero_copy_only=False)[rows].tolist()
    left = pc.fill_null(t["remaining_hours"], np.nan).to_numpy(zero_copy_only=False)[rows]
    procedure_of: dict[tuple[str, date], Procedure | None] = {}
    path_left: dict[int, float | None] = {}
    out = []
    for k in range(len(rows)):
        start = received[k]
        assert start is not None
        key = (pid[k], start.date())
        if key not in procedure_of:
            procedure_of[key] = _version(procedures, *key) if pid[k] else None
        procedure = procedure_of[key]
        if procedure is not None and id(procedure) not in path_left:
            path_left[id(procedure)] = None
            if procedure.steps:
                pl = plan(procedure, start, calendar)
                budgets = {s.step_id: (s.budget_hours, False, None) for s in pl.steps}
                path_left[id(procedure)] = _path_left(pl.critical_path, budgets)
        p = None if np.isnan(probability[k]) else float(probability[k])
        deadline, due_at = None, due[k]
        if due_at is not None:
            moment = apology_deadline(calendar, to_local(due_at), _apology_rule(procedure))
            deadline = as_read(moment, aware[k])
        out.append(
            Forecast(
                dossier_id=ids[k],
                group=str(group[rows[k]]),
                due_at=as_read(due_at, aware[k]),
                used_share=float(share[rows[k]]) if known[rows[k]] else None,
                hours_left=None if np.isnan(left[k]) else float(left[k]),
                critical_path_left_hours=None if procedure is None else path_left[id(procedure)],
                probability_late=None if p is None else round(p, 4),
                history=int(behind[k]),
                apology_deadline=deadline,
                apology_sent=bool(sent[k]),
                alert=_alert(
                    calendar,
                    as_of,
                    sent=bool(sent[k]),
                    overdue=bool(overdue[k]),
                    deadline=deadline,
                    probability=p,
                    threshold=threshold,
                    within_hours=within_hours,
                ),
            )
        )
    return out


def forecast_bulk(
    source: Any,
    procedures: Procedures,
    calendar: WorkCalendar,
    *,
    as_of: datetime,
    threshold: float = 0.5,
    within_hours: float = 8.0,
) -> list[Forecast]:
    """:func:`procflow.forecast.forecast_late` for a wide-format file, on the columnar engine.

    Rows sharing a dossier id are left out, as :func:`~procflow.read_dossiers` refuses
    them by default; so are rows that cannot be read or evaluated.

    Args:
        source: The dossiers, wide format: a path to a CSV or Parquet file, a pyarrow
            Table, or a pandas or polars DataFrame.
        procedures: The procedure library, or None for inline rules.
        calendar: The working calendar.
        as_of: The moment of the forecast; events after it are ignored.
        threshold: The probability from which a dossier is likely late (for the alert).
        within_hours: The alert window: working hours before the apology deadline.

    Returns:
        One forecast per open dossier, most likely late first: the same as the
        per-dossier path's.

    Raises:
        InputError: If the source cannot be read or lacks ``dossier_id`` or
            ``received_at``.

    Examples:
        >>> from procflow.forecast_bulk import forecast_bulk
        >>> cal = vietnam_calendar(years=range(2024, 2027))
        >>> found = forecast_bulk("examples/dossiers-2025.csv", load_procedures("specs"), cal,
        ...                       as_of=datetime(2025, 6, 30, 17))
        >>> len(found), sum(1 for f in found if f.alert)
        (64, 18)
    """
    return _forecasts(_to_table(source), procedures, calendar, as_of, threshold, within_hours)


def backtest_bulk(
    source: Any,
    procedures: Procedures,
    calendar: WorkCalendar,
    *,
    at: Sequence[datetime],
    final: datetime,
) -> Backtest:
    """:func:`procflow.forecast.backtest` for a wide-format file, on the columnar engine.

    The file is read once and classified once at ``final`` (the outcomes) and once at
    each date of ``at`` (the forecasts).

    Args:
        source: The dossiers, wide format (path, table or DataFrame).
        procedures: The procedure library.
        calendar: The calendar.
        at: The forecast dates.
        final: When the outcomes are read.

    Returns:
        The same counts and Brier scores as the per-dossier back-test.

    Examples:
        >>> from procflow.forecast_bulk import backtest_bulk
        >>> cal = vietnam_calendar(years=range(2024, 2027))
        >>> b = backtest_bulk("examples/dossiers-2025.csv", load_procedures("specs"), cal,
        ...                   at=[datetime(2025, 3, 15, 12)], final=datetime(2025, 12, 31, 23, 59))
        >>> b.forecasts > 0, b.brier is not None
        (True, True)
    """
    raw = _to_table(source)
    t = classify(raw, procedures=procedures, calendar=calendar, as_of=final).table
    outcome = strings(t, "outcome")
    done = np.flatnonzero(np.isin(outcome, ["early", "on_time", "late"]))
    ids = strings(t, "dossier_id")[done].tolist()
    ended = _times(t, "finished_at", done)
    late = (outcome[done] == "late").tolist()
    outcomes = dict(zip(ids, late, strict=True))
    finished_at = {i: e for i, e in zip(ids, ended, strict=True) if e is not None}
    return _score(
        outcomes,
        finished_at,
        at,
        lambda moment: _forecasts(raw, procedures, calendar, moment, 0.5, 8.0),
    )
