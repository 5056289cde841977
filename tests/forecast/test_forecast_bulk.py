"""The columnar late forecast and back-test equal the per-dossier ones.

The per-dossier :func:`procflow.forecast.forecast_late` and
:func:`procflow.forecast.backtest` are the oracle: the same forecasts (probabilities,
shares, hours left, critical path budgets, apology deadlines, alerts, in the same order)
and the same Brier scores, on the shipped example year and on awkward rows.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from procflow import ProcedureLibrary, WorkCalendar, load_procedures, read_dossiers
from procflow.forecast import backtest, forecast_late
from procflow.forecast_bulk import aware_rows, backtest_bulk, forecast_bulk

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "dossiers-2025.csv"


@pytest.fixture(scope="module")
def library() -> ProcedureLibrary:
    return load_procedures(ROOT / "specs")


@pytest.mark.parametrize(
    ("as_of", "threshold", "within"),
    [
        pytest.param(datetime(2025, 1, 15, 12), 0.5, 8.0, id="mid-january"),
        pytest.param(datetime(2025, 3, 31, 17), 0.5, 8.0, id="end-of-q1"),
        pytest.param(datetime(2025, 6, 30, 17), 0.2, 24.0, id="mid-year-wide-window"),
        pytest.param(datetime(2025, 9, 2, 10), 0.5, 8.0, id="national-day-holiday"),
        pytest.param(datetime(2025, 11, 14, 3, tzinfo=UTC), 0.9, 4.0, id="aware-as-of"),
    ],
)
def test_example_year(
    library: ProcedureLibrary,
    cal: WorkCalendar,
    as_of: datetime,
    threshold: float,
    within: float,
) -> None:
    table = read_dossiers(EXAMPLE)
    options = {"as_of": as_of, "threshold": threshold, "within_hours": within}
    reference = forecast_late(table.dossiers, library, cal, **options)  # type: ignore[arg-type]
    bulk = forecast_bulk(EXAMPLE, library, cal, **options)  # type: ignore[arg-type]
    assert reference, "open dossiers to forecast"
    assert [f.dossier_id for f in bulk] == [f.dossier_id for f in reference]
    for mine, theirs in zip(bulk, reference, strict=True):
        assert mine == theirs
    assert any(f.critical_path_left_hours is not None for f in bulk)


def test_backtest(library: ProcedureLibrary, cal: WorkCalendar) -> None:
    table = read_dossiers(EXAMPLE)
    at = [datetime(2025, m, 15, 12) for m in (2, 5, 8)]
    final = datetime(2025, 12, 31, 23, 59)
    reference = backtest(table.dossiers, library, cal, at=at, final=final)
    assert reference.forecasts > 0
    assert backtest_bulk(EXAMPLE, library, cal, at=at, final=final) == reference


def test_awkward_rows(tmp_path: Path, library: ProcedureLibrary, cal: WorkCalendar) -> None:
    """Late history, an open dossier received with an offset, a repeat and unreadable rows.

    Received on Monday 1/9/2025, a National Day holiday (1-2/9): received on Wednesday 3/9,
    the day of receipt not counted, 3 working days are 4, 5 and 8/9: due Monday 8/9 17:00.
    Its time runs from the opening of 3/9: at Friday 5/9 10:00 it has used 18 working hours
    of the 32 to its due time (56.25 %).
    """
    path = tmp_path / "rows.csv"
    path.write_text(
        "dossier_id,procedure_id,received_at,finished_at,time_limit\n"
        "P1,,2025-08-04T09:00:00,2025-08-12T10:00:00,03 ngày làm việc\n"
        "P2,,2025-08-04T09:00:00,2025-08-07T10:00:00,03 ngày làm việc\n"
        "OPEN,,2025-09-01T09:00:00+07:00,,03 ngày làm việc\n"
        "TWICE,,2025-09-01T09:00:00,,03 ngày làm việc\n"
        "TWICE,,2025-09-02T09:00:00,,03 ngày làm việc\n"
        "BAD,,someday,,03 ngày làm việc\n"
        "CFS,cfs-ha-tinh,2025-09-03T09:00:00,,\n"
        "LATER,,2025-09-10T09:00:00,,03 ngày làm việc\n",
        encoding="utf-8",
    )
    as_of = datetime(2025, 9, 5, 10)
    reference = forecast_late(read_dossiers(path).dossiers, library, cal, as_of=as_of)
    bulk = forecast_bulk(path, library, cal, as_of=as_of)
    assert bulk == reference
    # Both at 0.5 (CFS: no history of its own, the base rate 1/2): then by id.
    assert [f.dossier_id for f in bulk] == ["CFS", "OPEN"]
    opened = bulk[1]
    assert opened.due_at == datetime(2025, 9, 8, 17, tzinfo=timezone(timedelta(hours=7)))
    # One late of the two that used at least its share: (1 + 2 × 0.5) / (2 + 2).
    assert opened.probability_late == 0.5
    assert opened.used_share == 56.25
    assert opened.alert == "apology_due"  # the deadline, end of 5/9, is 7 working hours away


def test_aware_rows() -> None:
    rows = pa.table(
        {
            "received_at": [
                "2025-03-02T09:00:00",
                "2025-03-02T02:00:00Z",
                "2025-03-02",
                " 2025-03-02T09:00:00+0700 ",
                None,
            ]
        }
    )
    got = aware_rows(rows, np.arange(5))
    assert got.tolist() == [False, True, False, True, False]


def test_cli_wide_and_event_log_agree(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from procflow.cli import main

    wide = tmp_path / "wide.csv"
    wide.write_text(
        "dossier_id,received_at,finished_at,time_limit\n"
        "P1,2025-08-04T09:00:00,2025-08-12T10:00:00,03 ngày làm việc\n"
        "OPEN,2025-09-03T09:00:00,,03 ngày làm việc\n",
        encoding="utf-8",
    )
    log = tmp_path / "log.csv"
    log.write_text(
        "dossier_id,event,at,result,time_limit\n"
        "P1,received,2025-08-04T09:00:00,,03 ngày làm việc\n"
        "P1,finished,2025-08-12T10:00:00,granted,\n"
        "OPEN,received,2025-09-03T09:00:00,,03 ngày làm việc\n",
        encoding="utf-8",
    )
    documents = []
    for path in (wide, log):
        assert main(["forecast", str(path), "--as-of", "2025-09-05T10:00", "--json"]) == 0
        documents.append(json.loads(capsys.readouterr().out))
    assert documents[0] == documents[1]
    (opened,) = documents[0]
    # The only history is late and used more: (1 + 2 × 1) / (1 + 2).
    assert (opened["dossier_id"], opened["probability_late"]) == ("OPEN", 1.0)
