"""What a form prints that a dossier does not carry: applicant, contact, components, reasons.

A :class:`~procflow.Dossier` holds what procflow needs to count time. The forms also print
who applied, how to reach them and what they handed in; a frontend passes those in a
:class:`FormContext`, next to the dossier, so the dossier's contract does not change.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Component", "FormContext"]


class Component(BaseModel):
    """One document of the dossier (thành phần hồ sơ) and how many of it.

    Attributes:
        name: The document, e.g. "Tờ khai đăng ký khai sinh".
        form: Original, certified copy, copy... ("bản chính", "bản sao có chứng thực").
        count: How many.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    form: str = "bản chính"
    count: int = Field(default=1, ge=1)


class FormContext(BaseModel):
    """The facts a form prints that the dossier does not carry. Every field is optional.

    Attributes:
        agency: The superior body printed top left (cơ quan cấp trên), e.g. "UBND TỈNH HÀ TĨNH".
        office: The issuing office (default: the dossier's ``office``).
        place: The place name of the date line ("Hà Tĩnh, ngày ... tháng ... năm ...").
        number: The document number ("Số: .../TNHS").
        applicant: The applicant, person or organisation.
        address: The applicant's address.
        phone: The applicant's phone number.
        email: The applicant's e-mail address.
        request: What is requested (default: the procedure's name).
        components: The documents received, with counts.
        sets: How many sets of the dossier were handed in.
        collect_at: Where to collect the result (default: the office).
        register_book: The register's book number (quyển số).
        register_number: The dossier's line in the register (số thứ tự).
        officer: The officer who signs for the office.
        reason: Why: the supplement is needed, the dossier is refused, or it is late.
        components_to_add: The documents the applicant must add (supplement request).
        contact: Whom the applicant can call, for the supplement request.
        issued_on: The date printed on the form (default: the date of the event it records).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    agency: str = ""
    office: str = ""
    place: str = ""
    number: str = ""
    applicant: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    request: str = ""
    components: tuple[Component, ...] = ()
    sets: int = Field(default=1, ge=1)
    collect_at: str = ""
    register_book: str = ""
    register_number: str = ""
    officer: str = ""
    reason: str = ""
    components_to_add: tuple[Component, ...] = ()
    contact: str = ""
    issued_on: date | None = None
