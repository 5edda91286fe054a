"""Synthesis decomposition: the three method sets, the recorded processes, stored golds, generator."""

import json
from pathlib import Path

from symbench.tasks import synthesis_decomposition as sd

TASK = sd.TASK


def test_each_method_runs_at_most_once_per_cycle():
    methods = [[{"A": 1, "B": 1}, {"X": 1}], [{"A": 3}, {"X": 2}]]
    states = sd.run(methods, {"A": 3, "B": 2})
    assert states == [{"A": 3, "B": 2}, {"A": 2, "B": 1, "X": 1}, {"A": 1, "B": 0, "X": 2}]


def test_the_answer_order_comes_from_the_question():
    question = sd.render_question("two_crops", {"A": 3, "B": 2})
    parsed = sd.parse_question(question)
    assert parsed["order"] == ["A", "B", "X"]
    assert sd.final_counts(parsed) == [1, 0, 2]
    assert TASK.reference_check(question, "<<<[1, 0, 2]>>>").verdict == "correct"
    assert TASK.reference_check(question, "<<<[1, 0, 0, 2, 0]>>>").verdict == "incorrect"


def test_stored_golds_and_every_recorded_step_are_reproduced(samples):
    assert len(samples) == 180
    for sample in samples:
        recorded = json.loads((Path(sample.source) / "solution.json").read_text())["solution"]["process"]
        steps = sd.run(sample.metadata["methods"], sample.metadata["initial"])[1:]
        assert [[str(s.get(k, 0)) for k in sd.GOLD_ORDER] for s in steps] == recorded, sample.id
        assert TASK.gold_defect(sample) is None
        answer = TASK.gold_answer(sample)
        assert TASK.verify(sample, answer, "strict").verdict == "correct", sample.id
        assert TASK.verify(sample, answer, "faithful").verdict == "correct", sample.id
        assert TASK.reference_check(sample.question, answer).verdict == "correct", sample.id


def test_every_stored_question_is_rendered_back_exactly(samples):
    variant_by_methods = {len(spec["methods"]): name for name, spec in sd.VARIANTS.items()}
    for sample in samples:
        variant = variant_by_methods[len(sample.metadata["methods"])]
        assert sd.render_question(variant, sample.metadata["initial"]) == sample.question


def test_a_changed_count_or_a_reasoning_without_a_final_list_is_rejected(samples):
    sample = samples[-1]
    counts = list(sample.gold)
    counts[0] += 1
    assert TASK.verify(sample, f"<<<{counts}>>>", "strict").verdict == "incorrect"
    assert TASK.verify(sample, "Step 1: A=2, B=1, X=1", "strict").verdict == "incorrect"


def test_generated_samples_are_deterministic_use_the_complexitys_methods_and_their_golds_verify():
    assert sd.generate(2) == sd.generate(2)
    for seed in range(100):
        complexity = 1 + seed % 5
        sample = sd.generate(seed, complexity=complexity)
        variant, ranges = sd.COMPLEXITY_PLANS[complexity]
        assert len(sample.metadata["methods"]) == len(sd.VARIANTS[variant]["methods"])
        assert all(low <= n <= high for n, (low, high) in zip(sample.metadata["initial"].values(), ranges))
        answer = TASK.gold_answer(sample)
        assert TASK.verify(sample, answer, "strict").verdict == "correct"
        assert TASK.reference_check(sample.question, answer).verdict == "correct"
