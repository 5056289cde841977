"""The columns of the wide format and of the classified table, and the result type."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

import numpy as np
import pyarrow as pa

from procflow.dossier import ServiceLevel
from procflow.evaluation import Outcome
from procflow.law import outcome as law_outcome

_EPOCH = date(1970, 1, 1).toordinal()
_DAY = 86400
_TIME_COLUMNS = (
    "received_at",
    "finished_at",
    "withdrawn_at",
    "supplement_requested_at",
    "supplement_received_at",
    "apology_issued_at",
    "apology_new_due_at",
    "due_at",
)
_EVENT_COLUMNS = (
    "received_at",
    "finished_at",
    "withdrawn_at",
    "supplement_requested_at",
    "supplement_received_at",
    "apology_issued_at",
)
"""The time columns that record events (the others are dates promised)."""
_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")
_NAT = np.iinfo(np.int64).min  # missing time, in seconds
_OUTCOMES = [o.value for o in Outcome]
_RULES = [rule_id for rule_id, _ in law_outcome.RULES]
_OUTCOME_OF_RULE = np.array([_OUTCOMES.index(outcome) for _, outcome in law_outcome.RULES])
_CHANNEL_BITS = {"": 2, "online": 1, "in_person": 2, "post": 4}  # "" is in person
_ALL_CHANNELS = 7

OUTPUT_COLUMNS = (
    "index",
    "dossier_id",
    "procedure_id",
    "channel",
    "office",
    "agency",
    "field",
    "received_at",
    "finished_at",
    "withdrawn_at",
    "result",
    "due_at",
    "effective_due_at",
    "d766_due_at",
    "outcome",
    "rule",
    "used_hours",
    "used_days",
    "remaining_hours",
    "supplement_requests",
    "clock_stopped",
    "waiting_for_applicant",
    "apology",
    "apology_timely",
    "d766_on_time",
    "returned_at",
    "apology_new_due_at",
    "request_outside_window",
)
"""Columns of the classified table. ``index`` is the row's 0-based position in the source;
``outcome`` and ``rule`` are strings; ``result``, ``procedure_id``, ``channel``, ``office``,
``agency`` and ``field`` are dictionary-encoded strings (categoricals in pandas).
``apology_new_due_at`` is the new date the apology promised (missing without an apology or a
date); ``request_outside_window`` says the supplement request came after the procedure's
restart window (the evaluation's ``request_outside_window`` note)."""


def _reads_as_level(text: str) -> bool:
    """Whether a trimmed ``service_level`` cell reads (empty: none given)."""
    try:
        return not text or ServiceLevel.parse(text) is not None
    except ValueError:
        return False


class BulkResult(NamedTuple):
    """What :func:`classify` returns: the classified rows and the rejected ones.

    Attributes:
        table: One row per classified dossier, columns :data:`OUTPUT_COLUMNS`.
        rejected: One row per rejected row: ``index`` (0-based position in the source),
            ``row`` (the spreadsheet row: index + 2, the header being row 1),
            ``dossier_id`` and ``reason``.
    """

    table: pa.Table
    rejected: pa.Table


# -- the calendar as arrays -----------------------------------------------------------------


def _day_of(seconds: np.ndarray) -> np.ndarray:
    days: np.ndarray = seconds // _DAY
    return days
