"""Decision 766 service index: the dossier-based indicators, their points, per group.

Indicator 2.1 (dossiers processed on time, over the official denominator) is read per
dossier from its :class:`~procflow.evaluation.Evaluation` (:func:`status_21`), so the due
dates, clock stops and supplement requests are not derived a second time. :func:`build_index`
adds, per period and per group (agency or any column), the other indicators dossier data
carries: 2.2 mean processing time against the limit, 3.3 online submission share, 3.6
online payment, 4.1 electronic results, 4.2 digitised dossiers and 5.4 satisfaction (from
optional columns, :data:`OPTIONAL_COLUMNS`), each with its points by :data:`SCALES`, the
group's totals and its compliance findings (:mod:`procflow.findings`).

References:
    Decision 766/QĐ-TTg of 23 June 2022 (service index of the direction and administration of
    administrative procedures), and the Government Office's technical description of its
    indicators (the formulas the national portal dichvucong.gov.vn scores with).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from pydantic import BaseModel, ConfigDict

from procflow.breakdown import Delay, attribute_delay, percentiles, share_of_limit
from procflow.calendar import WorkCalendar, to_local
from procflow.dossier import Channel, Dossier
from procflow.errors import InputError, ProcflowError
from procflow.evaluation import Evaluation, Outcome, Procedures, evaluate
from procflow.findings import count_findings
from procflow.instant import Instant
from procflow.interchange import DossierTable, Rejected, read_rows
from procflow.law.ops import Vec
from procflow.law.outcome import d766_on_time

__all__ = [
    "OPTIONAL_COLUMNS",
    "SCALES",
    "Index766",
    "IndexReport",
    "Indicator",
    "Scale",
    "Status21",
    "Tallies766",
    "build_index",
    "group_index",
    "indicators",
    "on_time_21",
    "points",
    "rate_21",
    "read_extra_columns",
    "status_21",
    "why_21",
]


def on_time_21(end: Vec, due_at: Vec, supplement_requests: Vec) -> Vec:
    """Return whether a dossier whose count ends at ``end`` is in indicator 2.1's numerator.

    The rule core's Decision 766 test (:func:`procflow.law.outcome.d766_on_time`) at the end
    of the count: by the due date (supplement waiting subtracted), with at most one supplement
    request. Used by :func:`status_21` and by the columnar report on whole arrays.

    Args:
        end: The end of the dossier's count (see :func:`status_21`).
        due_at: Its Decision 766 due date (supplement waiting subtracted).
        supplement_requests: How many supplement requests it had.

    Returns:
        True when the end is by the due date and there was at most one request.

    Examples:
        >>> due = datetime(2026, 3, 20, 17, 0)
        >>> on_time_21(datetime(2026, 3, 20, 16, 0), due, 1)
        True
        >>> on_time_21(datetime(2026, 3, 20, 16, 0), due, 2)  # two requests count as late
        False

    References:
        Decision 766/QĐ-TTg (2022), indicator 2.1, technical description.
    """
    return d766_on_time(True, end, due_at, supplement_requests)


class Status21(BaseModel):
    """One dossier's place in indicator 2.1.

    Attributes:
        dossier_id: The dossier.
        counts: It is in the denominator (always True: every dossier received or processed).
        on_time: It is in the numerator.
        end: The end of its count: finish, withdrawal, an open supplement request, or the
            period end.
        why: The reason, in English.
        delay: For a late or overdue dossier counted against 2.1 by :func:`build_index`, the
            step and unit that overran their budget most (None when unknown).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    dossier_id: str
    counts: bool
    on_time: bool
    end: Instant
    why: str
    delay: Delay | None = None


