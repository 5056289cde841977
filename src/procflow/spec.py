"""Procedure spec files: one procedure a file, TOML (or JSON), loaded and dumped.

TOML is read with the standard library (``tomllib``), so officials' files need nothing
else. Time limits and budgets are written as the catalogue writes them
(``time_limit = "03 ngày làm việc"``, ``budget = "0,5 ngày làm việc"``); a step without a
budget is not counted. See ``docs/writing-a-spec.md``.

Loading wraps every validation error into :class:`~procflow.SpecError`, keeping the
file, the field path and the step.
"""

from __future__ import annotations

import json
import tomllib
from datetime import date
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from procflow.errors import SpecError
from procflow.procedure import Problem, Procedure, ProcedureLibrary

__all__ = [
    "SPEC_SUFFIXES",
    "dump_procedure",
    "load_procedure",
    "load_procedures",
    "packaged_specs",
    "parse_procedure",
    "procedure_schema",
    "spec_files",
]

SPEC_SUFFIXES = (".toml", ".json")
"""File endings read as procedure specs (``*.schema.json`` files are skipped)."""


def _problems_of(exc: ValidationError) -> list[Problem]:
    """Turn pydantic's errors into problems, keeping field paths and the graph's problems."""
    errors = exc.errors()
    locs = [".".join(str(part) for part in error["loc"]) for error in errors]
    problems: list[Problem] = []
    for error, loc in zip(errors, locs, strict=True):
        inner = (error.get("ctx") or {}).get("error")
        if isinstance(inner, SpecError) and inner.problems:
            problems.extend(inner.problems)
            continue
        if error["type"] == "too_short" and any(o.startswith(f"{loc}.") for o in locs):
            continue  # a consequence of an invalid item, already reported
        message = error["msg"].removeprefix("Value error, ")
        problems.append(Problem(code=error["type"], message=message, field=loc or None))
    return problems


def _step_names(problems: list[Problem], data: Any) -> list[Problem]:
    """Name the step of a field-path problem (``steps.3.budget`` -> the step's id)."""
    steps = data.get("steps") if isinstance(data, dict) else None
    out = []
    for problem in problems:
        parts = (problem.field or "").split(".")
        if (
            problem.step is None
            and len(parts) >= 2
            and parts[0] == "steps"
            and parts[1].isdigit()
            and isinstance(steps, list)
            and int(parts[1]) < len(steps)
            and isinstance(steps[int(parts[1])], dict)
        ):
            step_id = steps[int(parts[1])].get("id")
            problem = problem.model_copy(update={"step": str(step_id)})
        out.append(problem)
    return out


def parse_procedure(
    text: str, *, fmt: Literal["toml", "json"] = "toml", path: str | Path | None = None
) -> Procedure:
    """Read a procedure from spec text.

    Args:
        text: The spec.
        fmt: ``"toml"`` or ``"json"``.
        path: The file it comes from, named in errors.

    Returns:
        The validated procedure.

    Raises:
        SpecError: If the text is not valid TOML/JSON or the procedure is invalid; its
            ``problems`` list every problem with its step and field.
    """
    try:
        data = tomllib.loads(text) if fmt == "toml" else json.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise SpecError(f"cannot read {fmt.upper()}: {exc}", path=path) from exc
    try:
        return Procedure.model_validate(data)
    except ValidationError as exc:
        problems = _step_names(_problems_of(exc), data)
        pid = data.get("id") if isinstance(data, dict) else None
        raise SpecError(f"procedure {pid!r} is invalid", problems=problems, path=path) from exc


