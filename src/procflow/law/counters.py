"""The period report's counters: which columns of a report one dossier adds to.

A dossier counts in a period when it was received by the period's end and did not end
(finish, withdrawal or return) before the period began: the dossiers "received" in the
report form II.06a are the new ones plus those carried over. Each counted dossier adds
to one "received" column by channel or to "carried over", and to the column of its
outcome at the period's end (resolved early / on time / late, withdrawn, returned, or in
progress in time / overdue); Decision 766 indicator 2.1 counts every one of them
(``d766_counted``) and its numerator those early, on time or still in time
(``d766_on_time``, :func:`procflow.law.outcome.d766_on_time`).

Written once with :mod:`procflow.law.ops`: one dossier gives Python bools, a batch gives
numpy masks, and both reports (``procflow.report``, ``procflow.bulk``) count with it.

References:
    Circular 01/2018/TT-VPCP form II.06a (received: new and carried over, by channel;
    resolved: early, on time, late; in progress: in time, overdue); Decision 766/QĐ-TTg
    (2022) indicator 2.1.
"""

from __future__ import annotations

from procflow.law.ops import Vec, not_

__all__ = ["CHANNELS", "COUNTERS", "OUTCOMES", "counters", "in_period"]

OUTCOMES: tuple[str, ...] = (
    "withdrawn",
    "early",
    "on_time",
    "late",
    "returned",
    "in_time",
    "overdue",
)
"""Outcome codes: the index of the outcome value in this tuple."""

WITHDRAWN, EARLY, ON_TIME, LATE, RETURNED, IN_TIME, OVERDUE = range(7)

CHANNELS: tuple[str, ...] = ("online", "in_person", "post")
"""Channel codes: the index of the channel value in this tuple."""

ONLINE, IN_PERSON, POST = range(3)

COUNTERS: tuple[str, ...] = (
    "received_total",
    "received_new",
    "received_online",
    "received_in_person",
    "received_post",
    "carried_over",
    "withdrawn",
    "returned",
    "d766_counted",
    "d766_on_time",
    "resolved_total",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "resolved_late_with_apology",
    "resolved_refused",
    "in_progress_total",
    "in_progress_in_time",
    "in_progress_overdue",
    "in_progress_waiting",
)
"""Every counter, in the report's column order."""


def in_period(received_by_end: Vec, received: Vec, ended: Vec, start: Vec) -> Vec:
    """Whether a dossier counts in the period.

    Args:
        received_by_end: It was received by the period's end instant.
        received: Its receipt day (a day number; any consistent numbering).
        ended: The day it finished, was withdrawn or returned, or -1 when it has not.
        start: The period's first day.

    Examples:
        >>> in_period(True, 10, -1, 12), in_period(True, 10, 11, 12), in_period(False, 13, -1, 12)
        (True, False, False)
    """
    return received_by_end & not_((received < start) & (ended >= 0) & (ended < start))


def counters(
    counted: Vec,
    new: Vec,
    channel: Vec,
    outcome: Vec,
    apology: Vec,
    refused: Vec,
    waiting: Vec,
    on_time_21: Vec,
) -> dict[str, Vec]:
    """Whether a dossier adds to each of :data:`COUNTERS`.

    Args:
        counted: It counts in the period (:func:`in_period`).
        new: It was received in the period (else it was carried over).
        channel: Its channel code (:data:`CHANNELS`).
        outcome: Its outcome code at the period's end (:data:`OUTCOMES`).
        apology: It apologised (only read for late ones).
        refused: Its result was a refusal (only read for resolved ones).
        waiting: It waits for the applicant (only read for those in progress).
        on_time_21: It is in the numerator of Decision 766 indicator 2.1.

    Examples:
        >>> c = counters(True, True, ONLINE, LATE, True, False, False, False)
        >>> [name for name in COUNTERS if c[name]]  # doctest: +NORMALIZE_WHITESPACE
        ['received_total', 'received_new', 'received_online', 'd766_counted',
         'resolved_total', 'resolved_late', 'resolved_late_with_apology']
    """
    received_new = counted & new
    resolved = counted & ((outcome == EARLY) | (outcome == ON_TIME) | (outcome == LATE))
    in_progress = counted & ((outcome == IN_TIME) | (outcome == OVERDUE))
    return {
        "received_total": counted,
        "received_new": received_new,
        "received_online": received_new & (channel == ONLINE),
        "received_in_person": received_new & (channel == IN_PERSON),
        "received_post": received_new & (channel == POST),
        "carried_over": counted & not_(new),
        "withdrawn": counted & (outcome == WITHDRAWN),
        "returned": counted & (outcome == RETURNED),
        "d766_counted": counted,
        "d766_on_time": counted & on_time_21,
        "resolved_total": resolved,
        "resolved_early": counted & (outcome == EARLY),
        "resolved_on_time": counted & (outcome == ON_TIME),
        "resolved_late": counted & (outcome == LATE),
        "resolved_late_with_apology": counted & (outcome == LATE) & apology,
        "resolved_refused": resolved & refused,
        "in_progress_total": in_progress,
        "in_progress_in_time": counted & (outcome == IN_TIME),
        "in_progress_overdue": counted & (outcome == OVERDUE),
        "in_progress_waiting": in_progress & waiting,
    }
