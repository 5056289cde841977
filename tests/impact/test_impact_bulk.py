"""The columnar what-if impact equals the per-dossier one, field for field.

The per-dossier :func:`procflow.impact.impact` is the oracle: the same changed dossiers
(old → new due dates and outcomes, the reasons), the same ``checked`` count and the same
two period reports, on the shipped example data under a calendar decision (a new day off,
a swapped working day) and under an amended spec folder, and on awkward rows (unreadable,
repeated ids, an offset, a procedure the new specs drop).
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from procflow import (
    CalendarOverride,
    ProcedureLibrary,
    load_procedures,
    read_dossiers,
    vietnam_calendar,
)
from procflow.impact import Impact, Scenario, impact
from procflow.impact_bulk import impact_bulk
from procflow.sample import generate, write

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "dossiers-2025.csv"
YEARS = range(2024, 2027)
# Illustrative decisions (not real ones): a bridge day off before Reunification Day, and a
# Saturday worked in exchange: Tuesday 29/4/2025 off, Saturday 10/5/2025 worked.
DAY_OFF = CalendarOverride(
    date=date(2025, 4, 29), kind="day_off", name_vi="Nghỉ hoán đổi (ví dụ)", source="TB 1/TB"
)
WORKED = CalendarOverride(
    date=date(2025, 5, 10), kind="working_day", name_vi="Làm bù (ví dụ)", source="TB 1/TB"
)


@pytest.fixture(scope="module")
def library() -> ProcedureLibrary:
    return load_procedures(ROOT / "specs")


def _amended_specs(folder: Path, spec: str, limit: str) -> Path:
    """A copy of the shipped specs with one procedure's time limit changed."""
    shutil.copytree(ROOT / "specs", folder)
    path = folder / spec
    text = path.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("time_limit"))
    path.write_text(text.replace(old, f'time_limit = "{limit}"', 1), encoding="utf-8")
    return folder


def _both(path: Path, old: Scenario, new: Scenario, **period: object) -> tuple[Impact, Impact]:
    table = read_dossiers(path)
    return (
        impact(table, old, new, **period),  # type: ignore[arg-type]
        impact_bulk(path, old, new, **period),  # type: ignore[arg-type]
    )


def _assert_same(reference: Impact, bulk: Impact) -> None:
    # Field by field first, for a readable failure; then the whole value.
    assert bulk.checked == reference.checked
    assert [c.dossier_id for c in bulk.changed] == [c.dossier_id for c in reference.changed]
    for mine, theirs in zip(bulk.changed, reference.changed, strict=True):
        assert mine == theirs
    assert bulk.old_report == reference.old_report
    assert bulk.new_report == reference.new_report
    assert bulk.figures == reference.figures
    assert bulk == reference


@pytest.mark.parametrize(
    ("overrides", "start", "end", "by"),
    [
        pytest.param([DAY_OFF], date(2025, 4, 1), date(2025, 4, 30), None, id="day-off-april"),
        pytest.param(
            [DAY_OFF, WORKED],
            date(2025, 4, 1),
            date(2025, 6, 30),
            "field",
            id="swapped-working-day-q2-by-field",
        ),
        pytest.param(
            [WORKED],
            date(2025, 1, 1),
            date(2025, 12, 31),
            "agency",
            id="worked-saturday-year-by-agency",
        ),
        pytest.param([DAY_OFF], date(2025, 4, 1), date(2025, 5, 31), "unit", id="day-off-by-unit"),
    ],
)
def test_calendar_decision_on_the_example_year(
    library: ProcedureLibrary,
    overrides: list[CalendarOverride],
    start: date,
    end: date,
    by: str | None,
) -> None:
    old = Scenario(vietnam_calendar(years=YEARS), library)
    new = Scenario(vietnam_calendar(years=YEARS, overrides=overrides), library)
    reference, bulk = _both(EXAMPLE, old, new, start=start, end=end, by=by)
    assert reference.changed, "the decision changes some dossiers"
    _assert_same(reference, bulk)


def test_the_swapped_days_are_the_reasons(library: ProcedureLibrary) -> None:
    old = Scenario(vietnam_calendar(years=YEARS), library)
    new = Scenario(vietnam_calendar(years=YEARS, overrides=[DAY_OFF, WORKED]), library)
    got = impact_bulk(EXAMPLE, old, new, start=date(2025, 4, 1), end=date(2025, 6, 30))
    reasons = {r for c in got.changed for r in c.reasons}
    assert reasons <= {
        "2025-04-29: working day → Nghỉ hoán đổi (ví dụ) (extra day off) [TB 1/TB]",
        "2025-05-10: weekend → Làm bù (ví dụ) (extra working day) [TB 1/TB]",
    }
    assert len(reasons) == 2


