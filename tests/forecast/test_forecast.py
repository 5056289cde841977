"""Late forecast, worked by hand.

The estimate for a dossier that has used share s of its limit: among finished dossiers of its
group that used at least s, (late + 2 × base rate) / (count + 2), the base rate being the late
share of all finished dossiers; past 100 % it is 1.

History of group g: shares 50 and 80 on time, 120 and 150 late: base rate 2/4 = 0.5.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from procflow import Dossier, WorkCalendar, load_procedures
from procflow.forecast import _Past, _probability, brier, forecast_late

HISTORY = [
    _Past("g", 50, False),
    _Past("g", 80, False),
    _Past("g", 120, True),
    _Past("g", 150, True),
]


@pytest.mark.parametrize(
    ("share", "group", "probability", "behind"),
    [
        pytest.param(10.0, "g", 0.5, 4, id="all-four-(2+1)/(4+2)"),
        pytest.param(90.0, "g", 0.75, 2, id="two-late-of-two-(2+1)/(2+2)"),
        pytest.param(100.0, "g", 0.75, 2, id="at-the-limit-still-estimated"),
        pytest.param(100.5, "g", 1.0, 0, id="past-the-limit"),
        pytest.param(10.0, "h", 0.5, 0, id="no-history-base-rate"),
    ],
)
def test_probability(share: float, group: str, probability: float, behind: int) -> None:
    got, count = _probability(share, group, HISTORY)
    assert got == pytest.approx(probability)
    assert count == behind


def _dossier(dossier_id: str, *events: tuple[str, str], **attrs: Any) -> Dossier:
    out = [{"type": kind, "at": at} for kind, at in events]
    for event in out:
        if event["type"] == "finished":
            event["result"] = "granted"
        if event["type"] == "apology_issued":
            event["new_due_at"] = "2024-09-10T17:00"
    return Dossier.model_validate(
        {"id": dossier_id, "time_limit": "03 ngày làm việc", "events": out, **attrs}
    )


# Late history: 3 working days from Monday 1/7/2024 09:00 are due Thursday 4/7 17:00.
LATE_PAST = [
    _dossier(f"P{i}", ("received", "2024-07-01T09:00"), ("finished", "2024-07-08T10:00"))
    for i in range(3)
]
# Open: received Thursday 29/8/2024 10:00, due Thursday 5/9 17:00, apology by Wednesday 4/9.
OPEN = _dossier("OPEN", ("received", "2024-08-29T10:00"))
SORRY = _dossier("SORRY", ("received", "2024-08-29T10:00"), ("apology_issued", "2024-09-04T09:00"))


@pytest.mark.parametrize(
    ("as_of", "dossier", "alert", "probability"),
    [
        pytest.param(
            datetime(2024, 9, 4, 10),
            OPEN,
            "apology_due",
            1.0,
            id="6-working-hours-left-to-apologise",
        ),
        pytest.param(datetime(2024, 8, 30, 10), OPEN, None, 1.0, id="deadline-far-away"),
        pytest.param(datetime(2024, 9, 4, 10), SORRY, None, 1.0, id="apology-sent"),
        pytest.param(datetime(2024, 9, 6, 10), OPEN, "overdue", 1.0, id="overdue-without-apology"),
    ],
)
def test_alerts(
    as_of: datetime, dossier: Dossier, alert: str | None, probability: float, cal: WorkCalendar
) -> None:
    (f,) = forecast_late([*LATE_PAST, dossier], None, cal, as_of=as_of)
    assert f.dossier_id == dossier.id
    assert f.alert == alert
    assert f.probability_late == probability
    assert f.apology_deadline is not None
    assert f.apology_deadline.date() == datetime(2024, 9, 4).date()
    assert f.apology_sent is (dossier is SORRY)


def test_critical_path_left(cal: WorkCalendar) -> None:
    # CFS budgets on its one path: 2 + 4 + 4 + 12 + 2 = 24 h; reception done, appraisal 2 h in.
    d = Dossier.model_validate(
        {
            "id": "CFS",
            "procedure_id": "cfs-ha-tinh",
            "events": [
                {"type": "received", "at": "2026-03-02T08:00"},
                {"type": "step_started", "at": "2026-03-02T08:00", "step": "tiep-nhan"},
                {"type": "step_finished", "at": "2026-03-02T10:00", "step": "tiep-nhan"},
                {"type": "step_started", "at": "2026-03-02T10:00", "step": "tham-dinh"},
            ],
        }
    )
    library = load_procedures("specs")
    (f,) = forecast_late([d], library, cal, as_of=datetime(2026, 3, 2, 12))
    assert f.critical_path_left_hours == 20.0  # 2 + 4 + 12 + 2
    assert f.hours_left == 28.0  # 2/3 13:00-17:00 and 3-5/3: 4 + 24
    assert f.probability_late == 0.0  # no history at all: base rate 0


def test_brier() -> None:
    assert brier([(0.75, True), (0.25, False)]) == 0.0625
    assert brier([]) is None


def test_cli_alerts_and_backtest(capsys: pytest.CaptureFixture[str]) -> None:
    from procflow.cli import main

    example = "examples/dossiers-2025.csv"
    assert main(["forecast", example, "--as-of", "2025-03-31T17:00", "--alerts"]) == 0
    lines = capsys.readouterr().out.splitlines()
    # A title line, then a table: its heading, a rule, one row per open dossier.
    assert lines[0].startswith(f"{len(lines) - 3} open dossiers at 2025-03-31 17:00")
    assert lines[1].split() == ["dossier", "p(late)", "used", "group", "hours", "left", "path",
                                "left", "apology", "by", "alert"]  # fmt: skip
    assert all(line.split()[-1] in ("overdue", "apology_due") for line in lines[3:])
    assert main(["forecast", example, "--backtest", "2025-02", "--as-of", "2025-06-30T17:00"]) == 0
    out = capsys.readouterr().out
    assert '"brier"' in out
    assert '"base_brier"' in out
    assert main(["forecast", example, "--backtest", "2025-13"]) == 2
    assert "--backtest '2025-13'" in capsys.readouterr().err
