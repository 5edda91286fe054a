"""2048 (single tile): move the number at one position step by step through a grid.

The rule every stored sample follows: each step moves the tracked tile one cell in the
given direction. Into an empty cell it moves; onto an equal number it merges (the cell
doubles, the tile's old cell empties, and the doubled tile is tracked on); onto a
different number, or off the grid, it stays. The grid, the position (1-based, row then
column) and the moves are in the question, so ``reference_check`` replays them.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

from ..extract import parse_literal, strip_wrapping
from ..types import Sample, Score, ScoringMode, Task
from ._strings import generated_sample, load_folder, read_answer

NAME = "game_2048"
FOLDER = "2048_dataset"
STEPS = {"u": (-1, 0), "d": (1, 0), "l": (0, -1), "r": (0, 1)}
VALUES = (2, 4, 8, 16, 32)
"""Tile values of the stored grids."""

PLANS: dict[int, dict[str, Any]] = {
    1: {"sizes": (2, 3), "extra_moves": (0, 0), "tiles": lambda n: (n, n + 1)},
    2: {"sizes": (2, 3), "extra_moves": (0, 0), "tiles": lambda n: (n + 2, n + 3)},
    3: {"sizes": (4,), "extra_moves": (0, 0), "tiles": lambda n: (4, 6)},
    4: {"sizes": (4, 5), "extra_moves": (0, 0), "tiles": lambda n: (7, 8) if n == 4 else (5, 7)},
    5: {"sizes": (5,), "extra_moves": (0, 1), "tiles": lambda n: (5, 10)},
}
"""Grid size, moves (size + extra) and tile count at each complexity, as in the stored samples."""

Grid = list[list[int]]

_SIZE = re.compile(r"In an? (\d+)x(\d+) grid")
_MOVE = re.compile(r"move the number in position \((\d+),\s*(\d+)\) using the sequence '([udlr]*)':")


def simulate(grid: Grid, start: tuple[int, int], moves: str) -> Grid:
    """The grid after moving the tile at ``start`` (0-based row, column) along ``moves``."""
    g = [row[:] for row in grid]
    r, c = start
    for move in moves:
        dr, dc = STEPS[move]
        nr, nc = r + dr, c + dc
        if not (0 <= nr < len(g) and 0 <= nc < len(g[0])):
            continue
        value, target = g[r][c], g[nr][nc]
        if target == 0 or target == value:
            g[nr][nc] = target + value
            g[r][c] = 0
            r, c = nr, nc
    return g


def parse_question(question: str) -> dict[str, Any]:
    """Grid, start (0-based) and moves of an original-style question."""
    size, move = _SIZE.search(question), _MOVE.search(question)
    if not size or not move:
        raise ValueError("the question must say 'In an NxM grid' and 'move the number in position (r, c) using the sequence '...':'")
    rows_n, cols_n = int(size.group(1)), int(size.group(2))
    lines = question[move.end() :].strip().splitlines()[:rows_n]
    grid = []
    for line in lines:
        cells = [int(x) for x in re.findall(r"\d+", line)]
        if len(cells) != cols_n:
            raise ValueError(f"grid row {line!r} does not have {cols_n} numbers")
        grid.append(cells)
    if len(grid) != rows_n:
        raise ValueError(f"expected {rows_n} grid rows, found {len(grid)}")
    start = (int(move.group(1)) - 1, int(move.group(2)) - 1)
    if not (0 <= start[0] < rows_n and 0 <= start[1] < cols_n):
        raise ValueError(f"position {move.group(1)}, {move.group(2)} is outside the grid")
    return {"grid": grid, "start": list(start), "moves": move.group(3)}


def parse_matrix(text: str, rows: int, cols: int) -> Grid:
    """A rows x cols integer matrix from '16, 0\\n4, 2', '[[16, 0], [4, 2]]', '16 0; 4 2', or a flat list.

    Raises ValueError when the numbers do not fill the shape.
    """
    s = strip_wrapping(text)
    try:
        value = parse_literal(s)
    except ValueError:
        value = None
    if isinstance(value, (list, tuple)) and value and all(isinstance(r, (list, tuple)) for r in value):
        if not all(type(x) is int or (type(x) is float and x.is_integer()) for row in value for x in row):
            raise ValueError(f"expected a {rows}x{cols} matrix of whole numbers")
        grid = [[int(x) for x in row] for row in value]
    else:
        lines = [ln for ln in re.split(r"[\n;]|\]\s*,\s*\[", s) if re.search(r"\d", ln)]
        grid = [[int(x) for x in re.findall(r"-?\d+", ln)] for ln in lines]
        if len(grid) != rows or any(len(row) != cols for row in grid):
            flat = [x for row in grid for x in row]
            if len(flat) == rows * cols:
                grid = [flat[i * cols : (i + 1) * cols] for i in range(rows)]
    if len(grid) != rows or any(len(row) != cols for row in grid):
        raise ValueError(f"expected a {rows}x{cols} matrix")
    return grid


def render_matrix(grid: Grid) -> str:
    return "\n".join(", ".join(str(v) for v in row) for row in grid)


def expected_grid(instance: dict[str, Any]) -> Grid:
    return simulate(instance["grid"], tuple(instance["start"]), instance["moves"])


def _score(expected: Grid, response: str) -> Score:
    got = read_answer(response, lambda raw: parse_matrix(raw, len(expected), len(expected[0])))
    if isinstance(got, Score):
        return got
    if got == expected:
        return Score.correct(parsed=got)
    for r, (want_row, got_row) in enumerate(zip(expected, got)):
        for c, (want, have) in enumerate(zip(want_row, got_row)):
            if want != have:
                return Score.incorrect(f"cell ({r + 1}, {c + 1}) is {have}, expected {want}", parsed=got)
    return Score.incorrect("the matrix differs", parsed=got)  # pragma: no cover - shapes already match


def reference_check(question: str, response: str) -> Score:
    """Replay the moves on the question's grid and compare the whole matrix."""
    return _score(expected_grid(parse_question(question)), response)


