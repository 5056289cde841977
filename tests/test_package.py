"""The package: it carries its library, runs outside the repository, and says its version."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import procflow
from procflow.cli import main
from procflow.spec import packaged_specs, spec_files

ROOT = Path(__file__).parents[1]
EXAMPLE_YEAR = str(ROOT / "examples" / "dossiers-2025.csv")


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory outside the repository, without specs/ or examples/."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_library_is_read_from_the_package(elsewhere: Path) -> None:
    library = procflow.load_procedures()
    assert len(library) >= 12
    packaged = [p.name for p in spec_files(Path(str(packaged_specs())))]
    assert len(packaged) == sum(len(versions) for versions in library.values())


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["validate"], ", 0 errors,"),
        (["show", "cfs-ha-tinh", "--received", "2024-08-29T10:00"], "critical path (*)"),
        (["demo"], "HS-2026-0104  cfs-ha-tinh  -> late"),
        (["schema"], '"title": "procflow procedure spec"'),
        (["audit", EXAMPLE_YEAR], "3000 checked, "),
    ],
    ids=["validate", "show", "demo", "schema", "audit"],
)
def test_commands_work_outside_the_repository(
    elsewhere: Path, capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    assert main(args) in (0, 1)  # audit finds the example's deliberate mistakes: 1
    assert expected in capsys.readouterr().out


def test_report_outside_the_repository_rejects_nothing(
    elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["report", EXAMPLE_YEAR, "--from", "2025-01-01", "--to", "2025-03-31", "--format", "csv"]
    assert main(args) == 0
    assert "3000 dossiers read, 0 rejected;" in capsys.readouterr().err


def test_a_specs_folder_that_does_not_exist_is_an_error(
    elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["report", EXAMPLE_YEAR, "--from", "2025-01-01", "--to", "2025-03-31"]
    assert main([*args, "--specs", "nope"]) == 2
    assert "nope: not a folder of procedure specs" in capsys.readouterr().err


def test_version(elsewhere: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "procflow.cli", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == f"procflow {procflow.__version__}\n"
    assert re.fullmatch(r"\d+\.\d+\.\d+", procflow.__version__)


def test_changelog_lists_unreleased_and_the_version() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in text
    assert f"## [{procflow.__version__}] - " in text


def test_license_is_mit() -> None:
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
