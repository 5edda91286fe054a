from __future__ import annotations

import json

from symbench import get_task
from symbench.tasks.standard_sudoku import generate, parse_question

TASK = get_task("standard_sudoku")
SAMPLE = generate(11)
SOLUTION = SAMPLE.gold


def verdict(grid_text):
    return TASK.verify(SAMPLE, grid_text, "strict")


def test_sudoku_accepts_the_solution_as_json_or_rows_of_digits():
    assert verdict("<<<" + json.dumps(SOLUTION) + ">>>").verdict == "correct"
    rows = "\n".join("".join(str(v) for v in row) for row in SOLUTION)
    assert verdict(f"<<<\n{rows}\n>>>").verdict == "correct"
    spaced = "\n".join(" ".join(str(v) for v in row) for row in SOLUTION)
    assert verdict(f"<<<{spaced}>>>").verdict == "correct"


def test_sudoku_accepts_another_valid_completion_of_the_givens():
    puzzle = [[0] * 9 for _ in range(9)]
    open_sample = SAMPLE.model_copy(update={"metadata": {"puzzle": puzzle, "complexity": None}})
    relabelled = [[{1: 2, 2: 1}.get(v, v) for v in row] for row in SOLUTION]
    assert TASK.verify(open_sample, "<<<" + json.dumps(relabelled) + ">>>", "strict").verdict == "correct"


def test_sudoku_rejects_one_changed_cell():
    grid = [row[:] for row in SOLUTION]
    grid[0][0], grid[0][1] = grid[0][1], grid[0][0]
    score = verdict("<<<" + json.dumps(grid) + ">>>")
    assert score.verdict == "incorrect"


def test_sudoku_rejects_a_valid_grid_that_changes_a_given():
    relabel = {v: (v % 9) + 1 for v in range(1, 10)}
    grid = [[relabel[v] for v in row] for row in SOLUTION]
    score = verdict("<<<" + json.dumps(grid) + ">>>")
    assert score.verdict == "incorrect" and "given" in score.reason


def test_sudoku_rejects_a_malformed_grid():
    assert verdict("<<<[[1, 2, 3]]>>>").verdict == "incorrect"
    assert verdict("<<<a 9*9 matrix>>>").verdict == "incorrect"


def test_sudoku_check_reads_the_givens_from_the_question():
    assert parse_question(SAMPLE.question) == SAMPLE.metadata["puzzle"]
    assert TASK.check(SAMPLE.question, "<<<" + json.dumps(SOLUTION) + ">>>").verdict == "correct"


def test_sudoku_generator_clears_the_requested_number_of_cells():
    s = generate(2, empty_cells=60)
    assert sum(v == 0 for row in s.metadata["puzzle"] for v in row) == 60
