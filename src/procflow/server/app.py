"""The application factory: procflow over HTTP, errors as RFC 9457 problems, the web page.

Routes: ``/health``; ``/v1/procedures`` and ``/v1/procedures/{id}``; ``POST /v1/due-date``;
``POST /v1/evaluate``; ``POST /v1/report``; ``/v1/calendar/{year}`` (JSON or iCalendar);
``POST /v1/forms/{kind}`` (:mod:`procflow.server.forms`); ``GET /v1/labels``
(:mod:`procflow.server.labels`);
the reference web page at ``/`` with its assets under ``/static``. Every route is
stateless: a request carries what it needs, the procedure library and the calendar are
read once when the application is built.

References:
    RFC 9457, Problem Details for HTTP APIs.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time
from http import HTTPStatus
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Body, FastAPI, File, Form, Query, Request, UploadFile
from fastapi.exceptions import HTTPException as RouteHTTPException
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.json_schema import models_json_schema
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from procflow import __version__
from procflow.calendar import DayInfo, WorkCalendar, vietnam_calendar, vietnam_now
from procflow.deadline import DueDate, Note, explain_due_date
from procflow.dossier import Channel, Dossier, Event, EventType
from procflow.errors import InputError, ProcflowError, UnknownProcedureError
from procflow.evaluation import Evaluation, applied_rules, evaluate
from procflow.export import write_xlsx
from procflow.parsing import parse_datetime
from procflow.procedure import Procedure, ProcedureLibrary
from procflow.report import GroupBy, Report, period_bounds
from procflow.reportfile import FileReporter
from procflow.server.forms import add_form_routes
from procflow.server.labels import add_label_routes
from procflow.spec import load_procedures, time_limit_or_text
from procflow.timelimit import CountingModel, TimeLimit

__all__ = [
    "CalendarYear",
    "DueDateAnswer",
    "DueDateRequest",
    "EvaluateRequest",
    "Explanation",
    "Problem",
    "ProcedureSummary",
    "create_app",
]

PROBLEM = "application/problem+json"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEFAULT_MAX_BODY = 20 * 1024 * 1024
_STATIC = files("procflow.server") / "static"


class DueDateRequest(BaseModel):
    """The body of ``POST /v1/due-date``: a receipt and either a procedure or a time limit.

    With ``procedure_id`` the procedure's rules apply (its version in force on the receipt
    date: limit, counting model, cut-off and the channels it applies to); ``cutoff``
    given here replaces the procedure's. With ``time_limit`` only ``cutoff`` applies.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    received_at: str = Field(examples=["2024-01-31T15:20:00+07:00"])
    procedure_id: str | None = None
    time_limit: TimeLimit | None = None
    cutoff: time | None = None
    channel: Channel = Channel.IN_PERSON


class Explanation(BaseModel):
    """An explanation as text, one reason a line, in Vietnamese and in English."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    vi: str
    en: str


class DueDateAnswer(BaseModel):
    """The answer of ``POST /v1/due-date``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    due_at: datetime
    due_day: date
    explanation: Explanation
    lines: tuple[Note, ...]
    """The explanation line by line, each in both languages with a stable ``code``."""
    detail: DueDate


class EvaluateRequest(BaseModel):
    """A body of ``POST /v1/evaluate``: dossiers and the instant to evaluate them at.

    ``as_of`` absent means now. A bare dossier, or a bare list of dossiers, is accepted
    too (``as_of`` then comes from the query string, or is now).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    as_of: datetime | None = None
    dossiers: list[Dossier]


class ProcedureSummary(BaseModel):
    """One entry of ``GET /v1/procedures``: the latest version's names, field and limit."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name_vi: str
    name_en: str
    field: str = ""
    time_limit: str = ""
    """The latest version's limit as the catalogue writes it, e.g. ``03 ngày làm việc``."""
    versions: int


class CalendarYear(BaseModel):
    """The working calendar of one year: days off, and weekend days worked."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    year: int
    days_off: list[DayInfo]
    extra_working_days: list[DayInfo]


class Problem(BaseModel):
    """An RFC 9457 problem; ``index`` and ``dossier_id`` name the dossier at fault."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    index: int | None = None
    dossier_id: str | None = None


