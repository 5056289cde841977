"""POST /v1/due-date: the library's due date, its rules and its explanation in both languages."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from procflow import TimeLimit, explain_due_date, vietnam_calendar
from procflow.calendar import to_local
from procflow.server import create_app


def _local(text: str) -> datetime:
    """An instant of an answer as Vietnam wall time, whether or not it carries +07:00."""
    return to_local(datetime.fromisoformat(text))


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(specs="specs"))


# Domain brief §3, the worked examples.
EXAMPLES = [
    pytest.param("2024-01-31T15:20", "02 ngày làm việc", "15:00", "2024-02-05", id="after-cutoff"),
    pytest.param("2024-01-31T14:50", "02 ngày làm việc", "15:00", "2024-02-02", id="before-cutoff"),
    pytest.param("2024-08-29T10:00", "03 ngày làm việc", None, "2024-09-05", id="national-day"),
]


@pytest.mark.parametrize(("received", "limit", "cutoff", "due_day"), EXAMPLES)
def test_worked_examples(
    client: TestClient, received: str, limit: str, cutoff: str | None, due_day: str
) -> None:
    body: dict[str, Any] = {"received_at": received, "time_limit": limit}
    if cutoff:
        body["cutoff"] = cutoff
    answer = client.post("/v1/due-date", json=body).json()
    assert answer["due_day"] == due_day
    assert _local(answer["due_at"]) == _local(f"{due_day}T17:00:00")


def test_explanation_in_vietnamese_and_english_is_the_library_one(client: TestClient) -> None:
    body = {"received_at": "2024-01-31T15:20", "time_limit": "02 ngày làm việc", "cutoff": "15:00"}
    answer = client.post("/v1/due-date", json=body).json()
    due = explain_due_date(
        datetime(2024, 1, 31, 15, 20),
        TimeLimit.parse("02 ngày làm việc"),
        vietnam_calendar(),
        cutoff=time(15, 0),
    )
    assert answer["explanation"] == {"vi": due.explain("vi"), "en": due.explain("en")}
    assert [(n["code"], n["vi"], n["en"]) for n in answer["lines"]] == [
        (n.code, n.vi, n.en) for n in due.notes
    ]
    assert answer["explanation"]["vi"].splitlines()[1] == (
        "Nhận sau 15:00, tính là nhận vào thứ Năm 01/02/2024"
    )


def test_an_aware_receipt_keeps_its_offset(client: TestClient) -> None:
    body = {"received_at": "2024-08-29T10:00:00+07:00", "time_limit": "03 ngày làm việc"}
    assert client.post("/v1/due-date", json=body).json()["due_at"] == "2024-09-05T17:00:00+07:00"


def test_procedure_rules_apply(client: TestClient) -> None:
    # dang-ky-khai-sinh: same day, 15:00 cut-off: Wednesday 15:20 is due Thursday 17:00.
    body = {"received_at": "2024-01-31T15:20", "procedure_id": "dang-ky-khai-sinh"}
    due = client.post("/v1/due-date", json=body).json()["due_at"]
    assert _local(due) == datetime(2024, 2, 1, 17, 0)
    body["cutoff"] = "16:00"  # a cut-off in the request replaces the procedure's
    due = client.post("/v1/due-date", json=body).json()["due_at"]
    assert _local(due) == datetime(2024, 1, 31, 17, 0)


@pytest.fixture(scope="module")
def online_cutoff(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """A library where the birth registration's 15:00 cut-off is for online dossiers only."""
    folder = tmp_path_factory.mktemp("specs")
    spec = Path("specs/dang-ky-khai-sinh.toml").read_text(encoding="utf-8")
    spec = spec.replace('cutoff = "15:00"', 'cutoff = "15:00"\ncutoff_channels = ["online"]')
    (folder / "dang-ky-khai-sinh.toml").write_text(spec, encoding="utf-8")
    return TestClient(create_app(specs=folder))


@pytest.mark.parametrize(
    ("channel", "due_at"),
    [("online", "2024-02-01T17:00:00"), ("in_person", "2024-01-31T17:00:00")],
    ids=["online-cut-off", "in-person-same-day"],
)
def test_channel_decides_whether_the_cutoff_applies(
    online_cutoff: TestClient, channel: str, due_at: str
) -> None:
    body = {"received_at": "2024-01-31T15:20", "procedure_id": "dang-ky-khai-sinh"}
    answer = online_cutoff.post("/v1/due-date", json={**body, "channel": channel}).json()
    assert _local(answer["due_at"]) == _local(due_at)


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        ({"received_at": "hôm nay", "time_limit": "03 ngày làm việc"}, 422, "received_at: not"),
        ({"received_at": "2024-01-31T15:20", "procedure_id": "khong-co"}, 404, "khong-co"),
        ({"received_at": "2024-01-31", "time_limit": "3 ngày", "channel": "fax"}, 422, "channel"),
    ],
    ids=["bad-time", "unknown-procedure", "bad-channel"],
)
def test_bad_requests_are_problems(
    client: TestClient, body: dict[str, str], status: int, detail: str
) -> None:
    r = client.post("/v1/due-date", json=body)
    assert r.status_code == status
    assert r.headers["content-type"] == "application/problem+json"
    assert detail in r.json()["detail"]
