"""The Decision 766 index on the columnar engine: a year's file in seconds.

:func:`build_index_bulk` gives the :class:`~procflow.index766.IndexReport` that
:func:`~procflow.index766.build_index` gives for the same wide-format file, computed from
the columns of :func:`procflow.bulk.classify` with numpy group-bys instead of one
evaluation per dossier:

* the period a row counts in and its group: :mod:`procflow.columnar`;
* 2.1's numerator: :func:`procflow.columnar.on_time_21_rows`; each dossier against it with
  its reason (:func:`~procflow.index766.why_21`), read from its columns; a dossier whose
  count ends at an open supplement request (rare) is evaluated on its own;
* the other indicators from the same tallies (:class:`~procflow.index766.Tallies766`,
  :func:`~procflow.index766.indicators`): the formulas are written once;
* the compliance findings (:mod:`procflow.findings`) from the outcome, apology, supplement
  and return columns, the apology's new date (``apology_new_due_at``, judged by
  :func:`~procflow.findings.new_due_missed`) and the request outside its restart window
  (``request_outside_window``, from :func:`procflow.law.stops.cycle` in the engine).

The per-dossier builder stays the reference: the tests check both give the same index on
the shipped example data and on random rows. Event logs (one row per event) are read by
the per-dossier builder only.

Needs the ``bulk`` extra (numpy, pyarrow).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from procflow.breakdown import used_share
from procflow.bulk import BulkResult, classify
from procflow.calendar import WorkCalendar
from procflow.columnar import (
    NAT,
    codes,
    group_keys,
    on_time_21_rows,
    period_flags,
    seconds,
    strings,
)
from procflow.errors import InputError, ProcflowError
from procflow.evaluation import Procedures, evaluate
from procflow.findings import FindingCode, new_due_missed
from procflow.index766 import (
    _DOSSIER_KEYS,
    OPTIONAL_COLUMNS,
    Index766,
    IndexReport,
    Status21,
    Tallies766,
    _count,
    _flag,
    _vote,
    group_index,
    status_21,
    why_21,
)
from procflow.interchange import (
    WIDE_COLUMNS,
    Duplicates,
    Rejected,
    record_lines,
    row_to_dossier,
)
from procflow.report import GroupBy, period_bounds

__all__ = ["build_index_bulk"]

_EPOCH = datetime(1970, 1, 1)


def _read(source: Any, encoding: str | None) -> pa.Table:
    """The source as a table; a CSV file read with its encoding, every column as text."""
    from procflow.bulk.reading import _csv_options, _to_table

    if encoding is None or not isinstance(source, str | Path):
        return _to_table(source)
    path = Path(source)
    if path.suffix.lower() == ".parquet":
        return _to_table(path)
    read, parse, convert = _csv_options(path, encoding=encoding)
    try:
        return pacsv.read_csv(path, read_options=read, parse_options=parse, convert_options=convert)
    except (OSError, pa.ArrowInvalid) as exc:
        raise InputError(f"{path}: cannot read CSV as {encoding}: {exc}") from exc


def _classified(
    source: Any,
    procedures: Procedures,
    calendar: WorkCalendar,
    as_of: datetime,
    encoding: str | None = None,
    duplicates: Duplicates = "refuse",
) -> tuple[pa.Table, BulkResult, list[int] | None]:
    """The source's text as a table, read once, its classification, and its line numbers.

    Rows are numbered by the file's lines (:func:`~procflow.interchange.record_lines`), as
    :func:`~procflow.bulk.classify` numbers them when given the path.
    """
    from procflow.bulk.engine import _duplicates_of, _renumber

    raw = _read(source, encoding)
    missing = [c for c in ("dossier_id", "received_at") if c not in raw.column_names]
    if missing:
        where = f"{source}: " if isinstance(source, str | Path) else ""
        raise InputError(f"{where}missing column(s) {', '.join(missing)} for the wide format")
    lines = None
    if isinstance(source, str | Path) and Path(source).suffix.lower() != ".parquet":
        lines = record_lines(source, raw.num_rows, encoding)
    repeated = _duplicates_of(raw["dossier_id"], duplicates, 0, lines)
    result = classify(
        raw,
        procedures=procedures,
        calendar=calendar,
        as_of=as_of,
        received_after_as_of="skip",
        duplicates=repeated,
    )
    result = _repeated_as_read(raw, _renumber(result, lines), repeated, lines)
    return raw, result, lines


def _repeated_as_read(
    raw: pa.Table, result: BulkResult, repeated: Mapping[int, str], lines: list[int] | None
) -> BulkResult:
    """Reject the rows of a repeated dossier id as the per-dossier reader does.

    The reader rejects every readable row of a repeated id for that reason, before any is
    evaluated: even a row the engine rejected for another reason (say, no version of its
    procedure in force), or skipped as received after the period. A row that does not read
    keeps its own reason.
    """
    rejected = result.rejected
    reasons = rejected["reason"].to_pylist()
    for k, index in enumerate(rejected["index"].to_pylist()):
        if index not in repeated:
            continue
        record = raw.slice(index, 1).to_pylist()[0]
        try:
            row_to_dossier({c: v for c, v in record.items() if c in WIDE_COLUMNS})
        except ProcflowError:
            continue  # unreadable: its own reason, repeated id or not
        reasons[k] = repeated[index]
    rejected = rejected.set_column(3, "reason", pa.array(reasons, pa.string()))
    missing = sorted(set(repeated) - set(rejected["index"].to_pylist()))
    if missing:
        ids = raw["dossier_id"].take(pa.array(missing, pa.int64())).to_pylist()
        more = pa.table(
            {
                "index": pa.array(missing, pa.int64()),
                "row": pa.array([lines[i] if lines else i + 2 for i in missing], pa.int64()),
                "dossier_id": pa.array([str(d).strip() for d in ids], pa.string()),
                "reason": pa.array([repeated[i] for i in missing], pa.string()),
            }
        )
        rejected = pa.concat_tables([rejected, more.cast(rejected.schema)])
    return BulkResult(result.table, rejected)


def _present(raw: pa.Table, name: str, has_id: np.ndarray) -> bool:
    """Whether a column has a value in some row with a dossier id (read_extra_columns)."""
    return bool(name in raw.column_names and np.any((strings(raw, name) != "") & has_id))


def _parsed(
    raw: pa.Table, name: str, read: Callable[[Mapping[str, str]], Any]
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's value read as the per-dossier builder reads it, and its error ("" if none).

    Values are numbers (yes/no as 1/0), -1 where empty; each distinct text is read once.
    """
    row_codes, distinct = codes(raw, name)
    numbers: list[float] = []
    errors: list[str] = []
    for text in distinct:
        try:
            got = read({name: text} if text else {})
        except InputError as exc:
            got, problem = None, str(exc)
        else:
            problem = ""
        numbers.append(-1.0 if got is None else float(got))
        errors.append(problem)
    return np.asarray(numbers)[row_codes], np.asarray(errors, dtype=object)[row_codes]