def _problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI responses: these statuses answer an RFC 9457 problem."""
    text = {
        404: "Unknown procedure",
        413: "Request body over the size limit",
        422: "Invalid input, with the library's message",
    }
    schema = {"$ref": "#/components/schemas/Problem"}
    return {
        code: {"description": text[code], "content": {PROBLEM: {"schema": schema}}}
        for code in codes
    }


class _DossierError(Exception):
    """An error about one dossier of a request, for a problem naming it."""

    def __init__(self, index: int, dossier_id: str | None, error: Exception, detail: str) -> None:
        super().__init__(detail)
        self.index = index
        self.dossier_id = dossier_id
        self.error = error


def _problem(
    status: int, title: str, detail: str, headers: Mapping[str, str] | None = None, **extra: Any
) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def _describe(errors: list[Any], skip: int = 0) -> str:
    """Pydantic errors as ``field.path: message (got 'value')``, joined with ``; ``."""
    parts = []
    for error in errors:
        if error.get("type") == "json_invalid":
            reason = error.get("ctx", {}).get("error", "")
            parts.append(f"body: not valid JSON at character {error['loc'][-1]}: {reason}")
            continue
        where = ".".join(str(p) for p in error["loc"][skip:]) or "body"
        text = f"{where}: {str(error['msg']).removeprefix('Value error, ')}"
        value = error.get("input")
        if isinstance(value, str | int | float) and repr(value) not in text:
            text += f" (got {value!r})"
        parts.append(text)
    return "; ".join(parts)


def _ics(days: list[DayInfo]) -> str:
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
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        size = headers.get(b"content-length")
        if size is not None and size.isdigit() and int(size) > self.limit:
            detail = f"request body of {int(size)} bytes is over the limit of {self.limit}"
            await _problem(413, "Content Too Large", detail)(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            # A body sent in chunks has no length to check up front: count it as it comes.
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    detail = f"request body over the limit of {self.limit} bytes"
                    # FastAPI passes its own HTTPException through body reading (any
                    # other error there becomes a 400).
                    raise RouteHTTPException(413, detail)
            return message

        await self.app(scope, counted, send)


def _dossiers(
    body: Any, as_of: datetime | None
) -> tuple[list[tuple[int, Dossier]], bool, datetime]:
    """Read the body of ``/v1/evaluate``: (index, dossier) pairs, one or many, and as_of."""
    single = isinstance(body, dict) and "dossiers" not in body
    if isinstance(body, dict) and "dossiers" in body:
        unknown = sorted(set(body) - {"as_of", "dossiers"})
        if unknown:
            raise InputError(f"unknown field(s) {', '.join(unknown)}: give as_of and dossiers")
        if body.get("as_of") is not None and as_of is None:
            if not isinstance(body["as_of"], str):
                raise InputError(f"as_of: not an ISO 8601 date-time: {body['as_of']!r}")
            as_of = parse_datetime(body["as_of"], "as_of")
        raw = body["dossiers"]
    else:
        raw = [body] if single else body
    if not isinstance(raw, list):
        raise InputError("give a dossier, a list of dossiers, or {as_of, dossiers}")
    out = []
    for index, item in enumerate(raw):
        try:
            out.append((index, Dossier.model_validate(item)))
        except ValidationError as exc:
            found = item.get("id") if isinstance(item, dict) else None
            dossier_id = found if isinstance(found, str) else None
            name = f"dossier {index}" + (f" ({dossier_id!r})" if dossier_id else "")
            detail = f"{name}: {_describe(exc.errors())}"
            raise _DossierError(index, dossier_id, exc, detail) from exc
    return out, single, as_of if as_of is not None else vietnam_now()


def _rules_for(
    library: ProcedureLibrary, body: DueDateRequest, received: datetime
) -> tuple[TimeLimit, time | None, CountingModel | None]:
    """The limit, cut-off and model of a due-date request: a procedure's rules or inline."""
    if body.procedure_id is not None:
        # The rules of a dossier received through this channel, as evaluate applies them.
        probe = Dossier(
            id="due-date",
            procedure_id=body.procedure_id,
            channel=body.channel,
            events=(Event(type=EventType.RECEIVED, at=received),),
        )
        proc: Procedure = library.in_force(body.procedure_id, received.date())
        rules = applied_rules(probe, proc)
        cutoff = body.cutoff if body.cutoff is not None else rules.cutoff
        return rules.limit, cutoff, rules.model
    if body.time_limit is not None:
        return body.time_limit, body.cutoff, None
    raise InputError("give procedure_id or time_limit")


