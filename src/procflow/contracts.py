"""JSON contracts: the JSON Schema (draft 2020-12) of every public model, by name.

Frontends in any language exchange these models as JSON; the schemas are shipped in the
package (``procflow/schemas/NAME.schema.json``) and printed by ``procflow schema NAME``.
Instants are RFC 3339 with their offset (``+07:00`` for Vietnam time, see
:mod:`procflow.instant`); clock times such as a cut-off are ``HH:MM`` or ``HH:MM:SS``.
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any, Literal

from pydantic import BaseModel

from procflow.audit import AuditFinding
from procflow.deadline import DueDate
from procflow.dossier import Dossier
from procflow.errors import InputError
from procflow.evaluation import Evaluation
from procflow.procedure import Procedure
from procflow.report import Report
from procflow.spec import procedure_schema, time_limit_or_text
from procflow.timelimit import TimeLimit

__all__ = ["DRAFT", "MODELS", "SchemaName", "json_schema", "packaged_schema", "schema_text"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"

SchemaName = Literal[
    "procedure", "time-limit", "dossier", "evaluation", "due-date", "report", "audit-finding"
]

MODELS: dict[str, type[BaseModel]] = {
    "procedure": Procedure,
    "time-limit": TimeLimit,
    "dossier": Dossier,
    "evaluation": Evaluation,
    "due-date": DueDate,
    "report": Report,
    "audit-finding": AuditFinding,
}
"""The public models by schema name; ``MODELS[name].model_validate_json`` reads each."""

_CLOCK = r"^([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?$"


def _clock_times(node: Any) -> Any:
    """Replace ``format: time`` (RFC 3339 requires an offset there) by the clock pattern."""
    if isinstance(node, dict):
        if node.get("format") == "time":
            node = {k: v for k, v in node.items() if k != "format"}
            node["pattern"] = _CLOCK
        return {k: _clock_times(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_clock_times(v) for v in node]
    return node


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a public model.

    Args:
        name: One of :data:`MODELS` (``procedure``, ``time-limit``, ``dossier``,
            ``evaluation``, ``due-date``, ``report``, ``audit-finding``).

    Returns:
        The schema, with ``$schema``, ``$id`` (``NAME.schema.json``) and ``title``.

    Raises:
        InputError: If the name is not one of them; the message lists them.

    Examples:
        >>> schema = json_schema("dossier")
        >>> schema["$schema"], schema["$id"]
        ('https://json-schema.org/draft/2020-12/schema', 'dossier.schema.json')
        >>> schema["$defs"]["Event"]["properties"]["at"]["format"]
        'date-time'
    """
    if name not in MODELS:
        raise InputError(f"unknown schema {name!r}: one of {', '.join(MODELS)}")
    if name == "procedure":
        schema = procedure_schema()
    elif name == "time-limit":
        inner = TimeLimit.model_json_schema()
        defs = inner.pop("$defs", {})
        schema = time_limit_or_text(inner) | {"$defs": defs}
    else:
        schema = MODELS[name].model_json_schema()
        defs = schema.get("$defs", {})
        if "TimeLimit" in defs:  # read from catalogue text too ("before" validator)
            defs["TimeLimit"] = time_limit_or_text(defs["TimeLimit"])
    schema = _clock_times(schema)
    head = {
        "$schema": DRAFT,
        "$id": f"{name}.schema.json",
        "title": schema.get("title", name) if name == "procedure" else f"procflow {name}",
    }
    return head | {k: v for k, v in schema.items() if k not in head}


def packaged_schema(name: str) -> dict[str, Any]:
    """The schema shipped in the package for ``name`` (kept equal to :func:`json_schema`).

    Examples:
        >>> packaged_schema("time-limit") == json_schema("time-limit")
        True
    """
    if name not in MODELS:
        raise InputError(f"unknown schema {name!r}: one of {', '.join(MODELS)}")
    text = (files("procflow") / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
    result: dict[str, Any] = json.loads(text)
    return result


def schema_text(name: str) -> str:
    """The schema as the shipped files write it: indented JSON, UTF-8 text, a final newline."""
    return json.dumps(json_schema(name), ensure_ascii=False, indent=2) + "\n"
