"""Golden snapshots: the calendar 2024–2027 as procflow reads it."""

from __future__ import annotations

import difflib

from procflow import vietnam_calendar

from .regenerate import CALENDAR_SNAPSHOT, YEARS, render_calendar


def test_calendar_snapshot() -> None:
    expected = CALENDAR_SNAPSHOT.read_text(encoding="utf-8")
    actual = render_calendar(vietnam_calendar(years=YEARS))
    diff = "".join(
        difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), "snapshot", "now")
    )
    assert not diff, (
        f"calendar changed; review, then `python -m tests.snapshots.regenerate`:\n{diff}"
    )
