"""Pattern Recognition: the maximal uniform square, stored golds, generator."""

import pytest

from symbench.registry import get_task
from symbench.tasks import pattern_recognition as pr

TASK = get_task("pattern_recognition")


def _matrix(text: str) -> list[list[str]]:
    return [list(row) for row in text.split()]


def test_a_larger_square_hides_the_squares_inside_it():
    matrix = _matrix("ABCDE QQQQF QQQQG QQQQH QQQQI")
    assert pr.maximal_squares(matrix) == [(4, 3, 4)]
    assert pr.solve(matrix) == (4, 3)


def test_no_square_or_two_squares_is_an_error():
    with pytest.raises(ValueError):
        pr.solve(_matrix("ABC DEF GHI"))
    with pytest.raises(ValueError):
        pr.solve(_matrix("AAAXBBB AAAXBBB AAAXBBB"))


def test_every_stored_gold_verifies_in_both_modes_and_by_the_question_alone(samples):
    assert len(samples) == 90  # the sample folders only, not the bundled JSON copy
    for sample in samples:
        answer = TASK.gold_answer(sample)
        assert TASK.verify(sample, answer, "strict").verdict == "correct", sample.id
        assert TASK.verify(sample, answer, "faithful").verdict == "correct", sample.id
        assert TASK.reference_check(sample.question, answer).verdict == "correct", sample.id


def test_a_shifted_corner_and_a_missing_coordinate_are_rejected(samples):
    sample = samples[0]
    row, col = sample.gold
    assert TASK.verify(sample, f"<<<[{row}, {col + 1}]>>>", "strict").verdict == "incorrect"
    assert TASK.verify(sample, f"<<<[{row - 1}, {col - 1}]>>>", "strict").verdict == "incorrect"
    assert TASK.verify(sample, f"<<<[{row}]>>>", "strict").verdict == "incorrect"
    assert TASK.verify(sample, f"<<<({row},{col})>>>", "strict").verdict == "correct"


def test_generator_is_deterministic_and_its_gold_verifies_for_100_seeds():
    assert pr.generate(9).question == pr.generate(9).question
    for seed in range(100):
        sample = pr.generate(seed, complexity=1 + seed % 5)
        assert TASK.reference_check(sample.question, TASK.gold_answer(sample)).verdict == "correct"
        assert TASK.verify(sample, TASK.gold_answer(sample), "strict").verdict == "correct"
