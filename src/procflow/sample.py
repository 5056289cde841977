"""A realistic synthetic year of dossiers in the wide interchange format.

Run ``procflow sample N -o OUT.parquet|OUT.csv [--year 2025] [--seed 0]`` to try the bulk
path or reproduce the benchmarks (``benchmarks/``): the same seed gives the same rows.
Parquet files are written in row groups of 128 Ki rows with dictionary-encoded text, as
an agency's export would be.

The mix: the shipped procedures plus inline limits (same day to 20 working days, calendar
days, hours); receipts on working days in office hours, online ones also at night and on
weekends; about 10 % with a supplement cycle, 2 % withdrawn, most finished early, some on
the due date, a few late (half of those with an apology), 4 % refused, and dossiers received
late in the year still in progress. Vectorised with numpy: 10 million rows in seconds.
The shipped ``examples/dossiers-2025.csv`` is ``procflow sample 3000 -o
examples/dossiers-2025.csv --seed 2025 --audit --quality``, with the columns of
:func:`with_quality_columns` (``--quality``: unit, officer, service level and the optional
columns of the Decision 766 index) added from their own random stream, so the other columns
do not change.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

import procflow

# procedure id ("" = inline), time limit text, cut-off, field, approximate working days, weight
INLINE = [
    ("", "03 ngày làm việc", "", "Chứng thực", 3.0, 10),
    ("", "05 ngày làm việc", "", "Tư pháp", 5.0, 8),
    ("", "10 ngày làm việc", "", "Đất đai", 10.0, 5),
    ("", "20 ngày làm việc", "", "Đất đai", 20.0, 3),
    ("", "15 ngày", "", "Xây dựng", 11.0, 3),
    ("", "Trong ngày", "15:00", "Chứng thực", 0.0, 8),
    ("", "04 giờ làm việc", "", "Hộ tịch", 0.5, 3),
    ("", "0,5 ngày làm việc", "", "Hộ tịch", 0.5, 3),
]
OFFICES = ["UBND phường Hoàn Kiếm", "UBND xã Đông Anh", "Trung tâm Phục vụ hành chính công tỉnh"]
AGENCIES = ["UBND xã", "Sở Tư pháp", "Sở Tài chính", "Sở Nông nghiệp và Môi trường"]


def _mix(specs: Path | None, year: int) -> list[tuple[str, str, str, str, float, int]]:
    library = procflow.load_procedures(specs)
    rows = []
    for pid in library:
        # Only procedures in force all year (a version may hand over to the next).
        try:
            library.in_force(pid, date(year, 1, 1))
            p = library.in_force(pid, date(year, 12, 31))
        except LookupError:
            continue
        limit = p.time_limit
        days = {
            procflow.TimeUnit.WORKING_DAYS: limit.value,
            procflow.TimeUnit.WORKING_HOURS: limit.value / 8,
            procflow.TimeUnit.CALENDAR_DAYS: limit.value * 5 / 7,
            procflow.TimeUnit.SAME_DAY: 0.0,
        }[limit.unit]
        rows.append((pid, "", "", p.field, days, 6))
    return rows + INLINE


def generate(n: int, year: int = 2025, seed: int = 0, specs: Path | None = None) -> pa.Table:
    """Generate ``n`` dossiers received in ``year``, as a wide-format table."""
    rng = np.random.default_rng(seed)
    cal = procflow.vietnam_calendar(years=range(year - 1, year + 2))
    # Working days of the year and a numpy business calendar for the shifts.
    days = np.arange(f"{year}-01-01", f"{year + 1}-01-01", dtype="datetime64[D]")
    holidays = [
        np.datetime64(d, "D")
        for d in (
            date(year - 1, 1, 1) + np.timedelta64(k, "D").astype(object) for k in range(3 * 366)
        )
        if d.year <= year + 1 and d.weekday() < 5 and not cal.is_working_day(d)
    ]
    busdays = np.busdaycalendar(holidays=holidays)
    working = days[np.is_busday(days, busdaycal=busdays)]

    mix = _mix(specs, year)
    weights = np.array([m[5] for m in mix], dtype=float)
    kind = rng.choice(len(mix), size=n, p=weights / weights.sum())
    pid = np.array([m[0] for m in mix], dtype=object)[kind]
    limit_text = np.array([m[1] for m in mix], dtype=object)[kind]
    cutoff = np.array([m[2] for m in mix], dtype=object)[kind]
    field = np.array([m[3] for m in mix], dtype=object)[kind]
    limit_days = np.array([m[4] for m in mix])[kind]

    channel_code = rng.choice(3, size=n, p=[0.55, 0.40, 0.05])
    channel = np.array(["online", "in_person", "post"], dtype=object)[channel_code]
    received_day = rng.choice(working, size=n)
    minute = rng.integers(8 * 60, 16 * 60 + 50, size=n)
    online = channel_code == 0
    night = online & (rng.random(n) < 0.2)
    minute[night] = rng.integers(0, 24 * 60, size=night.sum())
    weekend = online & (rng.random(n) < 0.08)
    received_day[weekend] = np.busday_offset(
        received_day[weekend], 0, roll="forward", weekmask="Sat"
    )
    received = received_day.astype("datetime64[m]") + minute.astype("timedelta64[m]")

    # Processing time as a share of the limit: early mostly, some on the day, a few late.
    u = rng.random(n)
    early, on_day = u < 0.77, (u >= 0.77) & (u < 0.97)
    share = np.where(
        early, rng.uniform(0.0, 0.9, n), np.where(on_day, 1.0, rng.uniform(1.2, 1.8, n))
    )
    work_days = np.where(
        early, np.floor(limit_days * share), np.maximum(np.ceil(limit_days * share), 1)
    ).astype(int)
    supplement = rng.random(n) < 0.10
    sup_req_day = np.busday_offset(received_day, 1, roll="forward", busdaycal=busdays)
    sup_wait = rng.integers(1, 10, size=n)
    sup_rec_day = np.busday_offset(sup_req_day, sup_wait, roll="forward", busdaycal=busdays)
    start_day = np.where(supplement, sup_rec_day, received_day)
    finish_day = np.busday_offset(start_day, work_days, roll="forward", busdaycal=busdays)
    finish_minute = rng.integers(8 * 60, 16 * 60 + 30, size=n)
    finished = finish_day.astype("datetime64[m]") + finish_minute.astype("timedelta64[m]")
    finished = np.maximum(finished, received + np.timedelta64(30, "m"))

    withdrawn = rng.random(n) < 0.02
    stuck = rng.random(n) < 0.01
    horizon = np.datetime64(f"{year + 1}-01-01T00:00")
    unfinished = (finished >= horizon) | stuck | withdrawn
    late = ~early & ~on_day
    apology = late & (rng.random(n) < 0.5) & ~unfinished
    apology_at = np.maximum(
        np.busday_offset(finish_day, -2, roll="backward", busdaycal=busdays).astype("datetime64[m]")
        + np.timedelta64(9 * 60, "m"),
        received + np.timedelta64(1, "m"),
    )
    refused = rng.random(n) < 0.04

    nat = np.datetime64("NaT", "m")
    sup_req_at = np.where(
        supplement, sup_req_day.astype("datetime64[m]") + np.timedelta64(10 * 60, "m"), nat
    )
    sup_req_at = np.where(
        supplement, np.maximum(sup_req_at, received + np.timedelta64(1, "m")), nat
    )
    sup_rec_at = np.where(
        supplement, sup_rec_day.astype("datetime64[m]") + np.timedelta64(9 * 60, "m"), nat
    )
    sup_rec_at = np.where(
        supplement, np.maximum(sup_rec_at, sup_req_at + np.timedelta64(1, "m")), nat
    )
    withdrawn_at = np.where(
        withdrawn,
        np.maximum(received, sup_rec_at.astype("datetime64[m]")) + np.timedelta64(60, "m"),
        nat,
    )
    withdrawn_at = np.where(
        withdrawn & np.isnat(sup_rec_at), received + np.timedelta64(60, "m"), withdrawn_at
    )
    finished_at = np.where(unfinished, nat, finished)
    finished_at = np.where(
        ~unfinished & supplement,
        np.maximum(finished_at, sup_rec_at + np.timedelta64(1, "m")),
        finished_at,
    )
    apology_at = np.where(
        apology, np.minimum(apology_at, finished_at - np.timedelta64(1, "m")), nat
    )

    def ts(values: np.ndarray) -> pa.Array:
        return pa.array(values.astype("datetime64[s]"), type=pa.timestamp("s"))

    ids = np.char.add(f"HS-{year}-", np.char.zfill(np.arange(1, n + 1).astype(str), 7))
    return pa.table(
        {
            "dossier_id": pa.array(ids),
            "procedure_id": pa.array(pid.astype(str)),
            "received_at": ts(received),
            "finished_at": ts(finished_at),
            "result": pa.array(np.where(unfinished, "", np.where(refused, "refused", "granted"))),
            "withdrawn_at": ts(withdrawn_at),
            "channel": pa.array(channel.astype(str)),
            "office": pa.array(
                np.array(OFFICES, dtype=object)[rng.integers(0, len(OFFICES), n)].astype(str)
            ),
            "agency": pa.array(
                np.array(AGENCIES, dtype=object)[rng.integers(0, len(AGENCIES), n)].astype(str)
            ),
            "field": pa.array(field.astype(str)),
            "supplement_requested_at": ts(sup_req_at),
            "supplement_received_at": ts(sup_rec_at),
            "apology_issued_at": ts(apology_at),
            "time_limit": pa.array(limit_text.astype(str)),
            "cutoff": pa.array(cutoff.astype(str)),
            "supplement_policy": pa.array(np.full(n, "", dtype=object).astype(str)),
        }
    )


def with_source_due_dates(table: pa.Table, year: int, seed: int) -> pa.Table:
    """Add the ``due_at`` a source system printed: procflow's, with a few typical mistakes.

    About 2 % ignore the cut-off, 2 % count the day of receipt; the rest agree.
    """
    rng = np.random.default_rng(seed + 1)
    cal = procflow.vietnam_calendar(years=range(year - 1, year + 2))
    library = procflow.load_procedures()
    table_rows = table.to_pylist()
    out = []
    for row in table_rows:
        received = row["received_at"]
        if row["procedure_id"]:
            p = library.in_force(row["procedure_id"], received.date())
            limit, cutoff = p.time_limit, p.rules.cutoff
        else:
            limit = procflow.TimeLimit.parse(row["time_limit"])
            cutoff = procflow.parsing.parse_clock(row["cutoff"]) if row["cutoff"] else None
        due = procflow.due_date(received, limit, cal, cutoff=cutoff)
        mistake = rng.random()
        if mistake < 0.02 and cutoff is not None:
            due = procflow.due_date(received, limit, cal)
        elif mistake < 0.04 and limit.whole_working_days:
            due = cal.closing_at(cal.add_working_days(due.date(), -1))
        out.append(due)
    return table.append_column("due_at", pa.array(out, type=pa.timestamp("s")))


UNITS = {
    "Bộ phận Một cửa": ["Nguyễn Thị Lan", "Trần Văn Minh"],
    "Phòng Tư pháp - Hộ tịch": ["Lê Thị Hoa", "Phạm Văn Hùng"],
    "Phòng Kinh tế - Hạ tầng": ["Vũ Thị Mai", "Đỗ Văn Nam"],
    "Phòng Tài nguyên và Môi trường": ["Hoàng Thị Thu", "Bùi Văn Long"],
}


def with_quality_columns(table: pa.Table, seed: int) -> pa.Table:
    """Add ``unit``, ``officer``, ``service_level`` and the Decision 766 optional columns.

    Drawn from their own random stream (``seed + 2``), so the other columns are unchanged:
    online dossiers are full online (70 %, a tenth written as the legacy level 4) or partly
    online; 40 % owe fees, 80 % of those submitted online pay online; 60 % of the finished
    get an electronic result; 85 % are digitised; 3 % have a complaint; 30 % have a vote.
    """
    rng = np.random.default_rng(seed + 2)
    n = table.num_rows
    names = list(UNITS)
    unit_code = rng.integers(0, len(names), n)
    officer_pick = rng.integers(0, 2, n)
    unit = np.array(names, dtype=object)[unit_code]
    officer = np.array([UNITS[names[u]][o] for u, o in zip(unit_code, officer_pick, strict=True)])
    channel = np.asarray(table["channel"].to_pylist(), dtype=object)
    online = channel == "online"
    full = rng.random(n) < 0.7
    legacy = rng.random(n) < 0.1
    level = np.where(
        online,
        np.where(full, np.where(legacy, "4", "full_online"), "partly_online"),
        "in_person",
    )
    fee = rng.random(n) < 0.4
    paid = fee & online & (rng.random(n) < 0.8)
    finished = np.array([bool(v) for v in table["finished_at"].to_pylist()])
    electronic = finished & (rng.random(n) < 0.6)
    digitised = rng.random(n) < 0.85
    complaints = (rng.random(n) < 0.03).astype(int)
    votes = rng.choice(5, size=n, p=[0.02, 0.03, 0.10, 0.35, 0.50]) + 1
    voted = rng.random(n) < 0.3

    def yes_no(values: np.ndarray, known: np.ndarray | None = None) -> pa.Array:
        text = np.where(values, "yes", "no")
        return pa.array(np.where(known, text, "") if known is not None else text)

    columns = {
        "unit": pa.array(unit.astype(str)),
        "officer": pa.array(officer.astype(str)),
        "service_level": pa.array(level.astype(str)),
        "fee_payable": yes_no(fee),
        "paid_online": yes_no(paid, fee),
        "electronic_result": yes_no(electronic, finished),
        "digitised": yes_no(digitised),
        "complaints": pa.array(complaints.astype(str)),
        "satisfaction": pa.array(np.where(voted, votes.astype(str), "")),
    }
    for name, column in columns.items():
        table = table.append_column(name, column)
    return table


ROW_GROUP = 131_072
"""Rows per Parquet row group."""


def write(table: pa.Table, path: Path) -> None:
    """Write CSV (ISO times, empty for missing) or Parquet, by the file's ending.

    The file appears whole or not at all (written beside it, then renamed).
    """
    from procflow.io import atomic_write

    suffix = Path(path).suffix.lower()
    atomic_write(path, lambda tmp: _write(table, tmp, suffix))


def _write(table: pa.Table, path: Path, suffix: str) -> None:
    if suffix == ".parquet":
        # Text columns as dictionaries (categoricals), as a real export's repeated values.
        text = [
            name
            for name, column in zip(table.column_names, table.columns, strict=True)
            if pa.types.is_string(column.type) and name != "dossier_id"
        ]
        for name in text:
            i = table.column_names.index(name)
            table = table.set_column(i, name, table[name].dictionary_encode())
        pq.write_table(table, path, row_group_size=ROW_GROUP)
        return
    columns = {}
    for name in table.column_names:
        column = table[name]
        if pa.types.is_timestamp(column.type):
            text = np.datetime_as_string(column.to_numpy(zero_copy_only=False), unit="s")
            column = pa.array(np.where(text == "NaT", "", text))
        columns[name] = column
    pacsv.write_csv(pa.table(columns), path, pacsv.WriteOptions(quoting_style="needed"))