def status_21(evaluation: Evaluation) -> Status21:
    """Return the indicator 2.1 status of a dossier evaluated at the period end.

    The end of the count is the first of finished (granted or refused), returned and
    withdrawn; if none, the open supplement request when it is the only one; else the
    period end (``evaluation.as_of``). It is on time when the end is by the Decision 766
    due date (supplement waiting subtracted) and there was at most one supplement request.

    Args:
        evaluation: The dossier evaluated at the end of the period.

    Returns:
        The status, with the reason.

    Examples:
        >>> from procflow.index766 import status_21
        >>> callable(status_21)
        True

    References:
        Decision 766/QĐ-TTg (2022), indicator 2.1, technical description.
    """
    ev = evaluation
    events = [("finished", ev.finished_at), ("returned", ev.returned_at)]
    ends = [(t, word) for word, t in [*events, ("withdrawn", ev.withdrawn_at)] if t is not None]
    if ends:
        # The first end event; on a tie processed beats returned beats withdrawn.
        end, kind = min(ends, key=lambda pair: pair[0])
    elif ev.waiting_for_applicant and ev.supplement_requests == 1:
        open_stops = [s.start for s in ev.stops if s.kind == "supplement" and s.end is None]
        end = open_stops[-1] if open_stops else ev.as_of
        kind = "supplement request open"
    else:
        end = ev.as_of
        kind = "open at period end"
    on_time = bool(on_time_21(end, ev.d766_due_at, ev.supplement_requests))
    why = why_21(kind, on_time, ev.supplement_requests)
    return Status21(dossier_id=ev.dossier_id, counts=True, on_time=on_time, end=end, why=why)


def why_21(end: str, on_time: bool, supplement_requests: int) -> str:
    """Say, in English, why a dossier is (or is not) in indicator 2.1's numerator.

    Args:
        end: What ended its count: ``"finished"``, ``"returned"``, ``"withdrawn"``,
            ``"supplement request open"`` or ``"open at period end"``.
        on_time: Whether it is in the numerator.
        supplement_requests: How many supplement requests it had.

    Returns:
        The reason, as :class:`Status21` gives it.

    Examples:
        >>> why_21("finished", False, 1), why_21("withdrawn", False, 2)
        ('finished after the due date', 'withdrawn; 2 supplement requests count as late')
    """
    if supplement_requests > 1:
        return f"{end}; {supplement_requests} supplement requests count as late"
    return f"{end} {'by' if on_time else 'after'} the due date"


def rate_21(evaluations: Iterable[Evaluation]) -> float | None:
    """Return indicator 2.1 in percent with two decimals, None without dossiers.

    Args:
        evaluations: Every dossier received or processed in the period, evaluated at its end.

    Returns:
        On-time dossiers over all of them, in percent.

    Examples:
        >>> from procflow.index766 import rate_21
        >>> rate_21([]) is None
        True

    References:
        Decision 766/QĐ-TTg (2022), indicator 2.1, technical description.
    """
    statuses = [status_21(ev) for ev in evaluations]
    if not statuses:
        return None
    hits = sum(1 for s in statuses if s.on_time)
    return round(100 * hits / len(statuses), 2)


@dataclass(frozen=True, slots=True)
class Scale:
    """How an indicator is scored: full points at or above ``full_at``, pro rata below.

    Attributes:
        code: The official number, e.g. ``"2.1"``.
        name_vi: Its name in the technical description.
        name_en: Its name in English.
        unit: ``"percent"`` (a share) or ``"working_days"`` (a mean).
        max_points: Its points in the index; 0 for an indicator tracked but not scored.
        full_at: The value (percent) from which it earns full points; None if not scored.
        source: Where the points and the threshold come from.
    """

    code: str
    name_vi: str
    name_en: str
    unit: Literal["percent", "working_days"]
    max_points: float
    full_at: float | None
    source: str


