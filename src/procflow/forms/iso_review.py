"""The ISO 9001 management review pack: objectives by unit and month, nonconformities, a sample.

From a dossier file and a period, :func:`iso_review` gathers what the quality team presents:

* the on-time objective (early + on time, as a share of the resolved) per unit and month,
  with its trend over the period;
* every dossier finished late in the period or overdue at its end, as a nonconformity
  attributed to the step and unit that overran their budget most (the receiving office
  when the procedure has no steps);
* a stratified sample of the dossiers resolved in the period, a few per outcome, chosen
  reproducibly from a seed, each with procflow's explanation, for the internal audit;
* a summary paragraph in the style of the agencies' own reports, with Vietnamese number
  formatting ("875 hồ sơ tiếp nhận, 820 đã giải quyết, 627 trước hạn (76,46 %) ...").

:func:`write_review_xlsx` writes the workbook, :func:`write_review_docx` the document.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from procflow.calendar import WorkCalendar, to_local
from procflow.dossier import Dossier
from procflow.errors import InputError, ProcflowError
from procflow.evaluation import Outcome, Procedures, evaluate
from procflow.forms.layout import Layout, Table, Text, date_line
from procflow.interchange import DossierTable, Rejected
from procflow.io import atomic_write
from procflow.report import GroupBy, Report, ReportRow, build_report, month_ranges, period

__all__ = [
    "IsoReview",
    "Nonconformity",
    "SampleItem",
    "UnitMonth",
    "iso_review",
    "parse_period",
    "review_layout",
    "summary_vi",
    "vi_number",
    "vi_percent",
    "write_review_docx",
    "write_review_xlsx",
]


def parse_period(text: str) -> tuple[date, date]:
    """Read a period: ``2024``, ``2024H1``, ``2024Q3`` or ``2024-05``.

    Raises:
        InputError: If the text is none of these, naming it.

    Examples:
        >>> parse_period("2024H1")
        (datetime.date(2024, 1, 1), datetime.date(2024, 6, 30))
        >>> parse_period("2025-02")
        (datetime.date(2025, 2, 1), datetime.date(2025, 2, 28))
    """
    match = re.fullmatch(r"(\d{4})(?:([HhQq])(\d)|-(\d{1,2}))?", text.strip())
    if match is None:
        raise InputError(f"period {text!r}: write YYYY, YYYYH1, YYYYQ3 or YYYY-MM")
    year = int(match[1])
    try:
        if match[2]:
            number = int(match[3])
            if match[2].upper() == "H":
                return period("half", year, number)
            return period("quarter", year, number)
        if match[4]:
            return period("month", year, int(match[4]))
    except ValueError as exc:
        raise InputError(f"period {text!r}: {exc}") from exc
    return period("year", year)


def vi_number(value: int) -> str:
    """An integer the Vietnamese way: ``.`` groups thousands.

    Examples:
        >>> vi_number(875), vi_number(12345)
        ('875', '12.345')
    """
    return f"{value:,}".replace(",", ".")


def vi_percent(value: float | None) -> str:
    """A percentage with two decimals and a decimal comma, e.g. ``76,46 %``.

    Examples:
        >>> vi_percent(76.46), vi_percent(None)
        ('76,46 %', '-')
    """
    return "-" if value is None else f"{value:.2f}".replace(".", ",") + " %"


def summary_vi(row: ReportRow) -> str:
    """The summary sentence of a report row, as the agencies' reports write it.

    Examples:
        >>> from procflow.report import ReportRow
        >>> seed = ReportRow(key="total", received_total=875, resolved_total=820,
        ...     resolved_early=627, resolved_on_time=190, resolved_late=3, in_progress_total=55,
        ...     early_rate=76.46, on_time_rate=23.17, late_rate=0.37)
        >>> print(summary_vi(seed))
        875 hồ sơ tiếp nhận, 820 đã giải quyết, 627 trước hạn (76,46 %), 190 đúng hạn (23,17 %), 3 quá hạn (0,37 %); 55 đang giải quyết.
    """  # noqa: E501 - the sentence is one line
    return (
        f"{vi_number(row.received_total)} hồ sơ tiếp nhận, "
        f"{vi_number(row.resolved_total)} đã giải quyết, "
        f"{vi_number(row.resolved_early)} trước hạn ({vi_percent(row.early_rate)}), "
        f"{vi_number(row.resolved_on_time)} đúng hạn ({vi_percent(row.on_time_rate)}), "
        f"{vi_number(row.resolved_late)} quá hạn ({vi_percent(row.late_rate)}); "
        f"{vi_number(row.in_progress_total)} đang giải quyết."
    )


class UnitMonth(BaseModel):
    """A unit's on-time objective in one month.

    Attributes:
        unit: The unit (the report's group key).
        month: The month's first day.
        resolved: Dossiers resolved that month.
        timely_rate: Early + on time, percent of resolved (None if none resolved).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    unit: str
    month: date
    resolved: int
    timely_rate: float | None


class Nonconformity(BaseModel):
    """A dossier late or overdue, attributed to a step and a unit.

    Attributes:
        dossier_id: The dossier.
        procedure: Its procedure id (or its inline limit).
        outcome: late, or overdue at the period's end.
        due_at: Its effective due date.
        finished_at: When it finished, if it did.
        step: The step that overran its budget most (None without a step plan).
        unit: That step's unit, else the receiving office.
        explanation: procflow's explanation, in Vietnamese.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    dossier_id: str
    procedure: str
    outcome: Outcome
    due_at: datetime | None
    finished_at: datetime | None
    step: str | None
    unit: str
    explanation: str


class SampleItem(BaseModel):
    """A dossier drawn for the internal audit.

    Attributes:
        stratum: Its outcome (the stratum it was drawn from).
        dossier_id: The dossier.
        procedure: Its procedure id (or its inline limit).
        received_at: When it was received.
        finished_at: When it finished.
        explanation: procflow's explanation, in Vietnamese.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    stratum: Outcome
    dossier_id: str
    procedure: str
    received_at: datetime
    finished_at: datetime | None
    explanation: str


class IsoReview(BaseModel):
    """The management review pack of one period.

    Attributes:
        start: First day of the period.
        end: Last day.
        agency: The agency reviewed.
        report: The period's report, by unit.
        months: Each unit's objective per month.
        trend: Per unit, the change of its on-time rate from its first to its last month
            with resolved dossiers, in percentage points (None with fewer than two).
        nonconformities: Late and overdue dossiers, by dossier id.
        sample: The audit sample, by stratum then dossier id.
        summary: The summary paragraph.
        rejected: Dossiers that could not be read or evaluated.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: date
    end: date
    agency: str
    report: Report
    months: tuple[UnitMonth, ...]
    trend: dict[str, float | None]
    nonconformities: tuple[Nonconformity, ...]
    sample: tuple[SampleItem, ...]
    summary: str
    rejected: tuple[Rejected, ...]


def _key(dossier: Dossier) -> str:
    return dossier.procedure_id or (str(dossier.time_limit) if dossier.time_limit else "")


def _draw(seed: int, dossier_id: str) -> str:
    # A stable pseudo-random order: the same seed draws the same sample on every machine.
    return hashlib.sha256(f"{seed}:{dossier_id}".encode()).hexdigest()


def iso_review(
    dossiers: Sequence[Dossier] | DossierTable,
    procedures: Procedures,
    calendar: WorkCalendar,
    *,
    start: date,
    end: date,
    agency: str = "",
    by: GroupBy = GroupBy.OFFICE,
    per_stratum: int = 5,
    seed: int = 0,
) -> IsoReview:
    """Gather the management review pack of ``[start, end]``.

    Args:
        dossiers: The dossiers, or a table read by :func:`~procflow.read_dossiers`.
        procedures: The procedure library (None for inline rules only).
        calendar: The working calendar.
        start: First day of the period.
        end: Last day of the period.
        agency: The agency reviewed (for the titles).
        by: What a "unit" is (default: the receiving office).
        per_stratum: Dossiers drawn per outcome for the audit sample.
        seed: The sample's seed.

    Returns:
        The pack.
    """
    items: list[Dossier] = (
        list(dossiers.dossiers) if isinstance(dossiers, DossierTable) else list(dossiers)
    )
    report = build_report(dossiers, procedures, calendar, start=start, end=end, by=by)
    months: list[UnitMonth] = []
    for first, last in month_ranges(start, end):
        monthly = build_report(items, procedures, calendar, start=first, end=last, by=by)
        months += [
            UnitMonth(
                unit=row.key,
                month=first.replace(day=1),
                resolved=row.resolved_total,
                timely_rate=row.timely_rate,
            )
            for row in monthly.rows
        ]
    trend: dict[str, float | None] = {}
    for row in report.rows:
        rates = [m.timely_rate for m in months if m.unit == row.key and m.timely_rate is not None]
        trend[row.key] = round(rates[-1] - rates[0], 2) if len(rates) > 1 else None
    as_of = datetime.combine(end, time.max)
    first_moment = datetime.combine(start, time.min)
    findings: list[Nonconformity] = []
    strata: dict[Outcome, list[SampleItem]] = {}
    for dossier in items:
        if to_local(dossier.received_at) > as_of:
            continue
        try:
            e = evaluate(dossier, procedures, calendar, as_of=as_of)
        except ProcflowError:
            continue  # already in the report's rejected rows
        finished = e.finished_at is not None and to_local(e.finished_at) >= first_moment
        explanation = e.explain("vi")
        if (finished and e.outcome is Outcome.LATE) or e.outcome is Outcome.OVERDUE:
            step = e.overrun_steps[0] if e.overrun_steps else None
            unit = e.overrun_units[0] if e.overrun_units else dossier.office
            findings.append(
                Nonconformity(
                    dossier_id=e.dossier_id,
                    procedure=_key(dossier),
                    outcome=e.outcome,
                    due_at=e.effective_due_at,
                    finished_at=e.finished_at,
                    step=step,
                    unit=unit,
                    explanation=explanation,
                )
            )
        if finished and e.outcome.is_finished:
            strata.setdefault(e.outcome, []).append(
                SampleItem(
                    stratum=e.outcome,
                    dossier_id=e.dossier_id,
                    procedure=_key(dossier),
                    received_at=e.received_at,
                    finished_at=e.finished_at,
                    explanation=explanation,
                )
            )
    sample: list[SampleItem] = []
    for outcome in (Outcome.EARLY, Outcome.ON_TIME, Outcome.LATE):
        drawn = sorted(strata.get(outcome, []), key=lambda s: _draw(seed, s.dossier_id))
        sample += sorted(drawn[:per_stratum], key=lambda s: s.dossier_id)
    return IsoReview(
        start=start,
        end=end,
        agency=agency,
        report=report,
        months=tuple(months),
        trend=trend,
        nonconformities=tuple(sorted(findings, key=lambda f: f.dossier_id)),
        sample=tuple(sample),
        summary=summary_vi(report.total),
        rejected=report.rejected,
    )


def _title(review: IsoReview) -> str:
    where = f" - {review.agency}" if review.agency else ""
    return (
        f"XEM XÉT CỦA LÃNH ĐẠO (ISO 9001){where}: từ ngày {review.start:%d/%m/%Y} "
        f"đến ngày {review.end:%d/%m/%Y}"
    )


def _short(at: datetime | None) -> str:
    return "" if at is None else f"{to_local(at):%H:%M %d/%m/%Y}"


def write_review_xlsx(review: IsoReview, path: str | Path) -> None:
    """Write the pack as a workbook: summary, objectives, nonconformities, sample.

    Raises:
        InputError: If openpyxl is not installed.
    """
    try:
        import openpyxl
        import openpyxl.styles
    except ImportError as exc:  # the extra is optional
        raise InputError(f"the ISO review needs procflow[forms] (openpyxl): {exc}") from exc
    bold = openpyxl.styles.Font(bold=True)
    book = openpyxl.Workbook()

    def sheet(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        ws: Any = book.create_sheet(title)
        ws.append(list(headers))
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            ws.append(list(row))
        ws.freeze_panes = "A2"

    summary: Any = book.active
    summary.title = "Tóm tắt"
    summary["A1"] = _title(review)
    summary["A1"].font = bold
    summary["A3"] = review.summary
    summary["A4"] = (
        f"{len(review.nonconformities)} hồ sơ không phù hợp (quá hạn); "
        f"{len(review.sample)} hồ sơ trong mẫu đánh giá nội bộ."
    )
    units = sorted({m.unit for m in review.months})
    month_list = sorted({m.month for m in review.months})
    by_cell = {(m.unit, m.month): m.timely_rate for m in review.months}
    sheet(
        "Mục tiêu",
        ["Đơn vị", *[f"{m:%m/%Y}" for m in month_list], "Xu hướng (điểm %)"],
        [
            [
                unit or "(không rõ)",
                *[by_cell.get((unit, m)) for m in month_list],
                review.trend.get(unit),
            ]
            for unit in units
        ],
    )
    sheet(
        "Không phù hợp",
        ["Mã hồ sơ", "Thủ tục", "Tình trạng", "Hạn", "Hoàn thành", "Bước", "Đơn vị", "Giải thích"],
        [
            [
                n.dossier_id,
                n.procedure,
                n.outcome.words[0],
                _short(n.due_at),
                _short(n.finished_at),
                n.step or "",
                n.unit,
                n.explanation,
            ]
            for n in review.nonconformities
        ],
    )
    sheet(
        "Mẫu đánh giá",
        ["Nhóm", "Mã hồ sơ", "Thủ tục", "Tiếp nhận", "Hoàn thành", "Giải thích"],
        [
            [
                s.stratum.words[0],
                s.dossier_id,
                s.procedure,
                _short(s.received_at),
                _short(s.finished_at),
                s.explanation,
            ]
            for s in review.sample
        ],
    )
    atomic_write(path, lambda temporary: book.save(temporary))


def review_layout(review: IsoReview) -> Layout:
    """The pack's document, as a page both renderers draw."""
    nonconformities = Table(
        ("STT", "Mã hồ sơ", "Tình trạng", "Bước", "Đơn vị"),
        tuple(
            (str(i), n.dossier_id, n.outcome.words[0], n.step or "", n.unit)
            for i, n in enumerate(review.nonconformities, start=1)
        )
        or (("", "", "", "", ""),),
        (1, 3, 3, 3, 5),
        small=True,
    )
    sample = Table(
        ("STT", "Nhóm", "Mã hồ sơ", "Tiếp nhận", "Hoàn thành"),
        tuple(
            (str(i), s.stratum.words[0], s.dossier_id, _short(s.received_at), _short(s.finished_at))
            for i, s in enumerate(review.sample, start=1)
        )
        or (("", "", "", "", ""),),
        (1, 3, 4, 3, 3),
        small=True,
    )
    trend = [
        Text(
            f"{unit or '(không rõ)'}: "
            + ("không đủ số liệu" if change is None else f"{change:+.2f} điểm %".replace(".", ","))
        )
        for unit, change in sorted(review.trend.items())
    ]
    return Layout(
        kind="iso-review",
        label="Hệ thống quản lý chất lượng TCVN ISO 9001",
        head=(review.agency.upper(),) if review.agency else (),
        number="",
        date_line=date_line("", review.end),
        title="BÁO CÁO XEM XÉT CỦA LÃNH ĐẠO",
        blocks=(
            Text(f"Kỳ: từ ngày {review.start:%d/%m/%Y} đến ngày {review.end:%d/%m/%Y}", "center"),
            Text("1. Kết quả giải quyết hồ sơ", "bold"),
            Text(review.summary),
            Text("2. Mục tiêu chất lượng (tỷ lệ trước và đúng hạn), xu hướng theo tháng", "bold"),
            *trend,
            Text(f"3. Sự không phù hợp: {len(review.nonconformities)} hồ sơ", "bold"),
            nonconformities,
            Text(f"4. Mẫu hồ sơ đánh giá nội bộ: {len(review.sample)} hồ sơ", "bold"),
            sample,
        ),
    )


def write_review_docx(review: IsoReview, path: str | Path) -> None:
    """Write the pack's document (DOCX): summary, objectives' trend, nonconformities, sample."""
    from procflow.forms.docx_render import write_layout_docx

    write_layout_docx(review_layout(review), path)
