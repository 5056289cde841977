"""Shared fixtures: one calendar for the whole session (calendars are immutable values)."""

from __future__ import annotations

import pytest

from procflow import WorkCalendar, vietnam_calendar


@pytest.fixture(scope="session")
def cal() -> WorkCalendar:
    """The default Vietnamese calendar, 2015–2030, Hà Nội office hours."""
    return vietnam_calendar()
