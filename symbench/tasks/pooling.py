"""Pooling: max or average pooling of an N*N matrix with an n*n window sliding one step
at a time (an (N-n+1)*(N-n+1) result).

The result follows from the question alone, so ``reference_check`` recomputes it from the matrix
in the question (averages exactly, as fractions).
"""

from __future__ import annotations

import json
import random
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

from .._judging import STRICT_REL_TOL, flatten, numbers_match
from ..extract import answer_or_last_line, strip_wrapping, to_fraction
from ..types import Sample, Score, ScoringMode, Task
from ._common import load_folder, question_build

NAME = "pooling"
FOLDER = "pooling_dataset"
_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?(?:/\d+)?")

# The original's complexity levels: (matrix size N, window n, pooling types).
COMPLEXITY = {1: (3, 2, ("max",)), 2: (4, 2, ("max", "average")), 3: (5, 3, ("max", "average")), 4: (6, 3, ("average", "max"))}


def pool(matrix: list[list[int]], window: int, kind: str) -> list[list[Fraction]]:
    """Slide a ``window``*``window`` window one step at a time; max or exact average of each."""
    n = len(matrix)
    if not 1 <= window <= n or any(len(row) != n for row in matrix):
        raise ValueError(f"need a square matrix and a window no larger than it (got {n} rows, window {window})")
    out = []
    for i in range(n - window + 1):
        row = []
        for j in range(n - window + 1):
            cells = [Fraction(matrix[i + di][j + dj]) for di in range(window) for dj in range(window)]
            row.append(max(cells) if kind == "max" else sum(cells, Fraction(0)) / len(cells))
        out.append(row)
    return out


def parse_question(question: str) -> dict[str, Any]:
    """Pooling kind, window size and matrix from the question text."""
    kind = re.search(r"perform (max|average) pooling", question)
    window = re.search(r"using a (\d+)\*\1 sliding window", question)
    if not kind or not window:
        raise ValueError("not a pooling question: expected 'perform max|average pooling ... using a n*n sliding window'")
    body = question[window.end() :].split("For example")[0]
    rows = [[int(v) for v in re.findall(r"-?\d+", line)] for line in body.splitlines() if re.search(r"\d", line)]
    if not rows or any(len(r) != len(rows) for r in rows):
        raise ValueError("the question's matrix is not square")
    return {"pooling_type": kind.group(1), "window_size": int(window.group(1)), "matrix": rows}


def _numbers(response: str) -> tuple[list[str], str | None]:
    answer = answer_or_last_line(response)
    if answer is None:
        return [], None
    return _NUMBER.findall(strip_wrapping(answer)), answer


def _score(expected: list[list[Fraction]], response: str) -> Score:
    tokens, answer = _numbers(response)
    want = flatten(expected)
    if len(tokens) != len(want):
        return Score.incorrect(f"expected {len(want)} numbers ({len(expected)}x{len(expected)}), found {len(tokens)} in {answer!r}", parsed=answer)
    for k, (written, gold) in enumerate(zip(tokens, want)):
        try:
            value = to_fraction(written)
        except ValueError as exc:
            return Score.incorrect(f"cell {k + 1} is unreadable: {exc}", parsed=answer)
        if not numbers_match(value, gold, rel_tol=STRICT_REL_TOL, written=written if "/" not in written else None):
            row, col = divmod(k, len(expected))
            return Score.incorrect(f"cell ({row}, {col}) is {written}, should be {float(gold):g}", parsed=tokens)
    return Score.correct(parsed=[float(to_fraction(t)) for t in tokens])


def reference_check(question: str, response: str) -> Score:
    meta = parse_question(question)
    return _score(pool(meta["matrix"], meta["window_size"], meta["pooling_type"]), response)


def verify(sample: Sample, response: str, mode: ScoringMode = "strict") -> Score:
    """strict: every cell numerically equal to the recomputed result (relative 1e-6, or
    correctly rounded with 3+ significant digits). faithful: the original's parse, every
    comma-separated item an integer literal, the list equal to the stored gold."""
    if mode == "faithful":
        return _faithful(sample, response)
    meta = sample.metadata
    return _score(pool(meta["matrix"], meta["window_size"], meta["pooling_type"]), response)


