"""The OpenAPI document at /openapi.json describes every route with its models."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from procflow.server import create_app

PROBLEM = "application/problem+json"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    answer: dict[str, Any] = TestClient(create_app(specs="specs")).get("/openapi.json").json()
    return answer


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _schema(document: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = document["components"]["schemas"][name]
    return found


def test_every_reference_resolves(document: dict[str, Any]) -> None:
    names = set(document["components"]["schemas"])
    refs = set(_refs(document))
    assert refs
    missing = {r for r in refs if r.removeprefix("#/components/schemas/") not in names}
    assert missing == set()


# route, method, the model of its request body (None: no body), of its 200 answer
ROUTES = [
    ("/health", "get", None, None),
    ("/v1/procedures", "get", None, "ProcedureSummary"),
    ("/v1/procedures/{procedure_id}", "get", None, "Procedure"),
    ("/v1/due-date", "post", "DueDateRequest", "DueDateAnswer"),
    ("/v1/evaluate", "post", "Dossier", "Evaluation"),
    ("/v1/report", "post", "ReportUpload", "Report"),
    ("/v1/calendar/{year}", "get", None, "CalendarYear"),
    ("/v1/forms/{kind}", "post", "FormRequest", "ReceiptSlip"),
    ("/v1/labels", "get", None, "Labels"),
]


@pytest.mark.parametrize(
    ("path", "method", "request_model", "answer_model"), ROUTES, ids=[r[0] for r in ROUTES]
)
def test_route_has_its_models(
    document: dict[str, Any],
    path: str,
    method: str,
    request_model: str | None,
    answer_model: str | None,
) -> None:
    operation = document["paths"][path][method]
    if request_model is not None:
        assert f"#/components/schemas/{request_model}" in set(_refs(operation["requestBody"]))
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
    if answer_model is not None:
        assert f"#/components/schemas/{answer_model}" in set(_refs(ok))
    else:
        assert ok["type"] == "object"
    problem = operation["responses"]["422"]["content"][PROBLEM]["schema"]
    assert problem == {"$ref": "#/components/schemas/Problem"}


def test_models_carry_their_fields(document: dict[str, Any]) -> None:
    dossier = _schema(document, "Dossier")
    assert {"id", "events"} <= set(dossier["required"])
    assert set(_schema(document, "Event")["properties"]) >= {"type", "at", "step", "result"}
    answer = _schema(document, "DueDateAnswer")["properties"]
    assert {"due_at", "explanation", "lines", "detail"} <= set(answer)
    assert set(_schema(document, "Explanation")["required"]) == {"vi", "en"}
    report = _schema(document, "ReportUpload")
    assert {"file", "from", "to"} <= set(report["required"])
    outcomes = set(_schema(document, "Outcome")["enum"])
    assert {"early", "on_time", "late", "in_time", "overdue", "withdrawn"} <= outcomes


def test_a_time_limit_may_be_text(document: dict[str, Any]) -> None:
    kinds = [option.get("type") for option in _schema(document, "TimeLimit")["anyOf"]]
    assert kinds == ["string", "object"]


def test_alternative_answers_are_declared(document: dict[str, Any]) -> None:
    report = document["paths"]["/v1/report"]["post"]["responses"]["200"]["content"]
    assert "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" in report
    calendar = document["paths"]["/v1/calendar/{year}"]["get"]["responses"]["200"]["content"]
    assert "text/calendar" in calendar
    forms = document["paths"]["/v1/forms/{kind}"]["post"]["responses"]["200"]["content"]
    assert {"text/html", DOCX} <= set(forms)
    evaluate = document["paths"]["/v1/evaluate"]["post"]["requestBody"]["content"]
    shapes = evaluate["application/json"]["schema"]["oneOf"]
    assert {"$ref": "#/components/schemas/EvaluateRequest"} in shapes


def _operations(document: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {
        (path, method, operation["operationId"])
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    }


def test_committed_document_and_typescript_types_are_current(document: dict[str, Any]) -> None:
    # `make clients` writes both; regenerate them when a route is added or renamed.
    committed = json.loads(Path("docs/clients/openapi.json").read_text(encoding="utf-8"))
    assert _operations(committed) == _operations(document)
    assert set(committed["components"]["schemas"]) == set(document["components"]["schemas"])
    types = Path("docs/clients/procflow.d.ts").read_text(encoding="utf-8")
    for path, _, operation_id in _operations(document):
        assert f'"{path}": {{' in types
        assert f"    {operation_id}: {{" in types


def test_serve_prints_the_document(capsys: pytest.CaptureFixture[str]) -> None:
    from procflow.cli import main

    assert main(["serve", "--openapi"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert _operations(printed) == _operations(
        TestClient(create_app(specs="specs")).get("/openapi.json").json()
    )
