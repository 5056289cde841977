"""The columnar index (index766_bulk) equals the per-dossier one (index766.build_index).

The per-dossier builder is the oracle: on the shipped example data, for each grouping, and
on random wide rows (tests/bulk/test_equal_to_evaluate.py's strategy, with the optional
columns and the grouping columns added), both give the same IndexReport: indicators,
points, counts, the dossiers against 2.1 with their reasons, findings and rejected rows.
"""

from __future__ import annotations

import csv
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procflow import ProcedureLibrary, WorkCalendar, load_procedures, read_dossiers
from procflow.calendar import to_local
from procflow.index766 import IndexReport, build_index, read_extra_columns
from procflow.index766_bulk import build_index_bulk
from tests.bulk.test_equal_to_evaluate import SPECS, rows

EXAMPLE = Path(__file__).parents[2] / "examples" / "dossiers-2025.csv"


@pytest.fixture(scope="module")
def library() -> ProcedureLibrary:
    return load_procedures(SPECS)


def _plain(index: IndexReport) -> dict[str, Any]:
    """The index as data, each 2.1 end in local time (an aware input keeps its offset)."""
    data = index.model_dump()
    for group in [*data["groups"], data["total"]]:
        for status in group["against_21"]:
            status["end"] = to_local(status["end"]).replace(tzinfo=None)
    return data


def _diff(a: Any, b: Any, path: str = "") -> list[str]:
    """The paths where two dumps differ, with both values (a short message for a failure)."""
    if isinstance(a, dict) and isinstance(b, dict):
        keys = list(dict.fromkeys([*a, *b]))
        return [d for k in keys for d in _diff(a.get(k), b.get(k), f"{path}.{k}")]
    if isinstance(a, list | tuple) and isinstance(b, list | tuple) and len(a) == len(b):
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in _diff(x, y, f"{path}[{i}]")
        ]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


def _both(
    path: Path,
    library: ProcedureLibrary,
    cal: WorkCalendar,
    start: date,
    end: date | datetime,
    by: str | None,
    optional_columns: bool = True,
) -> tuple[dict[str, Any], dict[str, Any]]:
    oracle = build_index(
        read_dossiers(path),
        library,
        cal,
        start=start,
        end=end,
        by=by,
        extra=read_extra_columns(path, [by] if by else []) if optional_columns else None,
    )
    fast = build_index_bulk(
        path, library, cal, start=start, end=end, by=by, optional_columns=optional_columns
    )
    return _plain(oracle), _plain(fast)


@pytest.mark.parametrize(
    ("by", "start", "end"),
    [
        (None, date(2025, 1, 1), date(2025, 12, 31)),
        ("agency", date(2025, 3, 1), date(2025, 3, 31)),
        ("unit", date(2025, 1, 1), date(2025, 6, 30)),
        ("officer", date(2025, 4, 1), date(2025, 6, 30)),
        ("service_level", date(2025, 7, 1), date(2025, 12, 31)),
        ("inter_agency", date(2025, 1, 1), date(2025, 12, 31)),
        ("field", date(2025, 10, 1), date(2025, 12, 31)),
        ("procedure", date(2025, 1, 1), date(2025, 3, 31)),
        ("channel", date(2025, 5, 1), date(2025, 5, 31)),
        ("step", date(2025, 1, 1), date(2025, 12, 31)),
        ("digitised", date(2025, 2, 1), date(2025, 2, 28)),
    ],
    ids=lambda v: str(v),
)
def test_the_example_data_gives_the_same_index(
    cal: WorkCalendar, library: ProcedureLibrary, by: str | None, start: date, end: date
) -> None:
    oracle, fast = _both(EXAMPLE, library, cal, start, end, by)
    assert _diff(fast, oracle) == []


_OPTIONAL = {
    "fee_payable": ["", "yes", "no", "có", "1"],
    "paid_online": ["", "yes", "no", "x", "maybe"],
    "electronic_result": ["", "true", "false"],
    "digitised": ["", "yes", "không"],
    "complaints": ["", "0", "0", "2", "-1"],
    "satisfaction": ["", "5", "4", "2", "1", "9"],
    "unit": ["", "Một cửa", " Tư pháp "],
    "officer": ["", "Lan", "Minh"],
    "service_level": ["", "4", "3", "full_online", "trực tiếp", "mức độ 9", "level 5"],
    "agency": ["", "Sở Tư pháp", "UBND xã"],
}


