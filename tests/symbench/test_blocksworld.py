"""Blocksworld: loading, the shortest reference plan, and move simulation on right and wrong plans."""

import pytest

from symbench.paths import default_data_dir
from symbench.registry import get_task
from symbench.tasks import blocksworld as bw

TASK = get_task("blocksworld")
DATA = default_data_dir()
needs_data = pytest.mark.skipif(DATA is None or not (DATA / bw.DATA_DIR).is_dir(),
                                reason="SymBench data not found (set CODESTEER_SYMBENCH_DIR)")

INITIAL = {"stack1": ["A", "B"], "stack2": [], "stack3": ["C"]}
GOAL = {"stack1": [], "stack2": ["A", "B", "C"]}
SAMPLE = bw._sample("hand", "test", INITIAL, GOAL)
QUESTION = SAMPLE.question


@needs_data
def test_every_stored_instance_loads_with_stable_ids_and_its_shortest_plan_verifies():
    samples = TASK.load(DATA)
    assert len(samples) == 120 and len({s.id for s in samples}) == 120
    assert samples[0].id.startswith("2_3_2_")
    for sample in samples:
        assert TASK.verify(sample, TASK.gold_answer(sample), "strict").verdict == "correct", sample.id
        assert TASK.check(sample.question, TASK.gold_answer(sample)).verdict == "correct", sample.id
        if sample.gold:  # the original scorer cannot accept an empty plan (see modes_note)
            assert TASK.verify(sample, TASK.gold_answer(sample), "faithful").verdict == "correct", sample.id


def test_100_generated_seeds_give_reference_plans_that_verify():
    for seed in range(100):
        sample = TASK.generate(seed)
        assert sample.source == f"generated:{seed}"
        assert TASK.verify(sample, TASK.gold_answer(sample), "strict").verdict == "correct", seed


def test_the_same_seed_gives_the_same_sample():
    assert TASK.generate(11, num_blocks=4) == TASK.generate(11, num_blocks=4)


def test_the_question_text_parses_back_to_both_states():
    assert bw.parse_question(QUESTION) == {"initial": INITIAL, "goal": GOAL}


def test_the_reference_plan_is_shortest():
    assert len(SAMPLE.gold) == 4


def test_an_alternate_longer_valid_plan_is_accepted():
    answer = "<<<Move B from 1 to 3\nMove A from 1 to 2\nMove B from 3 to 1\nMove C from 3 to 2\n" \
             "Move B from 1 to 3\nMove C from 2 to 1\nMove B from 3 to 2\nMove C from 1 to 2>>>"
    assert TASK.check(QUESTION, answer).verdict == "correct"


def test_strict_mode_reads_numbered_and_stack_named_moves():
    answer = "<<<1. Move B from stack1 to stack3\n2. move A from stack 1 to stack 2.\n\n3) Move B from 3 to 2; " \
             "Move C from 3 to 2>>>"
    assert TASK.check(QUESTION, answer).verdict == "correct"
    assert TASK.verify(SAMPLE, answer, "faithful").verdict == "incorrect"


def test_moving_a_block_that_is_not_on_top_is_rejected():
    score = TASK.check(QUESTION, "<<<Move A from 1 to 2\nMove B from 1 to 2\nMove C from 3 to 2>>>")
    assert score.verdict == "incorrect" and "not the top block" in score.reason


def test_moving_to_the_table_or_a_new_stack_is_rejected():
    assert "there is no table" in TASK.check(QUESTION, "<<<Move C from 3 to table>>>").reason
    assert "no stack4" in TASK.check(QUESTION, "<<<Move C from 3 to 4>>>").reason


def test_a_plan_missing_a_step_is_rejected():
    score = TASK.check(QUESTION, "<<<Move B from 1 to 3\nMove A from 1 to 2\nMove B from 3 to 2>>>")
    assert score.verdict == "incorrect" and "not the goal" in score.reason


def test_a_malformed_move_is_rejected():
    assert "is not a move" in TASK.check(QUESTION, "<<<Put B on C>>>").reason


def test_an_empty_plan_is_right_only_when_the_start_is_the_goal():
    solved = bw._sample("solved", "test", {"stack1": ["A"], "stack2": []}, {"stack1": ["A"]})
    assert TASK.verify(solved, "<<<>>>", "strict").verdict == "correct"
    assert TASK.verify(SAMPLE, "<<<>>>", "strict").verdict == "incorrect"


def test_a_question_that_is_not_blocksworld_is_refused_by_check_with_what_is_missing():
    with pytest.raises(ValueError, match="not a Blocksworld question"):
        TASK.check("What is 2 + 2?", "<<<Move A from 1 to 2>>>")
