from __future__ import annotations

import math

import pytest

from symbench import get_task
from symbench.tasks.number_multiply import generate

TASK = get_task("number_multiply")
SAMPLE = generate(3, digits=(2, 3, 5))
PRODUCT = math.prod(SAMPLE.metadata["numbers"])


@pytest.mark.parametrize(
    "answer", [f"<<<{PRODUCT}>>>", f"The result is {PRODUCT:,}.", f"x = {PRODUCT}", f"<<<{PRODUCT}.0>>>"]
)
def test_number_multiply_accepts_the_exact_product_however_written(answer):
    assert TASK.verify(SAMPLE, answer, "strict").verdict == "correct"


def test_number_multiply_rejects_a_wrong_or_inexact_product():
    assert TASK.verify(SAMPLE, f"<<<{PRODUCT + 1}>>>", "strict").verdict == "incorrect"
    assert TASK.verify(SAMPLE, f"<<<{float(PRODUCT):e}>>>", "strict").verdict == "incorrect"
    assert TASK.verify(SAMPLE, "<<<no idea>>>", "strict").verdict == "incorrect"


def test_number_multiply_faithful_mode_accepts_a_longer_number_holding_the_product_as_the_original_did():
    padded = f"<<<{PRODUCT}7>>>"
    assert TASK.verify(SAMPLE, padded, "faithful").verdict == "correct"
    assert TASK.verify(SAMPLE, padded, "strict").verdict == "incorrect"


def test_number_multiply_has_no_question_check_because_it_would_reveal_the_product():
    assert TASK.check is None


def test_number_multiply_generator_draws_one_number_per_digit_count():
    s = generate(9, digits="1,1,20")
    assert [len(str(abs(n))) <= d for n, d in zip(s.metadata["numbers"], (1, 1, 20))] == [True] * 3
    assert s.gold == math.prod(s.metadata["numbers"]) and all(abs(n) > 1 for n in s.metadata["numbers"])
