"""Cryptanalysis: the feedback rules, consistency checking without a gold, stored golds, generator."""

from gold_checks import assert_stored_golds_verify
from symbench.tasks import cryptanalysis as cr

TASK = cr.TASK


def test_feedback_judges_each_item_against_both_password_items():
    # password 53FA: 3 is elsewhere, 8 beyond both digits; A in place, T beyond both letters
    assert cr.feedback("38TA", "53FA") == (
        "one number is correct but in the wrong position; one number is incorrect and too large; "
        "one letter is correct and in the correct position; one letter is incorrect and too late in the alphabet."
    )
    # 1 below both, 9 beyond both: no shared direction; E lies between A and F
    assert cr.feedback("19EF", "53FA") == (
        "both numbers are incorrect; one letter is correct but in the wrong position; one letter is incorrect and incorrect."
    )
    assert cr.feedback("35AF", "53FA").startswith("both numbers are correct but in the wrong positions; both letters")


def test_stored_golds_verify_and_are_the_only_consistent_password(samples):
    assert_stored_golds_verify(TASK, samples, 90)
    for sample in samples[:15]:
        assert cr.consistent_passwords(sample.metadata["conditions"]) == ["".join(sample.gold)]


def test_every_stored_question_is_rendered_back_exactly(samples):
    for sample in samples:
        assert cr.render_question(sample.metadata["conditions"]) == sample.question


def test_a_password_that_contradicts_a_condition_is_rejected_naming_it(samples):
    sample = samples[0]
    swapped = [sample.gold[1], sample.gold[0], sample.gold[2], sample.gold[3]]
    score = TASK.check(sample.question, f"<<<{swapped}>>>")
    assert score.verdict == "incorrect" and score.reason.startswith("condition")


def test_repeated_items_and_malformed_passwords_are_rejected(samples):
    sample = samples[0]
    assert "repeats" in TASK.check(sample.question, '<<< ["5", "5", "F", "A"] >>>').reason
    assert TASK.check(sample.question, '<<< ["5", "F", "3", "A"] >>>').verdict == "incorrect"
    assert TASK.check(sample.question, "<<< 53F >>>").verdict == "incorrect"


def test_passwords_written_compactly_or_as_plain_lists_are_read(samples):
    sample = samples[0]
    code = "".join(sample.gold)
    assert TASK.check(sample.question, f"<<<{code}>>>").verdict == "correct"
    assert TASK.check(sample.question, f"<<<{code.lower()}>>>").verdict == "correct"
    assert TASK.check(sample.question, "<<<" + ", ".join(sample.gold) + ">>>").verdict == "correct"


def test_strict_accepts_any_password_that_fits_when_the_conditions_leave_several():
    conditions = [["12AB", cr.feedback("12AB", "34CD")]]
    question = cr.render_question(conditions)
    fits = cr.consistent_passwords(conditions)
    assert len(fits) > 1
    assert TASK.check(question, f"<<<{fits[-1]}>>>").verdict == "correct"


def test_generated_samples_are_deterministic_uniquely_solvable_and_their_golds_verify():
    assert cr.generate(4) == cr.generate(4)
    for seed in range(100):
        sample = cr.generate(seed)
        assert 3 <= len(sample.metadata["conditions"]) <= 17
        answer = TASK.gold_answer(sample)
        assert TASK.verify(sample, answer, "strict").verdict == "correct"
        assert TASK.check(sample.question, answer).verdict == "correct"
    for seed in range(5):
        sample = cr.generate(seed)
        assert cr.consistent_passwords(sample.metadata["conditions"]) == ["".join(sample.gold)]
