import pytest

from mcp_codesteer.eval.stats import mcnemar_exact, mean_interval, paired_difference, wilson_interval


def test_wilson_interval_matches_known_values_and_stays_inside_zero_and_one():
    low, high = wilson_interval(0, 10)
    assert low == 0.0 and high == pytest.approx(0.2775, abs=1e-4)
    low, high = wilson_interval(10, 10)
    assert high == 1.0 and low == pytest.approx(0.7225, abs=1e-4)
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_mcnemar_exact_is_a_two_sided_binomial_test_on_the_discordant_samples():
    assert mcnemar_exact(0, 6) == pytest.approx(2 / 64)
    assert mcnemar_exact(3, 3) == 1.0
    assert mcnemar_exact(0, 0) == 1.0


def test_a_bootstrap_interval_is_the_same_on_every_call():
    values = [0.0, 0.5, 1.0, 0.25, 1.0, 0.0, 0.75]
    assert mean_interval(values, seed_text="x") == mean_interval(values, seed_text="x")
    low, high = mean_interval(values, seed_text="x")
    assert 0.0 <= low < sum(values) / len(values) < high <= 1.0


def test_identical_methods_differ_by_exactly_zero():
    d = paired_difference([1.0, 0.0, 1.0], [1.0, 0.0, 1.0])
    assert (d.mean, d.low, d.high, d.a_only, d.b_only, d.p_value) == (0.0, 0.0, 0.0, 0, 0, 1.0)
    with pytest.raises(ValueError):
        paired_difference([1.0], [])
