"""Logical Puzzle: select k cells of a number grid under row/column constraints.

The rules, read from the question: exactly k distinct cells holding k different numbers,
the top-right cell among them, and for every row and every column the selected numbers
either sum to at most a bound or have a positive product (an empty row or column is
fine: the empty sum is 0 and the empty product 1). Many selections satisfy them, so any
valid selection is correct; ``check`` and ``verify`` both apply the rules.
"""

from __future__ import annotations

import itertools
import math
import random
import re
from pathlib import Path
from typing import Any

from ..types import Sample, Score, ScoringMode, Task
from ._grids import answer_text, load_folder

NAME = "logic_puzzle"
FOLDER = "logic_puzzle_dataset"
# complexity -> (n, k, rule, largest absolute value), as in the original data
_LEVELS = {
    1: (2, 3, "sum_le_4", 3), 2: (3, 4, "sum_le_4", 4), 3: (4, 6, "product_gt_0", 8),
    4: (5, 9, "product_gt_0", 8), 5: (5, 10, "product_gt_0", 10), 6: (6, 12, "product_gt_0", 12),
    7: (7, 16, "product_gt_0", 14), 8: (8, 18, "product_gt_0", 16), 9: (9, 20, "product_gt_0", 18),
    10: (10, 25, "product_gt_0", 20),
}


def violations(meta: dict[str, Any], cells: list[tuple[int, int]]) -> list[str]:
    """Every rule the selection breaks (empty when it is valid)."""
    grid, n, k = meta["grid"], meta["n"], meta["k"]
    problems = []
    if len(cells) != k:
        problems.append(f"selects {len(cells)} cells, the puzzle asks for {k}")
    outside = [c for c in cells if not (0 <= c[0] < n and 0 <= c[1] < n)]
    if outside:
        return problems + [f"positions {outside} are outside the {n}x{n} grid"]
    if len(set(cells)) != len(cells):
        problems.append("selects the same position twice")
    values = [grid[r][c] for r, c in cells]
    if len(set(values)) != len(values):
        problems.append(f"the selected numbers are not all different: {values}")
    first = tuple(meta["first"])
    if first not in cells:
        problems.append(f"the required first cell {first} is not selected")
    for axis, label in ((0, "row"), (1, "column")):
        for index in range(n):
            line = [grid[r][c] for r, c in set(cells) if (r, c)[axis] == index]
            if meta["rule"] == "sum_le" and sum(line) > meta["bound"]:
                problems.append(f"{label} {index} sums to {sum(line)} > {meta['bound']}")
            if meta["rule"] == "product_gt_0" and math.prod(line) <= 0:
                problems.append(f"{label} {index} has product {math.prod(line)} <= 0")
    return problems


def parse_question(question: str) -> dict[str, Any]:
    size = re.search(r"Given a (\d+)\*(\d+) grid", question)
    k = re.search(r"you must select (\d+) different numbers", question)
    first = re.search(r"as the first selected number", question)
    first_cell = re.search(r"square \((\d+),\s*(\d+)\) as the first selected number", question)
    if not (size and k and first and first_cell):
        raise ValueError("the question lacks the grid size, the count to select or the first cell")
    n = int(size.group(1))
    if "less than or equal to" in question:
        bound = re.search(r"less than or equal to (-?\d+)", question)
        rule, bound_value = "sum_le", int(bound.group(1))
    elif "must be greater than 0" in question:
        rule, bound_value = "product_gt_0", None
    else:
        raise ValueError("the question states neither a sum bound nor a positive product")
    rows = [
        [int(v) for v in line.split(",")]
        for line in question.splitlines()
        if re.fullmatch(r"\s*-?\d+(\s*,\s*-?\d+)*\s*", line) and line.count(",") == n - 1
    ]
    if len(rows) != n:
        raise ValueError(f"expected {n} grid rows of {n} comma-separated numbers, found {len(rows)}")
    return {"n": n, "k": int(k.group(1)), "grid": rows, "rule": rule, "bound": bound_value,
            "first": (int(first_cell.group(1)), int(first_cell.group(2)))}


def parse_answer(text: str) -> list[tuple[int, int]]:
    """Positions from '0 3, 1 0', '[[0,3],[1,0]]', '(0,3), (1,0)' and the like: the integers, paired."""
    numbers = [int(x) for x in re.findall(r"-?\d+", text)]
    if not numbers or len(numbers) % 2:
        raise ValueError(f"expected pairs of row and column numbers, got {len(numbers)} numbers")
    return [(numbers[i], numbers[i + 1]) for i in range(0, len(numbers), 2)]


