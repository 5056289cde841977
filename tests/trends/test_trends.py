"""Monthly trends against an objective, worked by hand.

Limit 3 working days, March and April 2026. Unit A: March one early (finished 3/3) and one late
(finished 10/3, due 5/3): 50 % timely; April one early: 100 %. Unit B: March one early: 100 %;
nothing resolved in April: no value. With an objective of 95 %, A is below in March only.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from procflow import Dossier, Report, WorkCalendar, build_report
from procflow.cli import main
from procflow.errors import InputError
from procflow.trends import trends, trends_csv

ROOT = Path(__file__).parents[2]


def _d(dossier_id: str, unit: str, received: str, finished: str) -> Dossier:
    return Dossier.model_validate(
        {
            "id": dossier_id,
            "time_limit": "03 ngày làm việc",
            "unit": unit,
            "events": [
                {"type": "received", "at": received},
                {"type": "finished", "at": finished, "result": "granted"},
            ],
        }
    )


DOSSIERS = [
    _d("A1", "A", "2026-03-02T09:00", "2026-03-03T10:00"),
    _d("A2", "A", "2026-03-02T09:00", "2026-03-10T10:00"),
    _d("A3", "A", "2026-04-06T09:00", "2026-04-07T10:00"),
    _d("B1", "B", "2026-03-02T09:00", "2026-03-03T10:00"),
]


def test_series_per_unit(cal: WorkCalendar) -> None:
    def report(start: date, end: date, by: str | None) -> Report:
        return build_report(DOSSIERS, None, cal, start=start, end=end, by=by)

    t = trends(report, start=date(2026, 3, 1), end=date(2026, 4, 30), by="unit", objective=95)
    assert t.months == ("2026-03", "2026-04")
    got = {s.key: (s.values, s.below) for s in t.series}
    assert got == {
        "A": ((50.0, 100.0), ("2026-03",)),
        "B": ((100.0, None), ()),
        "total": ((66.67, 100.0), ("2026-03",)),
    }
    assert trends_csv(t).splitlines() == [
        "key,2026-03,2026-04",
        "A,50.0,100.0",
        "B,100.0,",
        "total,66.67,100.0",
    ]


def test_unknown_metric(cal: WorkCalendar) -> None:
    def report(start: date, end: date, by: str | None) -> Report:
        return build_report(DOSSIERS, None, cal, start=start, end=end, by=by)

    with pytest.raises(InputError, match="unknown metric 'speed'"):
        trends(report, start=date(2026, 3, 1), end=date(2026, 3, 31), metric="speed")


def test_cli_chart(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "trend.png"
    example = str(ROOT / "examples" / "dossiers-2025.csv")
    args = ["trends", example, "--period", "2025-Q1", "--by", "unit", "--objective", "95"]
    assert main([*args, "--specs", str(ROOT / "specs"), "-o", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "below 95: total: 2025-01, 2025-02, 2025-03" in capsys.readouterr().out


@pytest.mark.parametrize(("terminal", "table"), [(True, True), (False, False)])
def test_the_series_print_as_a_table_on_a_terminal_and_as_csv_in_a_pipe(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    terminal: bool,
    table: bool,
) -> None:
    monkeypatch.setattr("sys.stdout.isatty", lambda: terminal)
    example = str(ROOT / "examples" / "dossiers-2025.csv")
    args = ["trends", example, "--period", "2025-Q1", "--by", "agency", "--specs"]
    assert main([*args, str(ROOT / "specs")]) == 0
    out = capsys.readouterr().out
    first = out.lstrip().splitlines()[0]
    assert ("timely_rate" in first) == table  # the table's title is the metric
    assert (first == "key,2025-01,2025-02,2025-03") == (not table)
    assert ("total                            94.30     90.32     90.95" in out) == table
