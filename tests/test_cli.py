"""The command line: exit statuses and what it prints."""

from __future__ import annotations

from pathlib import Path

import pytest

from procflow.cli import main

ROOT = Path(__file__).parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "specs"


def test_validate_shipped_specs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(ROOT / "specs")]) == 0
    out = capsys.readouterr().out
    assert ", 0 errors," in out


def test_validate_invalid_fixtures_one_line_per_problem(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(FIXTURES / "invalid")]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert any(
        line.startswith(str(FIXTURES / "invalid" / "cycle.toml")) and "step 'b'" in line
        for line in lines
    )
    assert lines[-1] == "17 files, 0 valid, 17 errors, 0 warnings"


def test_validate_overlap(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(FIXTURES / "overlap")]) == 1
    assert "[overlap]" in capsys.readouterr().out


def test_show_prints_the_plan(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["show", "cfs-ha-tinh", "--specs", str(ROOT / "specs"), "--received", "2024-08-29T10:00"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "due 17:00 thứ Năm 05/09/2024" in out
    assert "critical path (*): tiep-nhan → tham-dinh → ky-nhay → phe-duyet → tra-ket-qua" in out


def test_show_unknown_procedure(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "nope", "--specs", str(ROOT / "specs")]) == 2
    assert "unknown procedure 'nope'" in capsys.readouterr().err


def test_due_explains(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["due", "2024-01-31T15:20", "02 ngày làm việc", "--cutoff", "15:00", "--lang", "en"])
        == 0
    )
    assert "Due at 17:00 on Monday 2024-02-05" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["due", "31/01/2024", "2 ngày làm việc"], "not an ISO 8601 date-time: '31/01/2024'"),
        (["due", "2024-01-31T09:00", "hai ngày"], "cannot read the time limit 'hai ngày'"),
        (["due", "2031-01-31T09:00", "2 ngày làm việc"], "2031-01-31 is outside"),
    ],
)
def test_due_errors_name_the_value(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_demo_runs_on_the_shipped_examples(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["demo", "--examples", str(ROOT / "examples"), "--specs", str(ROOT / "specs")]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "HS-2026-0104  cfs-ha-tinh  -> late" in out
    assert "HS-2026-0107  overdue" in out
    assert "HS-2024-0003" in out
