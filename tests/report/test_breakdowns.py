"""Breakdowns: service levels, report rows by unit, officer, step, service level, inter-agency,
and the delay of a late dossier attributed to the step and unit that overran their budgets.

The step case, worked by hand: the CFS procedure of Hà Tĩnh (3 working days; budgets receive
0.25 day = 2 h, appraise 0.5 day = 4 h, initial 4 h, approve 1.5 day = 12 h, return 2 h),
received Monday 2/3/2026 08:00, due Thursday 5/3 17:00 (32 working hours). Appraisal runs from
2/3 10:00 to 5/3 10:00: 6 + 8 + 8 + 2 = 24 h, 20 h over its 4 h; approval 5/3 13:00 to 9/3
10:00: 4 + 8 + 2 = 14 h, 2 h over; finished 9/3 10:00, late, 42 working hours used of 32
allowed: 131.25 % of the limit.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from procflow import Dossier, ServiceLevel, WorkCalendar, build_report, evaluate, load_procedures
from procflow.breakdown import attribute_delay, breakdown_key, percentiles, share_of_limit
from procflow.cli import main

ROOT = Path(__file__).parents[2]
EXAMPLE = str(ROOT / "examples" / "dossiers-2025.csv")
SPECS = ROOT / "specs"


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("full_online", ServiceLevel.FULL_ONLINE),
        ("toàn trình", ServiceLevel.FULL_ONLINE),
        ("4", ServiceLevel.FULL_ONLINE),  # legacy level 4 (Decree 43/2011)
        ("Mức độ 4", ServiceLevel.FULL_ONLINE),
        ("3", ServiceLevel.PARTLY_ONLINE),
        ("Một phần", ServiceLevel.PARTLY_ONLINE),
        ("partly online", ServiceLevel.PARTLY_ONLINE),
        ("2", ServiceLevel.IN_PERSON),  # forms online, submitted in person
        ("1", ServiceLevel.IN_PERSON),
        ("trực tiếp", ServiceLevel.IN_PERSON),
    ],
)
def test_service_levels(text: str, level: ServiceLevel) -> None:
    assert ServiceLevel.parse(text) is level


def test_unknown_service_level_is_named() -> None:
    with pytest.raises(ValueError, match="got 'level 5'"):
        ServiceLevel.parse("level 5")


def _cfs(steps: list[tuple[str, str, str]], finished: str) -> Dossier:
    events: list[dict[str, Any]] = [{"type": "received", "at": "2026-03-02T08:00"}]
    for step, begin, end in steps:
        events.append({"type": "step_started", "at": begin, "step": step, "officer": "Lan"})
        events.append({"type": "step_finished", "at": end, "step": step})
    events.append({"type": "finished", "at": finished, "result": "granted"})
    return Dossier.model_validate(
        {"id": f"CFS-{finished}", "procedure_id": "cfs-ha-tinh", "events": events}
    )


LATE = _cfs(
    [
        ("tiep-nhan", "2026-03-02T08:00", "2026-03-02T10:00"),
        ("tham-dinh", "2026-03-02T10:00", "2026-03-05T10:00"),
        ("ky-nhay", "2026-03-05T10:00", "2026-03-05T12:00"),
        ("phe-duyet", "2026-03-05T13:00", "2026-03-09T10:00"),
    ],
    "2026-03-09T10:00",
)
ON_TIME = _cfs([("tiep-nhan", "2026-03-02T08:00", "2026-03-02T09:00")], "2026-03-04T10:00")


def test_delay_attributed_to_the_step_most_over_budget(cal: WorkCalendar) -> None:
    library = load_procedures(SPECS)
    e = evaluate(LATE, library, cal, as_of=datetime(2026, 3, 31, 17))
    assert e.outcome.value == "late"
    delay = attribute_delay(e)
    assert delay is not None
    assert (delay.step_id, delay.overrun_hours, delay.other_steps) == (
        "tham-dinh",
        20.0,
        ("phe-duyet",),
    )
    assert delay.unit == "Chuyên viên Phòng Quản lý thương mại, Sở Công Thương"
    assert share_of_limit(e) == 131.25
    on_time = evaluate(ON_TIME, library, cal, as_of=datetime(2026, 3, 31, 17))
    assert attribute_delay(on_time) is None


def test_report_by_step_officer_inter_agency(cal: WorkCalendar) -> None:
    library = load_procedures(SPECS)
    args: dict[str, Any] = {"start": date(2026, 3, 1), "end": date(2026, 3, 31)}
    by_step = build_report([LATE, ON_TIME], library, cal, by="step", **args)
    assert {r.key: r.resolved_late for r in by_step.rows} == {"": 0, "tham-dinh": 1}
    by_officer = build_report([LATE, ON_TIME], library, cal, by="officer", **args)
    assert [r.key for r in by_officer.rows] == ["Lan"]
    by_link = build_report([LATE, ON_TIME], library, cal, by="inter_agency", **args)
    assert [r.key for r in by_link.rows] == ["single_agency"]


def test_unit_column_beats_event_units() -> None:
    d = Dossier.model_validate(
        {
            "id": "X",
            "time_limit": "1 ngày làm việc",
            "unit": "Bộ phận Một cửa",
            "events": [{"type": "received", "at": "2026-03-02T09:00", "unit": "Phòng Tư pháp"}],
        }
    )
    assert breakdown_key("unit", d, None, None) == "Bộ phận Một cửa"
    assert breakdown_key("inter_agency", d, None, None) == ""
    with pytest.raises(ValueError, match="unknown breakdown 'desk'"):
        breakdown_key("desk", d, None, None)


def test_percentiles_nearest_rank() -> None:
    assert percentiles([50.0, 131.25]) == {"p50": 50.0, "p90": 131.25, "p95": 131.25}


@pytest.mark.parametrize("by", ["unit", "officer", "service_level", "inter_agency", "step"])
def test_cli_report_breakdowns_account_for_every_dossier(
    by: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["report", EXAMPLE, "--from", "2025-01-01", "--to", "2025-03-31", "--specs", str(SPECS)]
    assert main([*args, "--by", by, "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    head = lines[0].split(",")
    rows = [dict(zip(head, line.split(","), strict=True)) for line in lines[1:]]
    total = rows[-1]
    assert total["key"] == "total"
    assert sum(int(r["received_total"]) for r in rows[:-1]) == int(total["received_total"]) == 681
    keys = {r["key"] for r in rows[:-1]}
    expected = {
        "unit": {"Bộ phận Một cửa", "Phòng Tư pháp - Hộ tịch", "Phòng Kinh tế - Hạ tầng",
                 "Phòng Tài nguyên và Môi trường"},
        "service_level": {"full_online", "partly_online", "in_person"},
        "inter_agency": {"", "inter_agency", "single_agency"},
        "step": {""},  # the wide example records no step events
    }  # fmt: skip
    if by in expected:
        assert keys == expected[by]
    else:
        assert len(keys) == 8  # two officers per unit


def test_index_attributes_the_delay(cal: WorkCalendar) -> None:
    from procflow.index766 import build_index

    library = load_procedures(SPECS)
    idx = build_index([LATE, ON_TIME], library, cal, start=date(2026, 3, 1), end=date(2026, 3, 31))
    (against,) = idx.total.against_21
    assert against.dossier_id == LATE.id
    assert against.delay is not None
    assert (against.delay.step_id, against.delay.overrun_hours) == ("tham-dinh", 20.0)
    assert idx.total.delays_by_step == {"tham-dinh": 1}
    assert idx.total.delays_by_unit == {"Chuyên viên Phòng Quản lý thương mại, Sở Công Thương": 1}
