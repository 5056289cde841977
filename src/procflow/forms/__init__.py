"""The one-stop office's forms: typed data from a dossier, drawn as HTML and DOCX.

Which circular and form number apply (:func:`form_version`), the forms as data
(:func:`receipt_slip`, :func:`supplement_request`, :func:`refusal_slip`,
:func:`apology_slip`, :func:`control_slip`, :func:`register`), and their drawing
(:func:`render_html`; :func:`write_docx` needs the extra ``forms``).
"""

from procflow.forms.context import Component, FormContext
from procflow.forms.html_render import render_html
from procflow.forms.layout import Layout, layout
from procflow.forms.models import (
    ApologySlip,
    ControlSlip,
    Form,
    HandOver,
    ReceiptSlip,
    RefusalSlip,
    Register,
    RegisterEntry,
    SupplementRequest,
    apology_slip,
    build_form,
    control_slip,
    receipt_slip,
    refusal_slip,
    register,
    supplement_request,
)
from procflow.forms.version import Circular, FormKind, FormVersion, form_version

__all__ = [
    "ApologySlip",
    "Circular",
    "Component",
    "ControlSlip",
    "Form",
    "FormContext",
    "FormKind",
    "FormVersion",
    "HandOver",
    "Layout",
    "ReceiptSlip",
    "RefusalSlip",
    "Register",
    "RegisterEntry",
    "SupplementRequest",
    "apology_slip",
    "build_form",
    "control_slip",
    "form_version",
    "layout",
    "receipt_slip",
    "refusal_slip",
    "register",
    "render_html",
    "supplement_request",
]
