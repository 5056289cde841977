"""The one-stop office's forms as typed data, built from a dossier, its procedure and the calendar.

Every date a form prints comes from procflow's engine, never recomputed here: the return
time of the receipt slip is the evaluation's ``due_at`` (the appointment), the planned
times of the control slip are the step plan's (:func:`procflow.plan`, through the
evaluation's steps), the apology's checks are the evaluation's :class:`~procflow.ApologyCheck`.
The form version (circular and number) is chosen by the dossier's receipt date
(:func:`~procflow.forms.form_version`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from procflow.calendar import WorkCalendar, to_local
from procflow.dossier import Channel, Dossier, Event, EventType, Result
from procflow.errors import FormError, ProcflowError
from procflow.evaluation import (
    Evaluation,
    Outcome,
    Procedures,
    applied_rules,
    evaluate,
    judge,
    procedure_for,
)
from procflow.forms.context import Component, FormContext
from procflow.forms.version import FormKind, FormVersion, form_version
from procflow.instant import Instant
from procflow.interchange import Rejected
from procflow.procedure import ApologyDue

__all__ = [
    "ApologySlip",
    "ControlSlip",
    "Form",
    "HandOver",
    "ReceiptSlip",
    "RefusalSlip",
    "Register",
    "RegisterEntry",
    "SupplementRequest",
    "apology_slip",
    "build_form",
    "control_slip",
    "receipt_slip",
    "refusal_slip",
    "register",
    "supplement_request",
]

APPLICANT = "Tổ chức, cá nhân"
"""The receiver of the last hand-over on the control slip: the applicant."""


class _Form(BaseModel):
    """What every form prints at its head.

    Attributes:
        version: The circular and form number, by the receipt date.
        agency: The superior body (top left).
        office: The issuing office.
        place: The place name of the date line.
        number: The document number.
        issued_on: The date of the form.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: FormVersion
    agency: str
    office: str
    place: str
    number: str
    issued_on: date


class _DossierForm(_Form):
    """A form about one dossier.

    Attributes:
        dossier_id: The dossier's code (mã hồ sơ).
        procedure_id: Its procedure, if it names one.
        procedure_name: The procedure's name.
        applicant: The applicant.
        address: Their address.
        phone: Their phone number.
        email: Their e-mail address.
        request: What is requested.
        received_at: When the complete dossier was received.
    """

    dossier_id: str
    procedure_id: str | None
    procedure_name: str
    applicant: str
    address: str
    phone: str
    email: str
    request: str
    received_at: Instant


class ReceiptSlip(_DossierForm):
    """Receipt and appointment slip (Giấy tiếp nhận hồ sơ và hẹn trả kết quả, Mẫu 01).

    Attributes:
        channel: How the dossier came in.
        components: The documents received, with counts.
        sets: Sets of the dossier handed in.
        time_limit: The legal time limit, as the catalogue states it.
        return_at: The appointment: when the result is returned (procflow's due date).
        collect_at: Where to collect the result.
        register_book: The register's book number.
        register_number: The dossier's line in the register.
        officer: The officer who received it.
    """

    channel: Channel
    components: tuple[Component, ...]
    sets: int
    time_limit: str
    return_at: Instant
    collect_at: str
    register_book: str
    register_number: str
    officer: str


class SupplementRequest(_DossierForm):
    """Supplement request (Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ, Mẫu 02).

    Attributes:
        requested_at: When the supplement was requested.
        components_to_add: What the applicant must add.
        reason: Why.
        contact: Whom to call with questions.
        officer: The officer who signs.
    """

    requested_at: Instant
    components_to_add: tuple[Component, ...]
    reason: str
    contact: str
    officer: str


class RefusalSlip(_DossierForm):
    """Refusal (Phiếu từ chối tiếp nhận, giải quyết hồ sơ, Mẫu 03).

    Attributes:
        refused_at: When it was refused.
        reason: Why (required).
        officer: The officer who signs.
    """

    refused_at: Instant
    reason: str
    officer: str


