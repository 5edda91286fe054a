"""String deletion and modification: the twenty rule forms, the replay, stored golds, generator."""

import json
from pathlib import Path

import pytest

from symbench.tasks import string_deletion_and_modification as sdm

TASK = sdm.TASK


@pytest.mark.parametrize(
    ("rule", "before", "after"),
    [
        ("If the string suffix is 'ac', replace it with 'cb'.", "bbac", "bbcb"),
        ("If the string starts with 'cc', remove the first two characters.", "ccab", "ab"),
        ("If the string contains 'abc', replace the first occurrence with 'cab'.", "babcabc", "bcababc"),
        ("If the string prefix is 'bc', delete the first two characters and append 'aa' to the end.", "bcab", "abaa"),
        ("If the string contains 'ca' (not at the start), remove the first occurrence found after the first character.", "cabca", "cab"),
        ("If the string suffix is 'bb', delete the last two characters.", "abb", "a"),
        ("If the string ends with 'aa', replace it with 'cc'.", "baa", "bcc"),
        ("If the string length is greater than 15, remove the middle character.", "aaaaaaaabaaaaaaa", "aaaaaaaaaaaaaaa"),
        ("If the string contains 'bca', delete the first occurrence entirely.", "abcab", "ab"),
        ("If the string prefix is 'aa', remove the first character.", "aab", "ab"),
        ("If the string starts with 'ac', replace the first two characters with 'zz'.", "acb", "zzb"),
        ("If the string contains 'acb', replace the first occurrence with its reverse ('bca').", "cacb", "cbca"),
        ("If the string starts with 'bb', remove the second character.", "bbca", "bca"),
        ("If the string suffix is 'cc', replace it with 'b' and prepend 'a' to the start.", "bacc", "abab"),
        ("If the string contains an even number of 'b's (and at least one 'b'), append 'ab' at the end.", "bab", "babab"),
        ("If the string prefix is 'ca', replace it with 'bb' and append 'c' to the end.", "cab", "bbbc"),
        ("If the string prefix is 'ab', replace it with 'ca'.", "abb", "cab"),
        ("If the string ends with 'ba', replace it with 'ab'.", "cba", "cab"),
        ("If the string prefix is 'cb', replace it with 'aa' and delete the last character.", "cbac", "aaa"),
        ("If the string ends with 'ca', remove the last character.", "bca", "bc"),
    ],
)
def test_each_rule_form_does_what_it_says_and_only_when_its_condition_holds(rule, before, after):
    apply = sdm.compile_rule(rule)
    assert apply(before) == after
    assert apply("") is None


def test_every_rule_of_the_pool_is_understood():
    for rule in sdm.RULE_POOL:
        sdm.compile_rule(rule)
    with pytest.raises(ValueError, match="unknown rule wording"):
        sdm.compile_rule("If the string is long, shorten it.")


def test_each_step_applies_the_first_rule_that_fits_then_starts_again_from_rule_one():
    rules = ["If the string ends with 'ba', replace it with 'ab'.", "If the string prefix is 'ab', replace it with 'ca'."]
    assert sdm.simulate("abba", rules) == ["abba", "abab", "caab"]


def test_rules_that_cycle_are_reported_as_non_terminating():
    rules = ["If the string ends with 'ba', replace it with 'ab'.", "If the string ends with 'ab', replace it with 'ba'."]
    with pytest.raises(sdm.NonTerminating):
        sdm.simulate("cab", rules)
    question = sdm.render_question("cab", rules)
    score = TASK.reference_check(question, "<<<cab>>>")
    assert score.verdict == "incorrect" and "cycle" in score.reason


def test_stored_golds_and_every_recorded_intermediate_state_are_reproduced(samples):
    assert len(samples) == 90
    for sample in samples:
        recorded = json.loads((Path(sample.source) / "solution.json").read_text())["intermediate_states"]
        assert sdm.simulate(sample.metadata["string"], sample.metadata["rules"]) == recorded, sample.id
        assert TASK.gold_defect(sample) is None
        answer = TASK.gold_answer(sample)
        assert TASK.verify(sample, answer, "strict").verdict == "correct", sample.id
        assert TASK.verify(sample, answer, "faithful").verdict == "correct", sample.id
        assert TASK.reference_check(sample.question, answer).verdict == "correct", sample.id


def test_a_stored_question_is_rendered_back_exactly(samples):
    for sample in samples[:20]:
        assert sdm.render_question(sample.metadata["string"], sample.metadata["rules"]) == sample.question


def test_a_wrong_final_string_or_the_unchanged_start_is_rejected(samples):
    sample = samples[0]
    assert TASK.verify(sample, f'<<< "{sample.gold}a" >>>', "strict").verdict == "incorrect"
    assert TASK.verify(sample, f'<<< "{sample.metadata["string"]}" >>>', "strict").verdict == "incorrect"
    assert TASK.verify(sample, "<<< the final string is bb >>>", "strict").verdict == "incorrect"


def test_an_empty_final_string_is_a_readable_answer():
    rules = ["If the string starts with 'cc', remove the first two characters."]
    question = sdm.render_question("cccc", rules)
    assert TASK.reference_check(question, '<<< "" >>>').verdict == "correct"
    assert TASK.reference_check(question, '<<< "cc" >>>').verdict == "incorrect"


def test_generated_samples_are_deterministic_take_enough_steps_and_their_golds_verify():
    assert sdm.generate(11) == sdm.generate(11)
    for seed in range(100):
        sample = sdm.generate(seed, complexity=4 + seed % 2)
        steps = len(sdm.simulate(sample.metadata["string"], sample.metadata["rules"])) - 1
        assert steps >= sample.metadata["complexity"]
        answer = TASK.gold_answer(sample)
        assert TASK.verify(sample, answer, "strict").verdict == "correct"
        assert TASK.reference_check(sample.question, answer).verdict == "correct"
