"""Steps against their plan, the frontend JSON contract, and screen alerts."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from procflow import (
    AlertKind,
    Dossier,
    Outcome,
    ProcedureLibrary,
    WorkCalendar,
    alerts,
    evaluate,
    load_procedures,
)

from .cases import dossier, ev


@pytest.fixture(scope="module")
def library() -> ProcedureLibrary:
    return load_procedures(Path(__file__).parents[2] / "src" / "procflow" / "specs")


def test_frontend_json_contract(cal: WorkCalendar, library: ProcedureLibrary) -> None:
    d = Dossier.model_validate(
        {
            "id": "HS-0001",
            "procedure_id": "dang-ky-doanh-nghiep",
            "channel": "online",
            "office": "Trung tâm Phục vụ hành chính công tỉnh",
            "events": [
                {"type": "received", "at": "2026-03-02T09:00:00"},
                {"type": "supplement_requested", "at": "2026-03-03T09:00:00"},
                {"type": "supplement_received", "at": "2026-03-04T09:00:00"},
                {"type": "finished", "at": "2026-03-06T15:00:00", "result": "granted"},
            ],
        }
    )
    e = evaluate(d, library, cal, as_of=datetime(2026, 3, 31))
    assert e.due_at == datetime(2026, 3, 5, 17)  # 3 working days from Mon 2/3
    assert e.effective_due_at == datetime(2026, 3, 9, 17)  # restart from Wed 4/3
    assert e.outcome is Outcome.EARLY
    assert e.model_dump(mode="json")["outcome"] == "early"


def test_steps_that_used_the_overrun(cal: WorkCalendar, library: ProcedureLibrary) -> None:
    d = Dossier.model_validate(
        {
            "id": "HS-CFS",
            "procedure_id": "cfs-ha-tinh",
            "events": [
                ev("received", "2024-08-29T08:00"),
                ev("step_started", "2024-08-29T08:00", step="tiep-nhan"),
                ev("step_finished", "2024-08-29T10:00", step="tiep-nhan"),
                ev("step_started", "2024-08-29T10:00", step="tham-dinh"),
                ev("step_finished", "2024-09-04T10:00", step="tham-dinh", unit="Phòng QLTM"),
                ev("step_started", "2024-09-04T10:00", step="ky-nhay"),
                ev("step_finished", "2024-09-04T14:00", step="ky-nhay"),
                ev("step_started", "2024-09-04T14:00", step="phe-duyet"),
                ev("step_finished", "2024-09-06T09:00", step="phe-duyet"),
                ev("finished", "2024-09-06T10:00", result="granted"),
            ],
        }
    )
    e = evaluate(d, library, cal, as_of=date(2024, 12, 31))
    assert e.outcome is Outcome.LATE
    by_id = {s.step_id: s for s in e.steps}
    assert by_id["tiep-nhan"].overrun_hours == 0
    assert by_id["tham-dinh"].used_hours == 6 + 8 + 2  # 29/8 from 10:00, 30/8, 4/9 to 10:00
    assert by_id["tham-dinh"].overrun_hours == 12  # budget 0.5 day = 4 h
    assert by_id["phe-duyet"].overrun_hours == 0  # 3 + 8 + 1 = 12 hours, its budget
    assert e.overrun_steps == ("tham-dinh",)
    assert e.overrun_units == ("Phòng QLTM",)
    assert by_id["tham-dinh"].late_hours == 12  # planned due 29/8 15:00


def test_conditional_steps_follow_the_events(cal: WorkCalendar, library: ProcedureLibrary) -> None:
    d = Dossier.model_validate(
        {
            "id": "HS-KH",
            "procedure_id": "dang-ky-ket-hon",
            "events": [
                ev("received", "2026-03-02T09:00"),
                ev("step_started", "2026-03-02T09:00", step="xac-minh"),
            ],
        }
    )
    e = evaluate(d, library, cal, as_of=datetime(2026, 3, 3, 9))
    assert [s.step_id for s in e.steps] == ["tiep-nhan", "tham-dinh", "xac-minh", "ky", "trao-giay"]


def test_version_in_force_at_receipt(cal: WorkCalendar, library: ProcedureLibrary) -> None:
    events = [ev("received", "2025-06-30T09:00")]
    d = Dossier.model_validate(
        {"id": "H", "procedure_id": "dang-ky-ho-kinh-doanh", "events": events}
    )
    assert evaluate(d, library, cal, as_of=date(2025, 7, 31)).procedure_version == date(2021, 1, 4)


def test_alerts(cal: WorkCalendar) -> None:
    r = ev("received", "2024-08-29T10:00")  # due Thu 5/9 17:00
    as_of = datetime(2024, 9, 5, 9)
    evaluations = [
        evaluate(dossier("03 ngày làm việc", r, id="A"), None, cal, as_of=as_of),  # 7 h left
        evaluate(dossier("01 ngày làm việc", r, id="B"), None, cal, as_of=as_of),  # overdue
        evaluate(dossier("10 ngày làm việc", r, id="C"), None, cal, as_of=as_of),  # plenty left
        evaluate(
            dossier(
                "03 ngày làm việc", r, ev("finished", "2024-09-04T09:00", result="granted"), id="D"
            ),
            None,
            cal,
            as_of=as_of,
        ),
    ]
    found = alerts(evaluations, within_hours=7)
    assert [(a.dossier_id, a.kind) for a in found] == [
        ("B", AlertKind.OVERDUE),
        ("A", AlertKind.DUE_SOON),
    ]
    by_share = alerts(evaluations, share=0.75)
    assert [(a.dossier_id, a.kind) for a in by_share] == [
        ("B", AlertKind.OVERDUE),
        ("A", AlertKind.SHARE_USED),
    ]
    assert "Còn 7 giờ làm việc" in found[1].note.vi


def test_alert_share_must_be_a_fraction() -> None:
    with pytest.raises(ValueError, match="75"):
        alerts([], share=75)
