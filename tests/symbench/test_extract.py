from __future__ import annotations

from fractions import Fraction

import pytest

from symbench.extract import (
    answer_or_last_line,
    digit_grid,
    evaluate_exact,
    evaluate_float,
    expression_side,
    extract_answer,
    integers_in,
    join_token_list,
    last_integer,
    normalize_operators,
    normalize_text,
    parse_literal,
    parse_number,
)


def test_extract_answer_takes_the_last_marked_answer_and_a_cut_off_one():
    assert extract_answer("a <<<1>>> b <<< 2 >>>") == "2"
    assert extract_answer("text <<<[1, 2") == "[1, 2"
    assert extract_answer("nothing here") is None


def test_answer_or_last_line_falls_back_to_what_a_program_printed_last():
    assert answer_or_last_line("step 1\nstep 2\n  42  \n\n") == "42"


def test_parse_literal_and_number_tolerate_wrapping():
    assert parse_literal("```python\n[1, 2]\n```") == [1, 2]
    assert parse_number("Answer: $1,234") == Fraction(1234)
    assert normalize_text(" 'Yes.' ") == "yes"


def test_evaluate_exact_computes_with_fractions_and_lists_the_numbers_in_reading_order():
    value, numbers = evaluate_exact("8/(3-8/3)")
    assert value == 24 and numbers == [8, 3, 8, 3]
    assert evaluate_float("8/(3-8/3)")[0] != 24  # why the exact evaluator exists


@pytest.mark.parametrize(
    "expr", ["2**5", "-3+27", "abs(-24)", "__import__('os').system('true')", "1.5*16", "(1/0)", "x+1", "[1,2]", ""]
)
def test_evaluate_exact_refuses_anything_but_whole_numbers_and_four_operators(expr):
    with pytest.raises(ValueError):
        evaluate_exact(expr)


def test_evaluate_exact_refuses_an_overlong_expression_before_parsing():
    with pytest.raises(ValueError, match="longer"):
        evaluate_exact("1+" * 20_000 + "1")


def test_normalize_operators_maps_what_models_write():
    assert normalize_operators("3 × 4 ÷ 2 − 1") == "3 * 4 / 2 - 1"
    assert evaluate_exact("\\frac{48}{2}").value == 24
    assert evaluate_exact("[(1+2)*8]").value == 24


def test_expression_side_drops_the_target_side_of_an_equation():
    assert expression_side("(3+5)*3 = 24") == "(3+5)*3"
    assert expression_side("24 = (3+5)*3") == "(3+5)*3"
    with pytest.raises(ValueError):
        expression_side("1+2 = 2+1")


def test_join_token_list_reads_bare_and_quoted_items_and_keeps_gaps():
    assert evaluate_exact(join_token_list("[(, 6, /, 2, ), +, 7]")).value == 10
    assert evaluate_exact(join_token_list("['6', '/', '2', '+', '7']")).value == 10
    with pytest.raises(ValueError):
        evaluate_exact(join_token_list("[4, -, (, 6, , 9, )]"))


def test_last_integer_reads_signs_and_thousands_but_not_inexact_renderings():
    assert last_integer("6*205*-8045 = -9,895,350") == -9895350
    assert last_integer("<<<12.00>>>") == 12
    for text in ("1.5", "9.9e6", "none"):
        with pytest.raises(ValueError):
            last_integer(text)


def test_integers_in_and_digit_grid():
    assert integers_in("0 3, (1,0)") == [0, 3, 1, 0]
    assert digit_grid("[[1, 2], [3, 4]]", 2, 2) == [[1, 2], [3, 4]]
    assert digit_grid("12\n34", 2, 2) == [[1, 2], [3, 4]]
    with pytest.raises(ValueError):
        digit_grid("[[1, 23, 4]]", 1, 3)
    with pytest.raises(ValueError):
        digit_grid("1 2 3", 2, 2)