def _openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """The OpenAPI document, with the models of bodies the routes read themselves."""

    def build() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = get_openapi(title=app.title, version=app.version, routes=app.routes)
        document["info"]["description"] = app.description
        _, extra = models_json_schema(
            [(Dossier, "validation"), (EvaluateRequest, "validation"), (Problem, "validation")],
            ref_template="#/components/schemas/{model}",
        )
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        # FastAPI names a form body after its route; clients read a plainer name.
        if "Body_report" in schemas:
            upload = schemas.pop("Body_report")
            upload["title"] = "ReportUpload"
            schemas["ReportUpload"] = upload
            content = document["paths"]["/v1/report"]["post"]["requestBody"]["content"]
            content["multipart/form-data"]["schema"] = {"$ref": "#/components/schemas/ReportUpload"}
        for name, schema in extra.get("$defs", {}).items():
            schemas.setdefault(name, schema)
        _limit_as_text_too(schemas)
        app.openapi_schema = document
        return document

    return build


def _limit_as_text_too(schemas: dict[str, Any]) -> None:
    """Say that a time limit may be sent as the catalogue's text, as the service reads it."""
    limit = schemas.get("TimeLimit")
    if limit is None or limit.get("type") != "object":
        return  # the model's own schema already admits more than the object
    obj = {k: v for k, v in limit.items() if k not in ("title", "description")}
    # The rule (text or object) is the spec schema's; only the document's names are added.
    either = time_limit_or_text(obj)
    either["anyOf"][0]["examples"] = ["03 ngày làm việc", "Trong ngày", "04 giờ làm việc"]
    schemas["TimeLimit"] = {
        "title": "TimeLimit",
        "description": limit.get("description", ""),
        **either,
    }


def _evaluate_body_schema() -> dict[str, Any]:
    dossier = {"$ref": "#/components/schemas/Dossier"}
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "oneOf": [
                            dossier,
                            {"type": "array", "items": dossier},
                            {"$ref": "#/components/schemas/EvaluateRequest"},
                        ]
                    }
                }
            },
        }
    }