def verify(sample: Sample, response: str, mode: ScoringMode = "strict") -> Score:
    """strict: replay the moves; faithful: the stored matrix."""
    if mode == "faithful":
        return _score(sample.gold, response)
    return _score(expected_grid(sample.metadata), response)


def render_gold(sample: Sample) -> str:
    return f"<<<{render_matrix(sample.gold)}>>>"


def gold_defect(sample: Sample) -> str | None:
    expected = expected_grid(sample.metadata)
    if expected != sample.gold:
        return f"stored matrix {sample.gold} is not the replayed one {expected}"
    return None


def _build(question: str, solution: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    meta = parse_question(question)
    if "grid" in solution and (solution["grid"] != meta["grid"] or list(solution["start_pos"]) != meta["start"]):
        raise ValueError("the question's grid or position differs from solution.json")
    meta["complexity"] = solution.get("complexity")
    stored = solution.get("solution")
    gold = None if stored is None else parse_matrix(stored, len(meta["grid"]), len(meta["grid"][0]))
    return meta, gold


def load(data_dir: Path) -> list[Sample]:
    return load_folder(data_dir, FOLDER, NAME, _build)


def render_question(grid: Grid, start: tuple[int, int], moves: str) -> str:
    return (
        f"In an {len(grid)}x{len(grid[0])} grid, there are several squares containing powers of 2. We define the '2048' "
        "game: The numbers in the grid can move in any direction. When they encounter a number that is the same power of "
        "2, they can combine to form a larger number that is the next power of 2. For example: 2 meets 2 -> 4; 4 meets 4 "
        "-> 8; 16 meets 16 -> 32. When they encounter a different number, they remain unchanged.\n"
        "u: represents moving up one step\nd: represents moving down one step\n"
        "l: represents moving left one step\nr: represents moving right one step\n\n"
        f"Now, in the following matrix, move the number in position ({start[0] + 1}, {start[1] + 1}) using the sequence "
        f"'{moves}':\n{render_matrix(grid)}\n\nWhat is the matrix after moving?\nReturn your answer with format <<<matrix>>>."
    )


def generate(seed: int, complexity: int = 3) -> Sample:
    """A square grid with random power-of-two tiles, a tile to move and a random move sequence,
    sized as the stored samples of that complexity are."""
    if complexity not in PLANS:
        raise ValueError(f"complexity must be one of {sorted(PLANS)}, got {complexity}")
    rng = random.Random(seed)
    plan = PLANS[complexity]
    n = rng.choice(plan["sizes"])
    low, high = plan["tiles"](n)
    tiles = rng.randint(low, min(high, n * n))
    cells = rng.sample([(r, c) for r in range(n) for c in range(n)], tiles)
    grid = [[0] * n for _ in range(n)]
    for r, c in cells:
        grid[r][c] = rng.choice(VALUES)
    start = rng.choice(cells)
    moves = "".join(rng.choice("udlr") for _ in range(n + rng.randint(*plan["extra_moves"])))
    meta = {"grid": grid, "start": list(start), "moves": moves, "complexity": complexity}
    return generated_sample(NAME, seed, render_question(grid, start, moves), meta, expected_grid(meta))


TASK = Task(
    name=NAME,
    title="2048",
    seen=False,
    category="spatial",
    load=load,
    generate=generate,
    verify=verify,
    check=None,
    reference_check=reference_check,
    data_dirs=(FOLDER,),
    knobs={"complexity": 3},
    render_gold=render_gold,
    gold_defect=gold_defect,
    modes_note=(
        "strict replays the moves on the question's grid and compares the matrix; faithful compares with the stored "
        "matrix. They agree on every stored sample."
    ),
)
