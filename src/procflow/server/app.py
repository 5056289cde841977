"""The application factory: procedures and due dates over HTTP, errors as RFC 9457 problems.

References:
    RFC 9457, Problem Details for HTTP APIs.
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict
from starlette.types import ASGIApp, Receive, Scope, Send

from procflow.calendar import WorkCalendar, vietnam_calendar
from procflow.deadline import explain_due_date
from procflow.errors import InputError, ProcflowError, UnknownProcedureError
from procflow.parsing import parse_datetime
from procflow.procedure import ProcedureLibrary
from procflow.spec import load_procedures
from procflow.timelimit import TimeLimit

__all__ = ["DueDateRequest", "create_app"]

PROBLEM = "application/problem+json"
DEFAULT_MAX_BODY = 20 * 1024 * 1024


class DueDateRequest(BaseModel):
    """The body of ``POST /v1/due-date``: a receipt and either a procedure or a time limit."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    received_at: str
    procedure_id: str | None = None
    time_limit: TimeLimit | None = None
    cutoff: time | None = None
    channel: str | None = None


def _problem(status: int, title: str, detail: str) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def _ics(days: list[Any]) -> str:
    """Write days off as an iCalendar (RFC 5545) document of all-day events."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//procflow//calendar//VI"]
    for d in days:
        day = d.date.strftime("%Y%m%d")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{day}@procflow",
            f"DTSTAMP:{day}T000000Z",
            f"DTSTART;VALUE=DATE:{day}",
            f"SUMMARY:{d.name_vi or d.kind}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


class _BodyLimit:
    """Refuse request bodies over ``limit`` bytes with a 413 problem."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = dict(scope.get("headers", []))
            size = headers.get(b"content-length")
            if size is not None and size.isdigit() and int(size) > self.limit:
                detail = f"request body of {int(size)} bytes is over the limit of {self.limit}"
                await _problem(413, "Content Too Large", detail)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(
    *,
    specs: str | Path | None = None,
    calendar: WorkCalendar | None = None,
    max_body: int = DEFAULT_MAX_BODY,
) -> FastAPI:
    """Build the stateless procflow HTTP application.

    Args:
        specs: The folder of procedure specs served under ``/v1/procedures``; None
            serves the packaged library.
        calendar: The working calendar; None uses :func:`vietnam_calendar`.
        max_body: The largest request body accepted, in bytes (413 problem above it).

    Returns:
        The FastAPI application (OpenAPI document at ``/openapi.json``).

    Examples:
        >>> app = create_app()
        >>> app.title
        'procflow'
    """
    library: ProcedureLibrary = load_procedures(specs)
    cal = calendar if calendar is not None else vietnam_calendar()
    app = FastAPI(title="procflow", version="0.1.0")

    @app.exception_handler(ProcflowError)
    async def _procflow_error(request: Request, exc: ProcflowError) -> JSONResponse:
        status = 404 if isinstance(exc, UnknownProcedureError) else 422
        return _problem(status, type(exc).__name__, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        parts = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        return _problem(422, "Invalid request", "; ".join(parts))

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/v1/procedures")
    def procedures() -> list[dict[str, Any]]:
        return [
            {"id": pid, "name_vi": v[-1].name_vi, "name_en": v[-1].name_en, "versions": len(v)}
            for pid, v in sorted(library.items())
        ]

    @app.get("/v1/procedures/{procedure_id}")
    def procedure(procedure_id: str) -> list[dict[str, Any]]:
        if procedure_id not in library:
            raise UnknownProcedureError(f"unknown procedure {procedure_id!r}")
        return [p.model_dump(mode="json") for p in library[procedure_id]]

    @app.post("/v1/due-date")
    def due_date(body: DueDateRequest) -> dict[str, Any]:
        received = parse_datetime(body.received_at)
        cutoff = body.cutoff
        if body.procedure_id is not None:
            proc = library.in_force(body.procedure_id, received.date())
            limit = proc.time_limit
            cutoff = cutoff if cutoff is not None else proc.rules.cutoff
        elif body.time_limit is not None:
            limit = body.time_limit
        else:
            raise InputError("give procedure_id or time_limit")
        due = explain_due_date(received, limit, cal, cutoff=cutoff)
        return {
            "due_at": due.due_at.isoformat(),
            "due_day": due.due_day.isoformat(),
            "explanation": {"vi": due.explain("vi"), "en": due.explain("en")},
            "detail": due.model_dump(mode="json"),
        }

    @app.get("/v1/calendar/{year}", response_model=None)
    def calendar_year(year: str, request: Request) -> Response | dict[str, Any]:
        ics = year.endswith(".ics") or "text/calendar" in request.headers.get("accept", "")
        number = year.removesuffix(".ics")
        if not number.isdigit():
            raise InputError(f"year {year!r} is not a number")
        off = cal.days_off(date(int(number), 1, 1), date(int(number), 12, 31))
        if ics:
            return Response(_ics(off), media_type="text/calendar")
        return {"year": int(number), "days_off": [d.model_dump(mode="json") for d in off]}

    wrapped: Any = _BodyLimit
    app.add_middleware(wrapped, limit=max_body)
    return app
