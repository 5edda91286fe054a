"""Statistical Counting: run scoring, stored golds, generator."""

from gold_checks import assert_stored_golds_verify
from symbench.registry import get_task
from symbench.tasks import statistical_counting as sc

TASK = get_task("statistical_counting")
RULES = [{"letter": "A", "score": 1, "min_consecutive": 2}, {"letter": "B", "score": 2, "min_consecutive": 2}]


def test_each_long_enough_run_scores_once_whatever_its_length():
    assert sc.total_score("BBAAB", RULES) == 3
    assert sc.total_score("AAAAA", RULES) == 1
    assert sc.total_score("ABABA", RULES) == 0
    assert sc.total_score("AABAABBB", RULES) == 1 + 1 + 2
    three = [{"letter": "A", "score": 5, "min_consecutive": 3}]
    assert sc.total_score("AAxAAA", three) == 5


def test_every_stored_gold_verifies_in_both_modes_and_by_the_question_alone(samples):
    assert_stored_golds_verify(TASK, samples, 180)


def test_a_wrong_total_or_two_numbers_are_rejected(samples):
    sample = samples[-1]
    assert TASK.verify(sample, f"<<<{sample.gold + 1}>>>", "strict").verdict == "incorrect"
    assert TASK.verify(sample, f"<<<{sample.gold} or 3>>>", "strict").verdict == "incorrect"
    assert TASK.verify(sample, "no idea", "strict").verdict == "incorrect"
    assert TASK.verify(sample, f"Total: {sample.gold}", "strict").verdict == "correct"


def test_generator_is_deterministic_and_its_gold_verifies_for_100_seeds():
    assert sc.generate(11).question == sc.generate(11).question
    for seed in range(100):
        sample = sc.generate(seed, complexity=1 + seed % 5)
        assert TASK.reference_check(sample.question, TASK.gold_answer(sample)).verdict == "correct"
        assert TASK.verify(sample, TASK.gold_answer(sample), "strict").verdict == "correct"


def test_generator_knobs_set_alphabet_and_length():
    sample = sc.generate(2, letters=7, length=30)
    assert len(sample.metadata["sequence"]) == 30
    assert [r["letter"] for r in sample.metadata["rules"]] == list("ABCDEFG")
    assert set(sample.metadata["sequence"]) <= set("ABCDEFG")
