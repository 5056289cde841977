"""``procflow form``: each kind to each format, errors as one line with exit status 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from procflow.cli import main
from tests.forms.samples import EXAMPLES, ROOT

SPECS = str(ROOT / "specs")
CFS = str(EXAMPLES / "forms" / "cfs-late.json")


@pytest.mark.parametrize("suffix", [".json", ".html", ".docx"])
def test_receipt_each_format(suffix: str, tmp_path: Path) -> None:
    out = tmp_path / f"receipt{suffix}"
    assert main(["form", "receipt", CFS, "--specs", SPECS, "-o", str(out)]) == 0
    assert out.stat().st_size > 0
    if suffix == ".json":
        assert (
            json.loads(out.read_text(encoding="utf-8"))["return_at"] == "2026-03-12T17:00:00+07:00"
        )


def test_register_from_the_csv_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = ROOT / "tests" / "fixtures" / "exports" / "wide-with-errors.csv"
    out = tmp_path / "register.json"
    code = main(["form", "register", str(export), "--specs", SPECS, "-o", str(out)])
    assert code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    printed = capsys.readouterr().out
    assert f"{len(data['entries'])} dossiers, {len(data['rejected'])} rejected" in printed


def test_apology_refused_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    supplement = str(EXAMPLES / "forms" / "supplement.json")
    out = tmp_path / "apology.docx"
    assert main(["form", "apology", supplement, "--specs", SPECS, "-o", str(out)]) == 2
    assert "no apology_issued event" in capsys.readouterr().err
    assert not out.exists()


def test_unknown_output_suffix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["form", "receipt", CFS, "--specs", SPECS, "-o", str(tmp_path / "x.pdf")]) == 2
    assert "write .docx, .html or .json" in capsys.readouterr().err


def test_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["form", "control", "--schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "ControlSlip"
    assert "hand_overs" in schema["properties"]


def test_ii06a(tmp_path: Path) -> None:
    out = tmp_path / "ii06a.xlsx"
    export = ROOT / "tests" / "fixtures" / "exports" / "wide-with-errors.csv"
    args = ["form", "ii06a", str(export), "--specs", SPECS, "--by", "procedure"]
    args += ["--from", "2025-01-01", "--to", "2025-12-31", "-o", str(out)]
    assert main(args) == 0
    assert out.stat().st_size > 0


def test_empty_register_needs_as_of(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "none.json"
    empty.write_text("[]", encoding="utf-8")
    out = str(tmp_path / "r.json")
    assert main(["form", "register", str(empty), "-o", out]) == 2
    assert "give --as-of" in capsys.readouterr().err
    assert main(["form", "register", str(empty), "--as-of", "2026-03-31T17:00", "-o", out]) == 0
    assert json.loads(Path(out).read_text(encoding="utf-8"))["entries"] == []
