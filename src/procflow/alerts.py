"""Alerts for one-stop screens: dossiers about to run late, or already late.

Built from evaluations (:func:`procflow.evaluate` at the screen's ``as_of``), so the
same rules and clock stops apply. A dossier whose clock is stopped (waiting for the
applicant or a wait not counted) raises no "due soon" alert.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from procflow.deadline import Note, day_en, day_vi
from procflow.evaluation import Evaluation, Outcome
from procflow.procedure import HOURS_PER_DAY

__all__ = ["Alert", "AlertKind", "alerts"]


class AlertKind(StrEnum):
    """Why a dossier is shown."""

    OVERDUE = "overdue"
    """Unfinished and past its due time: an apology was due."""
    DUE_SOON = "due_soon"
    """Due within the window asked for."""
    SHARE_USED = "share_used"
    """Has used at least the share of its time asked for (e.g. 75 %)."""


class Alert(BaseModel):
    """One dossier to show, and why.

    Attributes:
        dossier_id: The dossier.
        kind: Why it is shown.
        due_at: Its effective due date.
        remaining_hours: Working hours left (negative: overrun).
        used_share: Share of its time used (used / (used + remaining)).
        note: The reason, in Vietnamese and English.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    dossier_id: str
    kind: AlertKind
    due_at: datetime
    remaining_hours: float
    used_share: float
    note: Note


def alerts(
    evaluations: Iterable[Evaluation],
    *,
    within_hours: float | None = None,
    within_days: float | None = None,
    share: float | None = None,
) -> list[Alert]:
    """List the unfinished dossiers that need attention, most urgent first.

    Every overdue dossier is listed; an in-time one is listed when its remaining time is
    within ``within_hours`` working hours or ``within_days`` working days (8 hours a day),
    or when it has used at least ``share`` (0–1) of its time.

    Args:
        evaluations: Evaluations at the screen's ``as_of``.
        within_hours: Warn when at most this many working hours remain.
        within_days: Warn when at most this many working days remain.
        share: Warn when at least this share of the time is used, e.g. 0.75.

    Returns:
        The alerts, by remaining time (least first).

    Raises:
        ValueError: If ``share`` is not between 0 and 1.
    """
    if share is not None and not 0 <= share <= 1:
        raise ValueError(f"share must be between 0 and 1, got {share}")
    window = min(
        (
            w
            for w in (within_hours, None if within_days is None else within_days * HOURS_PER_DAY)
            if w is not None
        ),
        default=None,
    )
    out = []
    for e in evaluations:
        if e.outcome not in (Outcome.IN_TIME, Outcome.OVERDUE) or e.effective_due_at is None:
            continue
        if e.remaining_hours is None or (e.clock_stopped and e.outcome is Outcome.IN_TIME):
            continue
        remaining = e.remaining_hours
        total = e.used_hours + remaining
        used_share = e.used_hours / total if total > 0 else 1.0
        due = e.effective_due_at
        when_vi, when_en = (
            f"{due:%H:%M} {day_vi(due.date())}",
            f"{due:%H:%M} on {day_en(due.date())}",
        )
        if e.outcome is Outcome.OVERDUE:
            kind = AlertKind.OVERDUE
            note = Note(
                code="overdue",
                vi=f"Quá hạn {-remaining:g} giờ làm việc (hạn {when_vi}): cần văn bản xin lỗi",
                en=f"Overdue by {-remaining:g} working hours (due {when_en}): an apology is due",
            )
        elif window is not None and remaining <= window:
            kind = AlertKind.DUE_SOON
            note = Note(
                code="due_soon",
                vi=f"Còn {remaining:g} giờ làm việc (hạn {when_vi})",
                en=f"{remaining:g} working hours left (due {when_en})",
            )
        elif share is not None and used_share >= share:
            kind = AlertKind.SHARE_USED
            note = Note(
                code="share_used",
                vi=f"Đã dùng {used_share:.0%} thời hạn (hạn {when_vi})",
                en=f"{used_share:.0%} of the time used (due {when_en})",
            )
        else:
            continue
        out.append(
            Alert(
                dossier_id=e.dossier_id,
                kind=kind,
                due_at=due,
                remaining_hours=remaining,
                used_share=used_share,
                note=note,
            )
        )
    return sorted(out, key=lambda a: a.remaining_hours)
