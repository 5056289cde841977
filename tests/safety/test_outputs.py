"""Outputs never destroy inputs, never appear half-written, and follow their extension."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from procflow import bulk
from procflow.calendar import vietnam_calendar
from procflow.cli import main
from procflow.errors import InputError

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "dossiers-2025.csv"
SPECS = str(ROOT / "specs")

HEADER = "dossier_id,received_at,finished_at,time_limit\n"
ROWS = "".join(
    f"A{i},2025-03-0{1 + i % 5}T09:00:00,2025-03-10T09:00:00,03 ngày làm việc\n" for i in range(40)
)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "in.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    return path


def _same_file_spellings(path: Path) -> list[str]:
    link = path.with_name("link.csv")
    link.symlink_to(path)
    hard = path.with_name("hard.csv")
    hard.hardlink_to(path)
    return [str(path), str(path.parent / "." / path.name), str(link), str(hard)]


@pytest.mark.parametrize("command", ["classify", "report"])
def test_an_output_that_is_the_input_is_refused_before_reading(
    source: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = source.read_bytes()
    for spelling in _same_file_spellings(source):
        args = [command, str(source), "-o", spelling, "--specs", SPECS]
        if command == "report":
            args += ["--from", "2025-01-01", "--to", "2025-12-31", "--format", "csv"]
        else:
            args += ["--quiet"]
        assert main(args) == 2
        assert "is the input" in capsys.readouterr().err
        assert source.read_bytes() == before


def test_the_rejects_file_may_not_be_the_input_either(tmp_path: Path) -> None:
    source = tmp_path / "out.rejected.csv"
    source.write_text(HEADER + ROWS, encoding="utf-8")
    with pytest.raises(InputError, match="is the input"):
        bulk.classify_file(source, tmp_path / "out.csv")
    assert source.read_text(encoding="utf-8") == HEADER + ROWS


def test_classify_writes_csv_when_asked_by_the_extension(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    assert main(["classify", str(source), "-o", str(out), "--quiet", "--specs", SPECS]) == 0
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 40
    assert {r["outcome"] for r in rows} <= {"early", "on_time", "late"}
    assert (tmp_path / "out.rejected.csv").read_text(encoding="utf-8").startswith('"index","row"')


def test_format_option_beats_the_extension(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.data"
    bulk.classify_file(source, out, format="parquet")
    assert pq.read_table(out).num_rows == 40
    assert (tmp_path / "out.rejected.parquet").is_file()


def test_unknown_output_extension_is_refused(source: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"unknown format 'txt'.*--format"):
        bulk.classify_file(source, tmp_path / "out.txt")


def test_an_interrupted_classify_leaves_the_old_outputs_and_no_temporary(
    source: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.parquet"
    bulk.classify_file(source, out)
    before = out.read_bytes(), (tmp_path / "out.rejected.parquet").read_bytes()

    def interrupt(done: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        bulk.classify_file(source, out, batch_size=8, progress=interrupt)
    assert (out.read_bytes(), (tmp_path / "out.rejected.parquet").read_bytes()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "in.csv",
        "out.parquet",
        "out.rejected.parquet",
    ]


def test_an_empty_source_still_gives_both_files(tmp_path: Path) -> None:
    source = tmp_path / "empty.csv"
    source.write_text(HEADER, encoding="utf-8")
    out = tmp_path / "out.parquet"
    assert bulk.classify_file(source, out, calendar=vietnam_calendar(years=[2025]))[:2] == (0, 0)
    assert pq.read_table(out).num_rows == 0
    assert "reason" in pq.read_table(tmp_path / "out.rejected.parquet").column_names


def test_outputs_get_ordinary_permissions(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.csv"
    main(["report", str(source), "--from", "2025-01-01", "--to", "2025-12-31", "-o", str(out)])
    reference = tmp_path / "plain"
    reference.write_text("", encoding="utf-8")
    assert out.stat().st_mode == reference.stat().st_mode


def test_report_on_a_copy_of_the_example_leaves_the_copy_intact(tmp_path: Path) -> None:
    copy = tmp_path / "d.csv"
    shutil.copy(EXAMPLE, copy)
    args = ["report", str(copy), "--from", "2025-01-01", "--to", "2025-12-31", "-o", str(copy)]
    assert main([*args, "--specs", SPECS]) == 2
    assert copy.read_bytes() == EXAMPLE.read_bytes()
