"""Standard Sudoku: fill a 9 x 9 grid so every row, column and 3 x 3 box holds 1..9 once,
keeping the given digits.

Data: ``standard_sudoku/sample_<n>`` with question.txt (rows of comma-separated cells,
blank when empty) and solution.json (puzzle with 0 for empty, solution, complexity).
Answers are checked by the rules against the givens, so any valid completion counts.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

from ..extract import answer_or_last_line, digit_grid
from ..types import Sample, Score, ScoringMode, Task
from ._common import load_folder, question_instance

NAME = "standard_sudoku"
FOLDER = "standard_sudoku"
SIZE = 9

Grid = list[list[int]]


def question_for(puzzle: Grid) -> str:
    rows = "\n".join(",".join(str(v) if v else " " for v in row) for row in puzzle)
    return (
        "Given a 9*9 Sudoku grid, each cell must be filled with a number between 1 and 9. No number may appear more "
        "than once in the same row, column, or 3*3 subgrid. Some cells are pre-filled. Please fill the remaining "
        f"empty cells.\n{rows}\n\nReturn your answer in the format: <<<a 9*9 matrix>>>."
    )


def parse_question(question: str) -> Grid:
    """The givens: the question's nine lines of nine comma-separated cells (a digit or blank)."""
    rows = []
    for line in question.splitlines():
        cells = line.split(",")
        if len(cells) == SIZE and all(re.fullmatch(r"\s*[1-9]?\s*", cell) for cell in cells):
            rows.append([int(cell) if cell.strip() else 0 for cell in cells])
    if len(rows) != SIZE:
        raise ValueError(f"expected 9 rows of 9 comma-separated cells, found {len(rows)}")
    return rows


def rule_violation(grid: Grid) -> str | None:
    """The first broken rule of a full grid, or None when it is a valid Sudoku solution."""
    units = (
        [("row", r, [(r, c) for c in range(SIZE)]) for r in range(SIZE)]
        + [("column", c, [(r, c) for r in range(SIZE)]) for c in range(SIZE)]
        + [
            ("box", b, [(3 * (b // 3) + i, 3 * (b % 3) + j) for i in range(3) for j in range(3)])
            for b in range(SIZE)
        ]
    )
    for kind, index, cells in units:
        values = [grid[r][c] for r, c in cells]
        if sorted(values) != list(range(1, SIZE + 1)):
            seen = set()
            for (r, c), v in zip(cells, values):
                if not 1 <= v <= SIZE:
                    return f"cell ({r}, {c}) holds {v}, not a digit 1-9"
                if v in seen:
                    return f"{v} appears twice in {kind} {index} (0-based), e.g. at ({r}, {c})"
                seen.add(v)
    return None


def score_grid(puzzle: Grid, answer_text: str) -> Score:
    raw = answer_or_last_line(answer_text)
    if raw is None:
        return Score.incorrect("no answer found; write the grid as <<<[[...], ...]>>>")
    try:
        grid = digit_grid(raw, SIZE, SIZE)
    except ValueError as exc:
        return Score.incorrect(f"could not read a 9x9 grid: {exc}")
    for r in range(SIZE):
        for c in range(SIZE):
            if puzzle[r][c] and puzzle[r][c] != grid[r][c]:
                return Score.incorrect(
                    f"cell ({r}, {c}) was given as {puzzle[r][c]} but the answer has {grid[r][c]}", parsed=grid
                )
    broken = rule_violation(grid)
    if broken:
        return Score.incorrect(broken, parsed=grid)
    return Score.correct(parsed=grid, reason="a valid completion of the givens")


def verify(sample: Sample, answer_text: str, mode: ScoringMode = "strict") -> Score:
    return score_grid(sample.metadata["puzzle"], answer_text)


def check(question: str, answer_text: str) -> Score:
    puzzle = question_instance(parse_question, question, "not a Sudoku question: ")
    return score_grid(puzzle, answer_text)


def render_gold(sample: Sample) -> str:
    return "<<<" + json.dumps(sample.gold) + ">>>"


def _build(question: str, solution: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    return {"puzzle": solution["puzzle"], "complexity": solution.get("complexity")}, solution["solution"]


def load(data_dir: Path) -> list[Sample]:
    return load_folder(data_dir, FOLDER, NAME, _build)


def _random_solution(rng: random.Random) -> Grid:
    """A random valid grid: the standard pattern with digits relabelled, rows and columns shuffled
    within their bands and stacks, bands and stacks shuffled, and maybe transposed."""
    digits = list(range(1, SIZE + 1))
    rng.shuffle(digits)

    def order() -> list[int]:
        bands = rng.sample(range(3), 3)
        return [3 * band + i for band in bands for i in rng.sample(range(3), 3)]

    rows, cols = order(), order()
    grid = [[digits[(3 * (r % 3) + r // 3 + c) % SIZE] for c in cols] for r in rows]
    if rng.random() < 0.5:
        grid = [list(col) for col in zip(*grid)]
    return grid


def generate(seed: int, empty_cells: int = 52) -> Sample:
    """A random valid grid with ``empty_cells`` cells cleared (the data has 51 to 55); gold is
    the full grid (other completions are accepted too)."""
    if not 0 <= empty_cells <= SIZE * SIZE:
        raise ValueError("empty_cells must be between 0 and 81")
    rng = random.Random(seed)
    solution = _random_solution(rng)
    cleared = set(rng.sample(range(SIZE * SIZE), empty_cells))
    puzzle = [[0 if r * SIZE + c in cleared else solution[r][c] for c in range(SIZE)] for r in range(SIZE)]
    return Sample(
        task=NAME,
        id=f"generated-{seed}",
        question=question_for(puzzle),
        metadata={"puzzle": puzzle, "complexity": None},
        gold=solution,
        source=f"generated:{seed}",
    )


TASK = Task(
    name=NAME,
    title="Standard Sudoku",
    seen=True,
    category="puzzle",
    load=load,
    generate=generate,
    verify=verify,
    check=check,
    render_gold=render_gold,
    data_dirs=(FOLDER,),
    knobs={"empty_cells": 52},
    modes_note=(
        "strict and faithful score alike: any grid that keeps the givens and follows the rules is correct, as the "
        "original scorer decided; strict also reads grids written as rows of digits, not only as JSON."
    ),
)
