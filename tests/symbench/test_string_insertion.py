"""String insertion: operation T, its two readings, stored golds, generator."""

import csv

import pytest

from gold_checks import assert_stored_golds_verify
from symbench.paths import default_data_dir
from symbench.tasks import string_insertion as si

TASK = si.TASK


def test_operation_t_inserts_after_every_match_including_overlapping_ones():
    # ABCD -> A after index 3, BCDE -> B after index 4, CDEA -> C after 5, DEAB -> D after 6
    assert si.insert_simultaneous("ABCDEAB") == "ABCDAEBACBD"
    assert si.insert_simultaneous("DBCDEDCDEAECDEA") == "DBCDEBDCDEACECDEAC"
    assert si.insert_simultaneous("AAAA") == "AAAA"


def test_the_sequential_reading_differs_only_on_overlapping_matches():
    assert si.insert_sequential("ABCDEAB") == "ABCDAEAB"
    assert si.insert_sequential("DBCDEDCDEAECDEA") == si.insert_simultaneous("DBCDEDCDEAECDEA")


def test_the_task_title_is_the_paper_tables():
    data = default_data_dir()
    if data is None or not (data / "paper_table1.csv").is_file():
        pytest.skip("paper_table1.csv not found (set CODESTEER_SYMBENCH_DIR)")
    with open(data / "paper_table1.csv", newline="") as f:
        titles = {row["task"] for row in csv.DictReader(f)}
    assert TASK.title in titles


def test_stored_golds_verify_in_both_modes_and_by_question_alone(samples):
    assert_stored_golds_verify(TASK, samples, 180)


def test_a_stored_question_is_rendered_back_exactly(samples):
    for sample in samples[:20]:
        assert si.render_question(sample.metadata["string"]) == sample.question


def test_an_answer_with_one_letter_changed_or_missing_is_rejected(samples):
    sample = samples[0]
    gold = sample.gold
    changed = gold[:3] + ("A" if gold[3] != "A" else "B") + gold[4:]
    assert TASK.verify(sample, f"<<<{changed}>>>", "strict").verdict == "incorrect"
    assert TASK.verify(sample, f"<<<{gold[:-1]}>>>", "strict").verdict == "incorrect"
    assert TASK.reference_check(sample.question, f"<<<{sample.metadata['string']}>>>").verdict == "incorrect"


def test_malformed_answers_are_rejected_with_a_reason(samples):
    sample = samples[0]
    no_marks = TASK.verify(sample, "I think the answer is long", "strict")
    assert no_marks.verdict == "incorrect" and "could not read" in no_marks.reason
    assert TASK.verify(sample, "<<<ABCXYZ>>>", "strict").verdict == "incorrect"


def test_quoted_lower_case_and_spaced_answers_are_read(samples):
    sample = samples[0]
    assert TASK.verify(sample, f'The result: <<< "{sample.gold.lower()}" >>>', "strict").verdict == "correct"
    spaced = " ".join(sample.gold)
    assert TASK.reference_check(sample.question, f"<<<{spaced}>>>").verdict == "correct"


def test_strict_accepts_the_sequential_reading_where_matches_overlap_but_faithful_does_not():
    question = si.render_question("ABCDEAB")
    assert TASK.reference_check(question, "<<<ABCDAEBACBD>>>").verdict == "correct"
    alternate = TASK.reference_check(question, "<<<ABCDAEAB>>>")
    assert alternate.verdict == "correct" and "sequential" in alternate.reason
    sample = si.generate(0).model_copy(update={"question": question, "metadata": si.parse_question(question), "gold": "ABCDAEBACBD"})
    assert TASK.verify(sample, "<<<ABCDAEAB>>>", "faithful").verdict == "incorrect"


def test_a_question_without_the_instance_is_refused_with_what_to_send():
    with pytest.raises(ValueError, match="Given the string"):
        TASK.reference_check("What is the answer?", "<<<ABC>>>")


def test_generated_samples_are_deterministic_unambiguous_and_their_golds_verify():
    assert si.generate(7) == si.generate(7)
    assert si.generate(7) != si.generate(8)
    for seed in range(100):
        sample = si.generate(seed, complexity=1 + seed % 5)
        low, high = si._length_range(1 + seed % 5)
        assert low <= len(sample.metadata["string"]) <= high
        assert len(si.readings(sample.metadata)) == 1
        answer = TASK.gold_answer(sample)
        assert TASK.verify(sample, answer, "strict").verdict == "correct"
        assert TASK.reference_check(sample.question, answer).verdict == "correct"