def _optional(
    raw: pa.Table, positions: np.ndarray, columns: set[str]
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The optional columns of each classified row, and the first error of each row."""
    readers: dict[str, Callable[[Mapping[str, str]], Any]] = {
        "paid_online": lambda v: _flag(v, "paid_online"),
        "fee_payable": lambda v: _flag(v, "fee_payable"),
        "electronic_result": lambda v: _flag(v, "electronic_result"),
        "digitised": lambda v: _flag(v, "digitised"),
        "complaints": lambda v: _count(v, "complaints"),
        "satisfaction": _vote,
    }
    values: dict[str, np.ndarray] = {}
    error = np.full(len(positions), "", dtype=object)
    for name in OPTIONAL_COLUMNS:  # in the order the per-dossier builder reads them
        if name not in columns:
            values[name] = np.full(len(positions), -1.0)
            continue
        number, bad = _parsed(raw, name, readers[name])
        values[name], bad = number[positions], bad[positions]
        error = np.where((error == "") & (bad != ""), bad, error)
    return values, error


def _findings(t: pa.Table, as_of: datetime) -> dict[str, np.ndarray]:
    """Each finding of :mod:`procflow.findings` per row, from the classified columns.

    The rules are those of ``findings._codes`` on each row's evaluation; the inputs are the
    engine's columns for what the evaluation computes (the apology's timeliness, the
    request outside its window, the return).
    """
    outcome = strings(t, "outcome")
    apology = t["apology"].to_numpy(zero_copy_only=False)
    timely = t["apology_timely"].to_numpy(zero_copy_only=False)
    n = t.num_rows
    fin, wd = seconds(t, "finished_at"), seconds(t, "withdrawn_at")
    new_due = seconds(t, "apology_new_due_at")
    # The period's end in seconds, to the microsecond (the columns are whole seconds).
    view = (as_of.replace(tzinfo=None) - _EPOCH).total_seconds()
    missed = (
        apology
        & (new_due != NAT)
        & new_due_missed(new_due, fin != NAT, fin, wd != NAT, np.float64(view))
    )
    returned = seconds(t, "returned_at") != NAT
    requests = t["supplement_requests"].to_numpy(zero_copy_only=False)
    return {
        FindingCode.LATE_WITHOUT_APOLOGY.value: np.isin(outcome, ["late", "overdue"]) & ~apology,
        FindingCode.APOLOGY_LATE.value: apology & ~timely,
        # A wide row carries one apology: it cannot re-appoint twice.
        FindingCode.REAPPOINTED_TWICE.value: np.zeros(n, dtype=bool),
        FindingCode.NEW_DUE_MISSED.value: missed,
        FindingCode.SEVERAL_SUPPLEMENT_REQUESTS.value: requests > 1,
        FindingCode.REQUEST_OUTSIDE_WINDOW.value: t["request_outside_window"].to_numpy(
            zero_copy_only=False
        ),
        FindingCode.SUPPLEMENT_ABANDONED.value: returned,
        FindingCode.RETURNED.value: returned,
    }


def _instant(value: int) -> datetime:
    return _EPOCH + timedelta(seconds=int(value))


def _against(
    t: pa.Table,
    raw: pa.Table,
    rows: np.ndarray,
    procedures: Procedures,
    calendar: WorkCalendar,
    as_of: datetime,
) -> dict[int, Status21]:
    """Row number in ``t`` to the 2.1 status of each row in ``rows`` (those against it)."""
    ids = t["dossier_id"].take(pa.array(rows)).to_pylist()
    cols = {name: seconds(t, name)[rows] for name in ("finished_at", "returned_at", "withdrawn_at")}
    waiting = t["waiting_for_applicant"].to_numpy(zero_copy_only=False)[rows]
    requests = t["supplement_requests"].to_numpy(zero_copy_only=False)[rows]
    positions = t["index"].to_numpy()[rows]
    out: dict[int, Status21] = {}
    for k, row in enumerate(rows.tolist()):
        # One end event per wide row (finished and withdrawn together are refused).
        ends = [(w, cols[f"{w}_at"][k]) for w in ("finished", "returned", "withdrawn")]
        kind, end = next(((w, at) for w, at in ends if at != NAT), ("", NAT))
        if kind:
            # Built from checked columns: no need to validate each of many again.
            out[row] = Status21.model_construct(
                dossier_id=ids[k],
                counts=True,
                on_time=False,
                end=_instant(end),
                why=why_21(kind, False, int(requests[k])),
                delay=None,
            )
        elif waiting[k] and requests[k] == 1:
            # The count ends at the open request: read that dossier on its own.
            record = raw.slice(int(positions[k]), 1).to_pylist()[0]
            dossier = row_to_dossier({c: v for c, v in record.items() if c in WIDE_COLUMNS})
            out[row] = status_21(evaluate(dossier, procedures, calendar, as_of=as_of))
        else:
            out[row] = Status21.model_construct(
                dossier_id=ids[k],
                counts=True,
                on_time=False,
                end=as_of,
                delay=None,
                why=why_21("open at period end", False, int(requests[k])),
            )
    return out


def _keys(
    t: pa.Table, raw: pa.Table, positions: np.ndarray, procedures: Procedures, by: str | None
) -> np.ndarray:
    if by is None or by in _DOSSIER_KEYS:
        return group_keys(t, raw, procedures, GroupBy(by) if by else None)
    keys: np.ndarray = strings(raw, by)[positions]
    return keys


def _tallies(
    t: pa.Table,
    rows: np.ndarray,
    flags: Mapping[str, np.ndarray],
    extra: Mapping[str, np.ndarray],
    columns: set[str],
) -> Tallies766:
    """The tallies of the rows in ``rows`` (a boolean mask)."""

    def count(mask: np.ndarray) -> int:
        return int(np.count_nonzero(mask & rows))

    resolved = flags["resolved_total"] & rows
    used = extra["used_hours"][resolved]
    remaining = extra["remaining_hours"][resolved]
    known = ~np.isnan(remaining)
    allowed = used[known] + remaining[known]
    # share_of_limit's own formula, unrounded, where time was allowed.
    shares = used_share(used[known][allowed > 0], allowed[allowed > 0])
    paid, fee = extra["paid_online"], extra["fee_payable"]
    owing = (fee == 1) if "fee_payable" in columns else (paid != -1)
    granted = resolved & extra["granted"]
    late = resolved & extra["late"]
    complained = resolved & (extra["complaints"] > 0)
    vote = extra["satisfaction"]
    unhappy = resolved & (vote != -1) & (vote <= 2)
    return Tallies766(
        dossiers=count(flags["d766_counted"]),
        on_time=count(flags["d766_on_time"]),
        used_hours=used.tolist(),
        limit_hours=allowed.tolist(),
        shares=shares.tolist(),
        received_new=count(flags["received_new"]),
        online=count(flags["received_online"]),
        columns=frozenset(columns),
        with_fees=count(owing),
        paid_online=count(owing & (paid == 1)),
        finished_granted=count(granted),
        electronic_result=count(granted & (extra["electronic_result"] == 1)),
        digitised=count(extra["digitised"] == 1),
        late=count(late),
        complaints=count(complained),
        dissatisfied=count(unhappy),
        counted_against=count(late | complained | unhappy),
    )


def _extra_rejects(
    t: pa.Table, rows: np.ndarray, error: np.ndarray, lines: list[int] | None
) -> list[Rejected]:
    """The rows whose optional columns cannot be read, numbered as the per-dossier reader does."""
    positions = t["index"].to_numpy()[rows]
    ids = t["dossier_id"].take(pa.array(rows, pa.int64())).to_pylist()
    return [
        Rejected(
            row=lines[int(p)] if lines else int(p) + 2, dossier_id=d, reason=str(error[int(r)])
        )
        for p, d, r in zip(positions.tolist(), ids, rows.tolist(), strict=True)
    ]


def build_index_bulk(
    source: Any,
    procedures: Procedures,
    calendar: WorkCalendar,
    *,
    start: date,
    end: date | datetime,
    by: str | None = None,
    optional_columns: bool = True,
    encoding: str | None = None,
    duplicates: Duplicates = "refuse",
) -> IndexReport:
    """Compute the Decision 766 index of a period on the columnar engine.

    The same index as :func:`~procflow.index766.build_index` on the same wide-format rows
    with ``extra=read_extra_columns(path, [by])`` (``extra=None`` when not
    ``optional_columns``): the dossiers of the period, their indicators, points, the
    dossiers against 2.1 with their reasons, and the compliance findings, per group and in
    total.

    Args:
        source: The dossiers, wide format: a CSV or Parquet path, a pyarrow Table, or a
            pandas or polars DataFrame.
        procedures: The procedure library, or None for inline rules.
        calendar: The working calendar.
        start: First day of the period.
        end: Last day of the period, or the moment it ends.
        by: Group as the period report does (``agency``, ``field``, ``unit``...) or by any
            other column of the source; None for the total only.
        optional_columns: Read the optional columns of 3.6, 4.1, 4.2 and 5.4
            (:data:`~procflow.index766.OPTIONAL_COLUMNS`); False leaves those indicators
            out and rejects no row for them (the period report's dossiers).
        encoding: A CSV file's text encoding; default by its byte order mark, else UTF-8.
        duplicates: Rows sharing a dossier id: ``"refuse"`` (default) rejects them all,
            ``"last"`` keeps the last (:func:`procflow.interchange.duplicate_reasons`).

    Returns:
        The index; ``rejected`` names every row that could not be counted.

    Raises:
        InputError: If ``end`` is before ``start`` (a ``ValueError``), the source cannot
            be read or lacks ``dossier_id`` or ``received_at``, or ``by`` is neither a
            dossier attribute nor a column with a value.

    Examples:
        >>> from procflow.index766_bulk import build_index_bulk
        >>> cal = vietnam_calendar(years=range(2024, 2027))
        >>> idx = build_index_bulk("examples/dossiers-2025.csv", load_procedures("specs"), cal,
        ...                        start=date(2025, 3, 1), end=date(2025, 3, 31), by="agency")
        >>> idx.total.indicators["2.1"].value, idx.total.dossiers, len(idx.groups)
        (88.08, 302, 4)
    """
    start, as_of = period_bounds(start, end)
    raw, result, lines = _classified(source, procedures, calendar, as_of, encoding, duplicates)
    ids = pc.utf8_trim_whitespace(pc.cast(raw["dossier_id"], pa.string()))
    has_id = pc.fill_null(pc.not_equal(ids, ""), False).to_numpy(zero_copy_only=False)
    wanted = (*(OPTIONAL_COLUMNS if optional_columns else ()), *([by] if by else []))
    columns = {c for c in wanted if _present(raw, c, has_id)}
    if by is not None and by not in _DOSSIER_KEYS and by not in columns:
        raise InputError(
            f"cannot group by {by!r}: not a dossier attribute ({', '.join(_DOSSIER_KEYS)}) "
            "and no dossier has that column"
        )
    t = result.table
    positions = t["index"].to_numpy()
    flags = period_flags(t, start, as_of)
    extra, error = _optional(raw, positions, columns)
    extra["used_hours"] = t["used_hours"].to_numpy(zero_copy_only=False)
    extra["remaining_hours"] = pc.fill_null(t["remaining_hours"], np.nan).to_numpy(
        zero_copy_only=False
    )
    extra["granted"] = np.isin(strings(t, "result"), ["", "granted"])
    extra["late"] = strings(t, "outcome") == "late"
    counted = flags["received_total"]
    bad = counted & (error != "")
    rejected = [
        Rejected(row=r["row"], dossier_id=r["dossier_id"], reason=r["reason"])
        for r in result.rejected.to_pylist()
    ]
    rejected += _extra_rejects(t, np.flatnonzero(bad), error, lines)
    kept = counted & ~bad
    on_time = on_time_21_rows(t, as_of)
    statuses = _against(t, raw, np.flatnonzero(kept & ~on_time), procedures, calendar, as_of)
    found = _findings(t, as_of)
    keys = _keys(t, raw, positions, procedures, by)
    day = calendar.office_hours.day_hours

    def index_of(key: str, rows: np.ndarray, order: list[int]) -> Index766:
        tallies = _tallies(t, rows, flags, extra, columns)
        counts = {code: int(np.count_nonzero(mask & rows)) for code, mask in found.items()}
        against = [statuses[i] for i in order if i in statuses]
        return group_index(key, tallies, day, against, (), counts)

    names = sorted({str(k) for k in keys[kept]})
    members = {key: kept & (keys == key) for key in names}
    rows_of = {key: np.flatnonzero(mask).tolist() for key, mask in members.items()}
    groups = tuple(index_of(k, members[k], rows_of[k]) for k in names) if by else ()
    everything = [i for key in names for i in rows_of[key]]
    return IndexReport(
        period_start=start,
        period_end=as_of.date(),
        by=by,
        groups=groups,
        total=index_of("total", kept, everything),
        dossiers=raw.num_rows,
        rejected=tuple(sorted(rejected, key=lambda r: r.row)),
    )
