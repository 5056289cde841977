"""A cut-off can apply to one channel only (domain brief §3, 2026-12).

Limit 2 working days, cut-off 15:00 for online dossiers only: received Wednesday 31/1/2024
15:20 online counts from Thursday 1/2 (due Monday 5/2); in person the same minute is due
Friday 2/2.
"""

from __future__ import annotations

from datetime import datetime, time

import pytest

from procflow import TimeLimit, WorkCalendar, load_procedures
from tests.legal.engines import ENGINES, SPECS, procedure_with, run

CASES = [
    ("online-after-cutoff-next-day", "online", datetime(2024, 2, 5, 17)),
    ("in-person-cutoff-does-not-apply", "in_person", datetime(2024, 2, 2, 17)),
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("channel", "due"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_cutoff_by_channel(engine: str, channel: str, due: datetime, cal: WorkCalendar) -> None:
    procedure = procedure_with(
        cutoff=time(15),
        cutoff_channels=frozenset({"online"}),
        time_limit=TimeLimit.parse("02 ngày làm việc"),
    )
    row = {"procedure_id": procedure.id, "received_at": "2024-01-31T15:20", "channel": channel}
    got = run(engine, row, cal, datetime(2024, 12, 31), {procedure.id: procedure})
    assert got["due_at"] == due


@pytest.mark.parametrize("engine", ENGINES)
def test_karaoke_chain_last_hour_rule(engine: str, cal: WorkCalendar) -> None:
    # Decree 297/2025 Art. 6(3): received at 16:30 counts from the next working day.
    row = {"procedure_id": "chuoi-ho-kinh-doanh-karaoke", "received_at": "2026-03-02T16:30"}
    got = run(engine, row, cal, datetime(2026, 12, 31), load_procedures(SPECS))
    # Effective receipt Tuesday 3/3/2026; 16 working days later is Wednesday 25/3/2026.
    assert got["due_at"] == datetime(2026, 3, 25, 17)