def test_amended_spec(tmp_path: Path, library: ProcedureLibrary) -> None:
    amended = load_procedures(_amended_specs(tmp_path / "specs", "dang-ky-khai-sinh.toml",
                                             "01 ngày làm việc"))  # fmt: skip
    cal = vietnam_calendar(years=YEARS)
    old, new = Scenario(cal, library), Scenario(cal, amended)
    reference, bulk = _both(EXAMPLE, old, new, start=date(2025, 1, 1), end=date(2025, 3, 31))
    assert reference.changed
    assert all(
        any(r.startswith("time limit ") and r.endswith("→ '01 ngày làm việc'") for r in c.reasons)
        for c in bulk.changed
    )
    _assert_same(reference, bulk)


def test_awkward_rows(tmp_path: Path) -> None:
    """Unreadable, repeated, offset, late-received and dropped-procedure rows, by hand.

    3 working days from Monday 7/4/2025 09:00 are due Thursday 10/4 17:00; the day off on
    Wednesday 9/4 moves it to Friday 11/4.
    """
    path = tmp_path / "rows.csv"
    path.write_text(
        "dossier_id,procedure_id,received_at,finished_at,time_limit\n"
        "A,,2025-04-07T09:00:00,2025-04-10T16:00:00,03 ngày làm việc\n"
        "B,,not a date,,03 ngày làm việc\n"
        "C,,2025-04-07T09:00:00,,03 ngày làm việc\n"
        "C,,2025-04-08T09:00:00,,03 ngày làm việc\n"
        "D,,2025-04-07T09:00:00+07:00,,03 ngày làm việc\n"
        "E,,2025-05-07T09:00:00,,03 ngày làm việc\n"
        "F,cfs-ha-tinh,2025-04-07T09:00:00,,\n"
        "G,no-such-procedure,2025-04-07T09:00:00,,\n"
        '"H\nI",,2025-04-14T09:00:00,,03 ngày làm việc\n',
        encoding="utf-8",
    )
    off = CalendarOverride(date=date(2025, 4, 9), kind="day_off", name_vi="Nghỉ", source="TB 2")
    library = load_procedures(ROOT / "specs")
    shutil.copytree(ROOT / "specs", tmp_path / "specs")
    (tmp_path / "specs" / "cfs-ha-tinh.toml").unlink()
    without_cfs = load_procedures(tmp_path / "specs")
    old = Scenario(vietnam_calendar(years=YEARS), library)
    new = Scenario(vietnam_calendar(years=YEARS, overrides=[off]), without_cfs)
    reference, bulk = _both(path, old, new, start=date(2025, 4, 1), end=date(2025, 4, 30))
    _assert_same(reference, bulk)
    # A, D and F change (F: its procedure is gone); G fails the same way in both.
    assert [c.dossier_id for c in bulk.changed] == ["A", "D", "F"]
    assert bulk.checked == 5  # A, D, F, G and the dossier on lines 10-11
    d = bulk.changed[1]
    assert d.old_due_at is not None
    assert d.old_due_at.utcoffset() is not None  # received with +07:00: kept aware
    assert bulk.changed[2].new_outcome is None
    assert bulk.changed[2].reasons[0].startswith("new: ")
    assert "'cfs-ha-tinh'" in bulk.changed[2].reasons[0]
    assert {r.row for r in bulk.new_report.rejected} == {3, 4, 5, 8, 9}


def test_sample_rows(tmp_path: Path, library: ProcedureLibrary) -> None:
    path = tmp_path / "sample.csv"
    write(generate(1500, seed=7), path)
    old = Scenario(vietnam_calendar(years=YEARS), library)
    new = Scenario(vietnam_calendar(years=YEARS, overrides=[DAY_OFF, WORKED]), library)
    reference, bulk = _both(path, old, new, start=date(2025, 4, 1), end=date(2025, 5, 31),
                            by="procedure")  # fmt: skip
    assert reference.changed
    _assert_same(reference, bulk)


def test_missing_column_names_the_file(tmp_path: Path, library: ProcedureLibrary) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("dossier_id,finished_at\nA,2025-01-02T09:00:00\n", encoding="utf-8")
    s = Scenario(vietnam_calendar(years=YEARS), library)
    with pytest.raises(ValueError, match=r"bad\.csv: missing column\(s\) received_at"):
        impact_bulk(path, s, s, start=date(2025, 1, 1), end=date(2025, 1, 31))
