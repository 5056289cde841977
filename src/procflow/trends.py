"""Trends: the monthly series of a report figure per group, against a quality objective.

The ISO 9001 reports this project grew from ask month by month for objectives such as
"more than 95 % on time" per unit. :func:`trends` builds one period report per calendar month
(:func:`procflow.report.month_ranges`) and reads one figure of each group's row;
:func:`write_trend_png` draws the series with the objective as a line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from procflow.errors import InputError
from procflow.io import atomic_write
from procflow.report import Report, ReportRow, month_ranges

__all__ = ["Trend", "Trends", "trends", "trends_csv", "write_trend_png"]

Reporter = Callable[[date, date, str | None], Report]
"""A period report of the same dossiers: ``(start, end, by) -> Report``."""


class Trend(BaseModel):
    """One group's monthly series.

    Attributes:
        key: The group (``"total"`` for all).
        values: The figure per month, None for a month where it has no value (nothing
            resolved).
        below: The months (``YYYY-MM``) below the objective, if one was given.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    values: tuple[float | None, ...]
    below: tuple[str, ...]


class Trends(BaseModel):
    """The monthly series of one figure per group.

    Attributes:
        metric: The figure (a field of :class:`~procflow.ReportRow`, e.g. ``timely_rate``).
        months: The months, ``YYYY-MM``.
        by: The grouping.
        objective: The objective's minimum, if any.
        series: One per group, and the total last.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    metric: str
    months: tuple[str, ...]
    by: str | None
    objective: float | None
    series: tuple[Trend, ...]


def trends(
    report: Reporter,
    *,
    start: date,
    end: date,
    by: str | None = None,
    metric: str = "timely_rate",
    objective: float | None = None,
) -> Trends:
    """Build the monthly series of ``metric`` per group, from ``start`` to ``end``.

    Args:
        report: Builds a period report, e.g. ``FileReporter(...).report``.
        start: First day (its month is the first).
        end: Last day.
        by: The grouping (as ``procflow report --by``); None for the total only.
        metric: A field of :class:`~procflow.ReportRow` (a rate, a count, a mean).
        objective: The minimum of the objective; months below it are listed.

    Returns:
        The series, groups sorted, the total last.

    Raises:
        InputError: If ``metric`` is not a report figure.

    Examples:
        >>> from procflow.reportfile import FileReporter
        >>> from procflow.trends import trends
        >>> reporter = FileReporter("examples/dossiers-2025.csv", load_procedures("specs"),
        ...                         vietnam_calendar(years=range(2024, 2027)))
        >>> t = trends(reporter.report, start=date(2025, 1, 1), end=date(2025, 3, 31),
        ...            objective=95)
        >>> t.months, t.series[-1].values
        (('2025-01', '2025-02', '2025-03'), (94.3, 90.32, 90.95))
        >>> t.series[-1].below  # under 95 % each month
        ('2025-01', '2025-02', '2025-03')
    """
    figures = [name for name in ReportRow.model_fields if name != "key"]
    if metric not in figures:
        raise InputError(f"unknown metric {metric!r}: one of {', '.join(figures)}")
    months = month_ranges(start, end)
    labels = tuple(f"{first:%Y-%m}" for first, _ in months)
    per_month: list[dict[str, ReportRow]] = []
    for first, last in months:
        r = report(first, last, by)
        per_month.append({row.key: row for row in [*r.rows, r.total]})
    keys = [*sorted({k for rows in per_month for k in rows if k != "total"}), "total"]
    series = []
    for key in keys:
        values: list[float | None] = []
        for rows in per_month:
            row = rows.get(key)
            value = None if row is None else getattr(row, metric)
            values.append(None if value is None else float(value))
        below = tuple(
            label
            for label, value in zip(labels, values, strict=True)
            if objective is not None and value is not None and value < objective
        )
        series.append(Trend(key=key, values=tuple(values), below=below))
    return Trends(metric=metric, months=labels, by=by, objective=objective, series=tuple(series))


def trends_csv(t: Trends) -> str:
    """The series as CSV: one line per group, one column per month.

    Examples:
        >>> from procflow.trends import Trend, Trends, trends_csv
        >>> t = Trends(metric="timely_rate", months=("2025-01",), by=None, objective=None,
        ...            series=(Trend(key="total", values=(91.5,), below=()),))
        >>> trends_csv(t).splitlines()
        ['key,2025-01', 'total,91.5']
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["key", *t.months])
    for trend in t.series:
        writer.writerow([trend.key, *("" if v is None else v for v in trend.values)])
    return out.getvalue()


def write_trend_png(t: Trends, path: str | Path, *, title: str = "") -> None:
    """Draw the series as lines, one per group, with the objective as a dashed line.

    Raises:
        InputError: If matplotlib is not installed.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")  # no screen needed
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise InputError("this output needs matplotlib: pip install 'procflow[chart]'") from exc
    figure, axes = plt.subplots(figsize=(10, 5), dpi=100)
    x = list(range(len(t.months)))
    for trend in t.series:
        points = [(i, v) for i, v in zip(x, trend.values, strict=True) if v is not None]
        total = trend.key == "total"
        axes.plot(
            [p[0] for p in points],
            [p[1] for p in points],
            marker="o",
            label=trend.key or "-",
            linewidth=2.5 if total else 1.5,
            color="black" if total else None,
        )
    if t.objective is not None:
        axes.axhline(
            t.objective, linestyle="--", color="#c62828", label=f"mục tiêu {t.objective:g}"
        )
    axes.set_xticks(x, list(t.months), rotation=45)
    axes.set_ylabel(t.metric)
    axes.set_title(title or f"{t.metric} theo tháng")
    axes.legend(fontsize="small")
    figure.tight_layout()
    atomic_write(path, lambda temporary: figure.savefig(temporary, format="png"))
    plt.close(figure)
