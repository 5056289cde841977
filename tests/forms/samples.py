"""The sample forms the golden files, the DOCX checks and the screenshots share."""

from __future__ import annotations

import json
from pathlib import Path

from procflow import WorkCalendar, load_procedures
from procflow.dossier import Dossier
from procflow.forms import Form, FormContext, FormKind, build_form, register
from procflow.parsing import parse_datetime

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).parent / "golden"
SCREENSHOTS = ROOT / "docs" / "images" / "forms"

SAMPLES: tuple[tuple[str, FormKind, str], ...] = (
    ("receipt", FormKind.RECEIPT, "forms/cfs-late.json"),
    ("supplement", FormKind.SUPPLEMENT, "forms/supplement.json"),
    ("refusal", FormKind.REFUSAL, "forms/refusal.json"),
    ("apology", FormKind.APOLOGY, "forms/cfs-late.json"),
    ("control", FormKind.CONTROL, "forms/cfs-late.json"),
    ("register", FormKind.REGISTER, "dossiers.json"),
)
"""(name, kind, example file under examples/)."""


def sample(name: str, cal: WorkCalendar) -> Form:
    """Build the sample form ``name`` from the shipped examples and specs."""
    _, kind, file = next(s for s in SAMPLES if s[0] == name)
    library = load_procedures(ROOT / "specs")
    raw = json.loads((EXAMPLES / file).read_text(encoding="utf-8"))
    if kind is FormKind.REGISTER:
        dossiers = [Dossier.model_validate(d) for d in raw["dossiers"]]
        office = FormContext(agency="UBND tỉnh Hà Tĩnh", office="Bộ phận Một cửa", place="Hà Tĩnh")
        return register(
            dossiers, library, cal, as_of=parse_datetime(raw["as_of"], "as_of"), context=office
        )
    dossier = Dossier.model_validate(raw["dossier"])
    return build_form(kind, dossier, library, cal, FormContext.model_validate(raw["form"]))
