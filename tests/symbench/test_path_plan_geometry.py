"""The exact segment-rectangle test behind Path Plan, against hand cases and a sampling oracle."""

from fractions import Fraction

import pytest

from symbench.tasks import _geometry as geo

hypothesis = pytest.importorskip("hypothesis", reason="property tests need hypothesis (pip install hypothesis)")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

BOX = (0, 2, 0, 1)  # x in [0, 2], y in [0, 1]


def test_a_segment_wholly_inside_a_box_touches_it():
    assert geo.segment_touches_rect((Fraction(1, 2), Fraction(1, 2)), (Fraction(3, 2), Fraction(1, 2)), BOX)


def test_a_segment_crossing_a_box_touches_it_over_the_crossed_part():
    assert geo.segment_rect_interval((-1, Fraction(1, 2)), (3, Fraction(1, 2)), BOX) == (Fraction(1, 4), Fraction(3, 4))


def test_a_segment_running_along_an_edge_touches_the_box():
    assert geo.segment_touches_rect((-1, 1), (3, 1), BOX)


def test_a_segment_through_only_a_corner_touches_the_box_at_one_parameter():
    interval = geo.segment_rect_interval((1, 2), (3, 0), BOX)  # passes exactly through the corner (2, 1)
    assert interval == (Fraction(1, 2), Fraction(1, 2))


def test_a_segment_passing_just_beside_a_corner_misses_the_box():
    assert not geo.segment_touches_rect((1, Fraction(201, 100)), (3, Fraction(1, 100)), BOX)


def test_a_segment_ending_on_an_edge_touches_the_box():
    assert geo.segment_touches_rect((-1, Fraction(1, 2)), (0, Fraction(1, 2)), BOX)


def test_a_segment_parallel_to_and_outside_an_edge_misses_the_box():
    assert not geo.segment_touches_rect((-1, Fraction(-1, 10**9)), (3, Fraction(-1, 10**9)), BOX)


def test_a_point_segment_is_judged_as_a_point():
    assert geo.segment_touches_rect((2, 1), (2, 1), BOX)
    assert not geo.segment_touches_rect((2, Fraction(11, 10)), (2, Fraction(11, 10)), BOX)


def test_a_reversed_box_means_the_same_area():
    assert geo.segment_touches_rect((1, -1), (1, 2), (2, 0, 1, 0))


def test_exact_reads_decimals_as_written_not_as_binary_floats():
    assert geo.exact(0.1) == Fraction(1, 10)
    assert geo.exact("-1.35") == Fraction(-27, 20)
    with pytest.raises(ValueError):
        geo.exact(float("nan"))


def test_first_time_in_rect_respects_the_earliest_allowed_time():
    segments = geo.polyline_segments([(-1, Fraction(1, 2)), (3, Fraction(1, 2)), (-1, Fraction(1, 2))])
    assert geo.first_time_in_rect(segments, BOX) == Fraction(1, 4)
    assert geo.first_time_in_rect(segments, BOX, not_before=Fraction(1, 2)) == Fraction(1, 2)
    assert geo.first_time_in_rect(segments, BOX, not_before=1) == Fraction(5, 4)  # at time 1 it is at (3, 1/2)
    assert geo.first_time_in_rect(segments, (5, 6, 5, 6)) is None


# Oracle: with integer coordinates in [-5, 5] every crossing parameter is a multiple of 1/d
# for some |d| <= 10, so sampling t at multiples of 1/2520 (divisible by 1..10) is exact.
_STEPS = 2520


def _oracle_hits(p, q, rect) -> bool:
    # all in units of 1/_STEPS, so the sampling is plain integer arithmetic
    x0, x1, y0, y1 = (v * _STEPS for v in geo.normalise_rect(rect))
    dx, dy = q[0] - p[0], q[1] - p[1]
    px, py = p[0] * _STEPS, p[1] * _STEPS
    return any(x0 <= px + k * dx <= x1 and y0 <= py + k * dy <= y1 for k in range(_STEPS + 1))


small = st.integers(min_value=-5, max_value=5)
points = st.tuples(small, small)
rects = st.tuples(small, small, small, small)


@settings(max_examples=300, deadline=None)
@given(points, points, rects)
def test_segment_test_agrees_with_a_dense_exact_sampling_oracle_on_small_integer_cases(p, q, rect):
    assert geo.segment_touches_rect(p, q, rect) == _oracle_hits(p, q, rect)


coords = st.floats(min_value=-2, max_value=2, allow_nan=False, allow_infinity=False).map(geo.exact)


@settings(max_examples=200, deadline=None)
@given(st.tuples(coords, coords), st.tuples(coords, coords), st.tuples(coords, coords, coords, coords))
def test_segment_test_never_misses_a_sampled_hit_and_every_reported_hit_has_a_witness(p, q, rect):
    interval = geo.segment_rect_interval(p, q, rect)
    sampled_hit = any(geo.point_in_rect(geo.point_on_segment(p, q, Fraction(k, 64)), rect) for k in range(65))
    if sampled_hit:
        assert interval is not None
    if interval is not None:
        low, high = interval
        assert 0 <= low <= high <= 1
        for t in (low, Fraction(low + high) / 2, high):
            assert geo.point_in_rect(geo.point_on_segment(p, q, t), rect)
