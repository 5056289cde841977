"""JSON contracts: every public model round-trips through JSON, and validates against its
shipped schema with format checks on (instants RFC 3339 with their offset)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, time
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from pydantic import BaseModel

from procflow import (
    Dossier,
    Procedure,
    TimeLimit,
    WorkCalendar,
    audit,
    evaluate,
    explain_due_date,
    load_procedures,
    read_dossiers,
    vietnam_calendar,
)
from procflow.contracts import MODELS, json_schema, packaged_schema
from procflow.instant import parse_instant
from procflow.parsing import parse_clock
from procflow.report import build_report

ROOT = Path(__file__).parents[2]
EXAMPLES = files("procflow") / "examples"
EXAMPLE_YEAR = ROOT / "examples" / "dossiers-2025.csv"
LIBRARY = load_procedures()
PROCEDURES = [p for versions in LIBRARY.values() for p in versions]
EXAMPLE = json.loads((EXAMPLES / "dossiers.json").read_text(encoding="utf-8"))
AS_OF = parse_instant(EXAMPLE["as_of"])


@cache
def _cal() -> WorkCalendar:
    return vietnam_calendar()


@cache
def _validator(name: str) -> Draft202012Validator:
    schema = packaged_schema(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _valid(name: str, data: Any) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in _validator(name).iter_errors(data)]
    assert not errors, errors[:5]


def _round_trip(model: BaseModel) -> None:
    text = model.model_dump_json()
    again = type(model).model_validate_json(text)
    assert again == model
    assert again.model_dump_json() == text


def test_formats_are_checked() -> None:
    checker = Draft202012Validator.FORMAT_CHECKER
    assert {"date-time", "date"} <= set(checker.checkers)
    assert not checker.conforms("2026-03-02T09:00:00", "date-time")  # no offset: refused
    assert checker.conforms("2026-03-02T09:00:00+07:00", "date-time")


@pytest.mark.parametrize("name", list(MODELS))
def test_shipped_schema_is_current(name: str) -> None:
    assert packaged_schema(name) == json_schema(name), (
        f"regenerate: procflow schema {name} -o src/procflow/schemas/{name}.schema.json"
    )
    assert packaged_schema(name)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize(
    "procedure", PROCEDURES, ids=[f"{p.id}@{p.effective_from}" for p in PROCEDURES]
)
def test_every_shipped_procedure(procedure: Procedure) -> None:
    _round_trip(procedure)
    _valid("procedure", procedure.model_dump(mode="json"))
    _round_trip(procedure.time_limit)
    _valid("time-limit", procedure.time_limit.model_dump(mode="json"))


def test_a_cutoff_survives_the_round_trip() -> None:
    p = LIBRARY.in_force("chung-thuc-ban-sao", date(2026, 1, 5))
    assert p.rules.cutoff == time(15, 0)
    assert '"cutoff":"15:00:00"' in p.model_dump_json()
    assert Procedure.model_validate_json(p.model_dump_json()).rules.cutoff == time(15, 0)


@pytest.mark.parametrize("raw", EXAMPLE["dossiers"], ids=[d["id"] for d in EXAMPLE["dossiers"]])
def test_every_example_dossier_and_its_evaluation(raw: dict[str, Any]) -> None:
    _valid("dossier", raw)
    dossier = Dossier.model_validate(raw)
    _round_trip(dossier)
    _valid("dossier", dossier.model_dump(mode="json"))
    evaluation = evaluate(dossier, LIBRARY, _cal(), as_of=AS_OF)
    _round_trip(evaluation)
    _valid("evaluation", evaluation.model_dump(mode="json"))


def test_every_example_receipt_due_date() -> None:
    text = (EXAMPLES / "receipts.csv").read_text(encoding="utf-8")
    for row in csv.DictReader(io.StringIO(text, newline="")):
        cutoff = parse_clock(row["cutoff"]) if row["cutoff"] else None
        due = explain_due_date(
            parse_instant(row["received_at"]),
            TimeLimit.parse(row["time_limit"]),
            _cal(),
            cutoff=cutoff,
        )
        _round_trip(due)
        _valid("due-date", due.model_dump(mode="json"))


def test_the_example_year_report_and_audit() -> None:
    table = read_dossiers(EXAMPLE_YEAR)
    report = build_report(
        table, LIBRARY, _cal(), start=date(2025, 1, 1), end=date(2025, 6, 30), by="field"
    )
    _round_trip(report)
    _valid("report", report.model_dump(mode="json"))
    result = audit(table, LIBRARY, _cal())
    assert result.findings
    for finding in result.findings:
        _round_trip(finding)
        _valid("audit-finding", finding.model_dump(mode="json"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-02T09:00:00+07:00", datetime(2026, 3, 2, 9, 0)),
        ("2026-03-02T09:00:00", datetime(2026, 3, 2, 9, 0)),
        ("2026-03-02T09:00", datetime(2026, 3, 2, 9, 0)),
    ],
    ids=["vietnam-offset", "naive-seconds", "naive-minutes"],
)
def test_naive_and_vietnam_instants_read_the_same(text: str, expected: datetime) -> None:
    event = {"type": "received", "at": text}
    dossier = Dossier.model_validate(
        {"id": "X", "time_limit": "03 ngày làm việc", "events": [event]}
    )
    assert dossier.events[0].at == expected
    assert dossier.model_dump(mode="json")["events"][0]["at"] == "2026-03-02T09:00:00+07:00"


def test_another_offset_is_kept() -> None:
    event = {"type": "received", "at": "2026-03-02T02:00:00Z"}
    dossier = Dossier.model_validate(
        {"id": "X", "time_limit": "03 ngày làm việc", "events": [event]}
    )
    assert dossier.model_dump(mode="json")["events"][0]["at"] == "2026-03-02T02:00:00+00:00"
    _round_trip(dossier)
