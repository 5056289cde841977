"""The HTTP service through TestClient and through a running uvicorn server."""

from __future__ import annotations

import json
import re
import urllib.request
from typing import Any

import pytest
from fastapi.testclient import TestClient

from procflow.server import create_app

PROBLEM = "application/problem+json"


def _get(url: str) -> Any:
    """GET a JSON document from the running server, as any HTTP client would."""
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(max_body=1000))


def test_health(client: TestClient) -> None:
    r = client.get("/health")
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}


def test_procedures_list_and_one(client: TestClient) -> None:
    ids = [p["id"] for p in client.get("/v1/procedures").json()]
    assert "dang-ky-khai-sinh" in ids
    summary = {p["id"]: p for p in client.get("/v1/procedures").json()}["cfs-ha-tinh"]
    assert (summary["time_limit"], summary["field"]) == ("03 ngày làm việc", "Xuất nhập khẩu")
    one = client.get("/v1/procedures/dang-ky-khai-sinh").json()
    assert one[0]["id"] == "dang-ky-khai-sinh"


def test_unknown_procedure_is_404_problem(client: TestClient) -> None:
    r = client.get("/v1/procedures/khong-co")
    assert r.status_code == 404
    assert r.headers["content-type"] == PROBLEM
    assert "khong-co" in r.json()["detail"]


def test_due_date_from_time_limit(client: TestClient) -> None:
    body = {"received_at": "2024-01-31T15:20", "time_limit": {"value": 3, "unit": "working_days"}}
    r = client.post("/v1/due-date", json=body)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["due_day"] == "2024-02-05"
    assert out["explanation"]["vi"]
    assert out["explanation"]["en"]


def test_due_date_needs_limit_or_procedure(client: TestClient) -> None:
    r = client.post("/v1/due-date", json={"received_at": "2024-01-31T15:20"})
    assert r.status_code == 422
    assert r.headers["content-type"] == PROBLEM
    assert "procedure_id or time_limit" in r.json()["detail"]


def test_body_over_limit_is_413(client: TestClient) -> None:
    r = client.post("/v1/due-date", content=b"x" * 2000)
    assert r.status_code == 413
    assert r.headers["content-type"] == PROBLEM


def test_running_server_answers_health_and_openapi(server_url: str) -> None:
    assert _get(f"{server_url}/health") == {"status": "ok"}
    paths = _get(f"{server_url}/openapi.json")["paths"]
    assert {"/health", "/v1/procedures", "/v1/due-date"} <= set(paths)


def test_serve_is_a_command() -> None:
    from procflow.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["serve", "--help"])
    assert exc.value.code == 0


def test_calendar_json_lists_tet(client: TestClient) -> None:
    days = client.get("/v1/calendar/2026").json()["days_off"]
    assert "2026-02-17" in {d["date"] for d in days}


@pytest.mark.parametrize(
    ("path", "headers"),
    [("/v1/calendar/2026.ics", {}), ("/v1/calendar/2026", {"accept": "text/calendar"})],
    ids=["suffix", "accept"],
)
def test_calendar_ics(client: TestClient, path: str, headers: dict[str, str]) -> None:
    r = client.get(path, headers=headers)
    assert r.headers["content-type"].startswith("text/calendar")
    assert "DTSTART;VALUE=DATE:20260217" in r.text


def test_calendar_bad_year_is_problem(client: TestClient) -> None:
    r = client.get("/v1/calendar/abc")
    assert r.status_code == 422
    assert "abc" in r.json()["detail"]


def test_chunked_body_over_limit_is_413(client: TestClient) -> None:
    # No content-length to check up front: the limit is counted as the body arrives.
    chunks = iter([b"[" + b" " * 600, b" " * 600 + b"]"])
    r = client.post("/v1/evaluate", content=chunks, headers={"content-type": "application/json"})
    assert r.request.headers.get("content-length") is None
    assert r.status_code == 413
    assert r.headers["content-type"] == PROBLEM
    assert r.json()["detail"] == "request body over the limit of 1000 bytes"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("get", "/v1/nowhere", 404), ("delete", "/v1/due-date", 405)],
    ids=["unknown-route", "wrong-method"],
)
def test_http_errors_are_problems(client: TestClient, method: str, path: str, status: int) -> None:
    r = client.request(method, path)
    assert r.status_code == status
    assert r.headers["content-type"] == PROBLEM
    assert r.json()["status"] == status


def test_cors_only_for_the_origins_given() -> None:
    origin = "https://motcua.example.gov.vn"
    preflight = {"origin": origin, "access-control-request-method": "POST"}
    open_to = TestClient(create_app(cors_origins=[origin]))
    r = open_to.options("/v1/due-date", headers=preflight)
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == origin
    other = open_to.get("/health", headers={"origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in other.headers
    closed = TestClient(create_app()).get("/health", headers={"origin": origin})
    assert "access-control-allow-origin" not in closed.headers


def test_web_page_and_its_assets_are_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assets = re.findall(r'(?:src|href)="(static/[^"]+)"', page.text)
    assert set(assets) == {"static/app.js", "static/app.css", "static/favicon.svg"}
    for asset in assets:
        assert client.get(f"/{asset}").status_code == 200
    # Nothing is fetched from elsewhere: the page works in an office without internet.
    for asset in ("/", "/static/app.js", "/static/app.css"):
        assert not re.search(r"https?://", client.get(asset).text.replace("http://www.w3.org", ""))
