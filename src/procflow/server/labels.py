"""The labels of procflow's closed sets over HTTP: ``GET /v1/labels?lang=vi|en``.

Every value a response carries from a closed set (an outcome ``"on_time"``, an event type,
a channel, a time unit...) has a Vietnamese and an English label in the library
(:meth:`procflow.labels.LabelledEnum.label`). This route answers them all, so a frontend
shows the library's words and keeps no translation table of its own.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Query
from pydantic import BaseModel, ConfigDict

from procflow.alerts import AlertKind
from procflow.calendar import DayKind
from procflow.dossier import Channel, EventType, Result, ServiceLevel
from procflow.evaluation import Outcome
from procflow.findings import FindingCode
from procflow.forms.version import Circular, FormKind
from procflow.labels import LabelledEnum, Lang
from procflow.procedure import AdminLevel, ApologyDue, StepKind, SupplementPolicy, WaitReason
from procflow.report import GroupBy
from procflow.timelimit import CountingModel, TimeUnit

__all__ = ["LABELLED", "Labels", "add_label_routes", "labels"]

LABELLED: tuple[type[LabelledEnum], ...] = (
    AdminLevel,
    AlertKind,
    ApologyDue,
    Channel,
    Circular,
    CountingModel,
    DayKind,
    EventType,
    FindingCode,
    FormKind,
    GroupBy,
    Outcome,
    Result,
    ServiceLevel,
    StepKind,
    SupplementPolicy,
    TimeUnit,
    WaitReason,
)
"""The closed sets whose labels ``GET /v1/labels`` answers, by class name."""


class Labels(BaseModel):
    """The answer of ``GET /v1/labels``: each closed set's values and their labels.

    ``sets["Outcome"]["on_time"]`` is ``"đúng hạn"`` in Vietnamese, ``"on time"`` in English.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    lang: Lang
    sets: dict[str, dict[str, str]]


def labels(lang: Lang = "vi") -> Labels:
    """Every closed set's labels in one language.

    Args:
        lang: ``"vi"`` (the default) or ``"en"``.

    Returns:
        The labels, by set name and value.

    Examples:
        >>> labels("en").sets["Outcome"]["overdue"]
        'in progress, overdue'
        >>> labels().sets["Channel"]["post"]
        'bưu chính'
    """
    sets = {enum.__name__: {m.value: m.label(lang) for m in enum} for enum in LABELLED}
    return Labels(lang=lang, sets=sets)


def add_label_routes(app: FastAPI) -> None:
    """Add ``GET /v1/labels`` to the application."""

    @app.get("/v1/labels", operation_id="labels")
    def label_tables(lang: Annotated[Lang, Query(description="vi or en")] = "vi") -> Labels:
        """The Vietnamese or English label of every value of procflow's closed sets."""
        return labels(lang)
