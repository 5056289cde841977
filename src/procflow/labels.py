"""Vietnamese and English labels of procflow's closed sets, so frontends need no table.

Every public enum derives from :class:`LabelledEnum` and names its one table of labels
(Vietnamese, English) through :meth:`LabelledEnum.labels`; :meth:`LabelledEnum.label` picks
one language. Values (``"on_time"``) stay the stable serialised form; labels are for people.

Examples:
    >>> from procflow import Outcome
    >>> Outcome.ON_TIME.label("vi"), Outcome.ON_TIME.label("en")
    ('đúng hạn', 'on time')
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Literal

__all__ = ["LabelledEnum", "Lang"]

Lang = Literal["vi", "en"]
"""A language of labels and explanations: Vietnamese (the default) or English."""


class LabelledEnum(StrEnum):
    """A closed set whose members carry a Vietnamese and an English label."""

    @classmethod
    def labels(cls) -> Mapping[Any, tuple[str, str]]:
        """The set's table: each member's (Vietnamese, English) label."""
        raise NotImplementedError(f"{cls.__name__} has no labels")

    def label(self, lang: Lang = "vi") -> str:
        """The member's label in ``lang`` (``"vi"`` or ``"en"``)."""
        vi, en = type(self).labels()[self]
        return vi if lang == "vi" else en
