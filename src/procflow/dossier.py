"""Dossiers (hồ sơ) and the events that happen to them.

A :class:`Dossier` is what a frontend sends: an id, the procedure (by id, or inline rules
for exports with no procedure library behind them), the channel, the offices, and a list
of timestamped :class:`Event` values. The model checks each event's shape; the consistency
of the timeline as a whole (order, pairs, steps of the procedure) is checked by
:func:`check_timeline`, which :func:`procflow.evaluate` calls, raising
:class:`~procflow.TimelineError` naming the dossier and the event.
"""

from __future__ import annotations

from datetime import datetime, time
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from procflow.calendar import to_local
from procflow.errors import TimelineError
from procflow.parsing import parse_clock
from procflow.procedure import Procedure, SupplementPolicy, WaitReason
from procflow.timelimit import TimeLimit

__all__ = [
    "Channel",
    "Dossier",
    "Event",
    "EventType",
    "Result",
    "ServiceLevel",
    "check_timeline",
]


class Channel(StrEnum):
    """How a dossier was submitted."""

    ONLINE = "online"
    IN_PERSON = "in_person"
    POST = "post"


class ServiceLevel(StrEnum):
    """How much of a dossier's procedure ran online (dịch vụ công trực tuyến).

    Decree 42/2022/NĐ-CP replaced the legacy levels 1-4 of Decree 43/2011/NĐ-CP with full
    and partial online services; a legacy level is read as: 4 full online, 3 partly online,
    2 (forms online, submitted in person) and 1 in person.
    """

    FULL_ONLINE = "full_online"
    """Toàn trình: submitted, processed, paid and returned online."""
    PARTLY_ONLINE = "partly_online"
    """Một phần: some steps online, others in person."""
    IN_PERSON = "in_person"
    """Trực tiếp: not an online service."""

    @classmethod
    def parse(cls, text: str) -> ServiceLevel:
        """Read a service level: its value, Vietnamese words, or a legacy level 1-4.

        Raises:
            ValueError: Naming the text, if it is none of these.

        Examples:
            >>> [ServiceLevel.parse(t).value for t in ("4", "mức độ 3", "toàn trình", "2")]
            ['full_online', 'partly_online', 'full_online', 'in_person']
        """
        key = " ".join(text.lower().replace("_", " ").split())
        for prefix in ("mức độ ", "muc do ", "level "):
            key = key.removeprefix(prefix)
        found = _SERVICE_LEVELS.get(key)
        if found is None:
            raise ValueError(
                "service_level must be full_online, partly_online, in_person (toàn trình, "
                f"một phần, trực tiếp) or a legacy level 1-4, got {text!r}"
            )
        return found


_SERVICE_LEVELS = {
    "full online": ServiceLevel.FULL_ONLINE,
    "toàn trình": ServiceLevel.FULL_ONLINE,
    "4": ServiceLevel.FULL_ONLINE,
    "partly online": ServiceLevel.PARTLY_ONLINE,
    "một phần": ServiceLevel.PARTLY_ONLINE,
    "3": ServiceLevel.PARTLY_ONLINE,
    "in person": ServiceLevel.IN_PERSON,
    "trực tiếp": ServiceLevel.IN_PERSON,
    "2": ServiceLevel.IN_PERSON,
    "1": ServiceLevel.IN_PERSON,
}


class Result(StrEnum):
    """The result of a finished dossier. A refusal is a result too, judged for timeliness."""

    GRANTED = "granted"
    REFUSED = "refused"


class EventType(StrEnum):
    """What happened. Values are the ``type`` field of an event in JSON."""

    RECEIVED = "received"
    """The complete, valid dossier was received: the clock starts."""
    STEP_STARTED = "step_started"
    STEP_FINISHED = "step_finished"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    """The agency asked the applicant for more documents (form 02)."""
    SUPPLEMENT_RECEIVED = "supplement_received"
    WAITING_STARTED = "waiting_started"
    """A wait the procedure may exclude (``reason``: financial_obligation, other_agency...)."""
    WAITING_ENDED = "waiting_ended"
    APOLOGY_ISSUED = "apology_issued"
    """Apology with a new date (``new_due_at``, if recorded), when the dossier will be late."""
    FINISHED = "finished"
    """Processing finished, result handed to the one-stop office (``result``)."""
    HANDED_OVER = "handed_over"
    """The applicant received the result."""
    WITHDRAWN = "withdrawn"
    """Stopped at the applicant's request."""


