"""Every public enum labels each of its members in Vietnamese and English."""

from __future__ import annotations

import pytest

import procflow
from procflow.findings import FindingCode
from procflow.forms import FormKind
from procflow.forms.version import Circular
from procflow.labels import LabelledEnum
from procflow.timelimit import CountingModel, TimeUnit

EXPORTED = [getattr(procflow, name) for name in procflow.__all__]
LABELLED = [v for v in EXPORTED if isinstance(v, type) and issubclass(v, LabelledEnum)]
OTHERS: list[type[LabelledEnum]] = [FindingCode, FormKind, Circular, TimeUnit, CountingModel]
PUBLIC = sorted({*LABELLED, *OTHERS}, key=lambda e: e.__name__)


def test_every_enum_of_the_public_api_is_labelled() -> None:
    from enum import Enum

    enums = {v for v in EXPORTED if isinstance(v, type) and issubclass(v, Enum)}
    assert enums <= set(PUBLIC), enums - set(PUBLIC)
    assert len(PUBLIC) >= 16


@pytest.mark.parametrize("enum", PUBLIC, ids=[e.__name__ for e in PUBLIC])
def test_each_member_has_both_labels(enum: type[LabelledEnum]) -> None:
    for member in enum:
        assert member.label("vi"), member
        assert member.label("en"), member
    assert len({m.label("vi") for m in enum}) == len(enum), "labels tell members apart"
    assert len({m.label("en") for m in enum}) == len(enum)


@pytest.mark.parametrize(
    ("member", "vi", "en"),
    [
        (procflow.Outcome.EARLY, "trước hạn", "early"),
        (procflow.Outcome.OVERDUE, "đang giải quyết quá hạn", "in progress, overdue"),
        (procflow.Channel.POST, "bưu chính", "by post"),
        (procflow.DayKind.COMPENSATORY, "nghỉ bù", "compensatory day off"),
        (TimeUnit.WORKING_DAYS, "ngày làm việc", "working days"),
    ],
    ids=["early", "overdue", "post", "compensatory", "working-days"],
)
def test_labels_are_the_words_of_the_reports(member: LabelledEnum, vi: str, en: str) -> None:
    assert (member.label("vi"), member.label("en"), member.label()) == (vi, en, vi)
