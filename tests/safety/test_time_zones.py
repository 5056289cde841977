"""Time zones: every instant compared in Vietnam time, whatever offset it was written in."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from procflow import bulk, evaluate, read_dossiers
from procflow.calendar import VN_TZ, to_local, vietnam_calendar, vietnam_now
from procflow.parsing import parse_datetime

CAL = vietnam_calendar(years=[2025, 2026])
AS_OF = datetime(2025, 12, 31, 17)
# Every offset in use on Earth spans -12:00 to +14:00, with half and quarter hours.
OFFSETS = [
    (-12, 0),
    (-9, -30),
    (-5, 0),
    (0, 0),
    (3, 30),
    (5, 45),
    (7, 0),
    (8, 45),
    (12, 45),
    (14, 0),
]
ZONES = [timezone(timedelta(hours=h, minutes=m)) for h, m in OFFSETS]
# Vietnam wall times: receipt after the 15:00 cut-off, to the second and microsecond.
ROWS = [
    # received, supplement requested, supplement received, finished
    ("2025-03-03T15:00:01", "", "", "2025-03-06T16:59:59.999999"),
    ("2025-03-03T14:59:59.5", "2025-03-04T08:00:00", "2025-03-05T09:30:15", "2025-03-10T17:00:00"),
    ("2025-03-07T16:59:59", "", "", "2025-03-13T17:00:01"),
    ("2025-12-30T23:59:59.999999", "", "", ""),
]
COLUMNS = ["received_at", "supplement_requested_at", "supplement_received_at", "finished_at"]


def _in(zone: timezone, text: str) -> str:
    return parse_datetime(text).replace(tzinfo=VN_TZ).astimezone(zone).isoformat() if text else ""


def _write(path: Path, zones: list[timezone] | None) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["dossier_id", *COLUMNS, "time_limit", "cutoff"])
        for n, row in enumerate(ROWS):
            # Each column of a row in its own offset: their order must come from the instants.
            cells = [
                _in(zones[(n + k) % len(zones)], text) if zones else text
                for k, text in enumerate(row)
            ]
            writer.writerow([f"HS-{n}", *cells, "03 ngày làm việc", "15:00"])
    return path


def _outcomes(path: Path) -> list[tuple[str, str, datetime]]:
    table = read_dossiers(path)
    assert not table.rejected, table.rejected
    out = []
    for dossier in table.dossiers:
        e = evaluate(dossier, None, CAL, as_of=AS_OF)
        out.append((dossier.id, e.outcome.value, to_local(e.due_at)))
    return out


@pytest.mark.parametrize("zone", ZONES, ids=[str(z) for z in ZONES])
@pytest.mark.parametrize("text", [t for row in ROWS for t in row if t])
def test_parse_then_vietnam_time_is_the_same_instant(zone: timezone, text: str) -> None:
    assert to_local(parse_datetime(_in(zone, text))) == parse_datetime(text)


def test_every_offset_gives_the_naive_vietnam_answer_on_every_path(tmp_path: Path) -> None:
    naive = _write(tmp_path / "naive.csv", None)
    mixed = _write(tmp_path / "mixed.csv", ZONES)
    expected = _outcomes(naive)
    assert _outcomes(mixed) == expected
    # Hand-worked (cut-off 15:00, 3 working days, restart on the supplement): HS-0 after the
    # cut-off, due Fri 7/3 17:00, done Thu 6/3; HS-1 restarted 5/3 09:30:15, due Mon 10/3
    # 17:00, done at 17:00:00; HS-2 due Thu 13/3 17:00, done one second later.
    assert [o for _, o, _ in expected] == ["early", "on_time", "late", "in_time"]
    for source in (naive, mixed):
        result = bulk.classify(source, calendar=CAL, as_of=AS_OF)
        assert result.rejected.num_rows == 0
        got = list(
            zip(
                result.table["dossier_id"].to_pylist(),
                result.table["outcome"].to_pylist(),
                result.table["due_at"].to_pylist(),
                strict=True,
            )
        )
        assert got == expected


@pytest.mark.parametrize("zone", ["UTC", "+05:30", "-12:00", "+14:00", "Asia/Ho_Chi_Minh"])
def test_aware_parquet_timestamps_are_converted(tmp_path: Path, zone: str) -> None:
    naive = _write(tmp_path / "naive.csv", None)
    expected = _outcomes(naive)

    def column(k: int) -> pa.Array:
        values = [parse_datetime(row[k]).replace(tzinfo=VN_TZ) if row[k] else None for row in ROWS]
        return pa.array(values, pa.timestamp("us", tz="UTC")).cast(pa.timestamp("us", tz=zone))

    data = {"dossier_id": [f"HS-{n}" for n in range(len(ROWS))]}
    table = pa.table(
        {
            **data,
            **{name: column(k) for k, name in enumerate(COLUMNS)},
            "time_limit": ["03 ngày làm việc"] * len(ROWS),
            "cutoff": ["15:00"] * len(ROWS),
        }
    )
    path = tmp_path / "aware.parquet"
    pq.write_table(table, path)
    assert _outcomes(path) == expected
    result = bulk.classify(path, calendar=CAL, as_of=AS_OF)
    assert result.table["outcome"].to_pylist() == [o for _, o, _ in expected]


def test_now_is_vietnam_time() -> None:
    now = vietnam_now()
    assert now.utcoffset() == timedelta(hours=7)
    assert abs(now - datetime.now(UTC)) < timedelta(minutes=1)


def test_events_are_ordered_by_instant_not_by_wall_clock(tmp_path: Path) -> None:
    # Requested Tue 4/3 08:00 and received Wed 5/3 09:30 Vietnam time: written in +14:00 and
    # -12:00, the wall clocks (4/3 15:00 and 4/3 14:30) run the other way.
    path = tmp_path / "order.csv"
    path.write_text(
        "dossier_id,received_at,supplement_requested_at,supplement_received_at,"
        "finished_at,time_limit\n"
        "HS-1,2025-03-03T09:00:00+07:00,2025-03-04T15:00:00+14:00,2025-03-04T14:30:00-12:00,"
        "2025-03-10T16:00:00Z,03 ngày làm việc\n",
        encoding="utf-8",
    )
    table = read_dossiers(path)
    assert not table.rejected, table.rejected
    kinds = [e.type.value for e in table.dossiers[0].events]
    assert kinds == ["received", "supplement_requested", "supplement_received", "finished"]
