"""Decision 766 indicator 2.1: dossiers processed on time, over the official denominator.

The status of each dossier is read from its :class:`~procflow.evaluation.Evaluation`, so the
due dates, clock stops and supplement requests are not derived a second time.

References:
    Decision 766/QĐ-TTg of 23 June 2022 (service index of the direction and administration of
    administrative procedures), indicator 2.1, and the Government Office's technical
    description of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, overload

from pydantic import BaseModel, ConfigDict

from procflow.evaluation import Evaluation

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["Status21", "on_time_21", "rate_21", "status_21"]


@overload
def on_time_21(end: datetime, due_at: datetime, supplement_requests: int) -> bool: ...


@overload
def on_time_21(
    end: npt.NDArray[np.int64],
    due_at: npt.NDArray[np.int64],
    supplement_requests: npt.NDArray[np.int64],
) -> npt.NDArray[np.bool_]: ...


def on_time_21(end, due_at, supplement_requests):  # type: ignore[no-untyped-def]
    """Return whether a dossier whose count ends at ``end`` is in indicator 2.1's numerator.

    The one statement of the numerator's test, used by :func:`status_21` and by the
    columnar report (:func:`procflow.bulk.build_report`), where it runs on whole arrays
    (times as integers, element by element).

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
    return (end <= due_at) & (supplement_requests <= 1)


class Status21(BaseModel):
    """One dossier's place in indicator 2.1.

    Attributes:
        dossier_id: The dossier.
        counts: It is in the denominator (always True: every dossier received or processed).
        on_time: It is in the numerator.
        end: The end of its count: finish, withdrawal, an open supplement request, or the
            period end.
        why: The reason, in English.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    dossier_id: str
    counts: bool
    on_time: bool
    end: datetime
    why: str


def status_21(evaluation: Evaluation) -> Status21:
    """Return the indicator 2.1 status of a dossier evaluated at the period end.

    The end of the count is the first of finished (granted, refused or returned) and
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
    ends = [t for t in (ev.finished_at, ev.withdrawn_at) if t is not None]
    if ends:
        end = min(ends)
        why = "finished" if end == ev.finished_at else "withdrawn"
    elif ev.waiting_for_applicant and ev.supplement_requests == 1:
        open_stops = [s.start for s in ev.stops if s.kind == "supplement" and s.end is None]
        end = open_stops[-1] if open_stops else ev.as_of
        why = "supplement request open"
    else:
        end = ev.as_of
        why = "open at period end"
    on_time = bool(on_time_21(end, ev.d766_due_at, ev.supplement_requests))
    if ev.supplement_requests > 1:
        why = f"{why}; {ev.supplement_requests} supplement requests count as late"
    else:
        why = f"{why} {'by' if on_time else 'after'} the due date"
    return Status21(dossier_id=ev.dossier_id, counts=True, on_time=on_time, end=end, why=why)


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