class ApologySlip(_DossierForm):
    """Apology and new date (Phiếu xin lỗi và hẹn lại ngày trả kết quả, Mẫu 04).

    Attributes:
        original_due_at: The appointment printed on the receipt.
        issued_at: When the apology was issued.
        new_due_at: The new date promised.
        reason: Why the dossier is late.
        officer: Who signs for the agency.
    """

    original_due_at: Instant
    issued_at: Instant
    new_due_at: Instant
    reason: str
    officer: str


class HandOver(BaseModel):
    """One hand-over of the dossier between units, planned against what happened.

    Attributes:
        number: Its line on the slip, from 1.
        from_step: The step that hands the dossier over.
        from_unit: Its unit (giao).
        to_step: The step that takes it (None: the result goes to the applicant).
        to_unit: Its unit (nhận).
        planned_at: When the plan has it handed over: the giving step's planned due time.
        actual_at: When the giving step finished, None if it has not.
        status: early, on_time or late once handed over; in_time or overdue before.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    number: int
    from_step: str
    from_unit: str
    to_step: str | None
    to_unit: str
    planned_at: Instant
    actual_at: Instant | None
    status: Outcome


class ControlSlip(_DossierForm):
    """Control slip (Phiếu kiểm soát quá trình giải quyết hồ sơ, Mẫu 05; Mẫu 06 from 1/7/2025).

    Attributes:
        time_limit: The legal time limit.
        due_at: The appointment.
        as_of: The instant the slip describes.
        hand_overs: One row per hand-over, in plan order.
    """

    time_limit: str
    due_at: Instant
    as_of: Instant
    hand_overs: tuple[HandOver, ...]


class RegisterEntry(BaseModel):
    """One line of the register: one dossier.

    Attributes:
        number: Its line, from 1.
        dossier_id: The dossier's code.
        procedure_name: The procedure (or the dossier's field, for inline rules).
        applicant: The applicant.
        address: Their address or phone.
        agency: The agency that resolves it.
        received_at: When it was received.
        due_at: The appointment.
        finished_at: When processing finished.
        handed_over_at: When the applicant received the result.
        outcome: Its outcome at the register's ``as_of``.
        note: A remark (refused, apology issued...).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    number: int
    dossier_id: str
    procedure_name: str
    applicant: str
    address: str
    agency: str
    received_at: Instant
    due_at: Instant
    finished_at: Instant | None
    handed_over_at: Instant | None
    outcome: Outcome
    note: str


class Register(_Form):
    """The register of dossiers (Sổ theo dõi hồ sơ, Mẫu 06; Mẫu 07 from 1/7/2025).

    Attributes:
        as_of: The instant the outcomes are judged at.
        entries: One line per dossier, in the order given.
        rejected: Dossiers that could not be read or evaluated, so every input is accounted for.
    """

    as_of: Instant
    entries: tuple[RegisterEntry, ...]
    rejected: tuple[Rejected, ...]


Form = ReceiptSlip | SupplementRequest | RefusalSlip | ApologySlip | ControlSlip | Register
"""Any of the forms."""


def _head(
    kind: FormKind, dossier: Dossier, context: FormContext, issued: datetime
) -> dict[str, Any]:
    return {
        "version": form_version(kind, to_local(dossier.received_at)),
        "agency": context.agency or dossier.agency,
        "office": context.office or dossier.office,
        "place": context.place,
        "number": context.number,
        "issued_on": context.issued_on or to_local(issued).date(),
    }


def _dossier_fields(
    kind: FormKind,
    dossier: Dossier,
    procedures: Procedures,
    context: FormContext,
    issued: datetime,
) -> dict[str, Any]:
    procedure = procedure_for(dossier, procedures)
    name = procedure.name_vi if procedure is not None else dossier.field
    return {
        **_head(kind, dossier, context, issued),
        "dossier_id": dossier.id,
        "procedure_id": dossier.procedure_id,
        "procedure_name": name,
        "applicant": context.applicant,
        "address": context.address,
        "phone": context.phone,
        "email": context.email,
        "request": context.request or name,
        "received_at": dossier.received_at,
    }


def _limit_text(dossier: Dossier, procedures: Procedures) -> str:
    return str(applied_rules(dossier, procedure_for(dossier, procedures)).limit)


def _last(dossier: Dossier, kind: EventType) -> Event | None:
    found = [e for e in dossier.events if e.type is kind]
    return found[-1] if found else None


def _end(dossier: Dossier) -> datetime:
    return max(dossier.events, key=lambda e: to_local(e.at)).at


def receipt_slip(
    dossier: Dossier,
    procedures: Procedures,
    calendar: WorkCalendar,
    context: FormContext | None = None,
) -> ReceiptSlip:
    """Build the receipt and appointment slip (Mẫu 01) of a dossier.

    The return time is procflow's due date for the dossier (cut-off, office hours and days
    off applied), the appointment the evaluation judges against.

    Args:
        dossier: The dossier.
        procedures: Its procedure library (None for inline rules).
        calendar: The working calendar.
        context: Applicant, components and the other facts the dossier does not carry.

    Returns:
        The slip.

    Raises:
        UnknownProcedureError: If the dossier's procedure is unknown.
        TimelineError: If its events are inconsistent.

    Examples:
        >>> d = Dossier.model_validate({
        ...     "id": "HS-1", "time_limit": "03 ngày làm việc", "office": "UBND xã",
        ...     "events": [{"type": "received", "at": "2024-08-29T10:00"}]})
        >>> slip = receipt_slip(d, None, vietnam_calendar(years=[2024]))
        >>> slip.version.label, slip.return_at
        ('Mẫu số 01 (Thông tư 01/2018/TT-VPCP)', datetime.datetime(2024, 9, 5, 17, 0))
    """
    context = context or FormContext()
    received = dossier.received_at
    evaluation = evaluate(dossier, procedures, calendar, as_of=received)
    return ReceiptSlip(
        **_dossier_fields(FormKind.RECEIPT, dossier, procedures, context, received),
        channel=dossier.channel,
        components=context.components,
        sets=context.sets,
        time_limit=_limit_text(dossier, procedures),
        return_at=evaluation.due_at,
        collect_at=context.collect_at or context.office or dossier.office,
        register_book=context.register_book,
        register_number=context.register_number,
        officer=context.officer,
    )


def supplement_request(
    dossier: Dossier,
    procedures: Procedures,
    calendar: WorkCalendar,
    context: FormContext | None = None,
) -> SupplementRequest:
    """Build the supplement request (Mẫu 02) for the dossier's last supplement request.

    Args:
        dossier: The dossier; it must have a ``supplement_requested`` event.
        procedures: Its procedure library (None for inline rules).
        calendar: The working calendar (to check the timeline).
        context: What to add (``components_to_add``), the reason and the contact; the
            reason defaults to the event's note.

    Returns:
        The request.

    Raises:
        FormError: If the dossier has no supplement request.
    """
    context = context or FormContext()
    event = _last(dossier, EventType.SUPPLEMENT_REQUESTED)
    if event is None:
        raise FormError(
            f"dossier {dossier.id!r}: no supplement_requested event, so no supplement request "
            "(Mẫu 02) to print"
        )
    evaluate(dossier, procedures, calendar, as_of=_end(dossier))  # checks the timeline
    return SupplementRequest(
        **_dossier_fields(FormKind.SUPPLEMENT, dossier, procedures, context, event.at),
        requested_at=event.at,
        components_to_add=context.components_to_add,
        reason=context.reason or event.note or "",
        contact=context.contact,
        officer=context.officer or event.officer or "",
    )


def refusal_slip(
    dossier: Dossier,
    procedures: Procedures,
    calendar: WorkCalendar,
    context: FormContext | None = None,
) -> RefusalSlip:
    """Build the refusal (Mẫu 03): at the refusal result if there is one, else at receipt.

    Args:
        dossier: The dossier.
        procedures: Its procedure library (None for inline rules).
        calendar: The working calendar (to check the timeline).
        context: The reason (or the ``finished`` event's note) and the other facts.

    Returns:
        The refusal.

    Raises:
        FormError: If no reason is given, or the dossier was granted.
    """
    context = context or FormContext()
    finished = _last(dossier, EventType.FINISHED)
    if finished is not None and finished.result is Result.GRANTED:
        raise FormError(f"dossier {dossier.id!r} was granted, not refused: no refusal (Mẫu 03)")
    at = finished.at if finished is not None else dossier.received_at
    reason = context.reason or (finished.note if finished is not None else None) or ""
    if not reason:
        raise FormError(
            f"dossier {dossier.id!r}: a refusal (Mẫu 03) must state its reason; give the "
            "form context's reason or a note on the finished event"
        )
    evaluate(dossier, procedures, calendar, as_of=_end(dossier))
    return RefusalSlip(
        **_dossier_fields(FormKind.REFUSAL, dossier, procedures, context, at),
        refused_at=at,
        reason=reason,
        officer=context.officer or (finished.officer if finished is not None else None) or "",
    )


def apology_slip(
    dossier: Dossier,
    procedures: Procedures,
    calendar: WorkCalendar,
    context: FormContext | None = None,
) -> ApologySlip:
    """Build the apology and new date (Mẫu 04), if the law allows one.

    The evaluation's apology check decides: only the first re-appointment is lawful, it
    must be issued in time (one working day before the due date, or by the due time when
    the procedure says so) and it must carry the new date.

    Args:
        dossier: The dossier; it must have an ``apology_issued`` event with ``new_due_at``.
        procedures: Its procedure library (None for inline rules).
        calendar: The working calendar.
        context: The reason (default: the event's note) and the other facts.

    Returns:
        The apology.

    Raises:
        FormError: If there is no apology, more than one, it was late, or it has no new date.

    Examples:
        >>> d = Dossier.model_validate({
        ...     "id": "HS-2", "time_limit": "03 ngày làm việc",
        ...     "events": [{"type": "received", "at": "2024-08-29T10:00"},
        ...                {"type": "apology_issued", "at": "2024-09-05T09:00",
        ...                 "new_due_at": "2024-09-09T17:00"}]})
        >>> try:
        ...     apology_slip(d, None, vietnam_calendar(years=[2024]))
        ... except FormError as exc:
        ...     print(exc)  # doctest: +NORMALIZE_WHITESPACE
        dossier 'HS-2': the apology of 2024-09-05 09:00 was not issued in time for the due
        date 2024-09-05 17:00 (one working day before it): no apology (Mẫu 04) can be printed
    """
    context = context or FormContext()
    evaluation = evaluate(dossier, procedures, calendar, as_of=_end(dossier))
    check = evaluation.apology
    where = f"dossier {dossier.id!r}"
    if check is None:
        raise FormError(f"{where}: no apology_issued event, so no apology (Mẫu 04) to print")
    issued = to_local(check.first_issued_at)
    if check.reappointed_more_than_once:
        raise FormError(
            f"{where}: {check.count} apologies with a new date; only the first re-appointment "
            "is lawful (Decree 297/2025 Art. 6(5)), so no apology (Mẫu 04) is printed for a second"
        )
    if not check.timely:
        raise FormError(
            f"{where}: the apology of {issued:%Y-%m-%d %H:%M} was not issued in time for the due "
            f"date {to_local(evaluation.due_at):%Y-%m-%d %H:%M} "
            f"({_apology_rule(dossier, procedures)}): no apology (Mẫu 04) can be printed"
        )
    if check.new_due_at is None:
        raise FormError(f"{where}: the apology of {issued:%Y-%m-%d %H:%M} records no new_due_at")
    event = _last(dossier, EventType.APOLOGY_ISSUED)
    note = event.note if event is not None else None
    return ApologySlip(
        **_dossier_fields(FormKind.APOLOGY, dossier, procedures, context, check.first_issued_at),
        original_due_at=evaluation.due_at,
        issued_at=check.first_issued_at,
        new_due_at=check.new_due_at,
        reason=context.reason or note or "",
        officer=context.officer,
    )


def _apology_rule(dossier: Dossier, procedures: Procedures) -> str:
    due = applied_rules(dossier, procedure_for(dossier, procedures)).apology_due
    return "by the due time" if due is ApologyDue.AT_LIMIT_END else "one working day before it"


def _hand_overs(
    evaluation: Evaluation, dossier: Dossier, procedures: Procedures, as_of: datetime
) -> tuple[HandOver, ...]:
    procedure = procedure_for(dossier, procedures)
    if procedure is None or not evaluation.steps:
        raise FormError(
            f"dossier {dossier.id!r}: a control slip needs a procedure with a step plan; "
            "the dossier has inline rules or its procedure has no steps"
        )
    reports = {s.step_id: s for s in evaluation.steps}
    rows: list[HandOver] = []
    for report in evaluation.steps:
        targets: list[str | None] = [
            edge.to for edge in procedure.steps_by_id[report.step_id].next if edge.to in reports
        ]
        for target in targets or [None]:
            rows.append(
                HandOver(
                    number=len(rows) + 1,
                    from_step=report.step_id,
                    from_unit=report.unit,
                    to_step=target,
                    to_unit=reports[target].unit if target is not None else APPLICANT,
                    planned_at=report.planned_due_at,
                    actual_at=report.finished_at,
                    status=judge(
                        None if report.finished_at is None else to_local(report.finished_at),
                        to_local(report.planned_due_at),
                        as_of=to_local(as_of),
                    ),
                )
            )
    return tuple(rows)


def control_slip(
    dossier: Dossier,
    procedures: Procedures,
    calendar: WorkCalendar,
    context: FormContext | None = None,
    *,
    as_of: datetime | None = None,
) -> ControlSlip:
    """Build the control slip (Mẫu 05; Mẫu 06 from 1/7/2025): one row per hand-over.

    Each step of the plan hands the dossier to each of its next steps (the last step hands
    the result to the applicant). The planned time is the giving step's planned due time,
    the actual time its last ``step_finished``; the status is judged by the outcome rules
    (:func:`procflow.evaluation.judge`): early, on time, late, or in time / overdue while
    not yet handed over.

    Args:
        dossier: The dossier (its procedure must have steps).
        procedures: Its procedure library.
        calendar: The working calendar.
        context: The applicant and the other facts the dossier does not carry.
        as_of: The instant the slip describes (default: the dossier's last event).

    Returns:
        The slip.

    Raises:
        FormError: If the dossier has inline rules or its procedure has no steps.
    """
    context = context or FormContext()
    at = as_of or _end(dossier)
    evaluation = evaluate(dossier, procedures, calendar, as_of=at)
    return ControlSlip(
        **_dossier_fields(FormKind.CONTROL, dossier, procedures, context, dossier.received_at),
        time_limit=_limit_text(dossier, procedures),
        due_at=evaluation.due_at,
        as_of=at,
        hand_overs=_hand_overs(evaluation, dossier, procedures, at),
    )


def _note(evaluation: Evaluation) -> str:
    parts = []
    if evaluation.result is Result.REFUSED:
        parts.append("Từ chối")
    if evaluation.apology is not None:
        parts.append("Có văn bản xin lỗi")
    if evaluation.waiting_for_applicant:
        parts.append("Chờ bổ sung")
    return "; ".join(parts)


def register(
    dossiers: Iterable[Dossier],
    procedures: Procedures,
    calendar: WorkCalendar,
    *,
    as_of: datetime,
    contexts: Mapping[str, FormContext] | None = None,
    context: FormContext | None = None,
    rejected: Iterable[Rejected] = (),
) -> Register:
    """Build the register (Mẫu 06; Mẫu 07 from 1/7/2025): one line per dossier.

    The register's version is that of its latest receipt (the book in use when the last
    dossier was entered); with no dossier, that of ``as_of``.

    Args:
        dossiers: The dossiers, in register order.
        procedures: The procedure library (None for inline rules only).
        calendar: The working calendar.
        as_of: The instant outcomes are judged at.
        contexts: Per dossier id, its applicant and address.
        context: The office's facts (agency, office, place, number).
        rejected: Rows already rejected when reading the dossiers, kept in the account.

    Returns:
        The register; a dossier that cannot be evaluated is listed in ``rejected``.
    """
    context = context or FormContext()
    contexts = contexts or {}
    entries: list[RegisterEntry] = []
    refused = list(rejected)
    latest: datetime | None = None
    for index, dossier in enumerate(dossiers, start=1):
        try:
            evaluation = evaluate(dossier, procedures, calendar, as_of=as_of)
            procedure = procedure_for(dossier, procedures)
        except ProcflowError as exc:
            refused.append(Rejected(row=index, dossier_id=dossier.id, reason=str(exc)))
            continue
        own = contexts.get(dossier.id, FormContext())
        handed = _last(dossier, EventType.HANDED_OVER)
        received = to_local(dossier.received_at)
        latest = received if latest is None or received > latest else latest
        entries.append(
            RegisterEntry(
                number=len(entries) + 1,
                dossier_id=dossier.id,
                procedure_name=procedure.name_vi if procedure is not None else dossier.field,
                applicant=own.applicant,
                address=", ".join(part for part in (own.address, own.phone) if part),
                agency=dossier.agency,
                received_at=dossier.received_at,
                due_at=evaluation.due_at,
                finished_at=evaluation.finished_at,
                handed_over_at=(
                    handed.at
                    if handed is not None and to_local(handed.at) <= to_local(as_of)
                    else None
                ),
                outcome=evaluation.outcome,
                note=_note(evaluation),
            )
        )
    version_day = latest or to_local(as_of)
    return Register(
        version=form_version(FormKind.REGISTER, version_day),
        agency=context.agency,
        office=context.office,
        place=context.place,
        number=context.number,
        issued_on=context.issued_on or to_local(as_of).date(),
        as_of=as_of,
        entries=tuple(entries),
        rejected=tuple(sorted(refused, key=lambda r: r.row)),
    )


def build_form(
    kind: FormKind,
    dossier: Dossier,
    procedures: Procedures,
    calendar: WorkCalendar,
    context: FormContext | None = None,
) -> Form:
    """Build one dossier's form of ``kind`` (every kind but the register).

    Args:
        kind: Which form.
        dossier: The dossier.
        procedures: Its procedure library (None for inline rules).
        calendar: The working calendar.
        context: The facts the dossier does not carry.

    Returns:
        The form.

    Raises:
        FormError: If ``kind`` is the register (it takes many dossiers), or the form
            cannot be issued for this dossier.
    """
    if kind is FormKind.REGISTER:
        raise FormError("the register takes a list of dossiers: call register()")
    if kind is FormKind.RECEIPT:
        return receipt_slip(dossier, procedures, calendar, context)
    if kind is FormKind.SUPPLEMENT:
        return supplement_request(dossier, procedures, calendar, context)
    if kind is FormKind.REFUSAL:
        return refusal_slip(dossier, procedures, calendar, context)
    if kind is FormKind.APOLOGY:
        return apology_slip(dossier, procedures, calendar, context)
    return control_slip(dossier, procedures, calendar, context)
