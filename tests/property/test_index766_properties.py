"""Points of the Decision 766 indicators: within their caps, full at the threshold, monotone."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from procflow.index766 import SCALES, points

scored = st.sampled_from([code for code, s in SCALES.items() if s.full_at is not None])
rates = st.floats(min_value=0, max_value=100, allow_nan=False)


@given(code=scored, a=rates, b=rates)
def test_points_capped_and_monotone(code: str, a: float, b: float) -> None:
    low, high = sorted((a, b))
    p_low, p_high = points(code, low), points(code, high)
    assert p_low is not None
    assert p_high is not None
    assert 0 <= p_low <= p_high <= SCALES[code].max_points


@given(code=scored, rate=rates)
def test_full_points_from_the_threshold(code: str, rate: float) -> None:
    full_at = SCALES[code].full_at
    assert full_at is not None
    if rate >= full_at:
        assert points(code, rate) == SCALES[code].max_points
