"""A realistic synthetic year of dossiers in the wide interchange format.

Run ``python benchmarks/synthetic.py N OUT.csv|OUT.parquet [--year 2025] [--seed 0]``.

The mix: the shipped procedures plus inline limits (same day to 20 working days, calendar
days, hours); receipts on working days in office hours, online ones also at night and on
weekends; about 10 % with a supplement cycle, 2 % withdrawn, most finished early, some on
the due date, a few late (half of those with an apology), 4 % refused, and dossiers received
late in the year still in progress. Vectorised with numpy: 10 million rows in seconds.
The shipped ``examples/dossiers-2025.csv`` is ``python benchmarks/synthetic.py 3000
examples/dossiers-2025.csv --seed 2025 --audit``.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

import procflow

ROOT = Path(__file__).resolve().parents[1]

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


def _mix(specs: Path, year: int) -> list[tuple[str, str, str, str, float, int]]:
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


def generate(
    n: int, year: int = 2025, seed: int = 0, specs: Path = ROOT / "src" / "procflow" / "specs"
) -> pa.Table:
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
    library = procflow.load_procedures(ROOT / "src" / "procflow" / "specs")
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


def write(table: pa.Table, path: Path) -> None:
    """Write CSV (ISO times, empty for missing) or Parquet, by the file's ending."""
    if path.suffix == ".parquet":
        pq.write_table(table, path)
        return
    columns = {}
    for name in table.column_names:
        column = table[name]
        if pa.types.is_timestamp(column.type):
            text = np.datetime_as_string(column.to_numpy(zero_copy_only=False), unit="s")
            column = pa.array(np.where(text == "NaT", "", text))
        columns[name] = column
    pacsv.write_csv(pa.table(columns), path, pacsv.WriteOptions(quoting_style="needed"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--audit", action="store_true", help="add the source's due_at column")
    opts = parser.parse_args()
    table = generate(opts.n, opts.year, opts.seed)
    if opts.audit:
        table = with_source_due_dates(table, opts.year, opts.seed)
    write(table, opts.out)
    print(f"wrote {table.num_rows} dossiers to {opts.out}")


if __name__ == "__main__":
    main()
