"""Columnar alerts (``procflow.bulk.alerts``) are the per-dossier alerts, row for row."""

from __future__ import annotations

from datetime import datetime

import pytest

from procflow import ProcedureLibrary, ProcflowError, WorkCalendar, alerts, bulk, evaluate
from procflow.interchange import WIDE_COLUMNS, row_to_dossier
from procflow.sample import generate
from tests.legal.engines import SPECS


@pytest.fixture(scope="module")
def library() -> ProcedureLibrary:
    from procflow import load_procedures

    return load_procedures(SPECS)


@pytest.mark.parametrize(
    ("within_days", "share"), [(2.0, None), (None, 0.75), (1.0, 0.5), (None, None)]
)
def test_columnar_alerts_equal_the_per_dossier_ones(
    cal: WorkCalendar, library: ProcedureLibrary, within_days: float | None, share: float | None
) -> None:
    table = generate(2_000, 2025, seed=11)
    as_of = datetime(2025, 7, 15, 10, 30)
    evaluations = []
    for row in table.to_pylist():
        try:
            dossier = row_to_dossier({k: v for k, v in row.items() if k in WIDE_COLUMNS})
            evaluations.append(evaluate(dossier, library, cal, as_of=as_of, detail=False))
        except ProcflowError:
            continue  # received after as_of: the columnar engine rejects it too
    expected = [
        (a.dossier_id, a.kind.value, a.due_at, round(a.remaining_hours, 6), a.note.en)
        for a in alerts(evaluations, within_days=within_days, share=share)
    ]
    found = bulk.alerts(
        table,
        procedures=library,
        calendar=cal,
        as_of=as_of,
        within_days=within_days,
        share=share,
        notes=True,
    )
    got = [
        (r["dossier_id"], r["kind"], r["due_at"], round(r["remaining_hours"], 6), r["note_en"])
        for r in found.to_pylist()
    ]
    assert got == expected
    assert any(kind == "overdue" for _, kind, *_ in got)


def test_share_out_of_range_is_refused(cal: WorkCalendar) -> None:
    with pytest.raises(ValueError, match="share"):
        bulk.alerts(generate(10, 2025), calendar=cal, share=75)


def test_notes_only_when_asked(cal: WorkCalendar) -> None:
    rows = generate(300, 2025, seed=2)
    plain = bulk.alerts(rows, calendar=cal, as_of=datetime(2025, 7, 1, 9), within_days=1)
    worded = bulk.alerts(
        rows, calendar=cal, as_of=datetime(2025, 7, 1, 9), within_days=1, notes=True
    )
    assert "note_vi" not in plain.column_names
    assert worded.drop_columns(["note_vi", "note_en"]).equals(plain)
