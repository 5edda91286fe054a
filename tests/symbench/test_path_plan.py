"""Path Plan: the fixed set, the generator, and the path checker on right and wrong paths."""

import pytest

from symbench.registry import get_task
from symbench.tasks import path_plan as pp

TASK = get_task("path_plan")

# A hand-made layout: the robot goes from the lower left to the upper right.
LAYOUT = {
    "walls": [list(w) for w in pp.WALLS],
    "boxes": {"red": [-0.5, 0.5, -0.5, 0.5], "green": [0.8, 1.2, -1.2, -0.8], "blue": [-1.2, -0.8, 0.8, 1.2]},
    "start": [-1.3, -1.3],
    "end": [1.3, 1.3],
}


def _question(instruction: str) -> str:
    return pp.render_question(LAYOUT, instruction)


def test_fixed_set_has_14_layouts_of_10_instructions_with_stable_ids():
    samples = TASK.load(None)
    assert len(samples) == 140
    assert len({s.id for s in samples}) == 140
    assert samples[0].id == "layout00/instr0" and samples[-1].id == "layout13/instr9"
    assert len({str(s.metadata["boxes"]) for s in samples}) == 14


def test_every_reference_path_of_the_fixed_set_passes_the_gold_free_check():
    for sample in TASK.load(None):
        assert TASK.check(sample.question, TASK.gold_answer(sample)).verdict == "correct", sample.id
        assert TASK.verify(sample, TASK.gold_answer(sample), "faithful").verdict == "correct", sample.id


def test_the_question_text_parses_back_to_the_instance():
    for sample in TASK.load(None)[:30]:
        parsed = pp.parse_question(sample.question)
        assert {c: [float(v) for v in b] for c, b in parsed["boxes"].items()} == sample.metadata["boxes"]
        assert [float(v) for v in parsed["start"]] == sample.metadata["start"]
        rule = sample.metadata["instruction"]
        assert (parsed["instruction"]["visit"], parsed["instruction"]["avoid"]) == (rule["visit"], rule["avoid"])
        assert parsed["instruction"]["ordered"] == rule["ordered"]


def test_100_generated_seeds_give_reference_paths_that_verify():
    for seed in range(100):
        sample = TASK.generate(seed)
        assert sample.source == f"generated:{seed}"
        assert TASK.verify(sample, TASK.gold_answer(sample), "strict").verdict == "correct", seed


def test_the_same_seed_gives_the_same_sample_and_knobs_change_it():
    assert TASK.generate(7) == TASK.generate(7)
    assert len(TASK.generate(7, num_boxes=4).metadata["boxes"]) == 4


def test_a_direct_path_that_avoids_the_box_is_accepted():
    q = _question("Go to the green box. Never enter the red box.")
    answer = "<<<[(-1.3, -1.3), (1.0, -1.0), (1.3, 1.3)]>>>"
    assert TASK.check(q, answer).verdict == "correct"


def test_an_alternate_valid_path_is_accepted():
    q = _question("Go to the green box. Never enter the red box.")
    answer = "Here is my plan.\n<<<[(-1.3, -1.3), (-1.3, -0.7), (1.0, -0.7), (1.0, -1.0), (1.3, -0.7), (1.3, 1.3)]>>>"
    assert TASK.check(q, answer).verdict == "correct"


def test_a_path_through_an_avoided_box_is_rejected():
    q = _question("Go to the green box. Never enter the red box.")
    score = TASK.check(q, "<<<[(-1.3, -1.3), (1.0, -1.0), (0.0, 0.0), (1.3, 1.3)]>>>")
    assert score.verdict == "incorrect" and "red" in score.reason


