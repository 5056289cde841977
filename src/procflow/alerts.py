"""Alerts for one-stop screens: dossiers about to run late, or already late.

Built from evaluations (:func:`procflow.evaluate` at the screen's ``as_of``), so the
same rules and clock stops apply. A dossier whose clock is stopped (waiting for the
applicant or a wait not counted) raises no "due soon" alert.

The choice of alert (:func:`alert_kind`) is written once over scalars and arrays: the same
function picks the alerts of a few evaluations here and of a whole table of open dossiers
on the columnar engine (:func:`procflow.bulk.alerts`), for dashboards.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from procflow.deadline import Note, day_en, day_vi
from procflow.evaluation import Evaluation, Outcome
from procflow.law.ops import Vec, not_, where
from procflow.procedure import HOURS_PER_DAY

__all__ = [
    "ALERT_KINDS",
    "Alert",
    "AlertKind",
    "alert_kind",
    "alert_note",
    "alert_window",
    "alerts",
]


class AlertKind(StrEnum):
    """Why a dossier is shown."""

    OVERDUE = "overdue"
    """Unfinished and past its due time: an apology was due."""
    DUE_SOON = "due_soon"
    """Due within the window asked for."""
    SHARE_USED = "share_used"
    """Has used at least the share of its time asked for (e.g. 75 %)."""


ALERT_KINDS: tuple[AlertKind | None, ...] = (
    None,
    AlertKind.OVERDUE,
    AlertKind.DUE_SOON,
    AlertKind.SHARE_USED,
)
"""Alert codes of :func:`alert_kind`: 0 is no alert."""


def alert_window(within_hours: float | None, within_days: float | None) -> float | None:
    """The "due soon" window in working hours: the smaller of the two given (8 hours a day)."""
    days = None if within_days is None else within_days * HOURS_PER_DAY
    return min((w for w in (within_hours, days) if w is not None), default=None)


def alert_kind(
    open_: Vec,
    overdue: Vec,
    clock_stopped: Vec,
    used: Vec,
    remaining: Vec,
    window: float | None,
    share: float | None,
) -> Vec:
    """The alert code (:data:`ALERT_KINDS`) of one dossier or of arrays of them.

    Args:
        open_: Unfinished, with a due date (outcome in time or overdue).
        overdue: Past its due time.
        clock_stopped: Its clock is stopped (waiting): no "due soon" or "share used" alert.
        used: Working hours used.
        remaining: Working hours left (negative: overrun).
        window: Warn when at most this many working hours remain (None: never).
        share: Warn when at least this share of the time is used (None: never).

    Examples:
        >>> alert_kind(True, False, False, 30.0, 2.0, 4.0, None)  # due soon
        2
        >>> alert_kind(True, False, True, 30.0, 2.0, 4.0, None)  # clock stopped
        0
    """
    total = used + remaining
    used_share = where(total > 0, used / where(total > 0, total, 1.0), 1.0)
    watched = open_ & not_(overdue) & not_(clock_stopped)
    soon = watched & (remaining <= window) if window is not None else False
    shared = watched & (used_share >= share) if share is not None else False
    return where(open_ & overdue, 1, where(soon, 2, where(shared, 3, 0)))


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
    window = alert_window(within_hours, within_days)
    out = []
    for e in evaluations:
        if e.outcome not in (Outcome.IN_TIME, Outcome.OVERDUE) or e.effective_due_at is None:
            continue
        if e.remaining_hours is None:
            continue
        remaining = e.remaining_hours
        code = alert_kind(
            True,
            e.outcome is Outcome.OVERDUE,
            e.clock_stopped,
            e.used_hours,
            remaining,
            window,
            share,
        )
        kind = ALERT_KINDS[code]
        if kind is None:
            continue
        total = e.used_hours + remaining
        used_share = e.used_hours / total if total > 0 else 1.0
        out.append(
            Alert(
                dossier_id=e.dossier_id,
                kind=kind,
                due_at=e.effective_due_at,
                remaining_hours=remaining,
                used_share=used_share,
                note=alert_note(kind, e.effective_due_at, remaining, used_share),
            )
        )
    return sorted(out, key=lambda a: a.remaining_hours)


def alert_note(kind: AlertKind, due: datetime, remaining: float, used_share: float) -> Note:
    """The reason of an alert, in Vietnamese and English."""
    when_vi, when_en = f"{due:%H:%M} {day_vi(due.date())}", f"{due:%H:%M} on {day_en(due.date())}"
    if kind is AlertKind.OVERDUE:
        return Note(
            code="overdue",
            vi=f"Quá hạn {-remaining:g} giờ làm việc (hạn {when_vi}): cần văn bản xin lỗi",
            en=f"Overdue by {-remaining:g} working hours (due {when_en}): an apology is due",
        )
    if kind is AlertKind.DUE_SOON:
        return Note(
            code="due_soon",
            vi=f"Còn {remaining:g} giờ làm việc (hạn {when_vi})",
            en=f"{remaining:g} working hours left (due {when_en})",
        )
    return Note(
        code="share_used",
        vi=f"Đã dùng {used_share:.0%} thời hạn (hạn {when_vi})",
        en=f"{used_share:.0%} of the time used (due {when_en})",
    )
