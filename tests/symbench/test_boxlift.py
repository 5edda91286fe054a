"""BoxLift: loading, the reference plan, and plan simulation on right and wrong plans."""

import pytest

from symbench.paths import default_data_dir
from symbench.registry import get_task
from symbench.tasks import boxlift as bl

TASK = get_task("boxlift")
DATA = default_data_dir()
needs_data = pytest.mark.skipif(DATA is None or not (DATA / bl.DATA_DIR).is_dir(),
                                reason="SymBench data not found (set CODESTEER_SYMBENCH_DIR)")

INSTANCE = {"boxes": [90, 40, 30, 20], "lifters": [50, 45, 30], "step_limit": 2}


def _q() -> str:
    return bl.render_question(INSTANCE["boxes"], INSTANCE["lifters"], INSTANCE["step_limit"])


@needs_data
def test_every_stored_instance_loads_with_stable_ids_and_its_reference_plan_verifies_in_both_modes():
    samples = TASK.load(DATA)
    assert len(samples) == 40 and len({s.id for s in samples}) == 40
    assert samples[0].id == "BoxLift_10_3/BoxLift0"
    assert not any("_SFT" in s.source for s in samples)
    for sample in samples:
        for mode in ("strict", "faithful"):
            assert TASK.verify(sample, TASK.gold_answer(sample), mode).verdict == "correct", (sample.id, mode)
        assert TASK.check(sample.question, TASK.gold_answer(sample)).verdict == "correct"


def test_100_generated_seeds_give_reference_plans_that_verify():
    for seed in range(100):
        sample = TASK.generate(seed)
        assert sample.source == f"generated:{seed}"
        assert len(sample.metadata["boxes"]) == bl.KNOBS["num_boxes"]
        assert TASK.verify(sample, TASK.gold_answer(sample), "strict").verdict == "correct", seed


def test_the_same_seed_gives_the_same_sample():
    assert TASK.generate(3, num_boxes=10, num_lifters=3) == TASK.generate(3, num_boxes=10, num_lifters=3)


def test_the_step_limit_is_the_original_greedy_estimate():
    assert len(bl.greedy_plan([43, 88, 84, 64, 56, 87, 20, 57, 82, 14], [51, 49, 48])) == 7
    assert bl.parse_question(_q()) == INSTANCE


def test_an_alternate_valid_plan_is_accepted():
    answer = "<<<Step 1: [(90, [0, 1]), (30, [2])]\nStep 2: [(40, [0]), (20, [2])]>>>"
    assert TASK.check(_q(), answer).verdict == "correct"


def test_a_plan_written_as_a_list_of_steps_is_accepted():
    assert TASK.check(_q(), "<<<[[(90, [0, 1]), (30, 2)], [(40, [0]), (20, [2])]]>>>").verdict == "correct"


def test_an_over_capacity_lift_is_rejected():
    score = TASK.check(_q(), "<<<Step 1: [(90, [0]), (30, [2])]\nStep 2: [(40, [0]), (20, [2])]>>>")
    assert score.verdict == "incorrect" and "less than 90" in score.reason


def test_a_lifter_used_twice_in_one_step_is_rejected():
    score = TASK.check(_q(), "<<<Step 1: [(90, [0, 1]), (30, [1])]\nStep 2: [(40, [0]), (20, [2])]>>>")
    assert score.verdict == "incorrect" and "more than once" in score.reason


def test_a_box_lifted_twice_or_never_present_is_rejected():
    score = TASK.check(_q(), "<<<Step 1: [(90, [0, 1]), (30, [2])]\nStep 2: [(30, [0]), (20, [2])]>>>")
    assert score.verdict == "incorrect" and "no box of weight 30" in score.reason


def test_a_missing_lifter_is_rejected():
    score = TASK.check(_q(), "<<<Step 1: [(90, [0, 1]), (30, [3])]\nStep 2: [(40, [0]), (20, [2])]>>>")
    assert score.verdict == "incorrect" and "do not exist" in score.reason


def test_too_many_steps_are_rejected_in_strict_mode():
    answer = "<<<Step 1: [(90, [0, 1])]\nStep 2: [(40, [0]), (30, [2])]\nStep 3: [(20, [0])]>>>"
    score = TASK.check(_q(), answer)
    assert score.verdict == "incorrect" and "limit" in score.reason


def test_a_plan_missing_a_step_scores_partial_with_the_share_lifted():
    score = TASK.check(_q(), "<<<Step 1: [(90, [0, 1]), (30, [2])]>>>")
    assert score.verdict == "partial" and score.value == pytest.approx(0.5)


def test_a_malformed_plan_is_rejected():
    assert TASK.check(_q(), "<<<lift everything at once>>>").verdict == "incorrect"
    assert TASK.check(_q(), "<<<Step 1: [(90, 'all')]>>>").verdict == "incorrect"


def test_faithful_mode_skips_an_illegal_assignment_where_strict_fails_the_plan():
    sample = bl._sample("x", "test", INSTANCE["boxes"], INSTANCE["lifters"])
    answer = "<<<Step 1: [(90, [0]), (90, [0, 1]), (30, [2])]\nStep 2: [(40, [0]), (20, [2])]>>>"
    assert TASK.verify(sample, answer, "strict").verdict == "incorrect"
    assert TASK.verify(sample, answer, "faithful").verdict == "correct"


def test_faithful_mode_gives_the_original_lifted_box_ratio():
    sample = bl._sample("x", "test", INSTANCE["boxes"], INSTANCE["lifters"])
    score = TASK.verify(sample, "<<<Step 1: [(90, [0, 1]), (30, [2])]\nStep 2: [(40, [0])]>>>", "faithful")
    assert score.verdict == "partial" and score.value == pytest.approx(0.75)


def test_a_question_that_is_not_boxlift_is_refused_by_check_with_what_is_missing():
    with pytest.raises(ValueError, match="not a BoxLift question"):
        TASK.check("Sort these words.", "<<<Step 1: []>>>")
