"""Mahjong: Peng / Chi / Pass judgement, stored golds and their documented defects, generator."""

from collections import Counter

from symbench.registry import get_task
from symbench.tasks import mahjong as mj

TASK = get_task("mahjong")


def test_peng_needs_two_held_and_takes_precedence_over_chi():
    assert mj.judge(Counter("AABC"), "A", chi_allowed=True) == mj.PENG
    assert mj.judge(Counter("ABC"), "A", chi_allowed=True) == mj.CHI  # A with B, C
    assert mj.judge(Counter("AC"), "B", chi_allowed=True) == mj.CHI  # new card in the middle
    assert mj.judge(Counter("AC"), "B", chi_allowed=False) == mj.PASS
    assert mj.judge(Counter("YZ"), "[", chi_allowed=True) == mj.PASS  # not a letter


def test_the_card_removed_in_a_round_counts_from_the_next_round():
    # two Qs held, one removed in round 1: the second Q added in round 2 meets only one Q
    assert mj.play("QQXXXXXXXXXXX", [("Z", "Q"), ("Q", None)], chi_allowed=False) == mj.PASS
    assert mj.play("QQXXXXXXXXXXX", [("Z", "X"), ("Q", None)], chi_allowed=False) == mj.PENG


def test_stored_golds_verify_unless_a_documented_defect_explains_them(samples):
    assert len(samples) == 180
    defects = 0
    for sample in samples:
        answer = TASK.gold_answer(sample)
        reason = TASK.gold_defect(sample)
        strict = TASK.verify(sample, answer, "strict")
        assert TASK.verify(sample, answer, "faithful").verdict == "correct", sample.id
        if reason is None:
            assert strict.verdict == "correct", (sample.id, strict.reason)
            assert TASK.reference_check(sample.question, answer).verdict == "correct", sample.id
        else:
            defects += 1
            assert strict.verdict == "incorrect", sample.id
            assert "Chi" in reason or "letter" in reason
    assert 0 < defects < 20  # a few broken golds, never a systematic disagreement


def test_peng_only_questions_never_expect_chi(samples):
    for sample in samples:
        if not sample.metadata["chi"]:
            assert mj.reference(sample.metadata) in (mj.PASS, mj.PENG)


def test_wrong_number_words_and_garbage_are_handled(samples):
    sample = next(s for s in samples if TASK.gold_defect(s) is None and s.gold == mj.PENG)
    assert TASK.verify(sample, "<<<Peng>>>", "strict").verdict == "correct"
    assert TASK.verify(sample, "so the result is <<<1>>>.", "strict").verdict == "correct"
    assert TASK.verify(sample, "<<<0>>>", "strict").verdict == "incorrect"
    assert TASK.verify(sample, "<<<3>>>", "strict").verdict == "incorrect"
    assert TASK.verify(sample, "<<<maybe>>>", "strict").verdict == "incorrect"


def test_generator_is_deterministic_covers_all_results_and_its_gold_verifies():
    assert mj.generate(5).question == mj.generate(5).question
    results = Counter()
    for seed in range(100):
        sample = mj.generate(seed, complexity=1 + seed % 10)
        results[sample.gold] += 1
        assert TASK.reference_check(sample.question, TASK.gold_answer(sample)).verdict == "correct"
        assert TASK.verify(sample, TASK.gold_answer(sample), "strict").verdict == "correct"
    assert set(results) == {mj.PASS, mj.PENG, mj.CHI}


def test_generated_questions_state_the_chi_rule_only_when_it_applies():
    assert "Chi" not in mj.generate(1, complexity=2).question
    assert "Chi" in mj.generate(1, complexity=3).question
    assert "Chi" in mj.generate(1, complexity=2, chi=True).question
