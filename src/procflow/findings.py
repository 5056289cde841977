"""Compliance findings: what a dossier's handling did against the rules, with the article.

Each finding is read from the dossier's :class:`~procflow.evaluation.Evaluation` (its
outcome, apology check, supplement requests and notes), so the law is applied once, in
the evaluation, and only named here. :data:`FINDINGS` is the table of codes, articles and
messages; :func:`findings` lists a dossier's findings; :func:`count_findings` and
:func:`findings_by_group` give the counts a report or the Decision 766 index shows per
group.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel, ConfigDict

from procflow.evaluation import Evaluation, Outcome
from procflow.labels import LabelledEnum
from procflow.law.ops import Vec, not_, where

__all__ = [
    "FINDINGS",
    "Finding",
    "FindingCode",
    "FindingRule",
    "count_findings",
    "findings",
    "findings_by_group",
    "new_due_missed",
]


class FindingCode(LabelledEnum):
    """A kind of compliance finding. Values are stable: report columns use them."""

    @classmethod
    def labels(cls) -> Mapping[Any, tuple[str, str]]:
        """Each member's (Vietnamese, English) label."""
        return _FINDING_LABELS

    LATE_WITHOUT_APOLOGY = "late_without_apology"
    """Late or overdue, and no apology with a new date was sent."""
    APOLOGY_LATE = "apology_late"
    """The apology came after the procedure's apology deadline."""
    REAPPOINTED_TWICE = "reappointed_twice"
    """More than one new date was given (only one is lawful)."""
    NEW_DUE_MISSED = "new_due_missed"
    """The first new date promised was missed."""
    SEVERAL_SUPPLEMENT_REQUESTS = "several_supplement_requests"
    """More than one supplement request."""
    REQUEST_OUTSIDE_WINDOW = "request_outside_window"
    """A supplement request later than the restart window after receipt."""
    SUPPLEMENT_ABANDONED = "supplement_abandoned"
    """Returned because the applicant's supplement did not arrive within its window."""
    RETURNED = "returned"
    """Returned to the applicant (trả lại hồ sơ)."""


_FINDING_LABELS: dict[FindingCode, tuple[str, str]] = {
    FindingCode.LATE_WITHOUT_APOLOGY: (
        "trễ hạn không có văn bản xin lỗi",
        "late without an apology",
    ),
    FindingCode.APOLOGY_LATE: ("xin lỗi muộn", "apology too late"),
    FindingCode.REAPPOINTED_TWICE: ("hẹn lại quá một lần", "re-appointed more than once"),
    FindingCode.NEW_DUE_MISSED: ("trễ ngày hẹn lại", "new date missed"),
    FindingCode.SEVERAL_SUPPLEMENT_REQUESTS: (
        "yêu cầu bổ sung nhiều lần",
        "several supplement requests",
    ),
    FindingCode.REQUEST_OUTSIDE_WINDOW: (
        "yêu cầu bổ sung quá thời hạn",
        "supplement request outside the window",
    ),
    FindingCode.SUPPLEMENT_ABANDONED: (
        "không bổ sung trong thời hạn",
        "supplement not received in time",
    ),
    FindingCode.RETURNED: ("trả lại hồ sơ", "returned"),
}


@dataclass(frozen=True, slots=True)
class FindingRule:
    """One row of :data:`FINDINGS`: the legal basis and the message of a finding."""

    code: FindingCode
    article_vi: str
    article_en: str
    vi: str
    en: str


_APOLOGY_VI = "Điều 19 Nghị định 61/2018/NĐ-CP (sửa đổi bởi Nghị định 107/2021/NĐ-CP)"
_APOLOGY_EN = "Decree 61/2018/NĐ-CP Art. 19, as amended by Decree 107/2021/NĐ-CP"
_ONCE_VI = "Nghị định 107/2021/NĐ-CP; khoản 5 Điều 6 Nghị định 297/2025/NĐ-CP"
_ONCE_EN = "Decree 107/2021/NĐ-CP; Decree 297/2025/NĐ-CP Art. 6(5)"
_RETURN_VI = "Nghị định 297/2025/NĐ-CP (thời hạn bổ sung hồ sơ)"
_RETURN_EN = "Decree 297/2025/NĐ-CP (the supplement window)"