def create_app(  # noqa: C901, PLR0915 - the routes are closures over the app's settings
    *,
    specs: str | Path | None = None,
    calendar: WorkCalendar | None = None,
    max_body: int = DEFAULT_MAX_BODY,
    cors_origins: Sequence[str] = (),
) -> FastAPI:
    """Build the stateless procflow HTTP application.

    Args:
        specs: The folder of procedure specs served under ``/v1/procedures``; None
            serves the packaged library.
        calendar: The working calendar; None uses :func:`vietnam_calendar`.
        max_body: The largest request body accepted, in bytes (413 problem above it).
        cors_origins: Web origins (``https://motcua.example.gov.vn``) whose pages may call
            the service from the browser (CORS); none by default: the page at ``/`` needs
            none, being on the service's own origin.

    Returns:
        The FastAPI application (OpenAPI document at ``/openapi.json``).

    Examples:
        >>> app = create_app()
        >>> app.title
        'procflow'
    """
    library: ProcedureLibrary = load_procedures(specs)
    cal = calendar if calendar is not None else vietnam_calendar()
    app = FastAPI(
        title="procflow",
        version=__version__,
        description=(
            "Vietnamese administrative procedures: working-day due dates, dossier outcomes "
            "and period reports. Errors are RFC 9457 problem details."
        ),
        responses=_problems(413, 422),
    )
    app.openapi = _openapi(app)  # type: ignore[method-assign]

    @app.exception_handler(ProcflowError)
    async def _procflow_error(request: Request, exc: ProcflowError) -> JSONResponse:
        status = 404 if isinstance(exc, UnknownProcedureError) else 422
        return _problem(status, type(exc).__name__, str(exc))

    @app.exception_handler(_DossierError)
    async def _dossier_error(request: Request, exc: _DossierError) -> JSONResponse:
        title = "Invalid dossier" if isinstance(exc.error, ValidationError) else None
        return _problem(
            422,
            title or type(exc.error).__name__,
            str(exc),
            index=exc.index,
            dossier_id=exc.dossier_id,
        )

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
        # Unknown routes, wrong methods, bodies over the limit: problems like every error.
        title = HTTPStatus(exc.status_code).phrase
        return _problem(exc.status_code, title, str(exc.detail), headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _problem(422, "Invalid request", _describe(list(exc.errors())))

    @app.get("/", include_in_schema=False)
    def page() -> HTMLResponse:
        return HTMLResponse((_STATIC / "index.html").read_text(encoding="utf-8"))

    @app.get("/health", operation_id="health")
    def health() -> dict[str, str]:
        """Answer ``{"status": "ok"}`` while the service runs."""
        return {"status": "ok"}

    @app.get("/v1/procedures", operation_id="listProcedures")
    def procedures() -> list[ProcedureSummary]:
        """List the procedures served: id, names of the latest version, number of versions."""
        return [
            ProcedureSummary(
                id=pid,
                name_vi=v[-1].name_vi,
                name_en=v[-1].name_en,
                field=v[-1].field,
                time_limit=str(v[-1].time_limit),
                versions=len(v),
            )
            for pid, v in sorted(library.items())
        ]

    @app.get(
        "/v1/procedures/{procedure_id}",
        operation_id="getProcedure",
        response_model=list[Procedure],
        responses=_problems(404),
    )
    def procedure(procedure_id: str) -> JSONResponse:
        """Every version of one procedure, oldest first."""
        if procedure_id not in library:
            raise UnknownProcedureError(f"unknown procedure {procedure_id!r}")
        return JSONResponse([p.model_dump(mode="json") for p in library[procedure_id]])

    @app.post(
        "/v1/due-date",
        operation_id="dueDate",
        response_model=DueDateAnswer,
        responses=_problems(404),
    )
    def due_date(body: DueDateRequest) -> JSONResponse:
        """The due date of a receipt, with its explanation in Vietnamese and English."""
        received = parse_datetime(body.received_at, "received_at")
        limit, cutoff, model = _rules_for(library, body, received)
        due = explain_due_date(received, limit, cal, cutoff=cutoff, model=model)
        detail = due.model_dump(mode="json")  # instants written as the models write them
        answer = {
            "due_at": detail["due_at"],
            "due_day": due.due_day.isoformat(),
            "explanation": {"vi": due.explain("vi"), "en": due.explain("en")},
            "lines": detail["notes"],
            "detail": detail,
        }
        return JSONResponse(answer)

    @app.post(
        "/v1/evaluate",
        operation_id="evaluate",
        response_model=Evaluation | list[Evaluation],
        openapi_extra=_evaluate_body_schema(),
    )
    def evaluate_dossiers(
        body: Annotated[Any, Body()],
        as_of: Annotated[datetime | None, Query()] = None,
    ) -> JSONResponse:
        """Evaluate one dossier (answer: one evaluation) or a list (answer: a list).

        The body is a dossier, a list of dossiers, or ``{"as_of": ..., "dossiers": [...]}``.
        An invalid dossier fails the request with a problem naming its ``index`` and
        ``dossier_id``.
        """
        items, single, at = _dossiers(body, as_of)
        out = []
        for index, dossier in items:
            try:
                out.append(evaluate(dossier, library, cal, as_of=at).model_dump(mode="json"))
            except ProcflowError as exc:
                name = (
                    f"dossier {index}"
                    if repr(dossier.id) in str(exc)
                    else (f"dossier {index} ({dossier.id!r})")
                )
                raise _DossierError(index, dossier.id, exc, f"{name}: {exc}") from exc
        return JSONResponse(out[0] if single else out)

    @app.post(
        "/v1/report",
        operation_id="report",
        response_model=Report,
        responses={200: {"content": {XLSX: {}}, "description": "The report (JSON or XLSX)"}},
    )
    def report(
        request: Request,
        file: Annotated[UploadFile, File(description="CSV or Parquet export")],
        start: Annotated[date, Form(alias="from", description="first day")],
        end: Annotated[date, Form(alias="to", description="last day")],
        by: Annotated[GroupBy | None, Form(description="group rows by")] = None,
        title: Annotated[str, Form(description="agency named in the XLSX title")] = "",
        duplicates: Annotated[
            Literal["refuse", "last"],
            Form(description="rows sharing a dossier id: reject them all, or count the last"),
        ] = "refuse",
    ) -> Response:
        """The period report of an uploaded export, as JSON, or as XLSX when ``Accept`` asks.

        Every row is accounted for: rows that cannot be counted are listed in ``rejected``
        with their row number and reason. Rows sharing a dossier id anywhere in the file
        are all rejected (``duplicates=refuse``, the default), or all but the last
        (``duplicates=last``).
        """
        name = Path(file.filename or "upload.csv").name
        with tempfile.TemporaryDirectory(prefix="procflow-") as folder:
            path = Path(folder) / name
            with path.open("wb") as out:
                shutil.copyfileobj(file.file, out)
            if path.suffix.lower() not in (".csv", ".parquet"):
                with path.open("rb") as head:
                    magic = head.read(4)
                path = path.rename(path.with_suffix(".parquet" if magic == b"PAR1" else ".csv"))
            period_bounds(start, end)  # the period's own errors name no file
            try:
                result = FileReporter(path, library, cal, duplicates=duplicates).report(
                    start, end, by
                )
            except ProcflowError as exc:
                message = str(exc).replace(f"{folder}/", "")
                message = message if message.startswith(path.name) else f"{name}: {message}"
                raise type(exc)(message) from exc
            except ValueError as exc:  # the period itself
                raise InputError(str(exc)) from exc
            if XLSX in request.headers.get("accept", ""):
                target = Path(folder) / "report.xlsx"
                write_xlsx(result, target, title=title)
                stem = f"report-{start}-{end}.xlsx"
                return Response(
                    target.read_bytes(),
                    media_type=XLSX,
                    headers={"content-disposition": f'attachment; filename="{stem}"'},
                )
        return JSONResponse(result.model_dump(mode="json"))

    @app.get(
        "/v1/calendar/{year}",
        operation_id="calendarYear",
        response_model=CalendarYear,
        responses={200: {"content": {"text/calendar": {}}}},
    )
    def calendar_year(year: str, request: Request) -> Response:
        """Days off and weekend days worked of a year; iCalendar for ``.ics`` or ``Accept``."""
        ics = year.endswith(".ics") or "text/calendar" in request.headers.get("accept", "")
        number = year.removesuffix(".ics")
        if not number.isdigit():
            raise InputError(f"year {year!r} is not a number")
        first, last = date(int(number), 1, 1), date(int(number), 12, 31)
        head = [] if cal.is_working_day(first) else [cal.day_info(first)]
        off = head + cal.days_off(first, last)
        if ics:
            return Response(_ics(off), media_type="text/calendar")
        worked = [d for d in cal.special_days(first, last) if d.is_working]
        answer = CalendarYear(year=int(number), days_off=off, extra_working_days=worked)
        return JSONResponse(answer.model_dump(mode="json"))

    add_form_routes(app, library, cal)
    add_label_routes(app)
    app.mount("/static", StaticFiles(directory=str(_STATIC)), name="static")
    wrapped: Any = _BodyLimit
    app.add_middleware(wrapped, limit=max_body)
    if cors_origins:
        cors: Any = CORSMiddleware
        app.add_middleware(
            cors,
            allow_origins=list(cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "Accept"],
            expose_headers=["Content-Disposition"],
        )
    return app