_REQUIRED: dict[EventType, tuple[str, ...]] = {
    EventType.STEP_STARTED: ("step",),
    EventType.STEP_FINISHED: ("step",),
    EventType.WAITING_STARTED: ("reason",),
    EventType.WAITING_ENDED: ("reason",),
    EventType.FINISHED: ("result",),
}


class Event(BaseModel):
    """One timestamped event of a dossier.

    Attributes:
        type: What happened.
        at: When (naive = local time).
        step: The step, for step events.
        unit: The unit that acted.
        officer: The officer who acted.
        reason: Why the clock waits, for waiting events.
        new_due_at: The new date promised, for an apology (None if the source did not record it).
        result: Granted or refused, for ``finished``.
        note: Free text.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: EventType
    at: datetime
    step: str | None = None
    unit: str | None = None
    officer: str | None = None
    reason: WaitReason | None = None
    new_due_at: datetime | None = None
    result: Result | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _fields_for_type(self) -> Event:
        missing = [name for name in _REQUIRED.get(self.type, ()) if getattr(self, name) is None]
        if missing:
            raise ValueError(f"a {self.type.value} event needs {', '.join(missing)}")
        return self


class Dossier(BaseModel):
    """A dossier: identity, procedure or inline rules, channel, offices and events.

    Give either ``procedure_id`` (looked up in a procedure library, version in force at
    receipt) or inline rules: ``time_limit`` (catalogue text), optional ``cutoff``
    ("15:00"), ``supplement_policy`` and ``not_counted``.

    Examples:
        >>> d = Dossier.model_validate({
        ...     "id": "HS-0001", "time_limit": "03 ngày làm việc", "channel": "online",
        ...     "events": [{"type": "received", "at": "2024-08-29T10:00:00"},
        ...                {"type": "finished", "at": "2024-09-04T16:00:00", "result": "granted"}]})
        >>> d.received_at, str(d.time_limit)
        (datetime.datetime(2024, 8, 29, 10, 0), '03 ngày làm việc')
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    procedure_id: str | None = None
    channel: Channel = Channel.IN_PERSON
    office: str = ""
    agency: str = ""
    field: str = ""
    unit: str = ""
    """The unit (bộ phận) handling the dossier, if the source names one."""
    officer: str = ""
    """The officer handling it, if the source names one."""
    service_level: ServiceLevel | None = None
    """How much of it ran online, if the source says."""
    events: tuple[Event, ...] = Field(min_length=1)
    time_limit: TimeLimit | None = None
    cutoff: time | None = None
    supplement_policy: SupplementPolicy | None = None
    not_counted: frozenset[WaitReason] = frozenset()
    due_at: datetime | None = None
    """The due date the source system printed, if known (for audits)."""

    @field_validator("service_level", mode="before")
    @classmethod
    def _level(cls, value: Any) -> Any:
        return ServiceLevel.parse(str(value)) if isinstance(value, str | int) else value

    @field_validator("cutoff", mode="before")
    @classmethod
    def _clock(cls, value: Any) -> Any:
        return parse_clock(value, "cutoff") if isinstance(value, str) else value

    @model_validator(mode="after")
    def _rules(self) -> Dossier:
        if self.procedure_id is None and self.time_limit is None:
            raise ValueError(f"dossier {self.id!r} needs a procedure_id or an inline time_limit")
        if self.procedure_id is not None and self.time_limit is not None:
            raise ValueError(
                f"dossier {self.id!r} gives both procedure_id {self.procedure_id!r} and an "
                "inline time_limit; give one"
            )
        return self

    @property
    def received_at(self) -> datetime:
        """When the complete dossier was received (the first ``received`` event).

        Raises:
            TimelineError: If there is no ``received`` event.
        """
        for event in self.events:
            if event.type is EventType.RECEIVED:
                return event.at
        raise TimelineError(f"dossier {self.id!r} has no 'received' event")


