"""What-if impact on the columnar engine: a year's wide-format file in seconds.

:func:`impact_bulk` gives the :class:`~procflow.impact.Impact` that
:func:`procflow.impact.impact` gives for the same file read with
:func:`~procflow.read_dossiers`, from two runs of :func:`procflow.bulk.classify` (one per
scenario) joined by row instead of two evaluations per dossier:

* a dossier changes when its due date, effective due date or outcome differs between the
  two classified tables, or when it is rejected in one scenario (or in both, for different
  reasons); the few rejected rows are read one by one to tell a row that cannot be read
  (never counted) from a dossier that cannot be evaluated (counted, its error the reason);
* the reasons are the per-dossier path's (:mod:`procflow.impact`): the changed days of the
  two calendars between receipt and the later due date, found once, and the rules of the
  procedure version in force that changed, found once per procedure and receipt date;
* each scenario's period report is counted from its classified table with the columnar
  builders' helpers (:func:`procflow.columnar.period_flags`,
  :func:`procflow.columnar.group_keys`), so the figures that change are the same too.

The per-dossier :func:`~procflow.impact.impact` stays the reference (tested equal on the
example data, a calendar override and an amended spec folder). Event logs (one row per
event) are read by the per-dossier path only.

Needs the ``bulk`` extra (numpy, pyarrow).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from procflow.bulk import BulkResult, _duplicates_of, _to_table, classify
from procflow.calendar import to_local
from procflow.columnar import group_keys, period_flags, seconds, strings
from procflow.errors import InputError, ProcflowError
from procflow.evaluation import Procedures
from procflow.forecast_bulk import _times, as_read, aware_rows
from procflow.impact import (
    DossierChange,
    Impact,
    Scenario,
    _DayChanges,
    _figures,
    _reasons,
    _rule_reasons,
)
from procflow.interchange import WIDE_COLUMNS, Rejected, record_lines, row_to_dossier
from procflow.procedure import Procedure, ProcedureLibrary
from procflow.report import GroupBy, Report, Tally, period_bounds

__all__ = ["impact_bulk"]


@dataclass(frozen=True, slots=True)
class _Rows:
    """The source read once: its text table, line numbers and the rows it refuses.

    Attributes:
        raw: The wide-format table.
        lines: The file line of each record (None: record i is on line i + 2).
        unreadable: Index to reason of the rows the reader refuses (a value it cannot
            read, a repeated dossier id): never counted, in every report's rejections.
    """

    raw: pa.Table
    lines: list[int] | None
    unreadable: dict[int, str]

    def line(self, index: int) -> int:
        """The file line of a row (the header is line 1)."""
        return self.lines[index] if self.lines else index + 2


def _read(source: Any) -> tuple[pa.Table, list[int] | None, dict[int, str]]:
    """The source as a table, its record lines and the reasons of its repeated ids."""
    raw = _to_table(source)
    missing = [c for c in ("dossier_id", "received_at") if c not in raw.column_names]
    if missing:
        where = f"{source}: " if isinstance(source, str | Path) else ""
        raise InputError(f"{where}missing column(s) {', '.join(missing)} for the wide format")
    lines = None
    if isinstance(source, str | Path) and Path(source).suffix.lower() != ".parquet":
        lines = record_lines(source, raw.num_rows)
    return raw, lines, _duplicates_of(raw["dossier_id"], "refuse", 0, lines)


def _sort_rejected(
    raw: pa.Table, results: list[BulkResult], repeated: dict[int, str], as_of: datetime
) -> tuple[dict[int, str], dict[int, tuple[str, str]], dict[int, str]]:
    """Tell the rejected rows apart, as the per-dossier reader and :func:`impact` do.

    Returns:
        ``(unreadable, errors, ids)``: the rows the reader refuses, with its reason; the
        dossiers received by ``as_of`` that a scenario could not evaluate, with each
        scenario's error ("" where it was classified); the dossier id of each of them.
    """
    reasons: list[dict[int, str]] = [
        dict(zip(r.rejected["index"].to_pylist(), r.rejected["reason"].to_pylist(), strict=True))
        for r in results
    ]
    unreadable: dict[int, str] = {}
    errors: dict[int, tuple[str, str]] = {}
    ids: dict[int, str] = {}
    for index in sorted(set(reasons[0]) | set(reasons[1]) | set(repeated)):
        record = raw.slice(index, 1).to_pylist()[0]
        try:
            dossier = row_to_dossier({c: v for c, v in record.items() if c in WIDE_COLUMNS})
        except ProcflowError as exc:
            unreadable[index] = str(exc)  # its own reason, repeated id or not
            continue
        if index in repeated:
            unreadable[index] = repeated[index]
        elif to_local(dossier.received_at) <= as_of:
            errors[index] = (reasons[0].get(index, ""), reasons[1].get(index, ""))
            ids[index] = dossier.id
        # else received after the period: left out before it is evaluated
    return unreadable, errors, ids


def _report(
    rows: _Rows,
    t: pa.Table,
    errors: list[tuple[int, str, str]],
    procedures: Procedures,
    start: date,
    as_of: datetime,
    by: GroupBy | None,
) -> Report:
    """The period report of one scenario's classified rows, as :func:`~procflow.build_report`.

    Groups are tallied in the order their first dossier appears in the file, as the
    per-dossier report adds them (the total's mean of working days sums in that order).
    """
    flags = period_flags(t, start, as_of)
    counted = flags["received_total"]
    resolved = flags["resolved_total"]
    keys = group_keys(t, rows.raw, procedures, by)
    used_days = t["used_days"].to_numpy(zero_copy_only=False)
    d766 = pc.fill_null(t["d766_on_time"], False).to_numpy(zero_copy_only=False)
    where = np.flatnonzero(counted)
    order = list(dict.fromkeys(keys[where].tolist()))
    tallies: dict[str, Tally] = {}
    for key in order:
        mine = counted & (keys == key)
        tally = Tally()
        tally.counts = {
            name: n for name, mask in flags.items() if (n := int(np.count_nonzero(mask & mine)))
        }
        tally.days = used_days[mine & resolved].tolist()
        tally.d766 = int(np.count_nonzero(d766 & mine & resolved))
        tallies[str(key)] = tally
    total = Tally()
    for tally in tallies.values():
        total.merge(tally)
    rejected = [
        *(
            Rejected(row=rows.line(i), dossier_id=_id_of(rows.raw, i), reason=reason)
            for i, reason in rows.unreadable.items()
        ),
        *(Rejected(row=rows.line(i), dossier_id=d, reason=reason) for i, d, reason in errors),
    ]
    return Report(
        period_start=start,
        period_end=as_of.date(),
        period_end_at=as_of,
        by=by,
        rows=tuple(tallies[k].row(k) for k in sorted(tallies)) if by is not None else (),
        total=total.row("total"),
        dossiers=rows.raw.num_rows,
        rejected=tuple(sorted(rejected, key=lambda r: r.row)),
    )


def _id_of(raw: pa.Table, index: int) -> str | None:
    value = raw["dossier_id"][index].as_py()
    return (str(value).strip() if value is not None else "") or None


def _version(procedures: Procedures, procedure_id: str, day: date) -> Procedure | None:
    """The version :func:`~procflow.evaluation.procedure_for` picks, or None where it fails."""
    if procedures is None:
        return None
    if isinstance(procedures, ProcedureLibrary):
        try:
            return procedures.in_force(procedure_id, day)
        except ProcflowError:
            return None
    return procedures.get(procedure_id)


def _at(found: dict[str, Any] | None, name: str, aware: bool) -> datetime | None:
    """A time of one scenario's row (None if it was not classified there), as read."""
    return None if found is None else as_read(found[name], aware)


def impact_bulk(
    source: Any,
    old: Scenario,
    new: Scenario,
    *,
    start: date,
    end: date,
    by: str | None = None,
    lang: Literal["vi", "en"] = "en",
) -> Impact:
    """:func:`procflow.impact.impact` for a wide-format file, on the columnar engine.

    Rows sharing a dossier id are refused, as :func:`~procflow.read_dossiers` refuses them
    by default.

    Args:
        source: The dossiers, wide format: a path to a CSV or Parquet file, a pyarrow
            Table, or a pandas or polars DataFrame.
        old: Today's calendar and procedures.
        new: The new calendar and procedures.
        start: First day of the period.
        end: Last day; every dossier received by then is classified at its end.
        by: The report grouping of the figures (as :func:`~procflow.build_report`).
        lang: The language of the day names in the reasons.

    Returns:
        The same :class:`~procflow.impact.Impact` as the per-dossier path: the dossiers
        whose due date or outcome changes (in file order) with the reasons, and the report
        figures that change.

    Raises:
        InputError: If the source cannot be read or lacks ``dossier_id`` or
            ``received_at``, or the period's bounds are wrong (naming the value).

    Examples:
        >>> from procflow.impact import Scenario
        >>> from procflow.impact_bulk import impact_bulk
        >>> library = load_procedures("specs")
        >>> off = CalendarOverride(date=date(2025, 4, 29), kind="day_off",
        ...                        name_vi="Nghỉ hoán đổi (ví dụ)", source="Thông báo (ví dụ)")
        >>> today = Scenario(vietnam_calendar(years=range(2024, 2027)), library)
        >>> new = Scenario(vietnam_calendar(years=range(2024, 2027), overrides=[off]), library)
        >>> r = impact_bulk("examples/dossiers-2025.csv", today, new,
        ...                 start=date(2025, 4, 1), end=date(2025, 4, 30))
        >>> len(r.changed), r.checked
        (75, 956)
    """
    start, as_of = period_bounds(start, end)
    group = GroupBy(by) if by is not None else None
    raw, lines, repeated = _read(source)
    results = [
        classify(
            raw,
            procedures=s.procedures,
            calendar=s.calendar,
            as_of=as_of,
            received_after_as_of="skip",
            duplicates=repeated,
        )
        for s in (old, new)
    ]
    unreadable, errors, error_ids = _sort_rejected(raw, results, repeated, as_of)
    rows = _Rows(raw, lines, unreadable)
    a, b = results[0].table, results[1].table
    ia, ib = a["index"].to_numpy(), b["index"].to_numpy()
    both, pa_, pb_ = np.intersect1d(ia, ib, assume_unique=True, return_indices=True)
    differs = np.zeros(len(both), dtype=bool)
    for name in ("due_at", "effective_due_at"):
        differs |= seconds(a, name)[pa_] != seconds(b, name)[pb_]
    differs |= strings(a, "outcome")[pa_] != strings(b, "outcome")[pb_]
    # Classified in one scenario only: the other could not evaluate it (an error above).
    changed_rows = set(both[differs].tolist()) | {i for i, (x, y) in errors.items() if x != y}
    position_a = {int(i): k for k, i in enumerate(ia)}
    position_b = {int(i): k for k, i in enumerate(ib)}
    changes = _changes(
        rows, a, b, sorted(changed_rows), position_a, position_b, errors, error_ids, old, new, lang
    )
    reports = [
        _report(
            rows,
            r.table,
            [(i, error_ids[i], pair[k]) for i, pair in errors.items() if pair[k]],
            s.procedures,
            start,
            as_of,
            group,
        )
        for k, (r, s) in enumerate(zip(results, (old, new), strict=True))
    ]
    return Impact(
        period_start=start,
        period_end=end,
        by=by,
        dossiers=raw.num_rows,
        checked=len(set(ia.tolist()) | set(errors)),
        changed=tuple(changes),
        figures=tuple(_figures(reports[0], reports[1])),
        old_report=reports[0],
        new_report=reports[1],
    )


def _changes(
    rows: _Rows,
    a: pa.Table,
    b: pa.Table,
    indexes: list[int],
    position_a: dict[int, int],
    position_b: dict[int, int],
    errors: dict[int, tuple[str, str]],
    error_ids: dict[int, str],
    old: Scenario,
    new: Scenario,
    lang: Literal["vi", "en"],
) -> list[DossierChange]:
    """One :class:`DossierChange` per changed row (by source index), in file order."""
    if not indexes:
        return []
    days = _DayChanges(old.calendar, new.calendar, lang)
    picked = np.asarray(indexes, dtype=np.int64)
    aware = dict(zip(indexes, aware_rows(rows.raw, picked).tolist(), strict=True))
    procedure_ids = strings(rows.raw, "procedure_id")[picked].tolist()
    columns = ("due_at", "effective_due_at", "received_at")

    def values(t: pa.Table, where: dict[int, int]) -> dict[int, dict[str, Any]]:
        mine = [i for i in indexes if i in where]
        at = np.asarray([where[i] for i in mine], dtype=np.int64)
        found = {name: _times(t, name, at) for name in columns}
        outcome = strings(t, "outcome")[at].tolist()
        ids = strings(t, "dossier_id")[at].tolist()
        return {
            i: {**{name: found[name][k] for name in columns}, "outcome": outcome[k], "id": ids[k]}
            for k, i in enumerate(mine)
        }

    old_values, new_values = values(a, position_a), values(b, position_b)
    rules_of: dict[tuple[str, date], list[str]] = {}
    out = []
    for index, pid in zip(indexes, procedure_ids, strict=True):
        x, y = old_values.get(index), new_values.get(index)
        known = x or y
        if known is None:  # evaluated in neither: its receipt from the file
            record = rows.raw.slice(index, 1).to_pylist()[0]
            dossier = row_to_dossier({c: v for c, v in record.items() if c in WIDE_COLUMNS})
            received, dossier_id = to_local(dossier.received_at), error_ids[index]
        else:
            received, dossier_id = known["received_at"], known["id"]
        assert received is not None
        day = received.date()
        key = (pid, day)
        if pid and key not in rules_of:
            rules_of[key] = _rule_reasons(
                pid, _version(old.procedures, pid, day), _version(new.procedures, pid, day)
            )
        mine = aware[index]
        dues = [t for v in (x, y) if v for t in (v["due_at"], v["effective_due_at"]) if t]
        old_error, new_error = errors.get(index, ("", ""))
        out.append(
            DossierChange(
                row=rows.line(index),
                dossier_id=dossier_id,
                old_due_at=_at(x, "due_at", mine),
                new_due_at=_at(y, "due_at", mine),
                old_effective_due_at=_at(x, "effective_due_at", mine),
                new_effective_due_at=_at(y, "effective_due_at", mine),
                old_outcome=None if x is None else x["outcome"],
                new_outcome=None if y is None else y["outcome"],
                reasons=_reasons((old_error, new_error), day, dues, days, rules_of.get(key, [])),
            )
        )
    return out
