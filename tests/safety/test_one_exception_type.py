"""Only ProcflowError escapes: corrupt files, long and wide step graphs, odd years."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from procflow import (
    CalendarError,
    InputError,
    ProcflowError,
    SpecError,
    bulk,
    parse_procedure,
    plan,
    read_dossiers,
    vietnam_calendar,
)
from procflow.cli import main


def _spec(steps: list[dict[str, Any]], limit: str) -> str:
    return json.dumps(
        {
            "id": "long",
            "name_vi": "Quy trình dài",
            "level": "commune",
            "effective_from": "2020-01-01",
            "legal_basis": [{"document": "Nghị định thử"}],
            "time_limit": limit,
            "steps": steps,
        }
    )


def _chain(n: int) -> list[dict[str, Any]]:
    return [
        {
            "id": f"s{i}",
            "name": f"Bước {i}",
            "budget": "1 giờ làm việc",
            "next": [f"s{i + 1}"] if i < n - 1 else [],
        }
        for i in range(n)
    ]


def test_a_chain_of_ten_thousand_steps_validates_and_plans() -> None:
    procedure = parse_procedure(_spec(_chain(10_000), "10000 giờ làm việc"), fmt="json")
    path, hours = procedure.longest_path()
    assert (len(path), hours) == (10_000, 10_000)
    cal = vietnam_calendar(years=range(2024, 2031))
    pl = plan(procedure, datetime(2024, 1, 2, 8), cal)
    assert pl.critical_path[0] == "s0"
    assert pl.critical_path[-1] == "s9999"


def test_a_cycle_deep_in_a_long_chain_is_a_spec_error() -> None:
    steps = _chain(10_000)
    steps[-1]["next"] = ["s5000"]
    steps[0]["next"].append("end")
    steps.append({"id": "end", "name": "Kết thúc", "next": []})
    with pytest.raises(SpecError) as caught:
        parse_procedure(_spec(steps, "10000 giờ làm việc"), fmt="json")
    assert "cycle" in str(caught.value)
    assert "s5000" in str(caught.value)


def test_a_fan_out_of_ten_thousand_steps_validates() -> None:
    middle = [
        {"id": f"m{i}", "name": "Thẩm định", "budget": "1 giờ làm việc", "next": ["end"]}
        for i in range(10_000)
    ]
    steps: list[dict[str, Any]] = [
        {"id": "start", "name": "Tiếp nhận", "next": [m["id"] for m in middle]},
        *middle,
        {"id": "end", "name": "Trả kết quả", "next": []},
    ]
    procedure = parse_procedure(_spec(steps, "1 giờ làm việc"), fmt="json")
    assert procedure.longest_path() == (["start", "m0", "end"], 1.0)


@pytest.fixture
def corrupt(tmp_path: Path) -> dict[str, Path]:
    good = tmp_path / "good.parquet"
    pq.write_table(
        pa.table({"dossier_id": ["A"] * 2000, "received_at": ["2025-03-03T09:00:00"] * 2000}),
        good,
    )
    data = good.read_bytes()
    files = {
        "empty": b"",
        "garbage": b"not parquet at all",
        "truncated": data[: len(data) // 2],
        "footer only": b"PAR1" + data[-200:],
    }
    out = {}
    for name, content in files.items():
        path = tmp_path / f"{name.replace(' ', '-')}.parquet"
        path.write_bytes(content)
        out[name] = path
    return out


@pytest.mark.parametrize("kind", ["empty", "garbage", "truncated", "footer only"])
def test_a_corrupt_parquet_file_is_an_error_naming_it(
    corrupt: dict[str, Path], kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = corrupt[kind]
    for call in (
        lambda: read_dossiers(path),
        lambda: bulk.classify(path),
        lambda: bulk.classify_file(path, tmp_path / "out.parquet"),
    ):
        with pytest.raises(InputError, match=str(path)):
            call()
    for command in (
        ["classify", str(path), "-o", str(tmp_path / "o.parquet"), "--quiet"],
        ["report", str(path), "--from", "2025-01-01", "--to", "2025-12-31"],
        ["audit", str(path)],
    ):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert err.startswith("procflow: error: ")
        assert str(path) in err
    assert not (tmp_path / "out.parquet").exists()


@pytest.mark.parametrize(
    ("years", "message"),
    [
        ([99_999], "out of range"),
        ([0], "out of range"),
        ([2150], "holiday data for 1901–2100"),
        (range(1890, 1905), "holiday data for 1901–2100"),
    ],
)
def test_calendar_years_without_data_are_refused(years: Any, message: str) -> None:
    with pytest.raises(CalendarError, match=message):
        vietnam_calendar(years=years)


def test_years_without_holiday_data_on_request() -> None:
    cal = vietnam_calendar(years=[2150], allow_missing_holidays=True)
    assert cal.is_working_day(date(2150, 1, 1))  # no holiday data: a plain Thursday


def test_cli_years_out_of_range_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["due", "2025-01-02T09:00", "3 ngày làm việc", "--years", "2025-99999"]) == 2
    assert "out of range" in capsys.readouterr().err


def test_a_folder_given_as_a_file_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(tmp_path), "--from", "2025-01-01", "--to", "2025-12-31"]) == 2
    assert str(tmp_path) in capsys.readouterr().err


def test_every_error_is_a_procflow_error() -> None:
    assert issubclass(InputError, ProcflowError)
    assert issubclass(SpecError, ProcflowError)
