"""A file without the wide format's columns is an error naming the file, on every path."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from procflow import WorkCalendar
from procflow.bulk import build_report, classify_file
from procflow.cli import main
from procflow.errors import InputError


@pytest.fixture(params=["csv", "parquet"])
def no_ids(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    path = tmp_path / f"export.{request.param}"
    if request.param == "csv":
        path.write_text("ma_ho_so,ngay_nhan\n", encoding="utf-8")  # header only, wrong names
    else:
        pq.write_table(pa.table({"ma_ho_so": ["A"], "ngay_nhan": ["2025-01-02T08:00"]}), path)
    return path


def test_library_calls_name_the_file(no_ids: Path, tmp_path: Path, cal: WorkCalendar) -> None:
    message = re.escape(f"{no_ids}: missing column(s) dossier_id, received_at")
    with pytest.raises(InputError, match=message):
        build_report(no_ids, None, cal, start=date(2025, 1, 1), end=date(2025, 3, 31))
    with pytest.raises(InputError, match=message):
        classify_file(no_ids, tmp_path / "out.parquet", calendar=cal)
    assert not (tmp_path / "out.parquet").exists()


def test_the_command_fails_instead_of_reporting_nothing(
    no_ids: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["report", str(no_ids), "--from", "2025-01-01", "--to", "2025-03-31"])
    assert code != 0
    assert f"{no_ids}: missing column(s) dossier_id" in capsys.readouterr().err
