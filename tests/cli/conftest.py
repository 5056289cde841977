"""Small inputs for the command-line convention tests (a slice of the example year)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
EXAMPLE_YEAR = ROOT / "examples" / "dossiers-2025.csv"


@pytest.fixture(scope="session")
def small_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The header and the first 300 dossiers of the example year (wide CSV, with due_at)."""
    lines = EXAMPLE_YEAR.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path_factory.mktemp("cli") / "small.csv"
    path.write_text("".join(lines[:301]), encoding="utf-8")
    return path
