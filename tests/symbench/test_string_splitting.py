"""String splitting: every wording of the five methods, the once-per-turn cycle, stored golds, generator."""

import pytest

from symbench.tasks import string_splitting as sp

TASK = sp.TASK

CANONICAL = [
    [{"A": 1}, {"X": 2, "Y": 1}],
    [{"B": 2}, {"X": 1}],
    [{"C": 2}, {"Y": 1}],
    [{"B": 1, "C": 1}, {"A": 1}],
    [{"X": 1, "Y": 1}, {"Z": 1}],
]


def test_every_wording_of_a_method_reads_as_the_same_exchange():
    for method, wordings in zip(CANONICAL, sp.PARAPHRASES):
        for wording in wordings:
            assert sp.parse_method(wording) == method, wording


def test_a_method_without_a_verb_is_refused():
    with pytest.raises(ValueError, match="no verb"):
        sp.parse_method("one machine A and two part X")


def test_each_method_runs_at_most_once_per_turn():
    # 2 A, 2 B, 3 C: cycle 1 runs methods 1, 2, 3, 5; cycle 2 runs 1 and 5; cycle 3 runs 5
    assert sp.simulate(CANONICAL, {"A": 2, "B": 2, "C": 3}) == [0, 0, 1, 2, 0, 3]


def test_stored_golds_verify_in_both_modes_and_by_question_alone(samples):
    assert len(samples) == 180
    for sample in samples:
        assert sample.metadata["methods"] == CANONICAL
        assert TASK.gold_defect(sample) is None
        answer = TASK.gold_answer(sample)
        assert TASK.verify(sample, answer, "strict").verdict == "correct", sample.id
        assert TASK.verify(sample, answer, "faithful").verdict == "correct", sample.id
        assert TASK.reference_check(sample.question, answer).verdict == "correct", sample.id


def test_answers_with_plain_numbers_are_read_and_a_changed_count_is_rejected(samples):
    sample = samples[0]
    plain = "<<<[" + ", ".join(sample.gold) + "]>>>"
    assert TASK.verify(sample, plain, "strict").verdict == "correct"
    counts = [int(v) for v in sample.gold]
    counts[5] += 1
    assert TASK.verify(sample, f"<<<{counts}>>>", "strict").verdict == "incorrect"
    assert TASK.verify(sample, "<<<[1, 2, 3]>>>", "strict").verdict == "incorrect"


def test_generated_samples_are_deterministic_in_range_and_their_golds_verify():
    assert sp.generate(9) == sp.generate(9)
    for seed in range(100):
        complexity = 1 + seed % 5
        sample = sp.generate(seed, complexity=complexity)
        low, high = sp.RANGES_BY_COMPLEXITY[complexity]
        assert all(low <= n <= high for n in sample.metadata["initial"].values())
        answer = TASK.gold_answer(sample)
        assert TASK.verify(sample, answer, "strict").verdict == "correct"
        assert TASK.reference_check(sample.question, answer).verdict == "correct"


def test_a_stored_question_is_rendered_back_exactly(samples):
    for sample in samples[:20]:
        wordings = [text for _, text in sp._METHOD_LINE.findall(sample.question)]
        start = sample.metadata["initial"]
        assert sp.render_question(wordings, start["A"], start["B"], start["C"]) == sample.question
