"""Matrix Transformation: rotate a character matrix 90 degrees clockwise.

The result follows from the question alone, so ``reference_check`` recomputes the rotation. Answers
are read as a flat comma list (the requested format) or as a nested list / rows; a nested
answer must also have the rotated shape.
"""

from __future__ import annotations

import random
import re
import string
from pathlib import Path
from typing import Any

from ..extract import parse_literal
from ..types import Sample, Score, ScoringMode, Task
from ._grids import answer_text, flat_grid, load_folder, score_cells

NAME = "matrix_transformation"
FOLDER = "matrix_transformation_dataset"
SYMBOLS = "!#$%&*@^"
ALPHABET = string.ascii_uppercase + "123456789" + SYMBOLS
# complexity -> (rows, cols): the five shapes of the original data, smallest first
_LEVELS = {1: (2, 2), 2: (2, 3), 3: (3, 3), 4: (3, 4), 5: (4, 4)}


def rotate_clockwise(matrix: list[list[str]]) -> list[list[str]]:
    return [list(row) for row in zip(*matrix[::-1])]


def parse_question(question: str) -> dict[str, Any]:
    match = re.search(r"If the matrix is\s*\n(.*?)\n\s*What is the result\?", question, re.DOTALL)
    if not match:
        raise ValueError("the question has no matrix between 'If the matrix is' and 'What is the result?'")
    rows = [line.split() for line in match.group(1).strip().splitlines() if line.strip()]
    last = rows[-1][-1]
    if len(last) == 2 and last.endswith("."):  # the sentence's full stop is glued to the last cell
        rows[-1][-1] = last[0]
    if any(len(cell) != 1 for row in rows for cell in row) or len({len(r) for r in rows}) != 1:
        raise ValueError("the matrix is not a rectangle of single characters")
    return {"matrix": rows}


def reference(meta: dict[str, Any]) -> list[list[str]]:
    return rotate_clockwise(meta["matrix"])


def parse_answer(text: str) -> tuple[list[str], list[int] | None]:
    """Flat cells, plus the row lengths when the answer was written as rows (else None)."""
    try:
        value = parse_literal(text)
    except ValueError:
        value = None
    if isinstance(value, (list, tuple)) and value and all(isinstance(r, (list, tuple)) for r in value):
        rows = [[str(c).strip() for c in r] for r in value]
        return flat_grid(rows), [len(r) for r in rows]
    if isinstance(value, (list, tuple)):
        return [str(c).strip() for c in value], None
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    rows = [[c.strip() for c in re.split(r"[,\s]+", ln.strip().strip("[],")) if c.strip()] for ln in lines]
    if len(rows) > 1:
        return flat_grid(rows), [len(r) for r in rows]
    return rows[0] if rows else [], None


def _score(expected: list[list[str]], response: str) -> Score:
    text = answer_text(response)
    if text is None:
        return Score.incorrect("no answer found; write the rotated matrix as <<<A,B,C,D>>>")
    cells, shape = parse_answer(text)
    if shape is not None and shape != [len(r) for r in expected]:
        return Score.incorrect(
            f"the rows have lengths {shape}; the rotated matrix has {len(expected)} rows of {len(expected[0])}",
            parsed=cells,
        )
    return score_cells(flat_grid(expected), cells, "cell")


def reference_check(question: str, response: str) -> Score:
    return _score(reference(parse_question(question)), response)


def verify(sample: Sample, response: str, mode: ScoringMode = "strict") -> Score:
    expected = reference(sample.metadata) if mode == "strict" else sample.metadata["stored_solution"]
    return _score(expected, response)


def _build(question: str, solution: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    meta = parse_question(question)
    meta["complexity"] = solution.get("complexity")
    meta["stored_solution"] = solution.get("solution")
    return meta, solution.get("formatted_solution")


def load(data_dir: Path) -> list[Sample]:
    return load_folder(data_dir, FOLDER, NAME, _build)


def render_question(meta: dict[str, Any]) -> str:
    body = "\n".join(" ".join(row) for row in meta["matrix"])
    return (
        "Given a 2D array of strings, which represents a letter matrix. Your task is to rotate this matrix "
        "90 degrees clockwise and output the result.\n"
        f"If the matrix is \n{body}.\nWhat is the result?\n"
        "Return your answer with format <<<list of values and symbols>>>, For example, <<<A,B,C,D>>> "
        "represents a 2D array."
    )


def generate(seed: int, complexity: int = 5, rows: int | None = None, cols: int | None = None) -> Sample:
    """``complexity`` 1-5 sets the matrix shape as in the original (overridable); cells are letters,
    digits 1-9 and the symbols the original used."""
    if complexity not in _LEVELS:
        raise ValueError(f"complexity must be one of {sorted(_LEVELS)}, got {complexity}")
    rng = random.Random(seed)
    r, c = rows or _LEVELS[complexity][0], cols or _LEVELS[complexity][1]
    pool = string.ascii_uppercase if complexity <= 2 else ALPHABET
    matrix = [[rng.choice(pool) for _ in range(c)] for _ in range(r)]
    meta = {"matrix": matrix, "complexity": complexity}
    meta["stored_solution"] = reference(meta)
    return Sample(task=NAME, id=f"generated:{seed}", question=render_question(meta), metadata=meta,
                  gold=",".join(flat_grid(meta["stored_solution"])), source=f"generated:{seed}")


TASK = Task(
    name=NAME,
    title="Matrix Transformation",
    seen=True,
    category="spatial",
    load=load,
    generate=generate,
    verify=verify,
    check=None,
    reference_check=reference_check,
    data_dirs=(FOLDER,),
    knobs={"complexity": 5, "rows": None, "cols": None},
    modes_note="strict recomputes the rotation from the matrix in the question; faithful compares with the "
    "stored solution (they agree on every stored sample).",
)