FINDINGS: Mapping[FindingCode, FindingRule] = MappingProxyType(
    {
        rule.code: rule
        for rule in (
            FindingRule(
                FindingCode.LATE_WITHOUT_APOLOGY,
                _APOLOGY_VI,
                _APOLOGY_EN,
                "Quá hạn mà không có văn bản xin lỗi và hẹn lại ngày trả kết quả",
                "Late without an apology and a new date",
            ),
            FindingRule(
                FindingCode.APOLOGY_LATE,
                f"{_APOLOGY_VI}; khoản 5 Điều 6 Nghị định 297/2025/NĐ-CP",
                f"{_APOLOGY_EN}; Decree 297/2025/NĐ-CP Art. 6(5)",
                "Văn bản xin lỗi gửi chậm so với thời hạn quy định",
                "Apology sent after its deadline",
            ),
            FindingRule(
                FindingCode.REAPPOINTED_TWICE,
                _ONCE_VI,
                _ONCE_EN,
                "Hẹn lại ngày trả kết quả quá một lần",
                "New date given more than once (only one re-appointment is lawful)",
            ),
            FindingRule(
                FindingCode.NEW_DUE_MISSED,
                _ONCE_VI,
                _ONCE_EN,
                "Không trả kết quả đúng ngày hẹn lại (lần đầu)",
                "The first new date promised was missed",
            ),
            FindingRule(
                FindingCode.SEVERAL_SUPPLEMENT_REQUESTS,
                "Quyết định 766/QĐ-TTg, chỉ số 2.1 (mô tả kỹ thuật của Văn phòng Chính phủ)",
                "Decision 766/QĐ-TTg, indicator 2.1 (Government Office technical description)",
                "Yêu cầu bổ sung hồ sơ nhiều hơn một lần (tính là quá hạn)",
                "More than one supplement request (counted as late)",
            ),
            FindingRule(
                FindingCode.REQUEST_OUTSIDE_WINDOW,
                "Điểm a khoản 4 Điều 6 Nghị định 297/2025/NĐ-CP",
                "Decree 297/2025/NĐ-CP Art. 6(4)(a)",
                "Yêu cầu bổ sung sau thời hạn kiểm tra hồ sơ kể từ khi tiếp nhận",
                "Supplement requested after the checking window from receipt",
            ),
            FindingRule(
                FindingCode.SUPPLEMENT_ABANDONED,
                _RETURN_VI,
                _RETURN_EN,
                "Công dân không bổ sung hồ sơ trong thời hạn: trả lại hồ sơ",
                "The supplement did not arrive within its window: dossier returned",
            ),
            FindingRule(
                FindingCode.RETURNED,
                _RETURN_VI,
                _RETURN_EN,
                "Hồ sơ trả lại cho công dân",
                "Dossier returned to the applicant",
            ),
        )
    }
)
"""Every finding's legal basis and message, in the order of report columns."""