def load_procedure(path: str | Path) -> Procedure:
    """Load one procedure from a spec file (``.toml`` or ``.json``).

    Args:
        path: The file.

    Returns:
        The validated procedure.

    Raises:
        SpecError: If the file cannot be read or the procedure is invalid; the message
            names the file, and each problem its step and field.

    Examples:
        >>> p = load_procedure("src/procflow/specs/chung-thuc-ban-sao.toml")
        >>> p.time_limit, p.rules.cutoff
        (TimeLimit(value=0.0, unit=<TimeUnit.SAME_DAY: 'same_day'>), datetime.time(15, 0))
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError(f"cannot read spec file: {exc.strerror}", path=path) from exc
    return parse_procedure(text, fmt="json" if path.suffix == ".json" else "toml", path=path)


def spec_files(folder: str | Path) -> list[Path]:
    """The spec files under ``folder`` (recursively), sorted."""
    return [Path(str(entry)) for entry in _spec_entries(Path(folder))]


def _is_spec(entry: Traversable) -> bool:
    name = entry.name
    return (
        entry.is_file()
        and name.endswith(SPEC_SUFFIXES)
        and not name.endswith(".schema.json")
        and not name.startswith(".")
    )


def _spec_entries(root: Traversable) -> list[Traversable]:
    """The spec files under ``root`` (a folder or a package's resources), sorted by path."""
    found: list[tuple[str, Traversable]] = []

    def walk(folder: Traversable, prefix: str) -> None:
        for entry in folder.iterdir():
            if entry.is_dir():
                walk(entry, f"{prefix}{entry.name}/")
            elif _is_spec(entry):
                found.append((f"{prefix}{entry.name}", entry))

    walk(root, "")
    return [entry for _, entry in sorted(found, key=lambda item: item[0])]


def packaged_specs() -> Traversable:
    """The procedure library shipped inside the package, as a resource folder.

    The library lives in the package (``procflow/specs/``, one TOML file a procedure), so
    a wheel installed anywhere carries it; it is read with :mod:`importlib.resources`.

    Examples:
        >>> sorted(entry.name for entry in packaged_specs().iterdir())[:2]
        ['boi-thuong-nghe-an.toml', 'cap-gcn-lan-dau.toml']
    """
    return files("procflow") / "specs"


def load_procedures(folder: str | Path | None = None) -> ProcedureLibrary:
    """Load every procedure spec under ``folder``, by id, all versions.

    Args:
        folder: The folder (searched recursively for ``.toml`` and ``.json`` files);
            None (the default) reads the library shipped in the package
            (:func:`packaged_specs`).

    Returns:
        The library: a mapping from procedure id to its versions, oldest first.

    Raises:
        SpecError: If the folder does not exist, a file is invalid (naming it) or two
            versions of one procedure overlap.

    Examples:
        >>> library = load_procedures()
        >>> library.in_force("dang-ky-ho-kinh-doanh", date(2025, 8, 1)).level
        <AdminLevel.COMMUNE: 'commune'>
    """
    root: Traversable
    if folder is None:
        root = packaged_specs()
        where: str | Path = "procflow/specs (packaged library)"
    else:
        root = where = Path(folder)
        if not root.is_dir():
            raise SpecError("not a folder of procedure specs", path=root)
    procedures = [_load_entry(entry) for entry in _spec_entries(root)]
    try:
        return ProcedureLibrary(procedures)
    except SpecError as exc:
        raise SpecError(exc.message, problems=exc.problems, path=where) from exc


def _load_entry(entry: Traversable) -> Procedure:
    if isinstance(entry, Path):
        return load_procedure(entry)
    try:
        text = entry.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError(f"cannot read spec file: {exc.strerror}", path=str(entry)) from exc
    fmt: Literal["toml", "json"] = "json" if entry.name.endswith(".json") else "toml"
    return parse_procedure(text, fmt=fmt, path=str(entry))


def _spec_data(p: Procedure) -> dict[str, Any]:
    """The procedure as a spec writes it: catalogue text for limits, defaults left out."""
    data = p.model_dump(mode="json", exclude_defaults=True)
    data["time_limit"] = str(p.time_limit)
    data["effective_from"] = p.effective_from
    if p.effective_to is not None:
        data["effective_to"] = p.effective_to
    if "rules" in data:
        rules = data["rules"]
        if p.rules.cutoff is not None:
            rules["cutoff"] = f"{p.rules.cutoff:%H:%M}"
        if "not_counted" in rules:
            rules["not_counted"] = sorted(rules["not_counted"])
    for share, spec in zip(p.agencies, data.get("agencies", []), strict=True):
        spec["limit"] = str(share.limit)
    for step, spec in zip(p.steps, data["steps"], strict=True):
        if step.budget is not None:
            spec["budget"] = str(step.budget)
        if step.next:
            spec["next"] = [
                e.to if e.when is None else {"to": e.to, "when": e.when} for e in step.next
            ]
    return data


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
        )
    raise TypeError(f"cannot write {value!r} as TOML")


def _toml_key(key: str) -> str:
    bare = key.replace("_", "").replace("-", "").isalnum() and key.isascii()
    return key if bare else json.dumps(key, ensure_ascii=False)


def _toml(data: dict[str, Any]) -> str:
    """Write the spec's shape as TOML: scalars, then tables, then arrays of tables."""
    lines: list[str] = []
    tables = {k: v for k, v in data.items() if isinstance(v, dict)}
    arrays = {
        k: v
        for k, v in data.items()
        if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)
    }
    for key, value in data.items():
        if key not in tables and key not in arrays:
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    for key, table in tables.items():
        lines.append(f"\n[{_toml_key(key)}]")
        lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in table.items()]
    for key, items in arrays.items():
        for item in items:
            lines.append(f"\n[[{_toml_key(key)}]]")
            lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in item.items()]
    return "\n".join(lines) + "\n"


def dump_procedure(p: Procedure, fmt: Literal["toml", "json"] = "toml") -> str:
    """Write a procedure as spec text; ``parse_procedure(dump_procedure(p)) == p``.

    Args:
        p: The procedure.
        fmt: ``"toml"`` or ``"json"``.

    Returns:
        The spec text.
    """
    data = _spec_data(p)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
    return _toml(data)


def procedure_schema() -> dict[str, Any]:
    """The JSON Schema of a procedure spec, for frontends that edit specs.

    Time limits and budgets accept catalogue text (``"03 ngày làm việc"``) or an object
    ``{"value": 3, "unit": "working_days"}``; edges accept a step id or
    ``{"to": ..., "when": ...}``.
    """
    schema = Procedure.model_json_schema()
    schema["$id"] = "procedure.schema.json"
    schema["title"] = "procflow procedure spec"
    defs = schema["$defs"]
    # The models read these shorthand forms too (model validators in "before" mode).
    defs["TimeLimit"] = {
        "anyOf": [
            {"type": "string", "description": 'catalogue text, e.g. "03 ngày làm việc"'},
            defs["TimeLimit"],
        ]
    }
    defs["Edge"] = {
        "anyOf": [{"type": "string", "description": "the next step's id"}, defs["Edge"]]
    }
    return schema
