"""String synthesis: methods applied as often as they can on their turn, stored golds, generator."""

from gold_checks import assert_stored_golds_verify
from symbench.tasks import string_synthesis as ss

TASK = ss.TASK


def test_the_question_is_parsed_into_blocks_methods_and_stock():
    parsed = ss.parse_question(ss.render_question(3, 1, 2))
    assert parsed["blocks"] == list(ss.BLOCKS)
    assert parsed["methods"][0] == [{"[A]": 1, "[B]": 1, "[C]": 1}, {"{A}": 1}]
    assert parsed["methods"][3] == [{"[C]": 2}, {"{C}": 1}]
    assert parsed["methods"][4] == [{"{A}": 1, "{C}": 1}, {"(A)": 1, "(B)": 1}]
    assert parsed["initial"]["[A]"] == 3 and parsed["initial"]["(C)"] == 0


def test_a_method_runs_as_often_as_the_stock_allows_on_its_turn():
    # 2 [A], 4 [B], 5 [C]: method 1 twice, method 3 twice, method 6 once
    assert ss.final_counts(ss.parse_question(ss.render_question(2, 4, 5))) == [0, 0, 1, 2, 0, 0, 0, 0, 1]


def test_stored_golds_verify_in_both_modes_and_by_question_alone(samples):
    assert_stored_golds_verify(TASK, samples, 180)


def test_a_stored_question_is_rendered_back_exactly(samples):
    for sample in samples[:20]:
        start = sample.metadata["initial"]
        assert ss.render_question(start["[A]"], start["[B]"], start["[C]"]) == sample.question


def test_answers_as_lists_or_comma_separated_counts_are_read(samples):
    sample = samples[0]
    assert TASK.verify(sample, f"<<<{list(sample.gold)}>>>", "strict").verdict == "correct"
    assert TASK.verify(sample, "<<<" + ", ".join(map(str, sample.gold)) + ">>>", "strict").verdict == "correct"


def test_one_wrong_count_a_missing_count_or_prose_is_rejected(samples):
    sample = samples[0]
    counts = list(sample.gold)
    counts[-1] += 1
    assert TASK.verify(sample, "<<<" + " ".join(map(str, counts)) + ">>>", "strict").verdict == "incorrect"
    assert "expected 9" in TASK.verify(sample, "<<<" + " ".join(map(str, sample.gold[:-1])) + ">>>", "strict").reason
    assert TASK.verify(sample, "<<<one {A}>>>", "strict").verdict == "incorrect"


def test_generated_samples_are_deterministic_in_range_and_their_golds_verify():
    assert ss.generate(5) == ss.generate(5)
    for seed in range(100):
        sample = ss.generate(seed)
        start = sample.metadata["initial"]
        assert 1 <= start["[A]"] <= 5 and 1 <= start["[B]"] <= 8 and 1 <= start["[C]"] <= 7
        answer = TASK.gold_answer(sample)
        assert TASK.verify(sample, answer, "strict").verdict == "correct"
        assert TASK.reference_check(sample.question, answer).verdict == "correct"


def test_counts_labelled_by_block_are_read_with_unnamed_blocks_as_zero():
    question = ss.render_question(2, 4, 5)  # final: one [C], two {A}, one (C)
    assert TASK.reference_check(question, "<<<[C]: 1, {A}: 2, (C): 1>>>").verdict == "correct"
    assert TASK.reference_check(question, "<<<1 [C], 2 {A}, 1 (C)>>>").verdict == "correct"
    assert TASK.reference_check(question, "<<<{A}: 2, (C): 1>>>").verdict == "incorrect"
