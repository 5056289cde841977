"""``procflow audit`` names every cause of an ambiguous printed date: text, JSON and XLSX."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from procflow.cli import main

# Row 2: Wed 31/1/2024 15:20 after the 15:00 cut-off, 2 working days: procflow Mon 5/2;
# printed Fri 2/2, what ignoring the cut-off and counting the receipt day both give.
# Row 3: Mon 4/3/2024, 2 working days: procflow Wed 6/3; printed Wed 6/3, agrees.
# Row 4: Fri 3/5/2024, 1 working day: day 1 is Sat 4/5 (worked); printed Mon 6/5, what
# ignoring that Saturday and ignoring every holiday both give.
CSV = """dossier_id,received_at,time_limit,cutoff,due_at
A,2024-01-31T15:20,02 ngày làm việc,15:00,2024-02-02T17:00
B,2024-03-04T10:00,02 ngày làm việc,,2024-03-06T17:00
C,2024-05-03T10:00,01 ngày làm việc,,2024-05-06T17:00
"""


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "printed.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def test_text_names_every_cause(export: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(export)]) == 1
    lines = capsys.readouterr().out.splitlines()
    # A table, one row per finding (file row, dossier, ..., causes most likely first).
    rows = {line.split()[1]: line.rstrip() for line in lines if line.split()[:1] in (["2"], ["4"])}
    assert rows["A"].endswith("ignores_cutoff; also explained by: counts_receipt_day")
    assert rows["C"].endswith("ignores_swapped_saturday; also explained by: ignores_holidays")
    assert lines[-1] == ("3 checked, 1 agree, 2 disagree, 0 without a source due date, 0 rejected")


def test_json_lists_the_causes_in_order(export: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(export), "--format", "json"]) == 1
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert [f["likely_causes"] for f in result["findings"]] == [
        ["ignores_cutoff", "counts_receipt_day"],
        ["ignores_swapped_saturday", "ignores_holidays"],
    ]
    assert (result["checked"], result["agreed"]) == (3, 1)
    assert captured.err.startswith("3 checked, 1 agree, 2 disagree")


def test_xlsx_shows_the_most_likely_cause_and_the_others(export: Path, tmp_path: Path) -> None:
    out = tmp_path / "audit.xlsx"
    assert main(["audit", str(export), "-o", str(out)]) == 1
    book = openpyxl.load_workbook(out)
    rows = list(book["Sai lệch"].iter_rows(values_only=True))
    assert rows[0][7:10] == (
        "Nguyên nhân có khả năng nhất",
        "Các nguyên nhân khác cũng cho ngày này",
        "Số nguyên nhân",
    )
    assert [r[1] for r in rows[1:]] == ["A", "C"]
    assert rows[1][7:10] == ("ignores_cutoff", "counts_receipt_day", 2)
    assert rows[2][7:10] == ("ignores_swapped_saturday", "ignores_holidays", 2)
    summary = {r[0]: r[1:3] for r in book["Tổng hợp"].iter_rows(values_only=True) if r[0]}
    assert summary["Sai lệch có nhiều nguyên nhân cùng giải thích"][0] == 2
    assert summary["counts_receipt_day"] == (0, 1)  # named, never the most likely
    assert summary["ignores_cutoff"] == (1, 1)


def test_xlsx_needs_a_file(export: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(export), "--format", "xlsx"]) != 0
    assert "needs -o FILE.xlsx" in capsys.readouterr().err
