"""The deterministic judge helpers: option letters, yes/no, numbers, MATH answers."""

from __future__ import annotations

from fractions import Fraction

import pytest

from symbench._judging import (
    is_rounding_of,
    last_boxed,
    math_answer_text,
    math_equivalent,
    numbers_match,
    parse_final_number,
    parse_option,
    parse_yes_no,
)

pytest.importorskip("sympy", reason="the MATH comparison needs sympy (extra 'symbench')")


def test_parse_option_reads_letters_and_option_text_and_refuses_two_letters():
    options = {"A": "12/11/1937", "B": "12/25/1937"}
    assert parse_option("(B)", options) == "B"
    assert parse_option("B) 12/25/1937", options) == "B"
    assert parse_option("12/25/1937", options) == "B"
    assert parse_option("either (A) or (B)", options) is None
    assert parse_option("(Z)", options) is None


def test_parse_yes_no_refuses_an_answer_that_says_both():
    assert parse_yes_no("Yes.") is True
    assert parse_yes_no("false") is False
    assert parse_yes_no("yes or no") is None


def test_parse_final_number_reads_separators_fractions_and_takes_the_last_number():
    assert parse_final_number("$1,234.50") == (Fraction("1234.50"), "1234.50")
    assert parse_final_number("7/3")[0] == Fraction(7, 3)
    assert parse_final_number("x = 3, so the total is 6 apples")[0] == 6
    assert parse_final_number("none") is None


def test_numbers_match_accepts_a_correct_rounding_only_with_enough_digits():
    assert numbers_match(Fraction("12.33"), Fraction(37, 3), rel_tol=1e-6, written="12.33")
    assert not numbers_match(Fraction("12.3"), Fraction(37, 3), rel_tol=1e-6, written="12.3") or is_rounding_of("12.3", Fraction(37, 3))
    assert not numbers_match(Fraction("12.34"), Fraction(37, 3), rel_tol=1e-6, written="12.34")
    assert not is_rounding_of("0.9", Fraction(8, 9))


def test_last_boxed_matches_nested_braces():
    assert last_boxed(r"so \boxed{1} then \boxed{\frac{\sqrt{3}}{2}}.") == r"\frac{\sqrt{3}}{2}"
    assert math_answer_text(r"<<<\boxed{\frac{8}{9}}>>>") == r"\frac{8}{9}"


@pytest.mark.parametrize(
    "gold, answer",
    [
        (r"\frac{8}{9}", "8/9"),
        (r"\frac{8}{9}", "0.889"),
        (r"3\sqrt{7}", "sqrt(63)"),
        (r"(18, -18)", "(18,-18)"),
        (r"73^\circ", "73"),
        (r"8\text{ cm}", "8"),
        (r"\$1012.50", "1012.5"),
        (r"\frac{5\sqrt{5}}{3}", r"5\sqrt{5}/3"),
        (r"\tfrac34", "3/4"),
        (r"10 + \frac{15}{2}\pi", r"10+7.5\pi"),
        (r"12+12\sqrt{3}", r"12(\sqrt{3} + 1)"),
        (r"10,080", "10080"),
        (r"\pi a^2", r"a^2\pi"),
    ],
)
def test_math_equivalent_accepts_the_same_value_in_another_form(gold, answer):
    ok, why = math_equivalent(gold, answer)
    assert ok, why


@pytest.mark.parametrize(
    "gold, answer",
    [
        (r"5\sqrt{13}", "15.97112779602377"),
        (r"\frac{1033}{4}+30\sqrt{3}", "169.0"),
        (r"\frac{8}{9}", "0.8"),
        (r"(18, -18)", "(18, 18)"),
        (r"\frac{1}{2}", "1/3"),
        (r"\text{CBAD}", "ABCD"),
    ],
)
def test_math_equivalent_rejects_a_different_value(gold, answer):
    ok, _ = math_equivalent(gold, answer)
    assert not ok