_TD = "Decision 766/QĐ-TTg (2022), Government Office technical description"
SCALES: Mapping[str, Scale] = MappingProxyType(
    {
        scale.code: scale
        for scale in (
            Scale(
                "2.1",
                "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn (gồm hồ sơ đã và đang xử lý)",
                "Dossiers processed early or on time, and in progress within their time",
                "percent",
                20.0,
                100.0,
                f"{_TD}, indicator 2.1: 20 points × the rate (the Decision's text gives "
                "the progress group 20 points; that 2.1 holds all 20 is inferred from the "
                "portal's scores)",
            ),
            Scale(
                "2.2",
                "Thời gian giải quyết trung bình so với thời hạn quy định",
                "Mean processing time against the legal limit",
                "working_days",
                0.0,
                None,
                f"{_TD}: tracked on the portal (average processing days); no published points "
                "found, so not scored",
            ),
            Scale(
                "3.3",
                "Tỷ lệ hồ sơ nộp trực tuyến",
                "Dossiers submitted online",
                "percent",
                0.0,
                None,
                f"{_TD}, indicator 3.3 (dossiers by submission channel): no published points "
                "found, so not scored",
            ),
            Scale(
                "3.6",
                "Tỷ lệ hồ sơ thanh toán trực tuyến",
                "Dossiers paid online, of those with fees or charges",
                "percent",
                6.0,
                100.0,
                f"{_TD}, indicator 3.6: 6 points × the rate (inferred from the "
                "portal's scores; the Decision's text gives the online services group 22)",
            ),
            Scale(
                "4.1",
                "Tỷ lệ hồ sơ có cấp kết quả giải quyết điện tử",
                "Finished dossiers with an electronic result",
                "percent",
                6.0,
                100.0,
                f"{_TD}, indicator 4.1: 6 points × the rate (inferred from the "
                "portal's scores; the Decision's text gives the digitisation group 22)",
            ),
            Scale(
                "4.2",
                "Tỷ lệ hồ sơ thực hiện số hóa thành phần hồ sơ",
                "Dossiers whose documents were digitised",
                "percent",
                4.0,
                100.0,
                f"{_TD}, indicator 4.2: 4 points × the rate (inferred from the "
                "portal's scores; the Decision's text gives the digitisation group 22)",
            ),
            Scale(
                "5.4",
                "Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC",
                "Satisfaction: dossiers without a dissatisfied vote, a complaint or a delay",
                "percent",
                6.0,
                90.0,
                f"{_TD}, indicator 5.4: 6 points, full from 90 %, pro rata below (inferred "
                "from the portal's scores; the Decision's text gives the satisfaction group 18)",
            ),
        )
    }
)
"""The indicators procflow computes from dossier data, with their points and thresholds."""

OPTIONAL_COLUMNS = (
    "paid_online",
    "fee_payable",
    "electronic_result",
    "digitised",
    "complaints",
    "satisfaction",
)
"""Optional input columns read by :func:`read_extra_columns` (see ``docs/index766.md``):
``paid_online``, ``fee_payable``, ``electronic_result`` and ``digitised`` are yes/no;
``complaints`` is a count; ``satisfaction`` is the five-level vote, 1 (very dissatisfied) to
5 (very satisfied)."""


def points(code: str, value: float | None) -> float | None:
    """The points an indicator's value earns: full at or above the threshold, pro rata below.

    Args:
        code: The indicator, a key of :data:`SCALES`.
        value: Its value in percent; None when it could not be computed.

    Returns:
        The points, two decimals; None for an indicator not scored or without a value.

    Examples:
        >>> from procflow.index766 import points
        >>> points("2.1", 95.0), points("5.4", 90.0), points("5.4", 45.0), points("2.2", 3.0)
        (19.0, 6.0, 3.0, None)
    """
    scale = SCALES[code]
    if value is None or scale.full_at is None:
        return None
    return round(scale.max_points * min(1.0, value / scale.full_at), 2)


