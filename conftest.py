"""Doctest namespace: the examples in docstrings and docs may use procflow's names directly."""

from __future__ import annotations

import datetime as _dt
from typing import Any

import pytest

import procflow


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace: dict[str, Any]) -> None:
    doctest_namespace.update({name: getattr(procflow, name) for name in procflow.__all__})
    doctest_namespace.update(
        date=_dt.date,
        datetime=_dt.datetime,
        time=_dt.time,
        timedelta=_dt.timedelta,
        timezone=_dt.timezone,
        procflow=procflow,
    )
