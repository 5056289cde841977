"""Forms print the engine's dates: the receipt slip's return time is the due date, always."""

from __future__ import annotations

from datetime import datetime, time

from hypothesis import given, settings

from procflow import Dossier, TimeLimit, WorkCalendar, due_date
from procflow.forms import FormKind, form_version, receipt_slip
from tests.property.strategies import cutoffs, instants, limits


@settings(max_examples=60)
@given(received=instants, limit=limits, cutoff=cutoffs)
def test_receipt_return_time_is_the_due_date(
    received: datetime, limit: TimeLimit, cutoff: time | None, cal: WorkCalendar
) -> None:
    dossier = Dossier.model_validate(
        {
            "id": "HS-P",
            "time_limit": limit,
            "cutoff": cutoff,
            "events": [{"type": "received", "at": received}],
        }
    )
    slip = receipt_slip(dossier, None, cal)
    assert slip.return_at == due_date(received, limit, cal, cutoff=cutoff)
    assert cal.is_working_day(slip.return_at.date())
    assert slip.version == form_version(FormKind.RECEIPT, received)