def _score(meta: dict[str, Any], response: str) -> Score:
    text = answer_text(response)
    if text is None:
        return Score.incorrect("no answer found; write positions as <<<0 3, 1 0, 2 4>>>")
    try:
        cells = parse_answer(text)
    except ValueError as exc:
        return Score.incorrect(f"unreadable answer: {exc}")
    problems = violations(meta, cells)
    if problems:
        return Score.incorrect("; ".join(problems), parsed=cells)
    return Score.correct(parsed=cells, reason="every rule of the puzzle holds")


def check(question: str, response: str) -> Score:
    return _score(parse_question(question), response)


def score_faithful(sample: Sample, response: str) -> Score:
    """The original scorer: positions read as 'r c' pairs split at commas (reading stops at the
    first pair that is not two integers), as many as the stored solution has, and every row's
    and column's selected numbers within the sum bound or with a positive product. It did not
    check that the numbers differ, the required first cell, or positions off the grid."""
    meta = sample.metadata
    cells: list[tuple[int, int]] = []
    for part in (answer_text(response) or "").split(","):
        pieces = part.split()
        if len(pieces) != 2 or not all(re.fullmatch(r"-?\d{1,6}", p) for p in pieces):
            break
        cells.append((int(pieces[0]), int(pieces[1])))
    expected = len(sample.gold) if sample.gold is not None else meta["k"]
    if len(cells) != expected:
        return Score.incorrect(f"wrong number of selected positions ({len(cells)}, not {expected}; original scorer)")
    grid, n, chosen = meta["grid"], meta["n"], set(cells)
    for axis, label in ((0, "row"), (1, "column")):
        for index in range(n):
            line = [grid[r][c] for r, c in chosen if 0 <= r < n and 0 <= c < n and (r, c)[axis] == index]
            if meta["rule"] == "sum_le" and sum(line) > meta["bound"]:
                return Score.incorrect(f"{label} {index} sums to more than {meta['bound']} (original scorer)", parsed=cells)
            if meta["rule"] == "product_gt_0" and math.prod(line) <= 0:
                return Score.incorrect(f"{label} {index} has a product <= 0 (original scorer)", parsed=cells)
    return Score.correct(parsed=cells, reason="valid by the original scorer")


def verify(sample: Sample, response: str, mode: ScoringMode = "strict") -> Score:
    """strict: every rule of the puzzle; faithful: the original scorer (``score_faithful``)."""
    if mode == "faithful":
        return score_faithful(sample, response)
    return _score(sample.metadata, response)


_BRUTE_FORCE_CELLS = 16
"""Grids up to this many cells are searched exhaustively when explaining a broken gold."""


def solvable(meta: dict[str, Any]) -> bool | None:
    """Whether any valid selection exists; None when the grid is too large to search exhaustively."""
    n = meta["n"]
    if n * n > _BRUTE_FORCE_CELLS:
        return None
    others = [(r, c) for r in range(n) for c in range(n) if (r, c) != tuple(meta["first"])]
    return any(
        not violations(meta, [tuple(meta["first"]), *combo])
        for combo in itertools.combinations(others, meta["k"] - 1)
    )


def gold_defect(sample: Sample) -> str | None:
    """Why the stored selection is not a valid answer (None when it is)."""
    problems = violations(sample.metadata, [tuple(p) for p in sample.gold or []])
    if not problems:
        return None
    reason = "the stored selection breaks the puzzle's rules: " + "; ".join(problems)
    if solvable(sample.metadata) is False:
        reason += "; no selection satisfies them (the puzzle has no solution)"
    return reason


