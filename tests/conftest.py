"""Shared fixtures: one calendar for the whole session (calendars are immutable values)."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from procflow import WorkCalendar, vietnam_calendar

# Property tests: no per-example deadline (CI machines vary; speed lives in benchmarks/).
# HYPOTHESIS_PROFILE=stress runs many more examples, for a deep check before a release.
settings.register_profile("default", deadline=None)
settings.register_profile(
    "stress",
    deadline=None,
    max_examples=3000,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def cal() -> WorkCalendar:
    """The default Vietnamese calendar, 2015–2030, Hà Nội office hours."""
    return vietnam_calendar()