def _faithful(sample: Sample, response: str) -> Score:
    answer = answer_or_last_line(response)
    if answer is None:
        return Score.incorrect("no answer found")
    # The original's GPT-4o extraction returned the numbers as a flat comma-separated list.
    flat = re.sub(r"[\[\]()\s]", "", strip_wrapping(answer))
    try:
        values = [int(part) for part in flat.split(",")]
    except ValueError:
        return Score.incorrect("answer format is not correct (the original parsed each item as an integer)", parsed=answer)
    gold = flatten(sample.gold)
    if len(values) != len(gold):
        return Score.incorrect("number of position in the board is not correct", parsed=values)
    if values != gold:
        return Score.incorrect("answer is not correct", parsed=values)
    return Score.correct(parsed=values)


def render_gold(sample: Sample) -> str:
    return f"<<<{json.dumps(sample.gold)}>>>"


def gold_defect(sample: Sample) -> str | None:
    meta = sample.metadata
    expected = flatten(pool(meta["matrix"], meta["window_size"], meta["pooling_type"]))
    stored = flatten(sample.gold)
    if len(stored) != len(expected) or any(not numbers_match(Fraction(str(s)), e, rel_tol=STRICT_REL_TOL) for s, e in zip(stored, expected)):
        return "the stored result differs from the pooling of the question's matrix"
    return None


def load(data_dir: Path) -> list[Sample]:
    """Every ``sample_<n>`` folder of pooling_dataset, in numeric order; ids are the folder names."""
    build = question_build(parse_question, "solution", required=True)
    return load_folder(data_dir, FOLDER, NAME, build, prefix_ids=False)


def render_question(matrix: list[list[int]], window: int, kind: str) -> str:
    verb = "finding the maximum value" if kind == "max" else "calculating the average value"
    values = "maximum values" if kind == "max" else "average values"
    rows = "\n".join(", ".join(str(v) for v in row) for row in matrix)
    return (
        "In an N*N grid, there are N^2 numbers, with numbers in the same row separated by commas. "
        f'We define the "{kind} pooling" operation: suppose that there is an n*n (n<N) sliding window, which slides '
        f"from left to right or from top to bottom in the matrix, {verb} in each sliding window. Then, the {values} "
        "are arranged according to their original positions to form a new matrix for output.\n"
        f"Now, please perform {kind} pooling on the following matrix by using a {window}*{window} sliding window:\n"
        f"{rows}\nFor example, <<<0,0,0,0>>> represents a 2D array."
    )


def generate(seed: int, complexity: int = 2, pooling_type: str | None = None) -> Sample:
    """A matrix of integers in -10..20 sized by ``complexity`` as in the original (1: 3x3
    window 2; 2: 4x4 window 2; 3: 5x5 window 3; 4: 6x6 window 3); ``pooling_type`` max or
    average (when None, drawn from the kinds the original used at that complexity). The gold is the exact result (averages as floats)."""
    if complexity not in COMPLEXITY:
        raise ValueError(f"complexity must be one of {sorted(COMPLEXITY)}, got {complexity}")
    if pooling_type not in (None, "max", "average"):
        raise ValueError(f"pooling_type must be 'max', 'average' or None, got {pooling_type!r}")
    rng = random.Random(seed)
    size, window, kinds = COMPLEXITY[complexity]
    kind = pooling_type or rng.choice(kinds)
    matrix = [[rng.randint(-10, 20) for _ in range(size)] for _ in range(size)]
    result = pool(matrix, window, kind)
    gold = [[int(v) if v.denominator == 1 and kind == "max" else float(v) for v in row] for row in result]
    return Sample(
        task=NAME,
        id=f"generated-{seed}",
        question=render_question(matrix, window, kind),
        metadata={"matrix": matrix, "window_size": window, "pooling_type": kind, "complexity": complexity},
        gold=gold,
        source=f"generated:{seed}",
    )


TASK = Task(
    name=NAME,
    title="Pooling",
    seen=True,
    category="math",
    load=load,
    generate=generate,
    verify=verify,
    check=None,
    reference_check=reference_check,
    data_dirs=(FOLDER,),
    knobs={"complexity": 2, "pooling_type": None},
    render_gold=render_gold,
    gold_defect=gold_defect,
    modes_note=(
        "strict recomputes the pooling from the question's matrix and compares every cell numerically (relative "
        "1e-6, or correctly rounded to the places written with at least 3 significant digits, e.g. 2.33 for 7/3; "
        "fractions like 7/3 are read exactly). faithful reproduces the original: the items must be integer literals "
        "equal to the stored gold, so an average-pooling answer with any non-integer cell can never score."
    ),
)
