"""Pooling: the result is recomputed from the question's matrix."""

from __future__ import annotations

from fractions import Fraction

from symbench.registry import get_task
from symbench.tasks.pooling import pool

TASK = get_task("pooling")


def test_pool_slides_one_step_and_averages_exactly():
    m = [[1, 2, 3], [4, 5, 6], [7, 8, 10]]
    assert pool(m, 2, "max") == [[5, 6], [8, 10]]
    assert pool(m, 2, "average")[1][1] == Fraction(29, 4)


def test_every_stored_gold_verifies_strictly_and_by_the_question(samples):
    for sample in samples:
        assert TASK.gold_defect(sample) is None, sample.id
        assert TASK.verify(sample, TASK.gold_answer(sample), "strict").verdict == "correct", sample.id
        assert TASK.reference_check(sample.question, TASK.gold_answer(sample)).verdict == "correct", sample.id


def test_faithful_reproduces_the_integer_parse_that_fails_average_pooling(samples):
    for sample in samples:
        verdict = TASK.verify(sample, TASK.gold_answer(sample), "faithful").verdict
        integral = all(float(v).is_integer() for row in sample.gold for v in row)
        assert verdict == ("correct" if integral else "incorrect"), sample.id
    assert any(s.metadata["pooling_type"] == "average" for s in samples)


def test_one_changed_cell_and_a_missing_cell_are_rejected(samples):
    for sample in samples[:40]:
        flat = [v for row in sample.gold for v in row]
        changed = flat[:]
        changed[-1] = changed[-1] + 1
        assert TASK.reference_check(sample.question, f"<<<{changed}>>>").verdict == "incorrect"
        assert TASK.reference_check(sample.question, f"<<<{flat[:-1]}>>>").verdict == "incorrect"


def test_flat_lists_fractions_and_roundings_are_accepted():
    question = TASK.generate(1, complexity=2, pooling_type="average").question
    meta_result = pool(*_instance(question))
    flat = [v for row in meta_result for v in row]
    as_fractions = ", ".join(f"{v.numerator}/{v.denominator}" for v in flat)
    as_decimals = ", ".join(f"{float(v):.4f}" for v in flat)
    assert TASK.reference_check(question, f"<<<{as_fractions}>>>").verdict == "correct"
    assert TASK.reference_check(question, f"<<<{as_decimals}>>>").verdict == "correct"


def _instance(question):
    from symbench.tasks.pooling import parse_question

    meta = parse_question(question)
    return meta["matrix"], meta["window_size"], meta["pooling_type"]


def test_generator_is_seeded_and_its_golds_verify():
    for seed in range(100):
        for complexity in (1, 2, 3, 4):
            sample = TASK.generate(seed, complexity=complexity)
            assert sample == TASK.generate(seed, complexity=complexity)
            assert TASK.verify(sample, TASK.gold_answer(sample), "strict").verdict == "correct", seed
            assert TASK.reference_check(sample.question, TASK.gold_answer(sample)).verdict == "correct", seed
