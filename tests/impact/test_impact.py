"""What-if impact, worked by hand.

Calendar: 3 working days from Monday 7/1/2030 09:00 are 8, 9 and 10/1: due Thursday 10/1
17:00; a new day off on Wednesday 9/1 moves it to Friday 11/1, so a dossier finished on 10/1
at 16:00 goes from on time to early (one dossier moves between the report's columns).

Specs: the CFS procedure (3 working days) amended to 2: received Monday 2/3/2026 09:00, due
Thursday 5/3 becomes Wednesday 4/3 17:00; finished 4/3 16:00 goes from early to on time.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from procflow import (
    CalendarOverride,
    Dossier,
    TimeLimit,
    WorkCalendar,
    vietnam_calendar,
)
from procflow.cli import main
from procflow.impact import Scenario, impact
from tests.legal.engines import procedure_with

ROOT = Path(__file__).parents[2]
OFF = CalendarOverride(
    date=date(2030, 1, 9), kind="day_off", name_vi="Nghỉ hoán đổi", source="QĐ 1/QĐ-TTg"
)


def _dossier(dossier_id: str, received: str, finished: str, **attrs: str) -> Dossier:
    return Dossier.model_validate(
        {
            "id": dossier_id,
            **({"time_limit": "03 ngày làm việc"} if "procedure_id" not in attrs else {}),
            **attrs,
            "events": [
                {"type": "received", "at": received},
                {"type": "finished", "at": finished, "result": "granted"},
            ],
        }
    )


def test_new_day_off() -> None:
    moved = _dossier("moved", "2030-01-07T09:00", "2030-01-10T16:00")
    untouched = _dossier("untouched", "2030-01-14T09:00", "2030-01-15T10:00")
    old = Scenario(vietnam_calendar(years=[2030]), None)
    new = Scenario(vietnam_calendar(years=[2030], overrides=[OFF]), None)
    got = impact([moved, untouched], old, new, start=date(2030, 1, 1), end=date(2030, 1, 31))
    assert got.checked == 2
    assert [c.dossier_id for c in got.changed] == ["moved"]
    c = got.changed[0]
    assert (c.old_due_at, c.new_due_at) == (datetime(2030, 1, 10, 17), datetime(2030, 1, 11, 17))
    assert (c.old_outcome, c.new_outcome) == ("on_time", "early")
    assert c.reasons == ("2030-01-09: working day → Nghỉ hoán đổi (extra day off) [QĐ 1/QĐ-TTg]",)
    figures = {(f.key, f.figure): (f.old, f.new, f.delta) for f in got.figures}
    assert figures[("total", "resolved_early")] == (1, 2, 1)
    assert figures[("total", "resolved_on_time")] == (1, 0, -1)
    assert figures[("total", "early_rate")] == (50.0, 100.0, 50.0)


def test_amended_time_limit(cal: WorkCalendar) -> None:
    today = procedure_with()
    amended = procedure_with(time_limit=TimeLimit.parse("02 ngày làm việc"))
    d = _dossier("cfs", "2026-03-02T09:00", "2026-03-04T16:00", procedure_id="cfs-ha-tinh")
    got = impact(
        [d],
        Scenario(cal, {"cfs-ha-tinh": today}),
        Scenario(cal, {"cfs-ha-tinh": amended}),
        start=date(2026, 3, 1),
        end=date(2026, 3, 31),
    )
    (c,) = got.changed
    assert (c.old_due_at, c.new_due_at) == (datetime(2026, 3, 5, 17), datetime(2026, 3, 4, 17))
    assert (c.old_outcome, c.new_outcome) == ("early", "on_time")
    assert c.reasons == ("time limit '03 ngày làm việc' → '02 ngày làm việc'",)


def test_procedure_missing_from_the_new_specs_is_named(cal: WorkCalendar) -> None:
    d = _dossier("cfs", "2026-03-02T09:00", "2026-03-04T16:00", procedure_id="cfs-ha-tinh")
    got = impact(
        [d],
        Scenario(cal, {"cfs-ha-tinh": procedure_with()}),
        Scenario(cal, {}),
        start=date(2026, 3, 1),
        end=date(2026, 3, 31),
    )
    (c,) = got.changed
    assert c.new_outcome is None
    assert c.reasons[0].startswith("new: dossier 'cfs': unknown procedure 'cfs-ha-tinh'")


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    overrides = tmp_path / "new.toml"
    overrides.write_text(
        '[[override]]\ndate = 2025-04-29\nkind = "day_off"\nname_vi = "Nghỉ thử"\n'
        'source = "TB 1/TB"\n',
        encoding="utf-8",
    )
    example = str(ROOT / "examples" / "dossiers-2025.csv")
    specs = str(ROOT / "specs")
    args = ["impact", example, "--period", "2025-04", "--base-specs", specs, "--lang", "en"]
    assert main([*args, "--overrides", str(overrides)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Impact of calendar overrides")
    assert any(
        "2025-04-29: working day → Nghỉ thử (extra day off) [TB 1/TB]" in line for line in out
    )
    assert "Report figures that change:" in out
    assert main(args) == 2
    assert "needs --overrides NEW.toml or --specs NEW_DIR" in capsys.readouterr().err


def test_cli_amended_specs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The shipped specs with the birth registration's limit cut to one working day.
    new = tmp_path / "specs"
    new.mkdir()
    for spec in (ROOT / "specs").glob("*.toml"):
        text = spec.read_text(encoding="utf-8")
        (new / spec.name).write_text(text, encoding="utf-8")
    spec = new / "dang-ky-khai-sinh.toml"
    text = spec.read_text(encoding="utf-8")
    old_limit = next(line for line in text.splitlines() if line.startswith("time_limit"))
    spec.write_text(text.replace(old_limit, 'time_limit = "01 ngày làm việc"'), encoding="utf-8")
    example = str(ROOT / "examples" / "dossiers-2025.csv")
    args = ["impact", example, "--period", "2025-01", "--base-specs", str(ROOT / "specs")]
    assert main([*args, "--specs", str(new), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "time limit" in out
    assert "→ '01 ngày làm việc'" in out


def test_cli_table_and_event_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The same dossier as a wide row (columnar engine) and as an event log (per dossier).
    wide = tmp_path / "wide.csv"
    wide.write_text(
        "dossier_id,received_at,finished_at,time_limit\n"
        "HS-1,2030-01-07T09:00:00,2030-01-10T16:00:00,03 ngày làm việc\n",
        encoding="utf-8",
    )
    log = tmp_path / "log.csv"
    log.write_text(
        "dossier_id,event,at,result,time_limit\n"
        "HS-1,received,2030-01-07T09:00:00,,03 ngày làm việc\n"
        "HS-1,finished,2030-01-10T16:00:00,granted,\n",
        encoding="utf-8",
    )
    overrides = tmp_path / "new.toml"
    overrides.write_text(
        '[[override]]\ndate = 2030-01-09\nkind = "day_off"\nname_vi = "Nghỉ hoán đổi"\n'
        'source = "QĐ 1/QĐ-TTg"\n',
        encoding="utf-8",
    )
    args = ["impact", "--period", "2030-01", "--years", "2030", "--lang", "en"]
    args += ["--overrides", str(overrides)]
    documents = []
    for path in (wide, log):
        assert main([*args, str(path), "--json"]) == 0
        documents.append(json.loads(capsys.readouterr().out))
    assert documents[0] == documents[1]
    assert documents[0]["changed"][0]["new_due_at"] == "2030-01-11T17:00:00+07:00"
    assert main([*args, str(wide)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        f"Impact of calendar overrides {overrides} on {wide}, 2030-01-01 – 2030-01-31: "
        "1 of 1 dossiers change (due date or outcome)"
    )
    assert lines[2].split() == ["row", "dossier", "due", "effective", "due", "outcome", "why"]
    assert lines[4].split()[:3] == ["2", "HS-1", "2030-01-10"]
    assert "on_time → early" in lines[4]
    reason = "2030-01-09: working day → Nghỉ hoán đổi (extra day off) [QĐ 1/QĐ-TTg]"
    assert lines[4].endswith(reason)
    assert "Report figures that change:" in lines
    figures = lines[lines.index("Report figures that change:") + 3 :]
    assert figures[0].split() == ["total", "resolved_early", "0", "1", "+1"]
