"""New Operator: the value is recomputed from the question's definitions."""

from __future__ import annotations

from fractions import Fraction

from symbench.registry import get_task
from symbench.tasks.new_operator import evaluate, original_value

TASK = get_task("new_operator")


def test_evaluation_is_exact_and_left_to_right():
    ops = {"~": "1*a*b", "&": "5*a+5*b", "@": "3*a*b"}
    assert evaluate("(3~4)&5@6", ops) == Fraction(1530)
    assert original_value("(3~4)&5@6", ops) == 90.0
    assert evaluate("(3#4)#5", {"#": "(a + b)/b"}) == Fraction(27, 20)


def test_every_stored_gold_verifies_or_is_documented_as_one_operator_only(samples):
    documented = 0
    for sample in samples:
        reason = TASK.gold_defect(sample)
        gold_text = TASK.gold_answer(sample)
        assert TASK.verify(sample, gold_text, "faithful").verdict == "correct", sample.id
        if reason is None:
            assert TASK.verify(sample, gold_text, "strict").verdict == "correct", sample.id
        else:
            documented += 1
            assert sample.metadata["complexity"] == 5 and "first operator" in reason, sample.id
            assert TASK.verify(sample, gold_text, "strict").verdict == "incorrect", sample.id
    assert documented > 0


def test_strict_and_check_accept_the_true_value_that_faithful_rejects(samples):
    for sample in samples:
        if TASK.gold_defect(sample) is None:
            continue
        value = evaluate(sample.metadata["expression"], sample.metadata["operators"])
        answer = f"<<<{float(value)}>>>"
        assert TASK.verify(sample, answer, "strict").verdict == "correct", sample.id
        assert TASK.reference_check(sample.question, answer).verdict == "correct", sample.id
        assert TASK.verify(sample, answer, "faithful").verdict == "incorrect", sample.id


def test_a_wrong_value_and_a_missing_number_are_rejected(samples):
    for sample in samples[:30]:
        value = evaluate(sample.metadata["expression"], sample.metadata["operators"])
        assert TASK.reference_check(sample.question, f"<<<{float(value) + 1}>>>").verdict == "incorrect"
        assert TASK.reference_check(sample.question, "<<<unknown>>>").verdict == "incorrect"


def test_fractions_and_correct_roundings_are_accepted():
    question = "Let a and b be numbers. Define a#b to be (a + b)/b.\nCalculate (1#3)#3."
    value = evaluate("(1#3)#3", {"#": "(a + b)/b"})
    assert value == Fraction(13, 9)
    for answer in ("<<<13/9>>>", "<<<1.444>>>", "<<<[1.4444444444]>>>"):
        assert TASK.reference_check(question, answer).verdict == "correct", answer
    assert TASK.reference_check(question, "<<<1.4>>>").verdict == "incorrect"


def test_generator_is_seeded_and_its_golds_verify():
    for seed in range(100):
        for complexity in (2, 5):
            sample = TASK.generate(seed, complexity=complexity)
            assert sample == TASK.generate(seed, complexity=complexity)
            assert TASK.verify(sample, TASK.gold_answer(sample), "strict").verdict == "correct", seed
            assert TASK.reference_check(sample.question, TASK.gold_answer(sample)).verdict == "correct", seed
