"""Small builders for dossiers in tests."""

from __future__ import annotations

from typing import Any

from procflow import Dossier


def ev(kind: str, at: str, **extra: Any) -> dict[str, Any]:
    """One event as a frontend would send it."""
    return {"type": kind, "at": at, **extra}


def dossier(limit: str, *events: dict[str, Any], **fields: Any) -> Dossier:
    """A dossier with inline rules."""
    return Dossier.model_validate(
        {"id": "HS-TEST", "time_limit": limit, "events": list(events), **fields}
    )
