"""Outputs are written atomically: a failed write leaves the old file intact."""

from __future__ import annotations

from pathlib import Path

import pytest

from procflow.errors import InputError, ProcflowError
from procflow.io import atomic_write, atomic_write_text


def test_replaces_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    target.write_text("old", encoding="utf-8")
    atomic_write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.csv"]


def test_failed_write_keeps_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    target.write_text("old", encoding="utf-8")

    def broken(temporary: Path) -> None:
        temporary.write_text("half", encoding="utf-8")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write(target, broken)
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.csv"]


def test_folder_as_output_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder") as caught:
        atomic_write_text(tmp_path, "x")
    assert isinstance(caught.value, ProcflowError)