@st.composite
def rows_with_columns(draw: st.DrawFn) -> dict[str, Any]:
    """A random wide row with the optional columns, and an apology's new date.

    The new date is drawn from a day before the apology (the reader rejects it) to weeks
    after it, in one of the forms the reader takes (an offset sends the row down the
    engine's per-dossier path), so that it is met, missed, or still ahead at the period end.
    """
    row = draw(rows())
    for name, values in _OPTIONAL.items():
        row[name] = draw(st.sampled_from(values))
    issued = row["apology_issued_at"]
    if issued and draw(st.integers(0, 4)):
        at = datetime.fromisoformat(issued).replace(tzinfo=None)
        new = at + timedelta(minutes=draw(st.integers(-60 * 24, 60 * 24 * 40)))
        form = draw(
            st.sampled_from(["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M+07:00"])
        )
        row["apology_new_due_at"] = new.strftime(form)
    return row


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    batch=st.lists(rows_with_columns(), min_size=1, max_size=30),
    month=st.integers(1, 12),
    year=st.sampled_from([2024, 2025]),
    by=st.sampled_from([None, "agency", "unit", "service_level", "channel", "procedure"]),
    optional_columns=st.booleans(),
    midday=st.booleans(),
)
def test_random_rows_give_the_same_index(
    cal: WorkCalendar,
    library: ProcedureLibrary,
    tmp_path_factory: pytest.TempPathFactory,
    batch: list[dict[str, Any]],
    month: int,
    year: int,
    by: str | None,
    optional_columns: bool,
    midday: bool,
) -> None:
    """Every figure, reason, finding and rejected row, whatever the rows.

    ``optional_columns=False`` is the report's ``--findings`` (no row rejected for those
    columns); ``midday`` ends the period at noon of its last day (``--to ...T12:00``).
    """
    # One id a row (a repeated id rejects all its rows, on both paths alike).
    for n, row in enumerate(batch):
        if row["dossier_id"] == "HS-X":
            row["dossier_id"] = f"HS-{n}"
    path = tmp_path_factory.mktemp("rows") / "rows.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(batch[0]))
        writer.writeheader()
        writer.writerows(batch)
    start = date(year, month, 1)
    end = date(year + month // 12, month % 12 + 1, 1).replace(day=1)
    last = date.fromordinal(end.toordinal() - 1)
    until = datetime.combine(last, time(12, 0)) if midday else last
    oracle, fast = _both(path, library, cal, start, until, by, optional_columns)
    assert _diff(fast, oracle) == []


_MARCH = (date(2025, 3, 1), date(2025, 3, 31))


@st.composite
def finding_rows(draw: st.DrawFn) -> dict[str, Any]:
    """A wide row of March 2025 (or carried over from February) that finds something often.

    Supplement requests from receipt to four days after it (inside and outside the restart
    window of 8 working hours), under each policy; apologies with a new date before or after
    the finish, or still ahead at the period end; some rows received after the period.
    """
    received = datetime(2025, 2, 20, 7) + timedelta(minutes=draw(st.integers(0, 60 * 24 * 43)))
    row: dict[str, Any] = {
        "dossier_id": "",
        "received_at": received.isoformat(),
        "procedure_id": "",
        "time_limit": draw(st.sampled_from(["03 ngày làm việc", "01 ngày làm việc", "10 ngày"])),
        "supplement_policy": draw(st.sampled_from(["", "restart", "pause", "none"])),
        "supplement_requested_at": "",
        "supplement_received_at": "",
        "apology_issued_at": "",
        "apology_new_due_at": "",
        "finished_at": "",
        "withdrawn_at": "",
    }
    if pid := draw(st.sampled_from(["cfs-ha-tinh", "chung-thuc-ban-sao", "", "", ""])):
        row.update(procedure_id=pid, time_limit="", supplement_policy="")
    now = latest = received
    if draw(st.booleans()):
        now += timedelta(minutes=draw(st.integers(0, 60 * 24 * 4)))
        row["supplement_requested_at"] = now.isoformat()
        if draw(st.booleans()):
            now += timedelta(minutes=draw(st.integers(1, 60 * 24 * 6)))
            row["supplement_received_at"] = now.isoformat()
    if draw(st.booleans()):
        issued = received + timedelta(minutes=draw(st.integers(0, 60 * 24 * 8)))
        row["apology_issued_at"] = issued.isoformat()
        latest = issued
        if draw(st.integers(0, 4)):
            new = issued + timedelta(minutes=draw(st.integers(1, 60 * 24 * 20)))
            row["apology_new_due_at"] = new.isoformat()
    end = draw(st.sampled_from(["open", "finished", "finished", "withdrawn"]))
    if end != "open":
        at = max(now, latest) + timedelta(minutes=draw(st.integers(1, 60 * 24 * 20)))
        row[f"{end}_at"] = at.isoformat()
    return row


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=st.lists(finding_rows(), min_size=5, max_size=30), midday=st.booleans())
def test_random_findings_are_the_same(
    cal: WorkCalendar,
    library: ProcedureLibrary,
    tmp_path_factory: pytest.TempPathFactory,
    batch: list[dict[str, Any]],
    midday: bool,
) -> None:
    """Every finding count, on rows that make them: the new date, the window, the apology."""
    for n, row in enumerate(batch):
        row["dossier_id"] = f"HS-{n}"
    path = tmp_path_factory.mktemp("findings") / "rows.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(batch[0]))
        writer.writeheader()
        writer.writerows(batch)
    start, last = _MARCH
    until = datetime.combine(last, time(12, 0)) if midday else last
    oracle, fast = _both(path, library, cal, start, until, "procedure", optional_columns=False)
    assert _diff(fast, oracle) == []
