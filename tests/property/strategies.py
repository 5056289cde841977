"""Shared hypothesis strategies: dates, instants and limits inside the test calendar."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from hypothesis import strategies as st

from procflow import VN_TZ, TimeLimit, TimeUnit

# Two years of margin inside the default 2015–2030 calendar, so shifts stay covered.
dates = st.dates(min_value=date(2016, 1, 1), max_value=date(2028, 12, 31))
# Minutes matter (cut-offs, lunch); seconds do not.
clock = st.builds(time, st.integers(0, 23), st.sampled_from([0, 1, 15, 29, 30, 45, 59]))
instants = st.builds(datetime.combine, dates, clock)
cutoffs = st.one_of(st.none(), st.sampled_from([time(15), time(16), time(11, 30)]))
shifts = st.integers(min_value=-60, max_value=60)

whole_day_limits = st.one_of(
    st.integers(1, 45).map(TimeLimit.working_days),
    st.integers(1, 60).map(TimeLimit.calendar_days),
    st.just(TimeLimit.same_day()),
)
hour_limits = st.one_of(
    st.integers(1, 200).map(TimeLimit.working_hours),
    st.sampled_from([0.25, 0.5, 1.5, 2.75]).map(TimeLimit.working_days),
)
limits = st.one_of(whole_day_limits, hour_limits)


def with_value(limit: TimeLimit, value: float) -> TimeLimit:
    """The same unit with another value (same day stays same day)."""
    if limit.unit is TimeUnit.SAME_DAY:
        return limit
    return TimeLimit(value=value, unit=limit.unit)


# -- hostile input: any offset, any second, the whole century ------------------------------

# Every offset in use spans -12:00 to +14:00; any minute of it, to be safe.
offsets = st.integers(-12 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
century = st.dates(min_value=date(1990, 1, 2), max_value=date(2099, 12, 30))
# Boundaries that decide outcomes: opening, noon, the 15:00 cut-off and closing, ± 1 second.
boundary_clock = st.sampled_from(
    [
        time(7, 59, 59),
        time(8),
        time(8, 0, 1),
        time(12),
        time(14, 59, 59),
        time(15),
        time(15, 0, 1),
        time(16, 59, 59),
        time(17),
        time(17, 0, 1),
    ]
)
any_clock = st.times()  # seconds and microseconds
local_instants = st.builds(datetime.combine, century, st.one_of(boundary_clock, any_clock))


@st.composite
def aware_instants(draw: st.DrawFn) -> tuple[datetime, datetime]:
    """A Vietnam wall time and the same instant written in any offset."""
    local = draw(local_instants)
    return local, local.replace(tzinfo=VN_TZ).astimezone(draw(offsets))
