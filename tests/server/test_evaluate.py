"""POST /v1/evaluate: one dossier or a list, answered with the library's evaluations."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from procflow import Dossier, evaluate, load_procedures, vietnam_calendar
from procflow.calendar import to_local
from procflow.server import create_app

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(specs="specs"))


def _dossier(dossier_id: str, *events: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": dossier_id,
        "time_limit": "03 ngày làm việc",
        "events": [{"type": "received", "at": "2024-08-29T10:00:00"}, *events],
    }


def _finished(at: str) -> dict[str, Any]:
    return {"type": "finished", "at": at, "result": "granted"}


# Domain brief §3: received Thursday 2024-08-29 10:00, 3 working days; 30/8 is day 1,
# the weekend and National Day (2/9, 3/9) are skipped, 4/9 day 2, 5/9 day 3: due
# Thursday 2024-09-05 17:00. Domain brief §5 gives the outcomes.
CASES = [
    pytest.param(_dossier("A", _finished("2024-09-04T16:00:00")), "early", id="day-before"),
    pytest.param(_dossier("B", _finished("2024-09-05T16:00:00")), "on_time", id="due-day"),
    pytest.param(_dossier("C", _finished("2024-09-06T08:30:00")), "late", id="day-after"),
    pytest.param(_dossier("D"), "overdue", id="open-after-due"),
]


@pytest.mark.parametrize(("dossier", "outcome"), CASES)
def test_one_dossier_is_one_evaluation(
    client: TestClient, dossier: dict[str, Any], outcome: str
) -> None:
    r = client.post("/v1/evaluate", params={"as_of": "2024-09-30T17:00:00"}, json=dossier)
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["dossier_id"] == dossier["id"]
    assert answer["outcome"] == outcome
    assert to_local(datetime.fromisoformat(answer["due_at"])) == datetime(2024, 9, 5, 17, 0)


def test_a_list_is_a_list_in_order(client: TestClient) -> None:
    dossiers = [p.values[0] for p in CASES]
    r = client.post("/v1/evaluate", params={"as_of": "2024-09-30"}, json=dossiers)
    assert r.status_code == 200, r.text
    assert [e["outcome"] for e in r.json()] == [p.values[1] for p in CASES]


def test_the_examples_file_gives_the_library_evaluations(client: TestClient) -> None:
    data = json.loads(Path("src/procflow/examples/dossiers.json").read_text(encoding="utf-8"))
    r = client.post("/v1/evaluate", json=data)
    assert r.status_code == 200, r.text
    library = load_procedures("specs")
    cal = vietnam_calendar()
    as_of = datetime.fromisoformat(data["as_of"])
    expected = [
        evaluate(Dossier.model_validate(d), library, cal, as_of=as_of).model_dump(mode="json")
        for d in data["dossiers"]
    ]
    assert r.json() == expected


def test_as_of_in_the_query_wins_over_the_body(client: TestClient) -> None:
    body = {"as_of": "2024-09-30T17:00:00", "dossiers": [_dossier("D")]}
    r = client.post("/v1/evaluate", params={"as_of": "2024-09-02T09:00:00"}, json=body)
    assert r.json()[0]["outcome"] == "in_time"


def test_without_as_of_it_is_now(client: TestClient) -> None:
    # An open 2024 dossier is overdue at any time after its due date.
    r = client.post("/v1/evaluate", json=_dossier("D"))
    assert r.status_code == 200, r.text
    assert r.json()["outcome"] == "overdue"


def test_an_invalid_dossier_names_its_index_and_id(client: TestClient) -> None:
    bad = {"id": "HS-BAD", "time_limit": "03 ngày làm việc", "events": [{"type": "received"}]}
    r = client.post("/v1/evaluate", json=[_dossier("A"), bad])
    assert r.status_code == 422
    assert r.headers["content-type"] == PROBLEM
    problem = r.json()
    assert (problem["index"], problem["dossier_id"]) == (1, "HS-BAD")
    assert problem["detail"].startswith("dossier 1 ('HS-BAD'): events.0.at: Field required")


def test_an_impossible_timeline_is_the_library_message(client: TestClient) -> None:
    bad = {
        "id": "HS-ORDER",
        "time_limit": "03 ngày làm việc",
        "events": [_finished("2024-09-04T16:00:00")],
    }
    r = client.post("/v1/evaluate", json=[bad])
    problem = r.json()
    assert r.status_code == 422
    assert problem["title"] == "TimelineError"
    assert (problem["index"], problem["dossier_id"]) == (0, "HS-ORDER")
    assert "the first event must be 'received'" in problem["detail"]


def test_an_unknown_procedure_is_named(client: TestClient) -> None:
    bad = {"id": "HS-X", "procedure_id": "khong-co", "events": [_dossier("x")["events"][0]]}
    problem = client.post("/v1/evaluate", json=bad).json()
    assert problem["title"] == "UnknownProcedureError"
    assert problem["detail"] == "dossier 0 ('HS-X'): unknown procedure 'khong-co'"


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"{not json", "body: not valid JSON at character 1"),
        (b"3", "give a dossier, a list of dossiers, or {as_of, dossiers}"),
        (b'{"dossiers": [], "when": 1}', "unknown field(s) when"),
        (b'{"dossiers": [], "as_of": "soon"}', "as_of: not an ISO 8601 date-time: 'soon'"),
    ],
    ids=["not-json", "number", "unknown-field", "bad-as-of"],
)
def test_a_body_that_is_not_dossiers_is_a_problem(
    client: TestClient, body: bytes, detail: str
) -> None:
    r = client.post("/v1/evaluate", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert r.headers["content-type"] == PROBLEM
    assert r.json()["detail"].startswith(detail)
