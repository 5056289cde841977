"""Reading exports: wide and event-log files, CSV and Parquet; every row accounted for."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from procflow import InputError, WorkCalendar, build_report, read_dossiers

EXPORTS = Path(__file__).parents[1] / "fixtures" / "exports"


def test_wide_rows_are_read_or_rejected_with_row_and_reason() -> None:
    table = read_dossiers(EXPORTS / "wide-with-errors.csv")
    assert table.shape == "wide"
    assert [d.id for d in table.dossiers] == ["A1", "A2", "A8"]
    assert table.rows == (2, 3, 9)
    rejected = {r.row: (r.dossier_id, r.reason) for r in table.rejected}
    assert rejected.keys() == {4, 5, 6, 7, 8, 10}
    assert "not an ISO 8601 date-time: '03/03/2025 09:00'" in rejected[4][1]
    assert "cannot read the time limit 'ba ngày'" in rejected[5][1]
    assert rejected[6] == (None, "column dossier_id is empty")
    assert "before the dossier was received" in rejected[7][1]
    assert "channel: Input should be 'online', 'in_person' or 'post' (got 'fax')" in rejected[8][1]
    assert "needs a procedure_id or an inline time_limit" in rejected[10][1]
    assert table.total == 9  # every data row


def test_wide_row_fields() -> None:
    a1 = read_dossiers(EXPORTS / "wide-with-errors.csv").dossiers[0]
    assert a1.channel == "online"
    assert a1.field == "Hộ tịch"
    assert a1.due_at == datetime(2025, 3, 6, 17)
    assert [e.type.value for e in a1.events] == ["received", "finished"]


def test_unknown_procedure_is_rejected_by_the_report(cal: WorkCalendar) -> None:
    table = read_dossiers(EXPORTS / "wide-with-errors.csv")
    report = build_report(table, {}, cal, start=date(2025, 3, 1), end=date(2025, 3, 31))
    assert {r.row for r in report.rejected} == {4, 5, 6, 7, 8, 9, 10}
    assert any("unknown procedure 'nope'" in r.reason for r in report.rejected if r.row == 9)
    assert report.total.received_total == 2
    assert report.dossiers == 9


def test_event_log() -> None:
    table = read_dossiers(EXPORTS / "event-log.csv")
    assert table.shape == "log"
    assert [d.id for d in table.dossiers] == ["L1", "L2"]
    l1, l2 = table.dossiers
    assert l1.field == "Đất đai"
    assert [e.type.value for e in l1.events] == [
        "received",
        "waiting_started",
        "waiting_ended",
        "finished",
    ]
    assert l1.events[1].reason == "financial_obligation"
    assert l2.procedure_id == "cfs-ha-tinh"
    assert l2.events[1].step == "tiep-nhan"
    rejected = {r.row: r for r in table.rejected}
    assert rejected.keys() == {9, 11}
    assert rejected[9].dossier_id == "L3"
    assert "unknown event 'arrived'" in rejected[11].reason


def test_parquet_reads_like_csv(tmp_path: Path) -> None:
    path = tmp_path / "export.parquet"
    pq.write_table(
        pa.table(
            {
                "dossier_id": ["P1", "P2"],
                "received_at": pa.array(
                    [datetime(2025, 3, 3, 9), datetime(2025, 3, 3, 9)], pa.timestamp("s")
                ),
                "finished_at": pa.array([datetime(2025, 3, 5, 9), None], pa.timestamp("s")),
                "result": ["granted", None],
                "time_limit": ["03 ngày làm việc", "hai ngày"],
            }
        ),
        path,
    )
    table = read_dossiers(path)
    assert [d.id for d in table.dossiers] == ["P1"]
    assert table.dossiers[0].events[-1].at == datetime(2025, 3, 5, 9)
    assert [(r.row, r.dossier_id) for r in table.rejected] == [(3, "P2")]


def test_missing_required_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("id,received\nA,2025-01-01\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"missing column.*dossier_id, received_at"):
        read_dossiers(path)


def test_missing_file() -> None:
    with pytest.raises(InputError, match=r"nope\.csv"):
        read_dossiers(EXPORTS / "nope.csv")
