"""The command line: exit statuses and what it prints."""

from __future__ import annotations

from pathlib import Path

import pytest

from procflow.cli import main

ROOT = Path(__file__).parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "specs"


def test_validate_shipped_specs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
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
    args = ["show", "cfs-ha-tinh", "--received", "2024-08-29T10:00"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "due 17:00 thứ Năm 05/09/2024" in out
    assert "critical path (*): tiep-nhan → tham-dinh → ky-nhay → phe-duyet → tra-ket-qua" in out


def test_show_unknown_procedure(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "nope"]) == 2
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
    args = ["demo"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "HS-2026-0104  cfs-ha-tinh  -> late" in out
    assert any(line.split()[:2] == ["HS-2026-0107", "overdue"] for line in out.splitlines())
    assert "HS-2024-0003" in out


EXAMPLE_YEAR = str(ROOT / "examples" / "dossiers-2025.csv")


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx", "png"])
def test_report_writes_each_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    out = tmp_path / f"report.{fmt}"
    args = ["report", EXAMPLE_YEAR, "--from", "2025-01-01", "--to", "2025-03-31", "--by", "field"]
    assert main([*args, "-o", str(out)]) == 0
    assert out.stat().st_size > 0
    assert "3000 dossiers read, 0 rejected" in capsys.readouterr().out


def test_report_objectives_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    objectives = tmp_path / "objectives.toml"
    objectives.write_text(
        '[[objective]]\nmetric = "timely_rate"\nminimum = 99.5\n', encoding="utf-8"
    )
    args = ["report", EXAMPLE_YEAR, "--from", "2025-01-01", "--to", "2025-03-31", "--format", "csv"]
    assert main([*args, "--objectives", str(objectives)]) == 1
    assert "objective missed: total: timely_rate" in capsys.readouterr().err


def test_report_bad_date(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", EXAMPLE_YEAR, "--from", "1/1/2025", "--to", "2025-03-31"]) == 2
    assert "--from: not an ISO 8601 date: '1/1/2025'" in capsys.readouterr().err


def test_report_ending_mid_day(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["report", EXAMPLE_YEAR, "--from", "2025-01-01", "--to", "2025-06-30T12:00"]
    assert main([*args, "--specs", str(ROOT / "specs")]) == 0
    out = capsys.readouterr().out
    assert '"period_end_at":"2025-06-30T12:00:00+07:00"' in out.replace(" ", "")
    assert '"d766_rate":' in out


def test_audit_lists_disagreements(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", EXAMPLE_YEAR]) == 1
    out = capsys.readouterr().out
    # One row per disagreement (rows 25 and 44 of the file), laid out in columns.
    row = next(line for line in out.splitlines() if "HS-2025-0000024" in line).split()
    assert row[:2] == ["25", "HS-2025-0000024"]
    # Every cause that gives the printed date, the most likely first (docs/reports.md).
    assert " ".join(row[-5:]) == "ignores_cutoff; also explained by: counts_receipt_day"
    assert out.splitlines()[-1].startswith("3000 checked, ")
