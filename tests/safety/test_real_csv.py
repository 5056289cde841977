"""Real CSV files: line breaks in quoted cells, byte order marks, legacy encodings."""

from __future__ import annotations

from pathlib import Path

import pytest

from procflow import InputError, bulk, read_dossiers
from procflow.calendar import vietnam_calendar
from procflow.cli import main

CAL = vietnam_calendar(years=[2025])
TEXT = (
    "dossier_id,received_at,finished_at,time_limit,field\n"
    'HS-1,2025-03-03T09:00:00,2025-03-04T09:00:00,3 ngày làm việc,"Hộ tịch\nghi chú"\n'
    "\n"
    "HS-2,03/03/2025,,3 ngày làm việc,Đất đai\n"
    "HS-3,2025-03-03T09:00:00,,3 ngày làm việc,Chứng thực\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_bom_and_quoted_line_breaks_are_read(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "in.csv"
    path.write_text(TEXT, encoding=encoding)
    table = read_dossiers(path)
    assert [d.id for d in table.dossiers] == ["HS-1", "HS-3"]
    assert table.dossiers[0].field == "Hộ tịch\nghi chú"
    # The file's own lines: HS-1 starts on line 2 and spans 3, line 4 is blank.
    assert table.rows == (2, 6)
    assert [(r.row, r.dossier_id) for r in table.rejected] == [(5, "HS-2")]
    result = bulk.classify(path, calendar=CAL)
    assert result.table["dossier_id"].to_pylist() == ["HS-1", "HS-3"]
    assert result.table["field"].to_pylist()[0] == "Hộ tịch\nghi chú"


@pytest.mark.parametrize("encoding", ["cp1258", "cp1252"])
def test_a_legacy_encoding_is_refused_naming_the_option(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "legacy.csv"
    text = "dossier_id,received_at,time_limit,field\nHS-1,2025-03-03T09:00:00,3 ngày,Hộ tịch\n"
    path.write_bytes(text.encode(encoding, errors="replace"))
    with pytest.raises(InputError, match="--encoding") as caught:
        read_dossiers(path)
    assert str(path) in str(caught.value)
    with pytest.raises(InputError, match="--encoding"):
        bulk.classify(path, calendar=CAL)


def test_a_named_legacy_encoding_is_read(tmp_path: Path) -> None:
    path = tmp_path / "legacy.csv"
    text = "dossier_id,received_at,time_limit,field\nHS-1,2025-03-03T09:00:00,3 ngày,Hôn nhân\n"
    path.write_bytes(text.encode("cp1258"))
    table = read_dossiers(path, encoding="cp1258")
    assert table.dossiers[0].field == "Hôn nhân"


def test_an_unknown_encoding_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(TEXT, encoding="utf-8")
    with pytest.raises(InputError, match="no-such-codec"):
        read_dossiers(path, encoding="no-such-codec")


@pytest.mark.parametrize("command", ["report", "audit", "classify"])
def test_cli_encoding_option(
    tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "legacy.csv"
    text = "dossier_id,received_at,time_limit,field\nHS-1,2025-03-03T09:00:00,3 ngày,Hôn nhân\n"
    path.write_bytes(text.encode("cp1258"))
    args = [command, str(path), "--years", "2025"]
    if command == "report":
        args += ["--from", "2025-01-01", "--to", "2025-12-31"]
    if command == "classify":
        args += ["-o", str(tmp_path / "out.parquet"), "--quiet"]
    assert main(args) == 2
    assert "--encoding" in capsys.readouterr().err
    assert main([*args, "--encoding", "cp1258"]) == 0
