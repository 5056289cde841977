"""POST /v1/forms/{kind}: a dossier's form as JSON, HTML or DOCX; refused forms as problems."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any, get_args

import pytest
from fastapi.testclient import TestClient

from procflow import Dossier, load_procedures, vietnam_calendar
from procflow.forms import FormContext, FormKind, build_form, render_html
from procflow.server import create_app
from procflow.server.forms import DOCX, DossierFormKind

PROBLEM = "application/problem+json"
EXAMPLES = Path("examples/forms")


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(specs="specs"))


def _example(name: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return found


def _library_form(kind: FormKind, raw: dict[str, Any]) -> Any:
    return build_form(
        kind,
        Dossier.model_validate(raw["dossier"]),
        load_procedures("specs"),
        vietnam_calendar(),
        FormContext.model_validate(raw["form"]),
    )


# (kind, example file, the form number and circular printed): the receipt date decides
# (Circular 03/2025/TT-VPCP from 1 July 2025: control slip Mẫu 06).
FORMS = [
    ("receipt", "cfs-late.json", "Mẫu số 01 (Thông tư 03/2025/TT-VPCP)"),
    ("control", "cfs-late.json", "Mẫu số 06 (Thông tư 03/2025/TT-VPCP)"),
    ("apology", "cfs-late.json", "Mẫu số 04 (Thông tư 03/2025/TT-VPCP)"),
    ("supplement", "supplement.json", "Mẫu số 02 (Thông tư 03/2025/TT-VPCP)"),
    ("refusal", "refusal.json", "Mẫu số 03 (Thông tư 03/2025/TT-VPCP)"),
]


@pytest.mark.parametrize(("kind", "file", "label"), FORMS, ids=[f[0] for f in FORMS])
def test_json_answer_is_the_library_form(
    client: TestClient, kind: str, file: str, label: str
) -> None:
    raw = _example(file)
    r = client.post(f"/v1/forms/{kind}", json=raw)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    assert r.json() == _library_form(FormKind(kind), raw).model_dump(mode="json")
    assert r.json()["version"]["kind"] == kind


@pytest.mark.parametrize(("kind", "file", "label"), FORMS, ids=[f[0] for f in FORMS])
def test_html_answer_is_the_library_page(
    client: TestClient, kind: str, file: str, label: str
) -> None:
    raw = _example(file)
    r = client.post(f"/v1/forms/{kind}", json=raw, headers={"accept": "text/html"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert r.text == render_html(_library_form(FormKind(kind), raw))
    assert label in r.text


def test_receipt_slip_prints_the_due_date(client: TestClient) -> None:
    # CFS (Hà Tĩnh QĐ 2904/QĐ-UBND), 3 working days from Monday 9/3/2026 08:00: 10/3,
    # 11/3, 12/3: the appointment is Thursday 12/3/2026 at close of office.
    r = client.post("/v1/forms/receipt", json=_example("cfs-late.json"))
    slip = r.json()
    assert slip["return_at"] == "2026-03-12T17:00:00+07:00"
    assert slip["received_at"] == "2026-03-09T08:00:00+07:00"
    page = client.post(
        "/v1/forms/receipt", json=_example("cfs-late.json"), headers={"accept": "text/html"}
    ).text
    assert "17 giờ 00 phút, ngày 12 tháng 03 năm 2026" in page


def test_docx_answer_is_a_word_document(client: TestClient) -> None:
    import docx

    r = client.post("/v1/forms/control", json=_example("cfs-late.json"), headers={"accept": DOCX})
    assert r.status_code == 200
    assert r.headers["content-type"] == DOCX
    assert r.headers["content-disposition"] == 'attachment; filename="control-HS-2026-0104.docx"'
    document = docx.Document(io.BytesIO(r.content))
    assert document.paragraphs[0].text == "Mẫu số 06 (Thông tư 03/2025/TT-VPCP)"
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in [p.text for p in document.paragraphs]
    assert len(document.tables[1].rows) == 1 + 5  # heading, one row per hand-over


def test_procedure_id_in_the_body_replaces_the_dossier_s(client: TestClient) -> None:
    raw = _example("cfs-late.json")
    r = client.post("/v1/forms/receipt", json={**raw, "procedure_id": "khong-co"})
    assert r.status_code == 404
    assert r.headers["content-type"] == PROBLEM
    assert "khong-co" in r.json()["detail"]


def test_procedure_id_cannot_join_inline_rules(client: TestClient) -> None:
    r = client.post("/v1/forms/receipt", json={**INLINE, "procedure_id": "cfs-ha-tinh"})
    assert r.status_code == 422
    assert r.headers["content-type"] == PROBLEM
    detail = r.json()["detail"]
    assert detail.startswith("body.dossier: dossier 'HS-2024-0831' gives both procedure_id")


def test_procedure_id_given_to_a_dossier_without_one(client: TestClient) -> None:
    raw = _example("cfs-late.json")
    dossier = {k: v for k, v in raw["dossier"].items() if k != "procedure_id"}
    r = client.post(
        "/v1/forms/receipt", json={**raw, "dossier": dossier, "procedure_id": "cfs-ha-tinh"}
    )
    assert r.status_code == 200
    assert r.json() == client.post("/v1/forms/receipt", json=raw).json()


def test_form_context_is_optional(client: TestClient) -> None:
    r = client.post("/v1/forms/receipt", json=INLINE)
    assert r.status_code == 200
    slip = r.json()
    # Domain brief §3: 30/8 day 1; 2-3/9 National Day; 4/9 day 2, 5/9 day 3.
    assert slip["return_at"] == "2024-09-05T17:00:00+07:00"
    assert slip["version"] == {"kind": "receipt", "circular": "01/2018/TT-VPCP", "number": "01"}


# A form the law does not allow is refused with the library's own message.
INLINE = {
    "dossier": {
        "id": "HS-2024-0831",
        "time_limit": "03 ngày làm việc",
        "events": [{"type": "received", "at": "2024-08-29T10:00"}],
    }
}
REFUSED = [
    ("refusal", _example("cfs-late.json"), "was granted, not refused"),
    ("supplement", _example("cfs-late.json"), "no supplement_requested event"),
    ("control", INLINE, "a control slip needs a procedure with a step plan"),
]


@pytest.mark.parametrize(("kind", "body", "words"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_form_is_a_problem(
    client: TestClient, kind: str, body: dict[str, Any], words: str
) -> None:
    r = client.post(f"/v1/forms/{kind}", json=body, headers={"accept": "text/html"})
    assert r.status_code == 422
    assert r.headers["content-type"] == PROBLEM
    problem = r.json()
    assert problem["title"] == "FormError"
    assert words in problem["detail"]


def test_late_apology_is_refused(client: TestClient) -> None:
    # Due Thursday 5/9/2024 17:00 (domain brief §3); the apology of 5/9 09:00 is not one
    # working day before it (domain brief §4), so no lawful Mẫu 04.
    dossier = {
        "id": "HS-2024-0832",
        "time_limit": "03 ngày làm việc",
        "events": [
            {"type": "received", "at": "2024-08-29T10:00"},
            {"type": "apology_issued", "at": "2024-09-05T09:00", "new_due_at": "2024-09-09T17:00"},
        ],
    }
    r = client.post("/v1/forms/apology", json={"dossier": dossier}, headers={"accept": DOCX})
    assert r.status_code == 422
    assert "was not issued in time" in r.json()["detail"]


def test_unknown_kind_and_bad_body_are_problems(client: TestClient) -> None:
    r = client.post("/v1/forms/register", json=_example("cfs-late.json"))
    assert r.status_code == 422
    assert "path.kind" in r.json()["detail"]
    r = client.post("/v1/forms/receipt", json={"dossier": {"id": "X"}, "extra": 1})
    assert r.status_code == 422
    assert r.headers["content-type"] == PROBLEM
    assert "body.extra" in r.json()["detail"]


def test_the_route_serves_every_form_of_one_dossier() -> None:
    assert set(get_args(DossierFormKind)) == {k.value for k in FormKind} - {"register"}


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("text/html", "text/html"),
        ("application/json, text/html;q=0.5", "application/json"),
        ("text/html;q=0.4, " + DOCX, DOCX),
        ("*/*", "application/json"),
    ],
    ids=["html", "json-preferred", "docx-preferred", "anything"],
)
def test_the_answer_follows_accept_qualities(client: TestClient, accept: str, media: str) -> None:
    r = client.post("/v1/forms/receipt", json=_example("cfs-late.json"), headers={"accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == media
