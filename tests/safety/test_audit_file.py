"""The audit of a file in batches equals the audit of the whole file (issue 10, item 5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from procflow import ProcedureLibrary, WorkCalendar, audit, load_procedures, read_dossiers
from procflow.audit import AuditResult
from procflow.auditfile import audit_file
from procflow.errors import InputError

EXAMPLES = Path(__file__).parents[2] / "examples"


@pytest.fixture(scope="module")
def library() -> ProcedureLibrary:
    return load_procedures()


@pytest.fixture(scope="module")
def head(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first 400 dossiers of the shipped example year."""
    lines = (EXAMPLES / "dossiers-2025.csv").read_text(encoding="utf-8").splitlines(True)
    path = tmp_path_factory.mktemp("audit") / "head.csv"
    path.write_text("".join(lines[:401]), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def whole(head: Path, library: ProcedureLibrary, cal: WorkCalendar) -> AuditResult:
    return audit(read_dossiers(head), library, cal)


@pytest.mark.parametrize("batch_size", [37, 1000])
def test_batches_give_the_whole_file_audit(
    batch_size: int, head: Path, whole: AuditResult, library: ProcedureLibrary, cal: WorkCalendar
) -> None:
    got = audit_file(head, library, cal, batch_size=batch_size)
    assert (got.checked, got.agreed, got.without_due) == (
        whole.checked,
        whole.agreed,
        whole.without_due,
    )
    assert got.findings == tuple(sorted(whole.findings, key=lambda f: f.row))
    assert got.rejected == tuple(sorted(whole.rejected, key=lambda r: r.row or 0))
    assert whole.checked > 0
    assert whole.findings


def test_every_row_accounted_for_with_duplicates_and_bad_rows(
    tmp_path: Path, cal: WorkCalendar
) -> None:
    path = tmp_path / "printed.csv"
    path.write_text(
        "dossier_id,received_at,time_limit,due_at\n"
        "A,2024-01-31T10:00,02 ngày làm việc,2024-02-02T17:00\n"
        "B,2024-01-31T10:00,02 ngày làm việc,2024-02-05T17:00\n"
        "\n"
        "A,2024-02-01T10:00,02 ngày làm việc,2024-02-05T17:00\n"
        "C,not a time,02 ngày làm việc,2024-02-05T17:00\n"
        "D,2024-01-31T10:00,02 ngày làm việc,\n",
        encoding="utf-8",
    )
    got = audit_file(path, None, cal, batch_size=2)
    # Line 5 is the second A (the blank line 4 counts); C's time is unreadable.
    assert [(r.row, r.dossier_id) for r in got.rejected] == [(2, "A"), (5, "A"), (6, "C")]
    assert "rows 2, 5" in got.rejected[0].reason
    assert (got.checked, got.without_due) == (1, 1)
    assert got.checked + got.without_due + len(got.rejected) == 5
    kept = audit_file(path, None, cal, duplicates="last")
    assert [r.row for r in kept.rejected] == [2, 6]
    assert kept.checked == 2


def test_an_event_log_is_read_whole(tmp_path: Path, cal: WorkCalendar) -> None:
    path = tmp_path / "log.csv"
    path.write_text(
        "dossier_id,event,at,time_limit,due_at\n"
        "A,received,2024-01-31T10:00,02 ngày làm việc,2024-02-02T17:00\n",
        encoding="utf-8",
    )
    whole = audit(read_dossiers(path), None, cal)
    assert audit_file(path, None, cal, batch_size=1) == whole


def test_bad_batch_size_and_missing_column(tmp_path: Path, cal: WorkCalendar) -> None:
    with pytest.raises(InputError, match="batch size must be at least 1, got 0"):
        audit_file(EXAMPLES / "receipts.csv", None, cal, batch_size=0)
    path = tmp_path / "no-id.csv"
    path.write_text("received_at\n2024-01-31T10:00\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column"):
        audit_file(path, None, cal)


def test_cli_audit_duplicates_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from procflow.cli import main

    path = tmp_path / "dup.csv"
    path.write_text(
        "dossier_id,received_at,time_limit,due_at\n"
        "A,2024-01-31T10:00,02 ngày làm việc,2024-02-02T17:00\n"
        "A,2024-02-01T10:00,02 ngày làm việc,2024-02-05T17:00\n",
        encoding="utf-8",
    )
    args = ["audit", str(path), "--years", "2024-2026"]
    assert main(args) == 3
    assert "0 checked" in capsys.readouterr().out
    assert main([*args, "--duplicates", "last"]) == 3
    out = capsys.readouterr().out
    assert "1 checked, 1 agree" in out
    assert "superseded by row 3" in out
