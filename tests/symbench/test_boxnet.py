"""BoxNet: loading, the reference plan, and simultaneous-step simulation on right and wrong plans."""

import json

import pytest

from symbench.paths import default_data_dir
from symbench.registry import get_task
from symbench.tasks import boxnet as bn

TASK = get_task("boxnet")
DATA = default_data_dir()
needs_data = pytest.mark.skipif(DATA is None or not (DATA / bn.DATA_DIR).is_dir(),
                                reason="SymBench data not found (set CODESTEER_SYMBENCH_DIR)")

GRID = {"0.5_0.5": ["box_red", "target_blue"], "0.5_1.5": ["target_red"], "1.5_0.5": ["box_blue"], "1.5_1.5": []}
SAMPLE = bn._sample("hand", "test", 2, 2, GRID)
QUESTION = SAMPLE.question


def _answer(steps) -> str:
    return f"<<<{json.dumps(steps)}>>>"


SHORT = [{"Agent[0.5, 0.5]": "move(box_red, square[0.5, 1.5])", "Agent[1.5, 0.5]": "move(box_blue, square[0.5, 0.5])"},
         {"Agent[0.5, 1.5]": "move(box_red, target_red)", "Agent[0.5, 0.5]": "move(box_blue, target_blue)"}]


@needs_data
def test_every_stored_instance_loads_with_stable_ids_and_its_reference_plan_verifies_in_both_modes():
    samples = TASK.load(DATA)
    assert len(samples) == 50 and len({s.id for s in samples}) == 50
    assert {s.id.split("/")[0] for s in samples} >= {"env_pg_state_1_2", "env_pg_state_2_2", "env_pg_state_2_4"}
    for sample in samples:
        for mode in ("strict", "faithful"):
            assert TASK.verify(sample, TASK.gold_answer(sample), mode).verdict == "correct", (sample.id, mode)
        assert TASK.check(sample.question, TASK.gold_answer(sample)).verdict == "correct"
        assert bn.parse_question(sample.question)["grid"] == sample.metadata["grid"]


def test_100_generated_seeds_give_reference_plans_that_verify():
    for seed in range(100):
        sample = TASK.generate(seed, rows=seed % 3 + 1, cols=seed % 4 + 2)
        assert sample.source == f"generated:{seed}"
        assert TASK.verify(sample, TASK.gold_answer(sample), "strict").verdict == "correct", seed


def test_the_same_seed_gives_the_same_sample():
    assert TASK.generate(5) == TASK.generate(5)


def test_a_short_valid_plan_is_accepted():
    assert TASK.check(QUESTION, _answer(SHORT)).verdict == "correct"


def test_an_alternate_longer_valid_plan_is_accepted():
    longer = [{"Agent[0.5, 0.5]": "move(box_red, square[1.5, 0.5])"},
              {"Agent[1.5, 0.5]": "move(box_red, square[1.5, 1.5])"},
              {"Agent[1.5, 0.5]": "move(box_blue, square[0.5, 0.5])", "Agent[1.5, 1.5]": "move(box_red, square[0.5, 1.5])"},
              {"Agent[0.5, 0.5]": "move(box_blue, target_blue)", "Agent[0.5, 1.5]": "move(box_red, target_red)"}]
    assert TASK.check(QUESTION, _answer(longer)).verdict == "correct"


def test_a_python_literal_plan_is_read_in_strict_mode():
    assert TASK.check(QUESTION, "<<<" + repr(SHORT) + ">>>").verdict == "correct"


def test_a_diagonal_move_is_rejected():
    plan = [{"Agent[0.5, 0.5]": "move(box_red, square[1.5, 1.5])"}] + SHORT
    score = TASK.check(QUESTION, _answer(plan))
    assert score.verdict == "incorrect" and "not adjacent" in score.reason


def test_matching_a_box_to_a_target_of_another_colour_is_rejected():
    score = TASK.check(QUESTION, _answer([{"Agent[0.5, 0.5]": "move(box_red, target_blue)"}]))
    assert score.verdict == "incorrect" and "not the target" in score.reason


def test_moving_a_box_the_agent_does_not_hold_is_rejected():
    score = TASK.check(QUESTION, _answer([{"Agent[1.5, 1.5]": "move(box_red, square[0.5, 1.5])"}]))
    assert score.verdict == "incorrect" and "no box_red" in score.reason


def test_a_plan_missing_its_last_step_scores_partial():
    score = TASK.check(QUESTION, _answer(SHORT[:1] + [{"Agent[0.5, 1.5]": "move(box_red, target_red)"}]))
    assert score.verdict == "partial" and score.value == pytest.approx(0.5)
    assert TASK.check(QUESTION, _answer(SHORT[:1])).verdict == "incorrect"


def test_a_box_moved_twice_in_one_step_fails_strict_but_passes_the_original_scorer():
    chained = [{"Agent[0.5, 0.5]": "move(box_red, square[0.5, 1.5])", "Agent[0.5, 1.5]": "move(box_red, target_red)",
                "Agent[1.5, 0.5]": "move(box_blue, square[0.5, 0.5])"},
               {"Agent[0.5, 0.5]": "move(box_blue, target_blue)"}]
    assert TASK.verify(SAMPLE, _answer(chained), "strict").verdict == "incorrect"
    assert TASK.verify(SAMPLE, _answer(chained), "faithful").verdict == "correct"


def test_faithful_mode_needs_json_and_skips_illegal_actions():
    assert TASK.verify(SAMPLE, "<<<" + repr(SHORT) + ">>>", "faithful").verdict == "incorrect"
    noisy = [dict(SHORT[0], **{"Agent[1.5, 1.5]": "move(box_green, square[0.5, 1.5])"}), SHORT[1]]
    assert TASK.verify(SAMPLE, _answer(noisy), "faithful").verdict == "correct"
    assert TASK.verify(SAMPLE, _answer(noisy), "strict").verdict == "incorrect"


def test_a_malformed_plan_is_rejected_with_a_reason():
    assert "agent key" in TASK.check(QUESTION, _answer([{"robot 1": "move(box_red, target_red)"}])).reason
    assert "not an action" in TASK.check(QUESTION, _answer([{"Agent[0.5, 0.5]": "push red"}])).reason
    assert TASK.check(QUESTION, "<<<move everything>>>").verdict == "incorrect"


def test_a_question_that_is_not_boxnet_is_refused_by_check_with_what_is_missing():
    with pytest.raises(ValueError, match="not a BoxNet question"):
        TASK.check("Sort these words.", "<<<[]>>>")
