"""``-`` as an input reads standard input; ``-o -`` writes standard output, whole."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from procflow.cli import EXIT_ERROR, EXIT_REJECTED, main

ROOT = Path(__file__).parents[2]
FORM = ROOT / "examples" / "forms" / "cfs-late.json"
SPEC = ROOT / "specs" / "cfs-ha-tinh.toml"
PERIOD = ["--from", "2025-01-01", "--to", "2025-03-31"]


class Stdout(io.TextIOWrapper):
    """A standard output that keeps its bytes, a pipe or (``tty=True``) a terminal."""

    def __init__(self, tty: bool = False) -> None:
        super().__init__(io.BytesIO(), encoding="utf-8")
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty

    def data(self) -> bytes:
        self.flush()
        raw = self.buffer
        assert isinstance(raw, io.BytesIO)
        return raw.getvalue()


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def _stdout(monkeypatch: pytest.MonkeyPatch, tty: bool = False) -> Stdout:
    out = Stdout(tty)
    monkeypatch.setattr("sys.stdout", out)
    return out


@pytest.mark.parametrize(
    ("command", "extra"),
    [
        (["report"], [*PERIOD, "--format", "csv"]),
        (["report"], [*PERIOD, "--by", "field"]),
        (["audit"], []),
        (["index766"], ["--period", "2025-02", "--json"]),
        (["trends"], ["--period", "2025-Q1"]),
        (["forecast"], ["--as-of", "2025-03-31T17:00"]),
    ],
    ids=["report-csv", "report-json", "audit", "index766", "trends", "forecast"],
)
def test_a_csv_on_stdin_reads_as_the_file(
    small_csv: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
    extra: list[str],
) -> None:
    status = main([*command, str(small_csv), *extra])
    from_file = capsys.readouterr().out
    _stdin(monkeypatch, small_csv.read_bytes())
    assert main([*command, "-", *extra]) == status
    from_stdin = capsys.readouterr().out
    assert from_stdin.replace("<stdin>", str(small_csv)) == from_file
    assert from_file


def test_parquet_on_stdin_is_read_in_memory(
    small_csv: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    parquet = tmp_path / "small.parquet"
    assert main(["sample", "50", "-o", str(parquet)]) == 0
    args = ["report", "-", "--from", "2025-01-01", "--to", "2025-12-31"]
    capsys.readouterr()
    _stdin(monkeypatch, parquet.read_bytes())
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["dossiers"] == 50


def test_a_rejected_row_on_stdin_is_named_stdin(
    small_csv: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = small_csv.read_text(encoding="utf-8").splitlines(keepends=True)
    bad = lines[1].replace("2025-09-04T13:33:00", "04/09/2025", 1)
    _stdin(monkeypatch, "".join([lines[0], bad, *lines[2:5]]).encode())
    assert main(["audit", "-"]) == EXIT_REJECTED
    assert "<stdin>:2: HS-2025-0000001: rejected: " in capsys.readouterr().out


def test_a_missing_column_on_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, b"x,y\n1,2\n")
    assert main(["audit", "-"]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "<stdin>: missing column(s) dossier_id, received_at" in err
    assert "procflow-stdin" not in err  # the temporary file is never named


def test_a_spec_and_overrides_on_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, SPEC.read_bytes())
    assert main(["validate", "-"]) == 0
    assert capsys.readouterr().out == "1 files, 1 valid, 0 errors, 0 warnings\n"
    # Friday 2 February 2024 made a day off: a two-day limit from Thursday moves to Tuesday.
    overrides = '[[override]]\ndate = 2024-02-02\nkind = "day_off"\nname_vi = "Nghỉ (thử)"\n'
    _stdin(monkeypatch, (overrides + 'source = "Quyết định thử"\n').encode())
    args = ["due", "2024-02-01T09:00", "02 ngày làm việc", "--overrides", "-", "--json"]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["due_at"] == "2024-02-06T17:00:00+07:00"


def test_a_dossier_json_on_stdin_and_the_form_on_stdout(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, FORM.read_bytes())
    assert main(["form", "receipt", "-", "-o", "-", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["version"]["kind"] == "receipt"
    assert err == ""


def test_only_one_input_can_be_stdin(
    small_csv: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, small_csv.read_bytes())
    assert main(["report", "-", *PERIOD, "--overrides", "-"]) == EXIT_ERROR
    assert "only one input can be standard input (-)" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "start"),
    [
        (["report", "{csv}", *PERIOD, "--format", "xlsx", "-o", "-"], b"PK\x03\x04"),
        (["report", "{csv}", *PERIOD, "--format", "png", "-o", "-"], b"\x89PNG"),
        (["report", "{csv}", *PERIOD, "--format", "csv", "-o", "-"], b"key,received_total,"),
        (["index766", "{csv}", "--period", "2025-01", "-o", "-"], b"PK\x03\x04"),
        (["trends", "{csv}", "--period", "2025-Q1", "-o", "-", "--format", "png"], b"\x89PNG"),
        (["classify", "{csv}", "-o", "-", "--format", "parquet"], b"PAR1"),
        (["classify", "{csv}", "-o", "-", "--format", "csv"], b'"index","dossier_id"'),
        (["sample", "10", "-o", "-", "--format", "parquet"], b"PAR1"),
        (["form", "receipt", str(FORM), "-o", "-", "--format", "docx"], b"PK\x03\x04"),
        (["form", "receipt", str(FORM), "-o", "-", "--format", "html"], b"<!DOCTYPE html>"),
        (
            ["form", "ii06a", "{csv}", *PERIOD, "-o", "-"],
            b"PK\x03\x04",
        ),
        (["schema", "dossier", "-o", "-"], b"{"),
    ],
    ids=[
        "report-xlsx",
        "report-png",
        "report-csv",
        "index766",
        "trends-png",
        "classify-parquet",
        "classify-csv",
        "sample",
        "form-docx",
        "form-html",
        "ii06a",
        "schema",
    ],
)
def test_dash_o_writes_stdout_whole(
    small_csv: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    start: bytes,
) -> None:
    out = _stdout(monkeypatch)
    assert main([a.replace("{csv}", str(small_csv)) for a in args]) == 0
    assert out.data().startswith(start)
    assert "wrote -" not in capsys.readouterr().err  # messages go to stderr, data alone out


def test_classify_to_stdout_accounts_for_every_row(
    small_csv: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = small_csv.read_text(encoding="utf-8").splitlines(keepends=True)
    source = small_csv.with_name("with-a-bad-row.csv")
    source.write_text("".join([*lines[:11], lines[1]]), encoding="utf-8")  # a repeated id
    out = _stdout(monkeypatch)
    assert main(["classify", str(source), "-o", "-", "--format", "csv"]) == EXIT_REJECTED
    rows = out.data().decode().splitlines()
    err = capsys.readouterr().err
    assert len(rows) - 1 == 9  # the header, then the rows of the ids seen once
    assert "11 rows: 9 classified into standard output, 2 rejected into standard error" in err
    assert f"{source}:2: HS-2025-0000001: duplicate dossier id" in err
    assert f"{source}:12: HS-2025-0000001: duplicate dossier id" in err


@pytest.mark.parametrize(
    "args",
    [
        ["report", "{csv}", *PERIOD, "--format", "xlsx", "-o", "-"],
        ["sample", "10", "-o", "-", "--format", "parquet"],
        ["classify", "{csv}", "-o", "-", "--format", "parquet"],
        ["index766", "{csv}", "--period", "2025-01", "-o", "-"],
    ],
    ids=["report", "sample", "classify", "index766"],
)
def test_binary_is_never_written_to_a_terminal(
    small_csv: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
) -> None:
    out = _stdout(monkeypatch, tty=True)
    assert main([a.replace("{csv}", str(small_csv)) for a in args]) == EXIT_ERROR
    assert out.data() == b""
    assert "is binary; redirect standard output" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["classify", "{csv}", "-o", "-"], "--format csv or --format parquet"),
        (["sample", "10", "-o", "-"], "--format csv or --format parquet"),
        (["form", "receipt", str(FORM), "-o", "-"], "--format docx, html or json"),
        (["iso-review", "{csv}", "--period", "2025Q1", "-o", "-"], "two files"),
        (["report", "{csv}", *PERIOD, "-o", "-", "--rejects", "-"], "only one output"),
        (["classify", "{csv}", "-o", "-", "--format", "csv", "--json"], "--json and -o -"),
        (["sample", "10", "-o", "-", "--format", "csv", "--json"], "--json and -o -"),
    ],
    ids=["classify", "sample", "form", "iso-review", "two-stdout", "classify-json", "sample-json"],
)
def test_dash_o_needs_a_format_or_one_output(
    small_csv: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main([a.replace("{csv}", str(small_csv)) for a in args]) == EXIT_ERROR
    assert message in capsys.readouterr().err


def test_stdout_gets_nothing_when_a_command_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _stdout(monkeypatch)
    _stdin(monkeypatch, b"dossier_id,received_at\nA,2025-01-02T09:00\n")
    args = ["report", "-", *PERIOD, "--objectives", "no-such.toml", "-o", "-", "--json"]
    assert main(args) == EXIT_ERROR
    assert out.data() == b""
    assert json.loads(capsys.readouterr().err)["error"] == "InputError"


def test_sample_format_overrides_the_ending(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "year.txt"
    assert main(["sample", "5", "-o", str(out), "--format", "csv"]) == 0
    assert out.read_text(encoding="utf-8").startswith('"dossier_id",')
    assert [p.name for p in tmp_path.iterdir()] == ["year.txt"]  # no temporary left
    assert f"wrote 5 dossiers to {out}" in capsys.readouterr().out


def test_trends_dash_o_prints_csv(small_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["trends", str(small_csv), "--period", "2025-Q1"]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert main([*args, "-o", "-"]) == 0
    assert capsys.readouterr().out == printed
    assert printed.startswith("key,2025-01,2025-02,2025-03\n")
