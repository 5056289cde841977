"""The duplicate-id pass of a streamed file: ids hashed, repeats confirmed on the ids.

It must find exactly what comparing every id with every other finds (the engine's
``_duplicates_of`` over the whole column, the way it was done before), whatever the
batches, the blocks of hashes and the hash collisions.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from procflow.bulk import streaming
from procflow.bulk.engine import _duplicates_of
from procflow.bulk.reading import _csv_options
from procflow.errors import InputError
from procflow.interchange import Duplicates, record_lines

# Few distinct values, so that repeats are common; spaces around an id do not make it new.
IDS = st.lists(
    st.one_of(
        st.none(),
        st.sampled_from(["A", " A", "A ", "B", "HS-1", "hs-1", "", "  ", "Đ-1", "x" * 40]),
    ),
    max_size=40,
)


def _write(ids: list[str | None], folder: Path, fmt: str) -> Path:
    table = pa.table(
        {
            "dossier_id": pa.array(ids, pa.string()),
            "received_at": pa.array(["2025-03-03T09:00:00"] * len(ids), pa.string()),
        }
    )
    path = folder / f"export.{fmt}"
    if fmt == "parquet":
        pq.write_table(table, path, row_group_size=7)
    else:
        pacsv.write_csv(table, path)
    return path


def _expected(path: Path, keep: Duplicates) -> dict[int, str]:
    """Every id compared with every other, the whole column in memory."""
    if path.suffix == ".parquet":
        column = pq.read_table(path, columns=["dossier_id"]).column(0)
        return _duplicates_of(column, keep)
    read, parse, convert = _csv_options(path)
    table = pacsv.read_csv(path, read_options=read, parse_options=parse, convert_options=convert)
    lines = record_lines(path, table.num_rows)
    return _duplicates_of(table.column("dossier_id"), keep, 0, lines)


_REAL_HASHES = streaming._id_hashes


def _coarse(ids: pa.Array) -> np.ndarray:
    """A hash with three values: nearly every pair of ids collides."""
    real = _REAL_HASHES(ids)
    out: np.ndarray = np.where(real == 0, 0, real % np.uint64(3) + np.uint64(1))
    return out


@settings(max_examples=60)
@given(
    ids=IDS,
    fmt=st.sampled_from(["csv", "parquet"]),
    keep=st.sampled_from(["refuse", "last"]),
    batch=st.sampled_from([1, 3, 1 << 16]),
    block=st.sampled_from([1, 4, 1 << 22]),
    collide=st.booleans(),
)
def test_the_pass_finds_what_comparing_every_id_finds(
    ids: list[str | None], fmt: str, keep: Duplicates, batch: int, block: int, collide: bool
) -> None:
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        path = _write(ids, Path(folder), fmt)
        patch.setattr(streaming, "_ID_BATCH", batch)
        patch.setattr(streaming, "_HASH_BLOCK", block)
        if collide:
            patch.setattr(streaming, "_id_hashes", _coarse)
        got, lines = streaming._file_duplicates(path, keep)
        assert got == _expected(path, keep)
        if fmt == "parquet":
            assert lines is None


def test_a_collision_alone_rejects_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Every id has the same hash: each is read again and compared, none is repeated.
    monkeypatch.setattr(streaming, "_id_hashes", lambda ids: np.full(len(ids), 7, np.uint64))
    path = _write(["A", "B", "C", "D"], tmp_path, "csv")
    assert streaming._file_duplicates(path, "refuse") == ({}, None)
    path = _write(["A", "B", "A", "D"], tmp_path, "parquet")
    got, _ = streaming._file_duplicates(path, "refuse")
    assert sorted(got) == [0, 2]
    assert "duplicate dossier id 'A' on rows 2, 4" in got[0]


def test_rows_are_the_files_lines_across_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text(
        'dossier_id,received_at\nA,2025-03-03\n\nB,2025-03-03\n"A",2025-03-04\n',
        encoding="utf-8",
    )
    got, lines = streaming._file_duplicates(path, "last")
    assert lines == [2, 4, 5]
    assert got == {
        0: "duplicate dossier id 'A' (rows 2, 5): superseded by row 5 (duplicates='last')"
    }


def test_an_unknown_mode_is_refused_before_reading(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="duplicates must be 'refuse' or 'last', got 'first'"):
        streaming._file_duplicates(tmp_path / "not-even-there.csv", "first")  # type: ignore[arg-type]


def test_a_file_without_ids_has_no_repeats(tmp_path: Path) -> None:
    path = tmp_path / "no-id.csv"
    path.write_text("received_at\n2025-03-03\n", encoding="utf-8")
    assert streaming._file_duplicates(path, "refuse") == ({}, None)


# -- the hashes ---------------------------------------------------------------------------


@given(st.lists(st.one_of(st.none(), st.text(max_size=12)), max_size=30), st.data())
def test_equal_ids_hash_equal_and_only_empty_ids_hash_to_zero(
    ids: list[str | None], data: st.DataObject
) -> None:
    array = pa.array(ids, pa.string())
    hashes = streaming._id_hashes(array)
    trimmed = streaming._trimmed(array).to_pylist()
    for i, a in enumerate(trimmed):
        assert (hashes[i] == 0) == (a == "")
        for j, b in enumerate(trimmed):
            if a == b:
                assert hashes[i] == hashes[j]
    start = data.draw(st.integers(0, len(ids)))
    assert streaming._id_hashes(array.slice(start)).tolist() == hashes[start:].tolist()


def test_two_hundred_thousand_ids_of_two_patterns_hash_apart() -> None:
    ids = [f"HS-2025-{n:07d}" for n in range(100_000)]
    ids += [f"{n:07d}-HS" for n in range(100_000)]
    hashes = streaming._id_hashes(pa.array(ids))
    assert len(np.unique(hashes)) == len(ids)


@pytest.mark.parametrize("block", [1, 2, 3, 5, 1 << 24])
@pytest.mark.parametrize(
    "text",
    [
        "h\na\nb\n",
        "h\na\nb",
        "h\r\na\r\n\r\nb\r\n",
        "h\na\n\nb\n",
        'h\n"a\nstill a"\nb\n',
        "h\n",
        "",
    ],
    ids=["plain", "no-final-break", "crlf-blank", "blank", "quoted-break", "header", "empty"],
)
def test_line_numbers_read_in_blocks_are_record_lines(
    text: str, block: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "lines.csv"
    path.write_bytes(text.encode())
    records = max(len([line for line in text.splitlines() if line]) - 1, 0)
    if "still" in text:
        records = 2
    monkeypatch.setattr(streaming, "_LINE_BLOCK", block)
    assert streaming._record_lines(path, records) == record_lines(path, records)
