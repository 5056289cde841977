"""Spreadsheet safety: formula-like text stays text, control characters never crash XLSX."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from procflow import bulk
from procflow.calendar import vietnam_calendar
from procflow.cli import main
from procflow.sheets import csv_cell, xlsx_text

CAL = vietnam_calendar(years=[2025])
HOSTILE = ["=1+1", "+84 912", "-2", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x","y")']
PLAIN = ["HS-2025-001", "Hộ tịch", "a-b", "1=1", "Đất đai; ghi chú: =không"]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_is_neutralised_in_csv(text: str) -> None:
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", PLAIN)
def test_other_text_round_trips(text: str) -> None:
    assert csv_cell(text) == text
    assert xlsx_text(text) == (text, False)


def _export(tmp_path: Path) -> Path:
    path = tmp_path / "in.csv"
    rows = [["dossier_id", "received_at", "finished_at", "time_limit", "field"]]
    for n, field in enumerate([*HOSTILE, *PLAIN, "bell\x07"]):
        rows.append([f"{field}#{n}", "2025-03-03T09:00:00", "2025-03-04T09:00:00", "3 ngày", field])
    rows.append(["=bad", "not a date", "", "3 ngày", "x"])
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_xlsx_report_keeps_formula_like_keys_as_text(tmp_path: Path) -> None:
    source, out = _export(tmp_path), tmp_path / "r.xlsx"
    args = ["report", str(source), "--from", "2025-01-01", "--to", "2025-12-31", "--by", "field"]
    assert main([*args, "-o", str(out), "--years", "2025", "--accept-rejects"]) == 0
    book = openpyxl.load_workbook(out)
    keys = {c.value: c for c in book["II.06a"]["B"] if isinstance(c.value, str)}
    for text in HOSTILE[:4] + PLAIN:
        assert keys[text].data_type == "s", text
    assert "bell\ufffd" in keys
    errors = book["Dòng lỗi"]
    assert errors["B2"].value == "=bad"
    assert errors["B2"].data_type == "s"


def test_csv_report_neutralises_formula_like_keys(tmp_path: Path) -> None:
    source, out = _export(tmp_path), tmp_path / "r.csv"
    args = ["report", str(source), "--from", "2025-01-01", "--to", "2025-12-31", "--by", "field"]
    assert main([*args, "-o", str(out), "--years", "2025", "--accept-rejects"]) == 0
    with out.open(encoding="utf-8", newline="") as handle:
        keys = {row["key"] for row in csv.DictReader(handle)}
    assert "'=1+1" in keys
    assert "'@SUM(A1)" in keys
    assert set(PLAIN) <= keys
    assert "=1+1" not in keys


def test_classified_csv_neutralises_ids_and_keeps_the_others(tmp_path: Path) -> None:
    source, out = _export(tmp_path), tmp_path / "c.csv"
    bulk.classify_file(source, out, calendar=CAL)
    with out.open(encoding="utf-8", newline="") as handle:
        ids = [row["dossier_id"] for row in csv.DictReader(handle)]
    assert "'=1+1#0" in ids
    assert "HS-2025-001#7" in ids
    with out.with_suffix(".rejected.csv").open(encoding="utf-8", newline="") as handle:
        assert next(csv.DictReader(handle))["dossier_id"] == "'=bad"
