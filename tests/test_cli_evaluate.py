"""procflow evaluate: JSON Lines in and out, streamed; a bad line names its number."""

from __future__ import annotations

import io
import json
from importlib.resources import files
from pathlib import Path

import pytest

from procflow import Evaluation
from procflow.cli import main

EXAMPLE = json.loads((files("procflow") / "examples" / "dossiers.json").read_text("utf-8"))
AS_OF = ["--as-of", EXAMPLE["as_of"]]


def _lines(*dossiers: object) -> str:
    return "".join(
        (d if isinstance(d, str) else json.dumps(d, ensure_ascii=False)) + "\n" for d in dossiers
    )


def test_stdin_to_stdout(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    dossiers = EXAMPLE["dossiers"]
    monkeypatch.setattr("sys.stdin", io.StringIO(_lines(*dossiers)))
    assert main(["evaluate", "-", *AS_OF]) == 0
    out, err = capsys.readouterr()
    evaluations = [Evaluation.model_validate_json(line) for line in out.splitlines()]
    assert [e.dossier_id for e in evaluations] == [d["id"] for d in dossiers]
    assert f"{len(dossiers)} dossiers: {len(dossiers)} evaluated, 0 rejected" in err


def test_a_bad_line_is_named_and_the_rest_go_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = EXAMPLE["dossiers"][:2]
    source = tmp_path / "in.jsonl"
    source.write_text(
        _lines(first, '{"id": "broken"', "", {"id": "X", "events": []}, second), encoding="utf-8"
    )
    out_path = tmp_path / "out.jsonl"
    assert main(["evaluate", str(source), "-o", str(out_path), *AS_OF]) == 3
    err = capsys.readouterr().err
    assert f"{source}:2: dossier: Invalid JSON" in err
    assert f"{source}:4: events: " in err
    assert "4 dossiers: 2 evaluated, 2 rejected" in err
    ids = [json.loads(line)["dossier_id"] for line in out_path.read_text("utf-8").splitlines()]
    assert ids == [first["id"], second["id"]]


def test_a_missing_file_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(tmp_path / "nope.jsonl")]) == 2
    assert "nope.jsonl: cannot read" in capsys.readouterr().err