def _where(dossier: Dossier, index: int, event: Event) -> str:
    return f"dossier {dossier.id!r}, event {index} ({event.type.value} at {event.at.isoformat()})"


def check_timeline(dossier: Dossier, procedure: Procedure | None = None) -> None:
    """Check that a dossier's events tell a possible story.

    The rules: the first event is ``received`` and there is only one; events are in time
    order; a supplement or a wait is received or ended only after it was requested or
    started, and not requested again while open; a step finishes only after it started,
    and names a step of the procedure; nothing but ``handed_over`` follows ``finished``,
    nothing follows ``withdrawn``; ``handed_over`` follows ``finished``; an apology's new
    date is after it.

    Args:
        dossier: The dossier.
        procedure: Its procedure, to check step ids (None for inline rules).

    Raises:
        TimelineError: At the first inconsistency, naming the dossier and the event.
    """
    events = dossier.events
    if events[0].type is not EventType.RECEIVED:
        raise TimelineError(f"{_where(dossier, 0, events[0])}: the first event must be 'received'")
    story = _Story(to_local(events[0].at), procedure)
    for index, event in enumerate(events):
        problem = story.read(index, event)
        if problem:
            raise TimelineError(f"{_where(dossier, index, event)}: {problem}")


class _Story:
    """The state of a dossier's events read so far, for :func:`check_timeline`."""

    def __init__(self, received: datetime, procedure: Procedure | None) -> None:
        self.received = self.previous = received
        self.procedure = procedure
        self.open_supplement = False
        self.open_waits: set[WaitReason] = set()
        self.started: set[str] = set()
        self.finished = self.withdrawn = False

    def read(self, index: int, event: Event) -> str:
        """Take one more event; return what is wrong with it ("" if nothing)."""
        at = to_local(event.at)
        kind = event.type
        if at < self.received:
            return f"before the dossier was received at {self.received.isoformat()}"
        if at < self.previous:
            return f"out of order, after an event at {self.previous.isoformat()}"
        self.previous = at
        if self.withdrawn:
            return "the dossier was already withdrawn"
        if self.finished and kind is not EventType.HANDED_OVER:
            return "processing had already finished"
        if kind is EventType.RECEIVED and index > 0:
            return "a dossier is received once; use supplement_received"
        return self._kind(event, at)

    def _kind(self, event: Event, at: datetime) -> str:
        kind = event.type
        if kind in (EventType.SUPPLEMENT_REQUESTED, EventType.SUPPLEMENT_RECEIVED):
            requested = kind is EventType.SUPPLEMENT_REQUESTED
            if requested == self.open_supplement:
                return (
                    "a supplement request is already open"
                    if requested
                    else "no supplement was requested"
                )
            self.open_supplement = requested
        elif kind in (EventType.WAITING_STARTED, EventType.WAITING_ENDED):
            return self._wait(event)
        elif kind in (EventType.STEP_STARTED, EventType.STEP_FINISHED):
            return self._step(event)
        elif kind is EventType.APOLOGY_ISSUED and event.new_due_at is not None:
            if to_local(event.new_due_at) <= at:
                return f"the new date {event.new_due_at} is not after the apology"
        elif kind is EventType.FINISHED:
            self.finished = True
        elif kind is EventType.HANDED_OVER and not self.finished:
            return "the result was handed over before processing finished"
        elif kind is EventType.WITHDRAWN:
            self.withdrawn = True
        return ""

    def _wait(self, event: Event) -> str:
        reason = event.reason
        assert reason is not None  # checked by Event
        if event.type is EventType.WAITING_STARTED:
            if reason in self.open_waits:
                return f"a wait for {reason.value} is already open"
            self.open_waits.add(reason)
        elif reason not in self.open_waits:
            return f"no wait for {reason.value} was started"
        else:
            self.open_waits.discard(reason)
        return ""

    def _step(self, event: Event) -> str:
        step = event.step
        assert step is not None
        procedure = self.procedure
        if procedure is not None and step not in procedure.steps_by_id:
            return f"unknown step {step!r} of procedure {procedure.id!r}"
        if event.type is EventType.STEP_STARTED:
            self.started.add(step)
        elif step not in self.started:
            return f"step {step!r} finished before it started"
        return ""
