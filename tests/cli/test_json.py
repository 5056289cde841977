"""``--json`` on every command: one JSON document on stdout; errors as JSON on stderr."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from procflow.cli import EXIT_ERROR, main

ROOT = Path(__file__).parents[2]
FORM = str(ROOT / "examples" / "forms" / "cfs-late.json")
DOSSIERS = ROOT / "examples" / "dossiers.json"
AS_OF = json.loads(DOSSIERS.read_text(encoding="utf-8"))["as_of"]
PERIOD = ["--from", "2025-01-01", "--to", "2025-03-31"]

Check = Callable[[Any], bool]

# command arguments ({csv}: the small export, {tmp}: a fresh folder), and a check of the
# parsed stdout (a document, or a list of documents for JSON Lines).
CASES: list[tuple[str, list[str], Check]] = [
    (
        "due",
        ["due", "2024-01-31T15:20", "02 ngày làm việc", "--cutoff", "15:00"],
        lambda d: d["due_at"] == "2024-02-05T17:00:00+07:00",
    ),
    ("validate", ["validate"], lambda d: d["errors"] == 0 and d["valid"] == d["files"]),
    (
        "show",
        ["show", "cfs-ha-tinh", "--received", "2024-08-29T10:00"],
        lambda d: (
            d["procedure"]["id"] == "cfs-ha-tinh"
            and d["plan"]["due_at"] == "2024-09-05T17:00:00+07:00"
        ),
    ),
    ("report", ["report", "{csv}", *PERIOD], lambda d: d["total"]["key"] == "total"),
    (
        "report -o",
        ["report", "{csv}", *PERIOD, "-o", "{tmp}/r.xlsx"],
        lambda d: d["format"] == "xlsx" and d["dossiers"] == 300,
    ),
    (
        "classify",
        ["classify", "{csv}", "-o", "{tmp}/c.parquet"],
        lambda d: d["rows"] == 300 == d["classified"] + d["rejected"],
    ),
    ("audit", ["audit", "{csv}"], lambda d: d["checked"] == 300 and "findings" in d),
    (
        "audit -o",
        ["audit", "{csv}", "-o", "{tmp}/audit.xlsx"],
        lambda d: d["format"] == "xlsx" and d["checked"] == 300 == d["agreed"] + d["disagree"],
    ),
    (
        "demo",
        ["demo"],
        lambda d: any(e["dossier_id"] == "HS-2026-0104" for e in d["evaluations"]),
    ),
    ("schema", ["schema", "dossier"], lambda d: d["$id"] == "dossier.schema.json"),
    (
        "sample",
        ["sample", "20", "-o", "{tmp}/s.csv"],
        lambda d: d["dossiers"] == 20 and d["format"] == "csv",
    ),
    (
        "evaluate",
        ["evaluate", "{jsonl}", "--as-of", AS_OF],
        lambda lines: [e["dossier_id"] for e in lines][:1] == ["HS-2026-0101"],
    ),
    (
        "index766",
        ["index766", "{csv}", "--period", "2025-01"],
        lambda lines: lines[-1]["key"] == "total" and lines[-1]["period_start"] == "2025-01-01",
    ),
    (
        "impact",
        ["impact", "{csv}", "--period", "2025-Q2", "--overrides", "{what_if}"],
        lambda d: d["checked"] > 0,
    ),
    (
        "forecast",
        ["forecast", "{csv}", "--as-of", "2025-03-31T17:00"],
        lambda d: isinstance(d, list) and all("dossier_id" in f for f in d),
    ),
    (
        "trends",
        ["trends", "{csv}", "--period", "2025-Q1"],
        lambda d: d["metric"] == "timely_rate" and d["months"][0] == "2025-01",
    ),
    (
        "form",
        ["form", "receipt", FORM],
        lambda d: d["version"]["kind"] == "receipt",
    ),
    (
        "form -o",
        ["form", "control", FORM, "-o", "{tmp}/control.html"],
        lambda d: d["output"].endswith("control.html") and d["kind"] == "control",
    ),
    (
        "iso-review",
        ["iso-review", "{csv}", "--period", "2025Q1", "-o", "{tmp}/review.xlsx"],
        lambda d: d["document"].endswith("review.docx") and d["summary"],
    ),
    (
        "calendar",
        ["calendar", "2026"],
        lambda d: d["year"] == 2026 and d["days"][0]["date"] == "2026-01-01",
    ),
]


def _fill(args: list[str], csv: Path, tmp: Path) -> list[str]:
    jsonl = tmp / "dossiers.jsonl"
    dossiers = json.loads(DOSSIERS.read_text(encoding="utf-8"))["dossiers"]
    jsonl.write_text(
        "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in dossiers), encoding="utf-8"
    )
    what_if = str(ROOT / "examples" / "what-if-2025.toml")
    return [
        a.format(csv=csv, tmp=tmp, jsonl=jsonl, what_if=what_if) if "{" in a else a for a in args
    ]


JSON_LINES = {"evaluate", "index766"}
"""The commands that stream: one JSON document per line."""


def _parse(command: str, out: str) -> Any:
    if command in JSON_LINES:
        return [json.loads(line) for line in out.splitlines()]
    return json.loads(out)


@pytest.mark.parametrize(("args", "check"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_json_on_every_command(
    small_csv: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    check: Check,
) -> None:
    status = main([*_fill(args, small_csv, tmp_path), "--json"])
    out = capsys.readouterr().out
    assert status in (0, 1)  # audit finds the example's deliberate mistakes
    assert check(_parse(args[0], out))


def test_every_command_has_json() -> None:
    from procflow.cli import _parser

    sub = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    commands: dict[str, argparse.ArgumentParser] = sub.choices
    assert {c[1][0] for c in CASES} | {"serve"} == set(commands)
    for name, command in commands.items():
        assert any("--json" in a.option_strings for a in command._actions), name


@pytest.mark.parametrize(
    ("args", "kind", "message"),
    [
        (["due", "31/01/2024", "2 ngày làm việc"], "InputError", "'31/01/2024'"),
        (["show", "nope"], "UnknownProcedureError", "unknown procedure 'nope'"),
        (["report", "no-such.csv", *PERIOD], "InputError", "no-such.csv"),
        (["index766", "no-such.csv", "--period", "2025-13"], "InputError", "2025-13"),
        (["calendar", "2150"], "CalendarError", "2150"),
        (["due", "2024-01-31T09:00"], "UsageError", "the following arguments are required"),
        (["report", "x.csv", "--format", "pdf"], "UsageError", "invalid choice: 'pdf'"),
    ],
    ids=["bad-date", "unknown-procedure", "missing-file", "bad-period", "year", "usage", "choice"],
)
def test_errors_are_json_on_stderr_with_the_same_status(
    capsys: pytest.CaptureFixture[str], args: list[str], kind: str, message: str
) -> None:
    try:
        status = main([*args, "--json"])
    except SystemExit as exit_:  # argparse's usage errors
        status = int(exit_.code or 0)
    out, err = capsys.readouterr()
    assert status == EXIT_ERROR
    assert out == ""
    error = json.loads(err)
    assert error["error"] == kind
    assert message in error["message"]


def test_without_json_an_error_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "nope"]) == EXIT_ERROR
    assert capsys.readouterr().err.startswith("procflow: error: unknown procedure 'nope'")


def test_report_json_refuses_another_format_on_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "x.csv", *PERIOD, "--format", "csv", "--json"]) == EXIT_ERROR
    assert "--json prints the report as JSON" in json.loads(capsys.readouterr().err)["message"]
