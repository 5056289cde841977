"""The forms' data: dates from the engine, the version by receipt, and the refusals to issue."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from procflow import Dossier, WorkCalendar, load_procedures
from procflow.errors import FormError
from procflow.forms import (
    FormContext,
    FormKind,
    apology_slip,
    control_slip,
    receipt_slip,
    refusal_slip,
    register,
    render_html,
    supplement_request,
)
from procflow.forms.layout import moment_vi
from procflow.interchange import read_dossiers
from tests.forms.samples import ROOT


def _dossier(*events: dict[str, Any], **fields: Any) -> Dossier:
    base: dict[str, Any] = {"id": "HS-T", "time_limit": "03 ngày làm việc"}
    return Dossier.model_validate({**base, **fields, "events": list(events)})


def _received(at: str) -> dict[str, Any]:
    return {"type": "received", "at": at}


# Hand-worked in the domain brief §3.
RETURN_TIMES = [
    ("cutoff-1520-next-day", "2024-01-31T15:20", "02 ngày làm việc", "15:00", "2024-02-05T17:00"),
    ("cutoff-1450-same-day", "2024-01-31T14:50", "02 ngày làm việc", "15:00", "2024-02-02T17:00"),
    ("national-day-2024", "2024-08-29T10:00", "03 ngày làm việc", None, "2024-09-05T17:00"),
]


@pytest.mark.parametrize(
    ("received", "limit", "cutoff", "due"),
    [c[1:] for c in RETURN_TIMES],
    ids=[c[0] for c in RETURN_TIMES],
)
def test_receipt_return_time_is_the_due_date(
    received: str, limit: str, cutoff: str | None, due: str, cal: WorkCalendar
) -> None:
    slip = receipt_slip(_dossier(_received(received), time_limit=limit, cutoff=cutoff), None, cal)
    assert slip.return_at == datetime.fromisoformat(due)
    assert slip.time_limit == limit


def test_receipt_prints_hour_minute_date(cal: WorkCalendar) -> None:
    slip = receipt_slip(_dossier(_received("2024-08-29T10:05")), None, cal)
    assert moment_vi(slip.received_at) == "10 giờ 05 phút, ngày 29 tháng 08 năm 2024"


VERSIONS = [
    ("last-day-of-01-2018", "2025-06-30T16:00", "05", "01/2018/TT-VPCP"),
    ("first-day-of-03-2025", "2025-07-01T08:00", "06", "03/2025/TT-VPCP"),
]


@pytest.mark.parametrize(
    ("received", "number", "circular"), [v[1:] for v in VERSIONS], ids=[v[0] for v in VERSIONS]
)
def test_control_slip_number_by_receipt(
    received: str, number: str, circular: str, cal: WorkCalendar
) -> None:
    library = load_procedures(ROOT / "specs")
    dossier = _dossier(_received(received), procedure_id="cfs-ha-tinh", time_limit=None)
    slip = control_slip(dossier, library, cal)
    assert (slip.version.number, slip.version.circular.value) == (number, circular)


# Received Thursday 29/8/2024 10:00, 3 working days: due Thursday 5/9 17:00 (brief §3).
APOLOGY_REFUSALS = [
    ("no-apology", [], "no apology_issued event"),
    (
        "on-the-due-date",
        [{"type": "apology_issued", "at": "2024-09-05T09:00", "new_due_at": "2024-09-09T17:00"}],
        "not issued in time",
    ),
    (
        "second-re-appointment",
        [
            {"type": "apology_issued", "at": "2024-09-03T09:00", "new_due_at": "2024-09-09T17:00"},
            {"type": "apology_issued", "at": "2024-09-06T09:00", "new_due_at": "2024-09-12T17:00"},
        ],
        "only the first re-appointment is lawful",
    ),
    (
        "no-new-date",
        [{"type": "apology_issued", "at": "2024-09-03T09:00"}],
        "records no new_due_at",
    ),
]


@pytest.mark.parametrize(
    ("events", "message"), [a[1:] for a in APOLOGY_REFUSALS], ids=[a[0] for a in APOLOGY_REFUSALS]
)
def test_apology_refused(events: list[dict[str, Any]], message: str, cal: WorkCalendar) -> None:
    with pytest.raises(FormError, match=message):
        apology_slip(_dossier(_received("2024-08-29T10:00"), *events), None, cal)


def test_apology_in_time(cal: WorkCalendar) -> None:
    dossier = _dossier(
        _received("2024-08-29T10:00"),
        {"type": "apology_issued", "at": "2024-09-04T09:00", "new_due_at": "2024-09-09T17:00"},
    )
    slip = apology_slip(dossier, None, cal, FormContext(reason="chờ xác minh"))
    assert slip.original_due_at == datetime(2024, 9, 5, 17, 0)
    assert slip.new_due_at == datetime(2024, 9, 9, 17, 0)
    assert slip.reason == "chờ xác minh"


def test_refusal_needs_a_reason(cal: WorkCalendar) -> None:
    with pytest.raises(FormError, match="must state its reason"):
        refusal_slip(_dossier(_received("2024-08-29T10:00")), None, cal)


def test_no_refusal_of_a_granted_dossier(cal: WorkCalendar) -> None:
    dossier = _dossier(
        _received("2024-08-29T10:00"),
        {"type": "finished", "at": "2024-09-02T10:00", "result": "granted"},
    )
    with pytest.raises(FormError, match="was granted"):
        refusal_slip(dossier, None, cal, FormContext(reason="x"))


def test_supplement_needs_a_request(cal: WorkCalendar) -> None:
    with pytest.raises(FormError, match="no supplement_requested event"):
        supplement_request(_dossier(_received("2024-08-29T10:00")), None, cal)


def test_control_slip_needs_steps(cal: WorkCalendar) -> None:
    with pytest.raises(FormError, match="needs a procedure with a step plan"):
        control_slip(_dossier(_received("2024-08-29T10:00")), None, cal)


def test_register_accounts_for_every_row(cal: WorkCalendar) -> None:
    table = read_dossiers(ROOT / "tests" / "fixtures" / "exports" / "wide-with-errors.csv")
    book = register(
        table.dossiers, None, cal, as_of=datetime(2026, 12, 31), rejected=table.rejected
    )
    assert len(book.entries) + len(book.rejected) == table.total
    assert book.version.kind is FormKind.REGISTER


def test_html_escapes_everything(cal: WorkCalendar) -> None:
    context = FormContext(applicant="<script>alert(1)</script>", address='"a" & b')
    page = render_html(receipt_slip(_dossier(_received("2024-08-29T10:00")), None, cal, context))
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&amp; b" in page
