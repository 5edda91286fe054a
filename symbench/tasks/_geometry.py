"""Exact plane geometry for Path Plan: points, closed axis-aligned rectangles, segments.

Rectangles use the original benchmark's convention ``(x_start, x_end, y_start, y_end)``.
A rectangle is *closed*: touching its boundary or a corner counts as entering it, which is
what the original question says ("entering in the area means the trajectory intersects
with the box, including the boundary of the box").

The functions work on any ordered field (int, Fraction, float). Verifiers pass Fractions
built from the decimal text (``exact``), so a path that grazes a corner is judged exactly,
never by a floating-point accident.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence, TypeVar

Num = TypeVar("Num", int, float, Fraction)
Point = tuple  # (x, y)
Rect = tuple  # (x_start, x_end, y_start, y_end)


def exact(value: object) -> Fraction:
    """The exact rational a number was written as: ``0.1`` is 1/10, not the nearest double.

    Floats go through their shortest repr, which is the decimal a model or a question
    wrote. Raises ValueError for anything that is not a finite real number.
    """
    if isinstance(value, bool):
        raise ValueError("a boolean is not a coordinate")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"not a finite coordinate: {value!r}")
        return Fraction(repr(value))
    try:
        return Fraction(str(value).strip())
    except (ValueError, ZeroDivisionError) as exc:
        raise ValueError(f"not a coordinate: {value!r}") from exc


def normalise_rect(rect: Sequence) -> Rect:
    """``rect`` with each axis ordered low to high (a reversed box still means the same area)."""
    x0, x1, y0, y1 = rect
    return (min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1))


def inflate(rect: Sequence, margin) -> Rect:
    """``rect`` grown by ``margin`` on every side."""
    x0, x1, y0, y1 = normalise_rect(rect)
    return (x0 - margin, x1 + margin, y0 - margin, y1 + margin)


def point_in_rect(p: Sequence, rect: Sequence) -> bool:
    """Whether ``p`` lies in the closed rectangle (boundary included)."""
    x0, x1, y0, y1 = normalise_rect(rect)
    return x0 <= p[0] <= x1 and y0 <= p[1] <= y1


def segment_rect_interval(p: Sequence, q: Sequence, rect: Sequence):
    """The parameters ``t`` in [0, 1] at which ``p + t (q - p)`` lies in the closed ``rect``.

    Returns ``(t_low, t_high)`` (equal when the segment only touches an edge or corner at
    one point), or None when the segment misses the rectangle. A degenerate segment
    (p == q) is a point. This is Liang-Barsky clipping: on each axis the segment is inside
    the slab between two parameters; the intersection of the two slabs with [0, 1] is the
    answer, and with exact numbers it is exact, tangencies included.
    """
    x0, x1, y0, y1 = normalise_rect(rect)
    t_low, t_high = 0, 1
    for start, end, low, high in ((p[0], q[0], x0, x1), (p[1], q[1], y0, y1)):
        delta = end - start
        if delta == 0:
            if start < low or start > high:
                return None
            continue
        a = (low - start) / delta
        b = (high - start) / delta
        if a > b:
            a, b = b, a
        if a > t_low:
            t_low = a
        if b < t_high:
            t_high = b
        if t_low > t_high:
            return None
    return (t_low, t_high)


def segment_touches_rect(p: Sequence, q: Sequence, rect: Sequence) -> bool:
    """Whether the closed segment ``pq`` shares at least one point with the closed ``rect``.

    True for a segment lying wholly inside, crossing, running along an edge, or touching
    only a corner; False only when they are disjoint.
    """
    return segment_rect_interval(p, q, rect) is not None


def point_on_segment(p: Sequence, q: Sequence, t) -> Point:
    """The point at parameter ``t`` of segment ``pq``."""
    return (p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1]))


def polyline_segments(points: Sequence[Sequence]) -> list[tuple[Point, Point]]:
    """Consecutive pairs of a polyline; a single point is one degenerate segment."""
    if len(points) == 1:
        return [(tuple(points[0]), tuple(points[0]))]
    return [(tuple(points[i]), tuple(points[i + 1])) for i in range(len(points) - 1)]


def first_time_in_rect(segments: Sequence[tuple[Point, Point]], rect: Sequence, not_before=0):
    """The earliest path time ``>= not_before`` at which the polyline is inside ``rect``.

    Path time runs from 0 at the first waypoint; segment ``i`` spans ``[i, i + 1]``.
    Returns None when the path never enters ``rect`` at or after ``not_before``. Used for
    ordered visits: "A then B" holds when B is entered at or after the first entry to A.
    """
    for i, (p, q) in enumerate(segments):
        interval = segment_rect_interval(p, q, rect)
        if interval is None:
            continue
        low, high = i + interval[0], i + interval[1]
        if high >= not_before:
            return low if low >= not_before else not_before
    return None
