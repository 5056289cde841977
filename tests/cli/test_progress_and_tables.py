"""Progress bars only on a terminal; tables laid out to the width of Vietnamese text."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from procflow.cli import main


def test_no_progress_bar_in_a_pipe(small_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "c.parquet"
    done = subprocess.run(
        [sys.executable, "-m", "procflow.cli", "classify", str(small_csv), "-o", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stderr == ""
    assert done.stdout.startswith("300 rows: 300 classified into ")


@pytest.mark.parametrize(
    ("option", "bar"),
    [([], False), (["--progress"], True), (["--no-progress"], False), (["--quiet"], False)],
    ids=["default", "forced", "off", "quiet"],
)
def test_progress_is_forced_or_off(
    small_csv: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    option: list[str],
    bar: bool,
) -> None:
    assert main(["classify", str(small_csv), "-o", str(tmp_path / "c.csv"), *option]) == 0
    assert ("classify: " in capsys.readouterr().err) is bar


def _columns_start_together(lines: list[str], cell: str) -> None:
    """The column holding ``cell`` starts at one display column on every line."""
    starts = {cell_len(line[: line.index(cell)]) for line in lines if cell in line}
    assert len(starts) == 1, lines


def test_calendar_columns_fit_vietnamese_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "2026", "--json"]) == 0
    sources = {d["date"]: d["source"] for d in json.loads(capsys.readouterr().out)["days"]}
    assert main(["calendar", "2026"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ["ngày", "thứ"]
    days = [line for line in lines if line[:10] in sources]
    assert len(days) == len(sources)
    # The source column starts at one display column on every row, however many
    # combining marks the Vietnamese names before it hold.
    starts = {cell_len(line[: line.index(sources[line[:10]])]) for line in days}
    assert len(starts) == 1
    assert all(line == line.rstrip() for line in lines)  # no trailing blanks in a pipe


def test_report_table(small_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["report", str(small_csv), "--from", "2025-01-01", "--to", "2025-12-31"]
    assert main([*args, "--by", "field", "--format", "table"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Báo cáo 2025-01-01 – 2025-12-31"
    assert lines[1].split()[:2] == ["Nhóm", "Nhận"]
    total = lines[-1].split()
    assert total[0] == "total"
    assert re.fullmatch(r"\d+\.\d\d", total[-1])  # a rate, two decimals
    rows = [line for line in lines[3:] if line.strip()]
    # Group names of different display widths: the numbers end on one column.
    ends = {cell_len(line) for line in rows}
    assert len(ends) == 1


def test_show_lays_out_the_steps(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "cfs-ha-tinh", "--received", "2024-08-29T10:00"]) == 0
    lines = capsys.readouterr().out.splitlines()
    steps = [line for line in lines if line.startswith("*")]
    assert len(steps) == 5
    _columns_start_together(steps, "2024-0")
    assert all(line.endswith("6h") for line in steps)


class Terminal(io.StringIO):
    """A standard output that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_on_a_terminal_a_table_fits_its_width(monkeypatch: pytest.MonkeyPatch) -> None:
    from procflow.cli_common import print_table

    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setenv("NO_COLOR", "1")
    out = Terminal()
    long = "Cấp Giấy chứng nhận lưu hành tự do (CFS) đối với hàng hoá xuất khẩu"
    print_table(["mã", "tên"], [["cfs-ha-tinh", long]], file=out)
    lines = re.sub(r"\x1b\[[0-9;]*m", "", out.getvalue()).splitlines()  # bold headings
    assert max(cell_len(line) for line in lines) == 60
    assert "khẩu" in out.getvalue()  # wrapped within its column, not cut
