"""The bulk engine gives exactly the per-dossier answers, on random rows and on a large table."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procflow import OfficeHours, ProcedureLibrary, WorkCalendar, load_procedures, vietnam_calendar
from procflow.bulk import classify
from tests.bulk.equality import compare

SPECS = Path(__file__).parents[2] / "src" / "procflow" / "specs"


@pytest.fixture(scope="module")
def library() -> ProcedureLibrary:
    return load_procedures(SPECS)


LIMITS = [
    "03 ngày làm việc",
    "01 ngày làm việc",
    "Trong ngày",
    "15 ngày",
    "04 giờ làm việc",
    "0,5 ngày làm việc",
    "20 ngày làm việc",
    "ba ngày",
    "",
]
PROCEDURES = [
    "",
    "",
    "",
    "cfs-ha-tinh",
    "dang-ky-ho-kinh-doanh",
    "chung-thuc-ban-sao",
    "boi-thuong-nghe-an",
    "giay-phep-xay-dung-nha-o",
    "nope",
]
minutes = st.integers(0, 60 * 24 * 25).map(lambda m: timedelta(minutes=m))
clock = st.integers(0, 24 * 60 - 1).map(lambda m: timedelta(minutes=m))


def _fmt(t: datetime | None, style: int) -> str:
    if t is None:
        return ""
    return (
        t.isoformat(),
        t.strftime("%Y-%m-%dT%H:%M"),
        t.strftime("%Y-%m-%d %H:%M:%S"),
        t.isoformat() + "+07:00",
    )[style]


@st.composite
def rows(draw: st.DrawFn) -> dict[str, Any]:
    day = draw(st.dates(min_value=date(2024, 1, 1), max_value=date(2025, 12, 31)))
    received = datetime.combine(day, datetime.min.time()) + draw(clock)
    style = draw(st.sampled_from([0, 0, 0, 1, 2, 3]))
    times: dict[str, datetime | None] = dict.fromkeys(
        (
            "supplement_requested_at",
            "supplement_received_at",
            "apology_issued_at",
            "finished_at",
            "withdrawn_at",
        )
    )
    now = received
    if draw(st.integers(0, 3)) == 0:
        now += draw(minutes)
        times["supplement_requested_at"] = now
        if draw(st.booleans()):
            now += draw(minutes)
            times["supplement_received_at"] = now
    if draw(st.integers(0, 4)) == 0:
        times["apology_issued_at"] = received + draw(minutes)
    end = draw(st.sampled_from(["open", "finished", "finished", "withdrawn"]))
    if end != "open":
        times[f"{end}_at"] = (
            now
            + draw(minutes)
            - (timedelta(days=1) if draw(st.integers(0, 30)) == 0 else timedelta())
        )
    pid = draw(st.sampled_from(PROCEDURES))
    row: dict[str, Any] = {
        "dossier_id": draw(st.sampled_from(["HS-1", "HS-2", " HS-3 ", ""]))
        if draw(st.integers(0, 20)) == 0
        else "HS-X",
        "procedure_id": pid,
        "received_at": _fmt(received, style) if draw(st.integers(0, 30)) else "31/12/2024",
        "time_limit": "" if pid else draw(st.sampled_from(LIMITS)),
        "cutoff": "" if pid else draw(st.sampled_from(["", "", "15:00", "16:00", "15h30"])),
        "supplement_policy": "" if pid else draw(st.sampled_from(["", "restart", "pause", "none"])),
        "channel": draw(st.sampled_from(["online", "in_person", "post", "", "fax"])),
        "result": draw(st.sampled_from(["", "granted", "refused"])),
        "apology_new_due_at": "",
    }
    row.update({k: _fmt(v, style) for k, v in times.items()})
    return row


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    batch=st.lists(rows(), min_size=1, max_size=40),
    as_of_day=st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 3, 31)),
)
def test_random_rows_equal_the_per_dossier_path(
    cal: WorkCalendar, library: ProcedureLibrary, batch: list[dict[str, Any]], as_of_day: date
) -> None:
    table = pa.Table.from_pylist(batch)
    compare(
        table,
        library,
        cal,
        datetime.combine(as_of_day, datetime.min.time()) + timedelta(hours=13, minutes=7),
    )


def test_saturday_reception_and_other_office_hours(library: ProcedureLibrary) -> None:
    hours = OfficeHours.parse("07:30-11:30, 13:00-17:00", saturday="07:30-11:30")
    cal = vietnam_calendar(years=range(2024, 2027), office_hours=hours)
    days = [date(2025, 3, 1) + timedelta(days=k) for k in range(40)]
    batch = [
        {
            "dossier_id": f"S{i}",
            "received_at": f"{d}T{h:02d}:{m:02d}:00",
            "time_limit": limit,
            "finished_at": f"{d + timedelta(days=3)}T10:00:00",
        }
        for i, (d, h, m, limit) in enumerate(
            (d, h, m, limit)
            for d in days
            for h, m in ((7, 0), (9, 45), (11, 31), (16, 30))
            for limit in ("01 ngày làm việc", "8 giờ làm việc")
        )
    ]
    compare(pa.Table.from_pylist(batch), library, cal, datetime(2025, 12, 31, 23, 59))


def test_large_random_table(cal: WorkCalendar, library: ProcedureLibrary) -> None:
    """100,000 synthetic rows: every one as the per-dossier path classifies it."""
    from benchmarks.synthetic import generate

    table = generate(100_000, 2025, seed=7)
    result = compare(table, library, cal, datetime(2025, 11, 30, 12, 0))
    assert result.table.num_rows > 90_000
    outcomes = set(result.table["outcome"].to_pylist())
    assert outcomes == {"early", "on_time", "late", "in_time", "overdue", "withdrawn"}


def test_inputs_pandas_polars_path(
    tmp_path: Path, cal: WorkCalendar, library: ProcedureLibrary
) -> None:
    from benchmarks.synthetic import generate, write

    table = generate(500, 2025, seed=3)
    as_of = datetime(2025, 12, 31, 23, 59)
    expected = classify(table, procedures=library, calendar=cal, as_of=as_of).table
    csv_path, parquet_path = tmp_path / "y.csv", tmp_path / "y.parquet"
    write(table, csv_path)
    write(table, parquet_path)
    for source in (table.to_pandas(), csv_path, parquet_path, str(parquet_path)):
        got = classify(source, procedures=library, calendar=cal, as_of=as_of).table
        assert got.select(["index", "outcome", "due_at", "used_hours"]).equals(
            expected.select(["index", "outcome", "due_at", "used_hours"])
        ), type(source)


def test_unknown_source_type() -> None:
    with pytest.raises(ValueError, match="cannot classify a int"):
        classify(42)


def test_missing_columns() -> None:
    with pytest.raises(ValueError, match=r"missing column.*received_at"):
        classify(pa.table({"dossier_id": ["A"]}))


def test_default_as_of_is_the_end_of_the_latest_day(cal: WorkCalendar) -> None:
    table = pa.table(
        {
            "dossier_id": ["A"],
            "received_at": ["2025-03-03T09:00:00"],
            "time_limit": ["1 ngày làm việc"],
        }
    )
    result = classify(table, calendar=cal)
    assert result.table["outcome"].to_pylist() == ["in_time"]  # as of the end of 3/3
    assert result.table["remaining_hours"][0].as_py() == 8  # all of 4/3; 3/3 is over
