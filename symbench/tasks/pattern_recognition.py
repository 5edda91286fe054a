"""Pattern Recognition: find the square of one repeated character (side >= 3) in a letter matrix.

A square here is a k*k block (k >= 3) whose every cell holds the same character; the answer
is the bottom-right corner of the largest one, i.e. of the square not contained in a larger
one. The questions promise it is unique, so ``reference_check`` finds it in the question's matrix.
"""

from __future__ import annotations

import random
import re
import string
from pathlib import Path
from typing import Any

from ..types import Sample, Score, ScoringMode, Task
from ._grids import answer_text, load_folder

NAME = "pattern_recognition"
FOLDER = "pattern_recognition"
MIN_SIDE = 3
# complexity -> (rows range, cols range, side range): 3-5 as in the original data (which has
# only those), 1-2 smaller
_LEVELS = {1: ((5, 8), (5, 8), (3, 3)), 2: ((8, 12), (8, 12), (3, 4)), 3: ((12, 15), (11, 15), (3, 4)),
           4: ((9, 15), (8, 15), (3, 5)), 5: ((6, 15), (6, 15), (3, 6))}


def maximal_squares(matrix: list[list[str]]) -> list[tuple[int, int, int]]:
    """(bottom row, right column, side) of every same-character square of side >= 3 that lies
    inside no larger such square."""
    rows, cols = len(matrix), len(matrix[0])
    # side[r][c]: the largest uniform square ending at (r, c), by the usual dynamic programme
    side = [[1] * cols for _ in range(rows)]
    for r in range(1, rows):
        for c in range(1, cols):
            ch = matrix[r][c]
            if matrix[r - 1][c] == ch and matrix[r][c - 1] == ch and matrix[r - 1][c - 1] == ch:
                side[r][c] = 1 + min(side[r - 1][c], side[r][c - 1], side[r - 1][c - 1])
    squares = [(r, c, side[r][c]) for r in range(rows) for c in range(cols) if side[r][c] >= MIN_SIDE]

    def inside(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
        (ar, ac, ak), (br, bc, bk) = a, b
        return ak < bk and br - bk < ar - ak + 1 and ar <= br and bc - bk < ac - ak + 1 and ac <= bc

    return [sq for sq in squares if not any(inside(sq, other) for other in squares)]


def solve(matrix: list[list[str]]) -> tuple[int, int]:
    """The bottom-right corner of the one maximal square; ValueError when there is none or several."""
    found = maximal_squares(matrix)
    if len(found) != 1:
        raise ValueError(f"expected exactly one square of side >= {MIN_SIDE}, found {len(found)}")
    return found[0][0], found[0][1]


def parse_question(question: str) -> dict[str, Any]:
    match = re.search(r"If the matrix is\s*\n(.*?)\n\s*Please provide", question, re.DOTALL)
    if not match:
        raise ValueError("the question has no matrix between 'If the matrix is' and 'Please provide'")
    rows = [line.split() for line in match.group(1).strip().splitlines() if line.strip()]
    if not rows or len({len(r) for r in rows}) != 1:
        raise ValueError("the matrix is not a rectangle")
    return {"matrix": rows}


def parse_answer(text: str) -> tuple[int, int]:
    numbers = [int(x) for x in re.findall(r"-?\d+", text)]
    if len(numbers) != 2:
        raise ValueError(f"expected [row, column], found {len(numbers)} numbers")
    return numbers[0], numbers[1]


def _score(expected: tuple[int, int], response: str) -> Score:
    text = answer_text(response)
    if text is None:
        return Score.incorrect("no answer found; write the corner as <<<[row, column]>>>")
    try:
        got = parse_answer(text)
    except ValueError as exc:
        return Score.incorrect(f"unreadable answer: {exc}")
    if got != tuple(expected):
        return Score.incorrect(f"the square's bottom-right corner is {list(expected)}, not {list(got)}", parsed=list(got))
    return Score.correct(parsed=list(got))


def reference_check(question: str, response: str) -> Score:
    return _score(solve(parse_question(question)["matrix"]), response)


def verify(sample: Sample, response: str, mode: ScoringMode = "strict") -> Score:
    expected = solve(sample.metadata["matrix"]) if mode == "strict" else tuple(sample.gold)
    return _score(expected, response)


def _build(question: str, solution: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    meta = parse_question(question)
    meta["complexity"] = solution.get("complexity")
    return meta, [solution.get("row"), solution.get("column")]


def load(data_dir: Path) -> list[Sample]:
    """The ``sample_<n>`` folders only: the folder's pattern_recognition_dataset.json is another
    copy of the original release (it also lists samples that are kept back here)."""
    return load_folder(data_dir, FOLDER, NAME, _build)


def render_question(meta: dict[str, Any]) -> str:
    body = "\n".join(" ".join(row) for row in meta["matrix"])
    return (
        "Given a character matrix, your task is to identify the positions of all squares with a length of at least "
        "3 and output the row and column numbers of the bottom-right corner of these squares. The squares are "
        "composed of the same character, and each side has a length of at least 3.\n\n"
        f"If the matrix is\n\n{body}\n\n"
        "Please provide the row and column of the bottom-right vertex of the square in the character matrix with a "
        "side length of at least 3 (the answer is unique). Notice: All coordinates start from 0.  \n\n"
        "Your answer should be in the format <<<[row, column]>>>."
    )


def generate(seed: int, complexity: int = 5) -> Sample:
    """A random matrix (size by ``complexity`` 1-5) with one planted uniform square; redrawn until
    the planted square is the only one, so the answer is unique."""
    if complexity not in _LEVELS:
        raise ValueError(f"complexity must be one of {sorted(_LEVELS)}, got {complexity}")
    rng = random.Random(seed)
    (r_lo, r_hi), (c_lo, c_hi), (k_lo, k_hi) = _LEVELS[complexity]
    while True:
        rows, cols = rng.randint(r_lo, r_hi), rng.randint(c_lo, c_hi)
        k = min(rng.randint(k_lo, k_hi), rows, cols)
        matrix = [[rng.choice(string.ascii_uppercase) for _ in range(cols)] for _ in range(rows)]
        top, left, ch = rng.randint(0, rows - k), rng.randint(0, cols - k), rng.choice(string.ascii_uppercase)
        for r in range(top, top + k):
            for c in range(left, left + k):
                matrix[r][c] = ch
        if maximal_squares(matrix) == [(top + k - 1, left + k - 1, k)]:
            break
    meta = {"matrix": matrix, "complexity": complexity}
    return Sample(task=NAME, id=f"generated:{seed}", question=render_question(meta), metadata=meta,
                  gold=[top + k - 1, left + k - 1], source=f"generated:{seed}")


def render_gold(sample: Sample) -> str:
    return f"<<<[{sample.gold[0]}, {sample.gold[1]}]>>>"


TASK = Task(
    name=NAME,
    title="Pattern Recognition",
    seen=True,
    category="spatial",
    load=load,
    generate=generate,
    verify=verify,
    check=None,
    reference_check=reference_check,
    data_dirs=(FOLDER,),
    knobs={"complexity": 5},
    render_gold=render_gold,
    modes_note="strict finds the square in the question's matrix; faithful compares with the stored corner "
    "(they agree on every stored sample).",
)
