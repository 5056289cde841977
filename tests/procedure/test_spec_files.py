"""Spec files: the shipped library, the fixture folders, round trips, the published schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from procflow import (
    AdminLevel,
    Procedure,
    ProcflowError,
    SpecError,
    dump_procedure,
    load_procedure,
    load_procedures,
    parse_procedure,
    procedure_schema,
)
from procflow.spec import spec_files

ROOT = Path(__file__).parents[2]
SPECS = ROOT / "src" / "procflow" / "specs"
FIXTURES = Path(__file__).parents[1] / "fixtures" / "specs"
SHIPPED = spec_files(SPECS)


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_every_shipped_spec_loads_and_round_trips(path: Path) -> None:
    procedure = load_procedure(path)
    assert procedure.legal_basis, "every spec cites its legal basis"
    assert parse_procedure(dump_procedure(procedure)) == procedure
    assert parse_procedure(dump_procedure(procedure, "json"), fmt="json") == procedure


def test_the_library_covers_levels_and_fields() -> None:
    library = load_procedures(SPECS)
    assert len(library) >= 12
    latest = [versions[-1] for versions in library.values()]
    assert {p.level for p in latest} >= {
        AdminLevel.MINISTRY,
        AdminLevel.PROVINCE,
        AdminLevel.COMMUNE,
    }
    assert len({p.field for p in latest}) >= 8


@pytest.mark.parametrize(
    ("day", "level"),
    [("2025-06-30", AdminLevel.DISTRICT), ("2025-07-01", AdminLevel.COMMUNE)],
)
def test_the_version_in_force_is_chosen_by_date(day: str, level: AdminLevel) -> None:
    from datetime import date

    library = load_procedures(SPECS)
    assert library.in_force("dang-ky-ho-kinh-doanh", date.fromisoformat(day)).level is level


def test_no_version_in_force_is_a_lookup_error() -> None:
    from datetime import date

    library = load_procedures(SPECS)
    with pytest.raises(LookupError, match=r"'dang-ky-ho-kinh-doanh'.*2020-12-31"):
        library.in_force("dang-ky-ho-kinh-doanh", date(2020, 12, 31))
    with pytest.raises(LookupError, match="unknown procedure 'nope'"):
        library.in_force("nope", date(2025, 1, 1))


@pytest.mark.parametrize("path", spec_files(FIXTURES / "valid"), ids=lambda p: p.name)
def test_valid_fixtures_load(path: Path) -> None:
    assert isinstance(load_procedure(path), Procedure)


# file, problem code, step named (or None), text the message must contain
INVALID = [
    ("unknown-step.toml", "unknown_step", "a", "next step 'ghost' does not exist"),
    ("unreachable.toml", "unreachable", "orphan", "cannot be reached from the start step 'a'"),
    ("two-ends.toml", "end", None, "exactly one end step"),
    ("cycle.toml", "cycle", "b", "b -> c -> b"),
    ("duplicate-step.toml", "duplicate_step", "a", "step id 'a' is used twice"),
    ("over-limit.toml", "over_limit", None, "a -> b add up to 28 working hours"),
    ("over-limit-branch.toml", "over_limit", None, "a -> c -> d add up to 20 working hours"),
    ("shares.toml", "shares", None, "03 ngày làm việc + 10 ngày làm việc add up to 104"),
    ("over-share.toml", "over_share", None, "agency 'x' steps on the longest path use 32"),
    ("unknown-agency.toml", "unknown_agency", "b", "agency 'z' has no share"),
    ("unknown-condition.toml", "unknown_condition", "a", "condition 'needs_verifcation'"),
    ("budget-calendar-days.toml", "value_error", "b", "working days or hours, not 05 ngày"),
    ("bad-time-limit.toml", "value_error", None, "cannot read the time limit 'ba ngày'"),
    ("missing-legal-basis.toml", "missing", None, "Field required"),
    ("validity.toml", "validity", None, "effective_to 2023-12-31 is before"),
    ("unknown-field.toml", "extra_forbidden", "a", "Extra inputs are not permitted"),
]


@pytest.mark.parametrize(("name", "code", "step", "text"), INVALID, ids=[row[0] for row in INVALID])
def test_invalid_fixture_says_where(name: str, code: str, step: str | None, text: str) -> None:
    path = FIXTURES / "invalid" / name
    with pytest.raises(SpecError) as info:
        load_procedure(path)
    error = info.value
    assert isinstance(error, ValueError)
    assert isinstance(error, ProcflowError)
    assert error.path == path
    assert [p.code for p in error.problems] == [code]
    problem = error.problems[0]
    assert problem.step == step
    assert text in problem.message
    assert str(path) in str(error)


def test_every_invalid_fixture_is_in_the_table() -> None:
    assert {p.name for p in spec_files(FIXTURES / "invalid")} == {row[0] for row in INVALID} | {
        "toml-syntax.toml"
    }


def test_toml_syntax_error_names_file_and_line() -> None:
    path = FIXTURES / "invalid" / "toml-syntax.toml"
    with pytest.raises(SpecError, match=r"toml-syntax.toml: cannot read TOML: .*line 2"):
        load_procedure(path)


def test_overlapping_versions_are_refused() -> None:
    with pytest.raises(SpecError, match=r"versions of 'v' in force from 2021-01-01 .* overlap"):
        load_procedures(FIXTURES / "overlap")


def test_missing_file_is_a_spec_error() -> None:
    with pytest.raises(SpecError, match=r"nope\.toml"):
        load_procedure(FIXTURES / "nope.toml")


def test_published_schema_is_current() -> None:
    published = json.loads(
        (ROOT / "src" / "procflow" / "schemas" / "procedure.schema.json").read_text(
            encoding="utf-8"
        )
    )
    assert published == procedure_schema(), (
        "regenerate: procflow schema > src/procflow/schemas/procedure.schema.json"
    )


def test_schema_accepts_catalogue_text_for_limits() -> None:
    limit = procedure_schema()["$defs"]["TimeLimit"]
    assert {"type": "string", "description": 'catalogue text, e.g. "03 ngày làm việc"'} in limit[
        "anyOf"
    ]
