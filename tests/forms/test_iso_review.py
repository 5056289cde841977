"""The ISO review pack: periods, Vietnamese numbers, nonconformities and the sample."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from procflow import Dossier, WorkCalendar, load_procedures
from procflow.cli import main
from procflow.errors import InputError
from procflow.evaluation import Outcome
from procflow.forms.iso_review import IsoReview, iso_review, parse_period, vi_number, vi_percent
from tests.forms.samples import EXAMPLES, ROOT

PERIODS = [
    ("year", "2024", date(2024, 1, 1), date(2024, 12, 31)),
    ("first-half", "2024H1", date(2024, 1, 1), date(2024, 6, 30)),
    ("third-quarter", "2024Q3", date(2024, 7, 1), date(2024, 9, 30)),
    ("leap-february", "2024-02", date(2024, 2, 1), date(2024, 2, 29)),
]


@pytest.mark.parametrize(
    ("text", "start", "end"), [p[1:] for p in PERIODS], ids=[p[0] for p in PERIODS]
)
def test_parse_period(text: str, start: date, end: date) -> None:
    assert parse_period(text) == (start, end)


@pytest.mark.parametrize("text", ["2024H3", "2024Q0", "24H1", "2024-13"])
def test_bad_period(text: str) -> None:
    with pytest.raises(InputError, match=text):
        parse_period(text)


def test_vietnamese_numbers() -> None:
    # The seeds' ward, first half of 2024: 627 of 820 early.
    assert vi_percent(76.46) == "76,46 %"
    assert vi_number(1234567) == "1.234.567"


def _review(cal: WorkCalendar, seed: int = 0) -> IsoReview:
    raw = json.loads((EXAMPLES / "dossiers.json").read_text(encoding="utf-8"))
    dossiers = [Dossier.model_validate(d) for d in raw["dossiers"]]
    library = load_procedures(ROOT / "specs")
    return iso_review(
        dossiers, library, cal, start=date(2026, 3, 1), end=date(2026, 3, 31), seed=seed
    )


def test_late_dossier_is_attributed_to_its_step(cal: WorkCalendar) -> None:
    review = _review(cal)
    finding = next(n for n in review.nonconformities if n.dossier_id == "HS-2026-0104")
    assert finding.outcome is Outcome.LATE
    # Appraisal had 0.5 day and took from 9/3 10:00 to 12/3 10:00: the largest overrun.
    assert finding.step == "tham-dinh"
    assert finding.unit == "Phòng Quản lý thương mại"


def test_sample_is_stratified_and_reproducible(cal: WorkCalendar) -> None:
    first, again = _review(cal), _review(cal)
    assert first.sample == again.sample
    assert {s.stratum for s in first.sample} <= {Outcome.EARLY, Outcome.ON_TIME, Outcome.LATE}
    assert all(s.explanation for s in first.sample)
    assert first.summary.startswith(f"{first.report.total.received_total} hồ sơ tiếp nhận")


def test_cli_writes_workbook_and_document(tmp_path: Path) -> None:
    export = ROOT / "tests" / "fixtures" / "exports" / "wide-with-errors.csv"
    out = tmp_path / "review.xlsx"
    args = ["iso-review", str(export), "--period", "2025", "--specs", str(ROOT / "specs")]
    assert main([*args, "-o", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Tóm tắt", "Mục tiêu", "Không phù hợp", "Mẫu đánh giá"]
    assert (tmp_path / "review.docx").stat().st_size > 0
