"""The office's forms over HTTP: ``POST /v1/forms/{kind}`` as JSON, HTML or DOCX.

The body is what ``procflow form`` reads from a file (``{"dossier": ..., "form": ...}``,
see ``examples/forms/``), plus an optional ``procedure_id``; the answer is the form's data
(JSON), its page (``Accept: text/html``, :func:`procflow.forms.render_html`) or its Word
document (``Accept:`` the DOCX media type, :func:`procflow.forms.docx_render.docx_bytes`).
A form the library refuses (an apology that is not lawful, a control slip without steps)
is a 422 problem carrying the library's message.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator

from procflow.calendar import WorkCalendar
from procflow.dossier import Dossier
from procflow.forms import FormContext, FormKind, build_form, render_html
from procflow.forms.models import ApologySlip, ControlSlip, ReceiptSlip, RefusalSlip
from procflow.forms.models import SupplementRequest as SupplementForm
from procflow.procedure import ProcedureLibrary

__all__ = ["DOCX", "FormRequest", "add_form_routes", "negotiate"]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML = "text/html"
JSON = "application/json"
_OFFERED = (JSON, HTML, DOCX)

DossierFormKind = Literal["receipt", "supplement", "refusal", "apology", "control"]
"""The forms of one dossier (the register takes many: ``procflow form register``)."""


class FormRequest(BaseModel):
    """The body of ``POST /v1/forms/{kind}``: a dossier and what its form prints besides.

    The shape of ``procflow form``'s input files (``examples/forms/*.json``), so such a
    file can be posted as it is. ``procedure_id`` replaces the dossier's own.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    dossier: Dossier
    procedure_id: str | None = None
    form: FormContext = Field(default_factory=FormContext)
    """The applicant, the documents handed in, the reasons: what the dossier does not carry."""

    @model_validator(mode="before")
    @classmethod
    def _procedure_into_dossier(cls, data: Any) -> Any:
        # As `procflow form --procedure`: the id joins the dossier before it is validated, so
        # a dossier without one takes it, and one with inline rules is refused for both.
        if isinstance(data, dict) and data.get("procedure_id") is not None:
            dossier = data.get("dossier")
            if isinstance(dossier, dict):
                return data | {"dossier": dossier | {"procedure_id": data["procedure_id"]}}
        return data


def negotiate(accept: str) -> str:
    """The answer's media type for an ``Accept`` header: JSON, HTML or DOCX.

    The highest quality wins (RFC 9110 §12.5.1), the header's order breaks ties; a header
    naming none of the three (or ``*/*``, or none at all) gets JSON.

    Examples:
        >>> negotiate("text/html")
        'text/html'
        >>> negotiate("application/json, text/html;q=0.5")
        'application/json'
        >>> negotiate("text/html,application/xhtml+xml,*/*;q=0.8")
        'text/html'
        >>> negotiate("") == negotiate("*/*") == negotiate("image/png") == JSON
        True
    """
    best, best_q = JSON, 0.0
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media.lower() in _OFFERED and quality > best_q:
            best, best_q = media.lower(), quality
    return best


def _filename(kind: str, dossier_id: str) -> str:
    # A dossier code may hold characters a file name or a header cannot: keep the safe ones.
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", dossier_id).strip("-") or "dossier"
    return f"{kind}-{safe}.docx"


def add_form_routes(app: FastAPI, library: ProcedureLibrary, calendar: WorkCalendar) -> None:
    """Add ``POST /v1/forms/{kind}`` to the application.

    Args:
        app: The application.
        library: The procedures served.
        calendar: The working calendar.
    """
    forms: Any = ReceiptSlip | SupplementForm | RefusalSlip | ApologySlip | ControlSlip
    answers: dict[int | str, dict[str, Any]] = {
        200: {
            "description": "The form: its data (JSON), its page (HTML) or its Word document",
            "content": {"text/html": {}, DOCX: {}},
        },
        404: {
            "description": "Unknown procedure",
            "content": {"application/problem+json": {"schema": _PROBLEM}},
        },
    }

    @app.post(
        "/v1/forms/{kind}",
        operation_id="form",
        response_model=forms,
        responses=answers,
    )
    def form(kind: DossierFormKind, body: FormRequest, request: Request) -> Response:
        """One dossier's form as JSON, or as HTML or DOCX when ``Accept`` asks.

        Receipt (Mẫu 01), supplement (02), refusal (03), apology (04), control (05; 06
        from 1 July 2025), numbered by the dossier's receipt date. A form the law does not
        allow (a second re-appointment, an apology issued late, a refusal without a reason)
        is a 422 problem with the library's message.
        """
        dossier = body.dossier
        built = build_form(FormKind(kind), dossier, library, calendar, body.form)
        chosen = negotiate(request.headers.get("accept", ""))
        if chosen == DOCX:
            from procflow.forms.docx_render import docx_bytes

            name = _filename(kind, dossier.id)
            return Response(
                docx_bytes(built),
                media_type=DOCX,
                headers={"content-disposition": f'attachment; filename="{name}"'},
            )
        if chosen == HTML:
            return HTMLResponse(render_html(built))
        return JSONResponse(built.model_dump(mode="json"))


_PROBLEM = {"$ref": "#/components/schemas/Problem"}
