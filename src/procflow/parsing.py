"""Reading dates, times and clock times from text, at the edges (files, command line, JSON).

The core works only with ``date``, ``time`` and ``datetime``; every string becomes one of
them here, with an error that names the value and where it was found.
"""

from __future__ import annotations

from datetime import date, datetime, time

from dateutil.parser import isoparse

from procflow.errors import InputError

__all__ = ["parse_clock", "parse_date", "parse_datetime"]


def _where(where: str) -> str:
    return f"{where}: " if where else ""


def parse_datetime(text: str, where: str = "") -> datetime:
    """Read an ISO 8601 date-time ("2024-01-31T15:20", with or without an offset).

    A date alone means its midnight. Without an offset the time is Vietnam local time
    (UTC+07:00) and stays naive; with one it stays aware, and every comparison converts it
    to Vietnam time (:func:`procflow.calendar.to_local`). This is the one reader of
    instants from text: files, the dossier model, the command line and the HTTP service.

    Args:
        text: The text.
        where: Where the text comes from, for the error message (file, row, field).

    Raises:
        InputError: If the text is not an ISO 8601 date-time; the message quotes it.

    Examples:
        >>> parse_datetime("2024-01-31T15:20")
        datetime.datetime(2024, 1, 31, 15, 20)
        >>> parse_datetime("2024-01-31T08:20:00Z").utcoffset()
        datetime.timedelta(0)
    """
    try:
        return isoparse(text.strip())
    except (ValueError, OverflowError, AttributeError) as exc:
        raise InputError(f"{_where(where)}not an ISO 8601 date-time: {text!r}") from exc


def parse_date(text: str, where: str = "") -> date:
    """Read an ISO 8601 date ("2024-01-31").

    Raises:
        InputError: If the text is not an ISO date; the message quotes it.
    """
    try:
        return date.fromisoformat(text.strip())
    except (ValueError, AttributeError) as exc:
        raise InputError(f"{_where(where)}not an ISO 8601 date: {text!r}") from exc


def parse_clock(text: str, where: str = "") -> time:
    """Read a clock time such as "15:00", "15h", "15h30" or "7:30".

    Raises:
        InputError: If the text is not a clock time; the message quotes it.

    Examples:
        >>> parse_clock("15h30")
        datetime.time(15, 30)
    """
    cleaned = text.strip().lower().replace("h", ":")
    if cleaned.endswith(":"):
        cleaned += "00"
    try:
        hours, _, minutes = cleaned.partition(":")
        return time(int(hours), int(minutes or 0))
    except ValueError as exc:
        raise InputError(f"{_where(where)}not a clock time (HH:MM): {text!r}") from exc
