"""The integer codes the rule core uses for units, counting models, policies and reasons.

The per-dossier path and the columnar path map their enums to these codes in one place
each (:func:`unit_code`, :func:`model_code`, :func:`policy_code`).
"""

from __future__ import annotations

from procflow.procedure import SupplementPolicy
from procflow.timelimit import CountingModel, TimeUnit

__all__ = [
    "CLOCK",
    "DAY",
    "HOUR",
    "MISSING",
    "MODELS",
    "NONE",
    "PAUSE",
    "POLICIES",
    "REASONS",
    "RESTART",
    "UNITS",
    "model_code",
    "policy_code",
    "unit_code",
]

MISSING = -(2**63)
"""A missing instant in a batch of rows (the smallest int64: numpy's NaT)."""

UNITS: tuple[TimeUnit, ...] = (
    TimeUnit.WORKING_DAYS,
    TimeUnit.WORKING_HOURS,
    TimeUnit.CALENDAR_DAYS,
    TimeUnit.SAME_DAY,
    TimeUnit.CLOCK_HOURS,
    TimeUnit.WEEKS,
    TimeUnit.MONTHS,
)
"""Unit codes: the index of the unit in this tuple."""

WORKING_DAYS, WORKING_HOURS, CALENDAR_DAYS, SAME_DAY, CLOCK_HOURS, WEEKS, MONTHS = range(7)

MODELS: tuple[CountingModel, ...] = (CountingModel.DAY, CountingModel.HOUR, CountingModel.CLOCK)
"""Counting model codes."""

DAY, HOUR, CLOCK = range(3)

POLICIES: tuple[SupplementPolicy, ...] = (
    SupplementPolicy.RESTART,
    SupplementPolicy.PAUSE,
    SupplementPolicy.NONE,
)
"""Supplement policy codes."""

RESTART, PAUSE, NONE = range(3)

REASONS: tuple[str | None, ...] = (
    None,
    "after_hours",
    "after_cutoff",
    "before_opening",
    "saturday_reception",
    "day_off",
)
"""Why a receipt was moved (:func:`procflow.law.receipt.receive`), by code; 0 is not moved."""


def unit_code(unit: TimeUnit) -> int:
    """The code of a time unit."""
    return UNITS.index(unit)


def model_code(model: CountingModel) -> int:
    """The code of a counting model."""
    return MODELS.index(model)


def policy_code(policy: SupplementPolicy) -> int:
    """The code of a supplement policy."""
    return POLICIES.index(policy)
