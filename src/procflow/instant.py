"""Instants in JSON: RFC 3339 with their offset, written once for every model.

Inside procflow a naive ``datetime`` means Vietnam time (Asia/Ho_Chi_Minh, UTC+07:00) and
an aware one is kept as given. In JSON every instant carries its offset, so a frontend in
any language reads it without a convention: a naive value is written with ``+07:00``, an
aware one with its own offset. Reading accepts both; text without an offset is read as
Vietnam time (naive).

Examples:
    >>> from datetime import datetime
    >>> from pydantic import BaseModel
    >>> class Stamp(BaseModel):
    ...     at: Instant
    >>> Stamp(at=datetime(2026, 3, 2, 9, 0)).model_dump_json()
    '{"at":"2026-03-02T09:00:00+07:00"}'
    >>> Stamp.model_validate_json('{"at":"2026-03-02T09:00:00+07:00"}').at
    datetime.datetime(2026, 3, 2, 9, 0)
    >>> Stamp.model_validate_json('{"at":"2026-03-02T09:00:00"}').at
    datetime.datetime(2026, 3, 2, 9, 0)
    >>> Stamp.model_validate_json('{"at":"2026-03-02T02:00:00Z"}').at.isoformat()
    '2026-03-02T02:00:00+00:00'
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer

from procflow.calendar import VN_TZ
from procflow.parsing import parse_datetime

__all__ = ["Instant", "parse_instant", "rfc3339"]


def rfc3339(t: datetime) -> str:
    """Write an instant as RFC 3339 with its offset; a naive one is Vietnam time.

    Examples:
        >>> rfc3339(datetime(2024, 1, 31, 15, 20))
        '2024-01-31T15:20:00+07:00'
    """
    return (t if t.tzinfo is not None else t.replace(tzinfo=VN_TZ)).isoformat()


def parse_instant(text: str, where: str = "") -> datetime:
    """Read an instant from JSON text: Vietnam time (no offset, or +07:00) becomes naive.

    Args:
        text: ISO 8601 / RFC 3339 text.
        where: Where the text comes from, for the error message.

    Raises:
        InputError: If the text is not an ISO 8601 date-time; the message quotes it.

    Examples:
        >>> parse_instant("2026-03-31T17:00:00+07:00")
        datetime.datetime(2026, 3, 31, 17, 0)
    """
    t = parse_datetime(text, where)
    return t.replace(tzinfo=None) if t.utcoffset() == VN_TZ.utcoffset(None) else t


def _read(value: Any) -> Any:
    return parse_instant(value) if isinstance(value, str) else value


Instant = Annotated[
    datetime,
    BeforeValidator(_read),
    PlainSerializer(rfc3339, return_type=str, when_used="json"),
]
"""A ``datetime`` field that JSON writes as RFC 3339 with its offset (see the module)."""