def _build(question: str, solution: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    meta = parse_question(question)
    meta["complexity"] = solution.get("complexity")
    return meta, [tuple(p) for p in solution.get("solution", [])]


def load(data_dir: Path) -> list[Sample]:
    return load_folder(data_dir, FOLDER, NAME, _build)


def render_question(meta: dict[str, Any]) -> str:
    n, grid = meta["n"], meta["grid"]
    values = [v for row in grid for v in row]
    if meta["rule"] == "sum_le":
        rule = f"The sum of the selected numbers in each row and each column should be less than or equal to {meta['bound']}."
    else:
        rule = "The product of each row and column of the selected number must be greater than 0."
    r, c = meta["first"]
    return (
        f"Given a {n}*{n} grid where each cell contains a number (between {min(values)} to {max(values)}), you must "
        f"select {meta['k']} different numbers from these cells. {rule} The numbers in the same row are separated by "
        "',', and the coordinate system uses the top-left cell as the coordinate (1,1), with the horizontal "
        "coordinate under the top-left cell increasing and the vertical coordinate to the right of the top-left "
        "cell increasing.\n"
        f"Using the number {grid[r][c]} in the top-rightmost square ({r},{c}) as the first selected number\n"
        + "\n".join(", ".join(str(v) for v in row) for row in grid)
        + "\n\nReturn your answer with the format <<<list of selected number positions>>>, where each position is "
        "given as row column (0-based indices). For example, <<<0 3, 1 0, 2 4>>> means numbers selected are at "
        "positions (0,3), (1,0), and (2,4)."
    )


def _plant(rng: random.Random, n: int, k: int, rule: str, top: int) -> tuple[list[list[int]], list[tuple[int, int]]]:
    """A grid with a selection planted in it (the rest of the grid is random); the caller checks it.

    For the product rule the selection is built from a few rectangles whose four corners are
    negated together: that keeps every row's and column's count of negatives even.
    """
    first = (0, n - 1)
    chosen = {first}
    rectangles = []
    if rule == "product_gt_0" and n > 1:
        for _ in range(rng.randint(1, max(1, k // 5))):
            r1, r2 = rng.sample(range(n), 2)
            c1, c2 = rng.sample(range(n), 2)
            corners = {(r1, c1), (r1, c2), (r2, c1), (r2, c2)}
            if len(chosen | corners) <= k:
                chosen |= corners
                rectangles.append(corners)
    free = [(r, c) for r in range(n) for c in range(n) if (r, c) not in chosen]
    cells = sorted(chosen) + rng.sample(free, k - len(chosen))
    rng.shuffle(cells)
    grid = [[0] * n for _ in range(n)]
    if rule == "sum_le":
        values = rng.sample(range(1, top + 1), k)
        rest = list(range(1, top + 1))
    else:
        negative = {cell for cell in cells if sum(cell in rect for rect in rectangles) % 2}
        positives = rng.sample(range(1, top + 1), min(top, k - len(negative)))
        negatives = [-v for v in rng.sample(range(1, top + 1), min(top, len(negative)))]
        values = [negatives.pop() if cell in negative else positives.pop() if positives else 0 for cell in cells]
        rest = [v for v in range(-top, top + 1) if v]
    for (r, c), v in zip(cells, values):
        grid[r][c] = v
    selected = set(cells)
    for r in range(n):
        for c in range(n):
            if (r, c) not in selected:
                grid[r][c] = rng.choice(rest)
    return grid, cells


def generate(seed: int, complexity: int = 10) -> Sample:
    """``complexity`` 1-10 sets grid size, count to select, rule and value range as in the original.

    A valid selection is planted, and retried until it meets the rules (the sum rule can fail
    for a random draw), so ``gold`` always verifies.
    """
    if complexity not in _LEVELS:
        raise ValueError(f"complexity must be one of {sorted(_LEVELS)}, got {complexity}")
    n, k, rule_name, top = _LEVELS[complexity]
    rng = random.Random(seed)
    rule = "sum_le" if rule_name == "sum_le_4" else rule_name
    for _ in range(1000):
        grid, cells = _plant(rng, n, k, rule, top)
        meta = {"n": n, "k": k, "grid": grid, "rule": rule, "bound": 4 if rule == "sum_le" else None,
                "first": (0, n - 1), "complexity": complexity}
        if not violations(meta, cells):
            break
    else:  # pragma: no cover - the small sum puzzles succeed within a few draws
        raise RuntimeError("could not plant a valid selection")
    return Sample(task=NAME, id=f"generated:{seed}", question=render_question(meta), metadata=meta,
                  gold=cells, source=f"generated:{seed}")


def render_gold(sample: Sample) -> str:
    return "<<<" + ", ".join(f"{r} {c}" for r, c in sample.gold) + ">>>"


TASK = Task(
    name=NAME,
    title="Logical Puzzle",
    seen=True,
    category="logic",
    load=load,
    generate=generate,
    verify=verify,
    check=check,
    data_dirs=(FOLDER,),
    knobs={"complexity": 10},
    render_gold=render_gold,
    gold_defect=gold_defect,
    modes_note="strict checks the selection against every rule of the puzzle (the stored gold is one of many "
    "valid selections); faithful runs the original scorer, which only counted the positions and checked the "
    "row and column sums or products, so repeated numbers, a missing first cell or positions off the grid pass.",
)
