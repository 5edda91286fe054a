"""Light Puzzles: simulation of button presses, stored golds, generator."""

import pytest

from gold_checks import assert_stored_golds_verify
from symbench.registry import get_task
from symbench.tasks import light_puzzles as lp

TASK = get_task("light_puzzles")


def _flip_one(answer: str) -> str:
    cells = answer[3:-3].split(",")
    cells[0] = "1" if cells[0] == "0" else "0"
    return "<<<" + ",".join(cells) + ">>>"


def test_press_toggles_every_listed_light_once_per_press():
    grid = [[1, 0], [0, 1]]
    buttons = {"A": [(1, 1), (2, 1)], "B": [(2, 2)]}
    assert lp.simulate(grid, buttons, ["A"]) == [0, 0, 1, 1]
    assert lp.simulate(grid, buttons, ["A", "A", "B"]) == [1, 0, 0, 0]


def test_every_stored_gold_verifies_in_both_modes_and_by_the_question_alone(samples):
    assert_stored_golds_verify(TASK, samples, 180)


def test_sample_ids_name_the_folder_and_sample_and_are_unique(samples):
    ids = [s.id for s in samples]
    assert len(set(ids)) == len(ids)
    for sample in samples:
        assert sample.id == f"{lp.FOLDER}/{sample.source.rsplit('/', 1)[-1]}"


def test_one_changed_light_is_rejected_with_its_index(samples):
    sample = samples[0]
    score = TASK.verify(sample, _flip_one(TASK.gold_answer(sample)), "strict")
    assert score.verdict == "incorrect"
    assert "light 0" in score.reason


def test_wrong_length_and_stray_text_are_rejected(samples):
    sample = samples[0]
    cells = TASK.gold_answer(sample)[3:-3]
    assert TASK.verify(sample, f"<<<{cells},0>>>", "strict").verdict == "incorrect"
    assert "not a cell" in TASK.verify(sample, f"<<<{cells[:-1]}x>>>", "strict").reason


def test_rows_nested_lists_and_unmarked_last_lines_are_read(samples):
    sample = next(s for s in samples if s.metadata["n"] == 5)
    flat = [str(x) for x in sample.gold]
    rows = ["".join(flat[i : i + 5]) for i in range(0, 25, 5)]
    nested = "[" + ", ".join("[" + ", ".join(r) + "]" for r in rows) + "]"
    assert TASK.verify(sample, "<<<" + "\n".join(rows) + ">>>", "strict").verdict == "correct"
    assert TASK.verify(sample, f"The final grid is\n{nested}", "strict").verdict == "correct"


def test_generator_is_deterministic_and_its_gold_verifies_for_100_seeds():
    assert lp.generate(7).question == lp.generate(7).question
    assert lp.generate(7).question != lp.generate(8).question
    for seed in range(100):
        sample = lp.generate(seed, complexity=1 + seed % 4)
        assert sample.source == f"generated:{seed}"
        assert TASK.reference_check(sample.question, TASK.gold_answer(sample)).verdict == "correct"
        assert TASK.verify(sample, TASK.gold_answer(sample), "strict").verdict == "correct"


def test_generator_knobs_set_the_grid_and_button_counts():
    sample = lp.generate(3, complexity=2, n=6, rounds=5)
    assert sample.metadata["n"] == 6 and len(sample.metadata["presses"]) == 5
    assert len(sample.metadata["buttons"]) == 2
    with pytest.raises(ValueError):
        lp.generate(1, complexity=9)


def test_check_on_a_question_of_another_task_raises_a_value_error_naming_what_is_missing():
    with pytest.raises(ValueError, match="Given n="):
        TASK.reference_check("What is 2 + 2?", "<<<4>>>")
