"""Matrix Transformation: clockwise rotation, answer formats, stored golds, generator."""

from gold_checks import assert_stored_golds_verify
from symbench.registry import get_task
from symbench.tasks import matrix_transformation as mt

TASK = get_task("matrix_transformation")


def test_rotation_is_clockwise_and_swaps_the_shape():
    assert mt.rotate_clockwise([["Q", "R"], ["J", "H"]]) == [["J", "Q"], ["H", "R"]]
    assert mt.rotate_clockwise([["A", "B", "C"], ["D", "E", "F"]]) == [["D", "A"], ["E", "B"], ["F", "C"]]


def test_the_full_stop_after_the_last_row_is_not_read_as_a_cell():
    question = mt.render_question({"matrix": [["A", "#"], ["%", "9"]]})
    assert mt.parse_question(question)["matrix"] == [["A", "#"], ["%", "9"]]


def test_every_stored_gold_verifies_in_both_modes_and_by_the_question_alone(samples):
    assert_stored_golds_verify(TASK, samples, 180)


def test_nested_lists_rows_and_quoted_cells_are_accepted(samples):
    sample = next(s for s in samples if len(s.metadata["matrix"]) == 3 and len(s.metadata["matrix"][0]) == 4)
    rows = mt.reference(sample.metadata)
    nested = "[" + ", ".join("[" + ", ".join(f"'{c}'" for c in r) + "]" for r in rows) + "]"
    assert TASK.verify(sample, f"<<<{nested}>>>", "strict").verdict == "correct"
    assert TASK.verify(sample, "<<<" + "\n".join(" ".join(r) for r in rows) + ">>>", "strict").verdict == "correct"


def test_one_changed_cell_a_missing_cell_and_the_wrong_shape_are_rejected(samples):
    sample = next(s for s in samples if len(s.metadata["matrix"]) == 3 and len(s.metadata["matrix"][0]) == 4)
    cells = sample.gold.split(",")
    changed = cells[:]
    changed[5] = "Z" if changed[5] != "Z" else "Y"
    assert TASK.verify(sample, "<<<" + ",".join(changed) + ">>>", "strict").verdict == "incorrect"
    assert TASK.verify(sample, "<<<" + ",".join(cells[:-1]) + ">>>", "strict").verdict == "incorrect"
    # the right cells in the original (unrotated) shape: 3 rows of 4 instead of 4 rows of 3
    wrong_shape = "\n".join(" ".join(cells[i : i + 4]) for i in range(0, 12, 4))
    score = TASK.verify(sample, f"<<<{wrong_shape}>>>", "strict")
    assert score.verdict == "incorrect" and "rows" in score.reason


def test_generator_is_deterministic_and_its_gold_verifies_for_100_seeds():
    assert mt.generate(4).question == mt.generate(4).question
    for seed in range(100):
        sample = mt.generate(seed, complexity=1 + seed % 5)
        assert TASK.reference_check(sample.question, TASK.gold_answer(sample)).verdict == "correct"
        assert TASK.verify(sample, TASK.gold_answer(sample), "faithful").verdict == "correct"
    assert len(mt.generate(1, rows=5, cols=2).metadata["matrix"]) == 5