class Indicator(BaseModel):
    """One indicator of one group.

    Attributes:
        code: The official number (``"2.1"``...).
        name: Its name in Vietnamese.
        name_en: Its name in English.
        unit: ``"percent"`` or ``"working_days"``.
        value: The percent or mean; None without the data.
        points: Its points (None when not scored or without a value).
        max_points: Its maximum points (0 when not scored).
        counts: The counts behind the value.
        source: Where its formula and points come from.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    name: str
    name_en: str
    unit: Literal["percent", "working_days"]
    value: float | None
    points: float | None
    max_points: float
    counts: dict[str, int | float]
    source: str


class Index766(BaseModel):
    """The Decision 766 indicators of one group (an agency, or any column's value).

    Attributes:
        key: The group's value; ``"total"`` for all groups together.
        indicators: By official number; only those whose input data is present.
        points: The points of the scored indicators present.
        max_points: Their maximum points.
        dossiers: Dossiers received or processed in the period (the 2.1 denominator).
        against_21: Each dossier that counts against 2.1, with the reason.
        delays_by_step: Late or overdue dossiers per step that overran its budget most
            (:func:`procflow.breakdown.attribute_delay`).
        delays_by_unit: The same per unit of that step.
        findings: Dossiers with each compliance finding (:func:`procflow.findings.count_findings`).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    indicators: dict[str, Indicator]
    points: float
    max_points: float
    dossiers: int
    against_21: tuple[Status21, ...]
    delays_by_step: dict[str, int]
    delays_by_unit: dict[str, int]
    findings: dict[str, int]


class IndexReport(BaseModel):
    """The index of a period: one :class:`Index766` per group and the total.

    Attributes:
        period_start: First day.
        period_end: Last day.
        by: The grouping column (None: total only).
        groups: One per group value, sorted.
        total: All dossiers together.
        dossiers: Dossiers given (read and rejected).
        rejected: Dossiers that could not be read, evaluated or whose optional columns are
            invalid, with the reason.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    period_start: date
    period_end: date
    by: str | None
    groups: tuple[Index766, ...]
    total: Index766
    dossiers: int
    rejected: tuple[Rejected, ...] = ()


_DOSSIER_KEYS = (
    "field",
    "procedure",
    "office",
    "agency",
    "channel",
    "unit",
    "officer",
    "step",
    "service_level",
    "inter_agency",
)
"""Groupings read from the dossier, as the period report groups (:class:`~procflow.GroupBy`)."""

Extra = Mapping[str, Mapping[str, str]]


def read_extra_columns(
    path: str | Path, columns: Sequence[str] = (), *, encoding: str | None = None
) -> dict[str, dict[str, str]]:
    """Read, per dossier id, the optional columns of a file and any grouping columns asked for.

    In an event log the value may stand on any of the dossier's rows (the first non-empty
    one is taken).

    Args:
        path: The CSV or Parquet file (wide or event log).
        columns: Other columns to keep (e.g. a grouping column).
        encoding: The CSV file's text encoding; default by its byte order mark, else UTF-8.

    Returns:
        Dossier id to column to text value (only non-empty values).

    Raises:
        InputError: If the file cannot be read.
    """
    wanted = (*OPTIONAL_COLUMNS, *columns)
    out: dict[str, dict[str, str]] = {}
    for _, record in read_rows(path, encoding):
        dossier_id = str(record.get("dossier_id") or "").strip()
        if not dossier_id:
            continue
        values = out.setdefault(dossier_id, {})
        for name in wanted:
            raw = record.get(name)
            text = "" if raw is None else str(raw).strip()
            if text and name not in values:
                values[name] = text
    return out


_YES = {"1", "true", "yes", "y", "x", "có", "co"}
_NO = {"0", "false", "no", "n", "không", "khong"}


def _flag(values: Mapping[str, str], name: str) -> bool | None:
    text = values.get(name)
    if text is None:
        return None
    low = text.lower()
    if low in _YES:
        return True
    if low in _NO:
        return False
    raise InputError(f"column {name}: expected yes or no (1/0, true/false, có/không), got {text!r}")


def _count(values: Mapping[str, str], name: str) -> int | None:
    text = values.get(name)
    if text is None:
        return None
    try:
        number = int(float(text))
    except ValueError:
        raise InputError(f"column {name}: expected a whole number, got {text!r}") from None
    if number < 0:
        raise InputError(f"column {name}: expected a whole number, got {text!r}")
    return number


def _vote(values: Mapping[str, str]) -> int | None:
    number = _count(values, "satisfaction")
    if number is not None and not 1 <= number <= 5:
        raise InputError(
            f"column satisfaction: expected a vote from 1 to 5, got {values['satisfaction']!r}"
        )
    return number


@dataclass(frozen=True, slots=True)
class _Item:
    """One dossier of the period: its evaluation, report counters and optional data."""

    evaluation: Evaluation
    names: tuple[str, ...]
    channel: Channel
    paid_online: bool | None
    fee_payable: bool | None
    electronic_result: bool | None
    digitised: bool | None
    complaints: int | None
    vote: int | None


@dataclass(frozen=True, slots=True)
class Tallies766:
    """What one group's indicators are computed from: counts and per-dossier times.

    Both builders fill it, :func:`build_index` dossier by dossier and
    :func:`procflow.index766_bulk.build_index_bulk` on whole columns; :func:`indicators`
    turns it into the indicators, so each formula is written once.

    Attributes:
        dossiers: Dossiers received or processed in the period (2.1's denominator).
        on_time: Those in 2.1's numerator.
        used_hours: Working hours used, one per resolved dossier.
        limit_hours: Working hours allowed (used plus remaining), one per resolved
            dossier whose due date is known.
        shares: :func:`~procflow.breakdown.share_of_limit` of each resolved dossier that
            has one, unrounded.
        received_new: Dossiers received in the period.
        online: Of those, received online.
        columns: The optional columns present in the input (:data:`OPTIONAL_COLUMNS`).
        with_fees: Dossiers owing fees (3.6's denominator).
        paid_online: Of those, paid online.
        finished_granted: Resolved dossiers granted (4.1's denominator).
        electronic_result: Of those, with an electronic result.
        digitised: Dossiers digitised (4.2).
        late: Resolved late (5.4).
        complaints: Resolved with a complaint.
        dissatisfied: Resolved with a vote of 1 or 2.
        counted_against: Resolved with any of the three (each dossier once).
    """

    dossiers: int
    on_time: int
    used_hours: Sequence[float]
    limit_hours: Sequence[float]
    shares: Sequence[float]
    received_new: int
    online: int
    columns: frozenset[str]
    with_fees: int = 0
    paid_online: int = 0
    finished_granted: int = 0
    electronic_result: int = 0
    digitised: int = 0
    late: int = 0
    complaints: int = 0
    dissatisfied: int = 0
    counted_against: int = 0


def _share(code: str, hit: int, whole: int, counts: Mapping[str, int | float]) -> Indicator:
    from procflow.report import percent  # report builds on this module's status_21

    scale = SCALES[code]
    value = percent(hit, whole)
    return Indicator(
        code=code,
        name=scale.name_vi,
        name_en=scale.name_en,
        unit=scale.unit,
        value=value,
        points=points(code, value),
        max_points=scale.max_points,
        counts=dict(counts),
        source=scale.source,
    )


def _ind_22(t: Tallies766, day: float) -> Indicator:
    # Sums as exact as floats allow (fsum): the same figure in any order of the dossiers.
    used, limits = math.fsum(t.used_hours), math.fsum(t.limit_hours)
    n_used, n_limits = len(t.used_hours), len(t.limit_hours)
    scale = SCALES["2.2"]
    return Indicator(
        code="2.2",
        name=scale.name_vi,
        name_en=scale.name_en,
        unit=scale.unit,
        value=round(used / n_used / day, 2) if n_used else None,
        points=None,
        max_points=scale.max_points,
        counts={
            "resolved": n_used,
            "mean_limit_days": round(limits / n_limits / day, 2) if n_limits else 0.0,
            "share_of_limit": round(100 * used / limits, 2) if limits else 0.0,
            # Percentiles of the unrounded shares, rounded: the rounded shares' percentiles.
            **{
                f"{name}_share_of_limit": round(value, 2)
                for name, value in percentiles(t.shares).items()
            },
        },
        source=scale.source,
    )


def indicators(t: Tallies766, day_hours: float) -> dict[str, Indicator]:
    """The indicators of one group, by official number, from its tallies.

    2.1, 2.2 and 3.3 always; 3.6, 4.1, 4.2 and 5.4 when their columns are present.

    Args:
        t: The group's tallies.
        day_hours: Working hours in a day (2.2 is in working days).

    Returns:
        Official number to indicator, with value, points and counts.

    Examples:
        >>> t = Tallies766(dossiers=4, on_time=2, used_hours=[8.0, 24.0], limit_hours=[24.0, 24.0],
        ...                shares=[33.33, 100.0], received_new=4, online=1, columns=frozenset())
        >>> figures = indicators(t, 8.0)
        >>> figures["2.1"].value, figures["2.1"].points, figures["2.2"].value, figures["3.3"].value
        (50.0, 10.0, 2.0, 25.0)
    """
    against = t.dossiers - t.on_time
    out = {
        "2.1": _share(
            "2.1",
            t.on_time,
            t.dossiers,
            {"dossiers": t.dossiers, "on_time": t.on_time, "against": against},
        ),
        "2.2": _ind_22(t, day_hours),
        "3.3": _share(
            "3.3", t.online, t.received_new, {"received_new": t.received_new, "online": t.online}
        ),
    }
    if "paid_online" in t.columns:
        # Over the dossiers with fees; without a fee_payable column, those with a paid_online value.
        counts = {"with_fees": t.with_fees, "paid_online": t.paid_online}
        out["3.6"] = _share("3.6", t.paid_online, t.with_fees, counts)
    if "electronic_result" in t.columns:
        counts = {"finished": t.finished_granted, "electronic_result": t.electronic_result}
        out["4.1"] = _share("4.1", t.electronic_result, t.finished_granted, counts)
    if "digitised" in t.columns:
        counts = {"dossiers": t.dossiers, "digitised": t.digitised}
        out["4.2"] = _share("4.2", t.digitised, t.dossiers, counts)
    if t.columns & {"complaints", "satisfaction"}:
        # Against it: a delay, a complaint or a dissatisfied vote (1 or 2), each dossier once.
        resolved = len(t.used_hours)
        counts = {
            "resolved": resolved,
            "late": t.late,
            "complaints": t.complaints,
            "dissatisfied": t.dissatisfied,
            "counted_against": t.counted_against,
        }
        out["5.4"] = _share("5.4", resolved - t.counted_against, resolved, counts)
    return out


def _tallies(items: Sequence[_Item], statuses: Sequence[Status21], columns: set[str]) -> Tallies766:
    resolved = [i for i in items if "resolved_total" in i.names]
    new = [i for i in items if "received_new" in i.names]
    with_fees = "fee_payable" in columns
    owing = [i for i in items if (i.fee_payable if with_fees else i.paid_online is not None)]
    granted = [
        i for i in resolved if i.evaluation.result is None or i.evaluation.result.value == "granted"
    ]
    late = {id(i) for i in resolved if i.evaluation.outcome is Outcome.LATE}
    complained = {id(i) for i in resolved if (i.complaints or 0) > 0}
    unhappy = {id(i) for i in resolved if i.vote is not None and i.vote <= 2}
    return Tallies766(
        dossiers=len(statuses),
        on_time=sum(1 for s in statuses if s.on_time),
        used_hours=[i.evaluation.used_hours for i in resolved],
        limit_hours=[
            i.evaluation.used_hours + i.evaluation.remaining_hours
            for i in resolved
            if i.evaluation.remaining_hours is not None
        ],
        shares=[x for x in (share_of_limit(i.evaluation, None) for i in resolved) if x is not None],
        received_new=len(new),
        online=sum(1 for i in new if i.channel is Channel.ONLINE),
        columns=frozenset(columns),
        with_fees=len(owing),
        paid_online=sum(1 for i in owing if i.paid_online),
        finished_granted=len(granted),
        electronic_result=sum(1 for i in granted if i.electronic_result),
        digitised=sum(1 for i in items if i.digitised),
        late=len(late),
        complaints=len(complained),
        dissatisfied=len(unhappy),
        counted_against=len(late | complained | unhappy),
    )


def _most_first(counts: Mapping[str, int]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def group_index(
    key: str,
    tallies: Tallies766,
    day_hours: float,
    against: Sequence[Status21],
    delays: Iterable[Delay],
    findings: Mapping[str, int],
) -> Index766:
    """Assemble one group's :class:`Index766` (both builders end here).

    Args:
        key: The group's value.
        tallies: Its tallies.
        day_hours: Working hours in a day.
        against: Its dossiers against 2.1, each with its reason (and delay, if any).
        delays: The delay of each late or overdue dossier whose steps overran
            (:func:`~procflow.breakdown.attribute_delay`).
        findings: Its finding counts (:func:`procflow.findings.count_findings`).

    Returns:
        The group's index.
    """
    figures = indicators(tallies, day_hours)
    scored = [ind for ind in figures.values() if ind.max_points > 0 and ind.points is not None]
    by_step: dict[str, int] = {}
    by_unit: dict[str, int] = {}
    for delay in delays:
        by_step[delay.step_id] = by_step.get(delay.step_id, 0) + 1
        by_unit[delay.unit] = by_unit.get(delay.unit, 0) + 1
    return Index766(
        key=key,
        indicators=figures,
        points=round(sum(ind.points or 0.0 for ind in scored), 2),
        max_points=sum(ind.max_points for ind in scored),
        dossiers=tallies.dossiers,
        against_21=tuple(against),
        delays_by_step=_most_first(by_step),
        delays_by_unit=_most_first(by_unit),
        findings=dict(findings),
    )


def _group(key: str, items: Sequence[_Item], cal: WorkCalendar, columns: set[str]) -> Index766:
    evs = [item.evaluation for item in items]
    statuses = [status_21(ev) for ev in evs]
    delays = [attribute_delay(ev) for ev in evs]
    against = [
        s if d is None else s.model_copy(update={"delay": d})
        for s, d in zip(statuses, delays, strict=True)
        if not s.on_time
    ]
    tallies = _tallies(items, statuses, columns)
    day = cal.office_hours.day_hours
    return group_index(key, tallies, day, against, filter(None, delays), count_findings(evs))


def build_index(
    dossiers: Iterable[Dossier] | DossierTable,
    procedures: Procedures,
    calendar: WorkCalendar,
    *,
    start: date,
    end: date | datetime,
    by: str | None = None,
    extra: Extra | None = None,
) -> IndexReport:
    """Compute the Decision 766 indicators of a period, per group and in total.

    A dossier belongs to the period as in the period report: received by its end and not
    ended before its start (resolved, withdrawn, refused, returned or in progress). Each is
    evaluated at the end of ``end``.

    Args:
        dossiers: The dossiers, or a table read by :func:`~procflow.read_dossiers`.
        procedures: The procedure library, or None for inline rules.
        calendar: The working calendar.
        start: First day of the period.
        end: Last day of the period, or the moment it ends (a period ending mid-day, as
            the period report takes it).
        by: Group as the period report does (``agency``, ``field``, ``unit``, ``step``...,
            see :class:`~procflow.GroupBy`) or by any column of ``extra``; None for the total
            only.
        extra: Dossier id to optional column values (:func:`read_extra_columns`); the
            indicators 3.6, 4.1, 4.2 and 5.4 appear only when their columns are present.

    Returns:
        The index: one :class:`Index766` per group, and the total.

    Raises:
        InputError: If ``end`` is before ``start`` (a ``ValueError``), or ``by`` is not a
            dossier attribute and no dossier has that column.

    Examples:
        >>> from procflow.index766 import build_index, read_extra_columns
        >>> table = read_dossiers("examples/dossiers-2025.csv")
        >>> cal = vietnam_calendar(years=range(2024, 2027))
        >>> idx = build_index(table, load_procedures(), cal,
        ...                   start=date(2025, 3, 1), end=date(2025, 3, 31), by="agency")
        >>> sorted(idx.total.indicators)
        ['2.1', '2.2', '3.3']
        >>> sum(g.dossiers for g in idx.groups) == idx.total.dossiers
        True
    """
    from procflow.report import GroupBy, _counters, _group_key, _procedure_of, period_bounds

    start, as_of = period_bounds(start, end)
    extra = extra or {}
    rejected: list[Rejected] = []
    if isinstance(dossiers, DossierTable):
        rejected.extend(dossiers.rejected)
        items: list[tuple[int, Dossier]] = list(zip(dossiers.rows, dossiers.dossiers, strict=True))
    else:
        items = list(enumerate(dossiers, start=1))
    columns = {name for values in extra.values() for name in values}
    if by is not None and by not in _DOSSIER_KEYS and by not in columns:
        raise InputError(
            f"cannot group by {by!r}: not a dossier attribute ({', '.join(_DOSSIER_KEYS)}) "
            "and no dossier has that column"
        )
    grouped: dict[str, list[_Item]] = {}
    for row, dossier in items:
        try:
            if to_local(dossier.received_at) > as_of:
                continue
            evaluation = evaluate(dossier, procedures, calendar, as_of=as_of)
            names = _counters(dossier, evaluation, start, as_of)
            if names is None:
                continue
            values = extra.get(dossier.id, {})
            item = _Item(
                evaluation=evaluation,
                names=tuple(names),
                channel=dossier.channel,
                paid_online=_flag(values, "paid_online"),
                fee_payable=_flag(values, "fee_payable"),
                electronic_result=_flag(values, "electronic_result"),
                digitised=_flag(values, "digitised"),
                complaints=_count(values, "complaints"),
                vote=_vote(values),
            )
        except ProcflowError as exc:
            rejected.append(Rejected(row=row, dossier_id=dossier.id, reason=str(exc)))
            continue
        if by is None:
            key = "total"
        elif by in _DOSSIER_KEYS:
            procedure = _procedure_of(procedures, dossier, evaluation)
            key = _group_key(GroupBy(by), dossier, procedure, evaluation)
        else:
            key = values.get(by, "")
        grouped.setdefault(key, []).append(item)
    everything = [item for key in sorted(grouped) for item in grouped[key]]
    groups = (
        tuple(_group(key, grouped[key], calendar, columns) for key in sorted(grouped))
        if by is not None
        else ()
    )
    total_count = len(items) + (len(dossiers.rejected) if isinstance(dossiers, DossierTable) else 0)
    return IndexReport(
        period_start=start,
        period_end=as_of.date(),
        by=by,
        groups=groups,
        total=_group("total", everything, calendar, columns),
        dossiers=total_count,
        rejected=tuple(sorted(rejected, key=lambda r: r.row)),
    )
