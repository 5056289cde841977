"""POST /v1/report: an uploaded export and a period, answered as JSON or XLSX."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from procflow import load_procedures, vietnam_calendar
from procflow.reportfile import FileReporter
from procflow.server import create_app

PROBLEM = "application/problem+json"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# 03 working days from Monday 2024-09-09 09:00: 10/9, 11/9, 12/9, due Thursday 12/9 17:00
# (domain brief §3). From Friday 2024-09-27: 30/9, 1/10, 2/10, so open on 30/9 in time.
SMALL = (
    "dossier_id,received_at,finished_at,result,channel,time_limit\n"
    "R1,2024-09-09T09:00,2024-09-11T10:00,granted,in_person,03 ngày làm việc\n"
    "R2,2024-09-09T09:00,2024-09-12T16:00,granted,in_person,03 ngày làm việc\n"
    "R3,2024-09-09T09:00,2024-09-13T09:00,granted,in_person,03 ngày làm việc\n"
    "R4,hôm qua,,,in_person,03 ngày làm việc\n"
    "R5,2024-09-27T09:00,,,online,03 ngày làm việc\n"
)
PERIOD = {"from": "2024-09-01", "to": "2024-09-30"}


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(specs="specs"))


def test_small_export_hand_counted(client: TestClient) -> None:
    r = client.post("/v1/report", files={"file": ("s.csv", SMALL.encode())}, data=PERIOD)
    assert r.status_code == 200, r.text
    report = r.json()
    total = report["total"]
    assert (total["received_new"], total["received_online"]) == (4, 1)
    assert (total["resolved_early"], total["resolved_on_time"], total["resolved_late"]) == (1, 1, 1)
    assert (total["in_progress_total"], total["in_progress_in_time"]) == (1, 1)
    assert (total["early_rate"], total["late_rate"]) == (33.33, 33.33)
    assert [(x["row"], x["dossier_id"]) for x in report["rejected"]] == [(5, "R4")]


def test_parquet_gives_the_same_report(client: TestClient, tmp_path: Path) -> None:
    table = pacsv.read_csv(io.BytesIO(SMALL.encode()))
    pq.write_table(table, tmp_path / "s.parquet")
    parquet = (tmp_path / "s.parquet").read_bytes()
    csv = client.post("/v1/report", files={"file": ("s.csv", SMALL.encode())}, data=PERIOD)
    for name in ("s.parquet", "export-without-suffix"):
        r = client.post("/v1/report", files={"file": (name, parquet)}, data=PERIOD)
        assert r.status_code == 200, r.text
        assert r.json()["total"] == csv.json()["total"]


def test_the_example_export_is_the_library_report(client: TestClient) -> None:
    data = {"from": "2025-01-01", "to": "2025-06-30", "by": "field"}
    with Path("examples/dossiers-2025.csv").open("rb") as handle:
        r = client.post("/v1/report", files={"file": ("dossiers-2025.csv", handle)}, data=data)
    assert r.status_code == 200, r.text
    reporter = FileReporter(
        "examples/dossiers-2025.csv", load_procedures("specs"), vietnam_calendar()
    )
    expected = reporter.report(date(2025, 1, 1), date(2025, 6, 30), "field")
    assert r.json() == expected.model_dump(mode="json")


def test_xlsx_when_accept_asks(client: TestClient) -> None:
    r = client.post(
        "/v1/report",
        files={"file": ("s.csv", SMALL.encode())},
        data={**PERIOD, "title": "UBND xã Thử"},
        headers={"accept": XLSX},
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == XLSX
    assert "attachment" in r.headers["content-disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    assert sheet is not None
    assert sheet.title == "II.06a"
    assert "UBND xã Thử" in str(sheet["A1"].value)


@pytest.mark.parametrize(
    ("content", "form", "detail"),
    [
        (b"a,b\n1,2\n", {}, "x.csv: missing column(s) dossier_id, received_at"),
        (SMALL.encode(), {"from": "2024-10-01"}, "the period ends (2024-09-30) before it starts"),
        (SMALL.encode(), {"to": "30/9/2024"}, "body.to: Input should be a valid date"),
        (SMALL.encode(), {"by": "ward"}, "body.by: Input should be 'field'"),
    ],
    ids=["no-columns", "period-backwards", "bad-date", "bad-group"],
)
def test_bad_upload_or_period_is_a_problem(
    client: TestClient, content: bytes, form: dict[str, str], detail: str
) -> None:
    r = client.post("/v1/report", files={"file": ("x.csv", content)}, data={**PERIOD, **form})
    assert r.status_code == 422
    assert r.headers["content-type"] == PROBLEM
    assert r.json()["detail"].startswith(detail), r.json()["detail"]


def test_upload_is_required(client: TestClient) -> None:
    r = client.post("/v1/report", data=PERIOD)
    assert r.status_code == 422
    assert "body.file: Field required" in r.json()["detail"]
