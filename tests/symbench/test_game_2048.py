"""2048 (single tile): moving, merging, blocking, matrix answers, stored golds, generator."""

import pytest

from gold_checks import assert_stored_golds_verify
from symbench.tasks import game_2048 as g2048

TASK = g2048.TASK


def test_a_tile_moves_into_empty_cells_and_stops_at_a_different_number_or_the_edge():
    grid = [[0, 16], [4, 2]]
    assert g2048.simulate(grid, (0, 1), "dl") == [[16, 0], [4, 2]]  # 'd' blocked by 2, 'l' moves
    assert g2048.simulate(grid, (0, 1), "ur") == grid  # off the grid both times
    assert grid == [[0, 16], [4, 2]]  # the input is not changed


def test_a_tile_merges_with_an_equal_number_and_the_doubled_tile_moves_on():
    grid = [[2, 2, 0], [0, 0, 4], [0, 0, 0]]
    assert g2048.simulate(grid, (0, 0), "rrd") == [[0, 0, 0], [0, 0, 8], [0, 0, 0]]


def test_stored_golds_verify_in_both_modes_and_by_question_alone(samples):
    assert_stored_golds_verify(TASK, samples, 180)


def test_every_stored_question_is_rendered_back_exactly(samples):
    for sample in samples:
        meta = sample.metadata
        assert g2048.render_question(meta["grid"], tuple(meta["start"]), meta["moves"]) == sample.question


@pytest.mark.parametrize(
    "written",
    ["<<<[[16, 0], [4, 2]]>>>", "<<<16 0; 4 2>>>", "<<<[16, 0]\n[4, 2]>>>", "<<<[16, 0, 4, 2]>>>", "<<<\n16, 0\n4, 2\n>>>"],
)
def test_matrices_written_in_common_layouts_are_read(samples, written):
    sample = next(s for s in samples if s.id.endswith("/sample_0"))
    assert TASK.reference_check(sample.question, written).verdict == "correct"


def test_one_changed_cell_or_a_wrong_shape_is_rejected(samples):
    sample = next(s for s in samples if s.id.endswith("/sample_0"))
    wrong = TASK.reference_check(sample.question, "<<<16, 0\n2, 4>>>")
    assert wrong.verdict == "incorrect" and "cell (2, 1)" in wrong.reason
    assert "could not read" in TASK.reference_check(sample.question, "<<<16, 0, 4>>>").reason
    assert TASK.reference_check(sample.question, "<<<0, 16\n4, 2>>>").verdict == "incorrect"  # not moved


def test_a_position_outside_the_grid_is_refused():
    question = g2048.render_question([[2, 0], [0, 0]], (0, 0), "r").replace("position (1, 1)", "position (3, 1)")
    with pytest.raises(ValueError, match="outside the grid"):
        TASK.reference_check(question, "<<<0, 2\n0, 0>>>")


def test_generated_samples_are_deterministic_sized_by_complexity_and_their_golds_verify():
    assert g2048.generate(6) == g2048.generate(6)
    for seed in range(100):
        complexity = 1 + seed % 5
        sample = g2048.generate(seed, complexity=complexity)
        n = len(sample.metadata["grid"])
        assert n in g2048.PLANS[complexity]["sizes"]
        start = sample.metadata["start"]
        assert sample.metadata["grid"][start[0]][start[1]] != 0
        answer = TASK.gold_answer(sample)
        assert TASK.verify(sample, answer, "strict").verdict == "correct"
        assert TASK.reference_check(sample.question, answer).verdict == "correct"