def test_a_path_that_only_grazes_the_corner_of_an_avoided_box_is_rejected_and_one_just_clear_is_accepted():
    q = _question("Never enter the red box.")
    # the middle segment lies on x + y = 1, which meets the red box only at its corner (0.5, 0.5)
    grazing = "<<<[(-1.3, -1.3), (-1.3, 0.9), (0.1, 0.9), (0.9, 0.1), (1.3, 1.3)]>>>"
    score = TASK.check(q, grazing)
    assert score.verdict == "incorrect" and "red" in score.reason
    clear = "<<<[(-1.3, -1.3), (-1.3, 0.91), (0.1, 0.91), (0.91, 0.1), (1.3, 1.3)]>>>"
    assert TASK.check(q, clear).verdict == "correct"


def test_a_path_that_skips_a_required_box_is_rejected():
    q = _question("Go to the green box first, then to the blue box.")
    score = TASK.check(q, "<<<[(-1.3, -1.3), (1.0, -1.0), (1.3, 1.3)]>>>")
    assert score.verdict == "incorrect" and "blue" in score.reason


def test_a_path_that_visits_in_the_wrong_order_is_rejected_unless_any_order_is_allowed():
    path = "<<<[(-1.3, -1.3), (-1.0, 1.0), (1.0, -1.0), (1.3, 1.3)]>>>"  # blue, then green
    assert TASK.check(_question("Go to the green box first, then to the blue box."), path).verdict == "incorrect"
    assert TASK.check(_question("Visit the green and blue boxes in any order."), path).verdict == "correct"


def test_a_path_that_does_not_start_or_end_at_the_given_points_is_rejected():
    q = _question("Go to the green box.")
    assert "starts" in TASK.check(q, "<<<[(-1.2, -1.3), (1.0, -1.0), (1.3, 1.3)]>>>").reason
    assert "ends" in TASK.check(q, "<<<[(-1.3, -1.3), (1.0, -1.0), (1.3, 1.2)]>>>").reason


def test_a_path_that_crosses_a_wall_is_rejected():
    q = _question("Go to the green box.")
    score = TASK.check(q, "<<<[(-1.3, -1.3), (1.0, -1.45), (1.0, -1.0), (1.3, 1.3)]>>>")
    assert score.verdict == "incorrect" and "wall" in score.reason


def test_a_malformed_answer_is_rejected_with_a_reason():
    q = _question("Go to the green box.")
    assert "waypoint" in TASK.check(q, "<<<go right then up>>>").reason
    assert TASK.check(q, "<<<[(-1.3, -1.3, 0), (1.3, 1.3)]>>>").verdict == "incorrect"


def test_waypoints_are_read_from_lists_and_loose_text():
    q = _question("Go to the green box. Never enter the red box.")
    assert TASK.check(q, "<<<[[-1.3, -1.3], [1.0, -1.0], [1.3, 1.3]]>>>").verdict == "correct"
    assert TASK.check(q, "<<<(-1.3, -1.3) -> (1.0, -1.0) -> (1.3, 1.3)>>>").verdict == "correct"


def test_the_original_benchmark_wording_is_understood():
    rule = pp.parse_instruction(
        "At some point go to the yellow box, and at some point go to the red box, and enter the green box, "
        "and always do not enter the blue area.", ["yellow", "red", "green", "blue", "pink"])
    assert rule == {"text": rule["text"], "visit": ["yellow", "red", "green"], "ordered": False, "avoid": ["blue"]}
    rule = pp.parse_instruction("Visit blue region during your trajectory, but never enter all the other colored boxes.",
                                ["yellow", "red", "blue"])
    assert rule["visit"] == ["blue"] and rule["avoid"] == ["yellow", "red"]


def test_a_question_that_is_not_path_plan_is_refused_by_check_with_what_is_missing():
    with pytest.raises(ValueError, match="not a Path Plan question"):
        TASK.check("What is 2 + 2?", "<<<[(0, 0)]>>>")


def test_the_task_is_registered_with_the_paper_title():
    assert TASK.title == "Path Plan" and TASK.seen and TASK.check is not None


@pytest.mark.parametrize("num_boxes", [1, 11])
def test_an_impossible_box_count_is_refused_with_the_allowed_range(num_boxes):
    with pytest.raises(ValueError, match="num_boxes"):
        TASK.generate(0, num_boxes=num_boxes)
