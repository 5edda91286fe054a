"""Uncertainty of the report's numbers: 95% intervals for a cell's success rate and for
the difference of two methods on the same samples.

A success rate of n samples scored 0 or 1 gets Wilson's score interval (sound at small
n and at 0% or 100%); scores with partial credit get a percentile bootstrap. A paired
difference (method A minus method B, sample by sample) gets a paired percentile
bootstrap of the mean difference, and, for 0/1 scores, McNemar's exact test (a two-sided
binomial test on the samples where exactly one of the two succeeded). The bootstrap is
seeded, so a report is the same every time it is rendered.
"""

from __future__ import annotations

import math
import random
import statistics
from dataclasses import dataclass

Z95 = 1.959963984540054
BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 20250204  # any fixed number: reports must not change between renderings


def _binary(values: list[float]) -> bool:
    return all(v in (0.0, 1.0) for v in values)


def wilson_interval(successes: int, n: int) -> tuple[float, float]:
    """Wilson's 95% score interval of a proportion, as fractions."""
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    denom = 1 + Z95**2 / n
    centre = (p + Z95**2 / (2 * n)) / denom
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / denom
    # At 0 of n and n of n the bound is exactly 0 or 1; rounding would leave 1e-16 off.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high


def _bootstrap_mean(values: list[float], seed_text: str) -> tuple[float, float]:
    rng = random.Random(f"{BOOTSTRAP_SEED}:{seed_text}")
    n = len(values)
    means = sorted(statistics.fmean(rng.choices(values, k=n)) for _ in range(BOOTSTRAP_RESAMPLES))
    return means[int(0.025 * BOOTSTRAP_RESAMPLES)], means[int(0.975 * BOOTSTRAP_RESAMPLES) - 1]


def mean_interval(values: list[float], *, seed_text: str = "") -> tuple[float, float]:
    """95% interval of the mean of scores in [0, 1]: Wilson for 0/1 scores, else a bootstrap."""
    if not values:
        return 0.0, 1.0
    if _binary(values):
        return wilson_interval(int(sum(values)), len(values))
    return _bootstrap_mean(values, seed_text)


@dataclass(frozen=True)
class PairedDifference:
    """Method A minus method B on the samples both were run on (scores in [0, 1])."""

    n: int
    mean: float
    low: float
    high: float
    a_only: int  # samples A got right and B did not
    b_only: int
    p_value: float | None  # McNemar's exact test; None when the scores are not all 0/1


def mcnemar_exact(a_only: int, b_only: int) -> float:
    """Two-sided exact p-value of McNemar's test: is a win as likely for A as for B?"""
    k, n = min(a_only, b_only), a_only + b_only
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2**n
    return min(1.0, 2 * tail)


def paired_difference(a: list[float], b: list[float], *, seed_text: str = "") -> PairedDifference:
    """``a[i]`` and ``b[i]`` are the two methods' scores on sample i."""
    if len(a) != len(b) or not a:
        raise ValueError("paired_difference needs two equally long, non-empty lists of scores")
    diffs = [x - y for x, y in zip(a, b)]
    low, high = _bootstrap_mean(diffs, seed_text) if len(set(diffs)) > 1 else (diffs[0], diffs[0])
    a_only = sum(1 for x, y in zip(a, b) if x > y)
    b_only = sum(1 for x, y in zip(a, b) if y > x)
    binary = _binary(a) and _binary(b)
    return PairedDifference(
        n=len(a),
        mean=statistics.fmean(diffs),
        low=low,
        high=high,
        a_only=a_only,
        b_only=b_only,
        p_value=mcnemar_exact(a_only, b_only) if binary else None,
    )
