"""GET /v1/labels: the library's label of every value of its closed sets."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import procflow
from procflow.labels import LabelledEnum
from procflow.server import create_app
from procflow.server.labels import LABELLED


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(specs="specs"))


def _all_labelled() -> set[type[LabelledEnum]]:
    # Every subclass, once the modules defining them are imported (the app imports them).
    found: set[type[LabelledEnum]] = set()
    todo = list(LabelledEnum.__subclasses__())
    while todo:
        enum = todo.pop()
        found.add(enum)
        todo += enum.__subclasses__()
    return found


def test_every_closed_set_is_served() -> None:
    assert set(LABELLED) == _all_labelled()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_labels_are_the_library_s(client: TestClient, lang: str) -> None:
    r = client.get("/v1/labels", params={"lang": lang})
    assert r.status_code == 200
    body = r.json()
    assert body["lang"] == lang
    assert set(body["sets"]) == {e.__name__ for e in LABELLED}
    for enum in LABELLED:
        assert body["sets"][enum.__name__] == {m.value: m.label(lang) for m in enum}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("lang", "enum", "value", "label"),
    [
        ("vi", "Outcome", "on_time", "đúng hạn"),
        ("en", "Outcome", "overdue", "in progress, overdue"),
        ("vi", "EventType", "supplement_requested", "yêu cầu bổ sung hồ sơ"),
        ("en", "Channel", "post", "by post"),
        ("vi", "TimeUnit", "working_hours", "giờ làm việc"),
    ],
)
def test_words_of_the_reports(
    client: TestClient, lang: str, enum: str, value: str, label: str
) -> None:
    assert client.get(f"/v1/labels?lang={lang}").json()["sets"][enum][value] == label


def test_vietnamese_is_the_default_and_other_languages_are_problems(client: TestClient) -> None:
    assert client.get("/v1/labels").json()["sets"]["Channel"]["online"] == "trực tuyến"
    r = client.get("/v1/labels?lang=fr")
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert "query.lang" in r.json()["detail"]


def test_outcome_labels_match_the_exported_enum() -> None:
    assert procflow.Outcome in LABELLED


def test_the_page_keeps_no_table_of_the_library_words() -> None:
    # The values the page shows (a field's name such as "Thủ tục" is the page's own text).
    from procflow import Channel, DayKind, EventType, Outcome, Result
    from procflow.timelimit import TimeUnit

    script = (Path("src/procflow/server/static/app.js").read_text(encoding="utf-8")).lower()
    page = (Path("src/procflow/server/static/index.html").read_text(encoding="utf-8")).lower()
    for enum in (Channel, DayKind, EventType, Outcome, Result, TimeUnit):
        for member in enum:
            for lang in ("vi", "en"):
                word = member.label(lang)
                if " " in word:  # one-word labels ("early") are also ordinary words
                    assert f'"{word}"' not in script, word
                    assert f">{word}<" not in page, word
