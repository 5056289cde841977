"""Write the golden snapshots: ``python -m tests.snapshots.regenerate``.

Review the diff before committing: each changed line is a change in the official schedule
as procflow reads it (a new ``holidays`` release, an override, a bug).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from procflow import WorkCalendar, vietnam_calendar

HERE = Path(__file__).parent
CALENDAR_SNAPSHOT = HERE / "vn_calendar_2024_2027.txt"
YEARS = range(2024, 2028)


def render_calendar(cal: WorkCalendar, years: range = YEARS) -> str:
    """Every non-ordinary day of ``years`` and the working days per month."""
    lines = [
        "# Vietnamese public-sector calendar as procflow reads it (default options).",
        "# Regenerate: python -m tests.snapshots.regenerate ; review the diff.",
    ]
    for year in years:
        per_month = [0] * 12
        day = date(year, 1, 1)
        while day.year == year:
            per_month[day.month - 1] += cal.is_working_day(day)
            day += timedelta(days=1)
        lines.append(f"\n## {year}: {sum(per_month)} working days")
        lines.append("working days per month: " + " ".join(map(str, per_month)))
        for info in cal.special_days(date(year, 1, 1), date(year, 12, 31)):
            lines.append(
                f"{info.date.isoformat()} {info.date:%a} {info.kind.value:<16} "
                f"{info.name_vi} | {info.name_en}".rstrip(" |")
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    """Rewrite every snapshot file."""
    CALENDAR_SNAPSHOT.write_text(render_calendar(vietnam_calendar(years=YEARS)), encoding="utf-8")
    print(f"wrote {CALENDAR_SNAPSHOT}")


if __name__ == "__main__":
    main()
