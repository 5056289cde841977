"""Shared hypothesis strategies: dates, instants and limits inside the test calendar."""

from __future__ import annotations

from datetime import date, datetime, time

from hypothesis import strategies as st

from procflow import TimeLimit, TimeUnit

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
