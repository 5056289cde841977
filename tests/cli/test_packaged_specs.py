"""``form`` and ``iso-review`` use the packaged library by default, outside the repository."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from procflow.cli import main

ROOT = Path(__file__).parents[2]


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_csv: Path) -> Path:
    """A working directory without specs/, holding a copy of the inputs."""
    shutil.copy(ROOT / "examples" / "forms" / "cfs-late.json", tmp_path / "dossier.json")
    shutil.copy(small_csv, tmp_path / "export.csv")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_form_outside_the_repository(elsewhere: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["form", "receipt", "dossier.json", "-o", "receipt.html"]) == 0
    assert "Mẫu số 01" in capsys.readouterr().out
    args = ["form", "ii06a", "export.csv", "--from", "2025-01-01", "--to", "2025-03-31"]
    assert main([*args, "-o", "ii06a.xlsx"]) == 0
    assert ", 0 rejected" in capsys.readouterr().out


def test_iso_review_outside_the_repository(
    elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["iso-review", "export.csv", "--period", "2025Q1", "-o", "review.xlsx"]) == 0
    assert ", 0 rejected" in capsys.readouterr().out
    assert (elsewhere / "review.docx").is_file()


@pytest.mark.parametrize("period", ["2025-Q1", "2025Q1"])
def test_iso_review_reads_periods_as_the_other_commands(
    elsewhere: Path, capsys: pytest.CaptureFixture[str], period: str
) -> None:
    assert main(["iso-review", "export.csv", "--period", period, "-o", "r.xlsx", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]