class Finding(BaseModel):
    """One compliance finding of one dossier.

    Attributes:
        dossier_id: The dossier.
        code: What was found.
        article: The legal basis, in English.
        article_vi: The legal basis, in Vietnamese.
        vi: The message in Vietnamese.
        en: The message in English.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    dossier_id: str
    code: FindingCode
    article: str
    article_vi: str
    vi: str
    en: str


def new_due_missed(
    new_due: Vec, finished: Vec, finished_at: Vec, withdrawn: Vec, as_of: Vec
) -> Vec:
    """Return whether the first new date an apology promised was missed.

    Missed when the dossier finished after it, or is still open (neither finished nor
    withdrawn) at ``as_of`` past it; a dossier withdrawn unfinished misses nothing. One
    dossier (datetimes, bools) or whole columns (seconds, boolean arrays): the finding
    :attr:`FindingCode.NEW_DUE_MISSED` per dossier and on the columnar engine.

    Args:
        new_due: The first new date promised.
        finished: Whether the dossier finished.
        finished_at: When (any value where it did not).
        withdrawn: Whether it was withdrawn.
        as_of: The moment it is judged at (the period end).

    Returns:
        True where the new date was missed.

    Examples:
        >>> from procflow.findings import new_due_missed
        >>> new = datetime(2026, 3, 20, 17, 0)
        >>> new_due_missed(new, True, datetime(2026, 3, 23, 9, 0), False, datetime(2026, 3, 31))
        True
        >>> new_due_missed(new, False, None, False, datetime(2026, 3, 20, 16, 0))  # not yet
        False
        >>> new_due_missed(new, False, None, True, datetime(2026, 3, 31))  # withdrawn
        False

    References:
        Decree 107/2021/NĐ-CP; Decree 297/2025/NĐ-CP Art. 6(5) (one re-appointment, the
        first new date binds).
    """
    moment = where(finished, finished_at, as_of)
    return not_(withdrawn & not_(finished)) & (moment > new_due)


def _codes(ev: Evaluation) -> list[FindingCode]:
    codes: list[FindingCode] = []
    apology = ev.apology
    if ev.outcome in (Outcome.LATE, Outcome.OVERDUE) and apology is None:
        codes.append(FindingCode.LATE_WITHOUT_APOLOGY)
    if apology is not None:
        if not apology.timely:
            codes.append(FindingCode.APOLOGY_LATE)
        if apology.reappointed_more_than_once:
            codes.append(FindingCode.REAPPOINTED_TWICE)
        if apology.new_due_at is not None and new_due_missed(
            apology.new_due_at,
            ev.finished_at is not None,
            ev.finished_at,
            ev.withdrawn_at is not None,
            ev.as_of,
        ):
            codes.append(FindingCode.NEW_DUE_MISSED)
    if ev.supplement_requests > 1:
        codes.append(FindingCode.SEVERAL_SUPPLEMENT_REQUESTS)
    notes = {note.code for note in ev.notes}
    if "request_outside_window" in notes:
        codes.append(FindingCode.REQUEST_OUTSIDE_WINDOW)
    if ev.returned_at is not None:
        # The evaluation returns a dossier only when its supplement did not arrive within
        # the return window (outcome RETURNED): every return is an abandoned supplement.
        codes += [FindingCode.SUPPLEMENT_ABANDONED, FindingCode.RETURNED]
    return codes


def findings(evaluation: Evaluation) -> tuple[Finding, ...]:
    """List the compliance findings of one evaluated dossier, in :data:`FINDINGS` order.

    Args:
        evaluation: The dossier's evaluation (at the end of the period reported).

    Returns:
        The findings, each with its article and message; empty when none.

    Examples:
        >>> from procflow.findings import findings
        >>> d = Dossier.model_validate({
        ...     "id": "HS-1", "time_limit": "03 ngày làm việc",
        ...     "events": [{"type": "received", "at": "2024-08-29T10:00"},
        ...                {"type": "finished", "at": "2024-09-06T16:00", "result": "granted"}]})
        >>> e = evaluate(d, None, vietnam_calendar(years=[2024]), as_of=date(2024, 12, 31))
        >>> [(f.code.value, f.en) for f in findings(e)]
        [('late_without_apology', 'Late without an apology and a new date')]
        >>> findings(e)[0].article
        'Decree 61/2018/NĐ-CP Art. 19, as amended by Decree 107/2021/NĐ-CP'

    References:
        Decree 61/2018/NĐ-CP Art. 19 as amended by Decree 107/2021/NĐ-CP; Decree
        297/2025/NĐ-CP Art. 6(4)(a) and 6(5); Decision 766/QĐ-TTg indicator 2.1.
    """
    return tuple(
        Finding(
            dossier_id=evaluation.dossier_id,
            code=code,
            article=FINDINGS[code].article_en,
            article_vi=FINDINGS[code].article_vi,
            vi=FINDINGS[code].vi,
            en=FINDINGS[code].en,
        )
        for code in _codes(evaluation)
    )


def count_findings(evaluations: Iterable[Evaluation]) -> dict[str, int]:
    """Count the dossiers with each finding; every code is present, zero when none.

    Args:
        evaluations: The dossiers of a group, evaluated.

    Returns:
        Finding code to the number of dossiers with it, in :data:`FINDINGS` order.

    Examples:
        >>> from procflow.findings import count_findings
        >>> count_findings([])["late_without_apology"]
        0
    """
    counts = {code.value: 0 for code in FINDINGS}
    for evaluation in evaluations:
        for code in _codes(evaluation):
            counts[code.value] += 1
    return counts


def findings_by_group(pairs: Iterable[tuple[str, Evaluation]]) -> dict[str, dict[str, int]]:
    """Count findings per group, for report columns, and a ``"total"`` over all groups.

    Args:
        pairs: ``(group key, evaluation)`` for each dossier of the period.

    Returns:
        Group key to :func:`count_findings` of its dossiers, keys sorted, ``"total"`` last.

    Examples:
        >>> from procflow.findings import findings_by_group
        >>> list(findings_by_group([]))
        ['total']
    """
    grouped: dict[str, list[Evaluation]] = {}
    for key, evaluation in pairs:
        grouped.setdefault(key, []).append(evaluation)
    out = {key: count_findings(grouped[key]) for key in sorted(grouped)}
    out["total"] = count_findings(ev for evs in grouped.values() for ev in evs)
    return out
