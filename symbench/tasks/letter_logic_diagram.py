"""Letter logic diagram: complete a partly filled n x n grid of the letters a.. so that every
row and column holds each letter once and the minor diagonal holds one letter throughout.

Many puzzles have several completions, so strict mode checks the rules and the pre-filled
cells (that is also ``check``: the puzzle is in the question); faithful mode reproduces the
original's exact match with the stored completion.
"""

from __future__ import annotations

import random
import re
import string
from pathlib import Path
from typing import Any

from ..extract import parse_literal, strip_wrapping
from ..types import Sample, Score, ScoringMode, Task
from ._strings import generated_sample, load_folder, read_answer

NAME = "letter_logic_diagram"
FOLDER = "letter_logic_diagram"
SIZE = 7
PREFILLED_BY_COMPLEXITY = {1: 34, 2: 29, 3: 24, 4: 19, 5: 19}
"""Pre-filled cells of the stored 7x7 puzzles at each complexity (the counts are exact in the data)."""

Grid = list[list[str]]
Puzzle = list[list[str | None]]

_SIZE_LINE = re.compile(r"Given a (\d+)x(\d+) grid of letters")


def letters(n: int) -> str:
    return string.ascii_lowercase[:n]


def parse_question(question: str) -> dict[str, Any]:
    """The puzzle grid (None for blank cells) of an original-style question."""
    size = _SIZE_LINE.search(question)
    if not size or size.group(1) != size.group(2):
        raise ValueError("the question must say 'Given a NxN grid of letters'")
    n = int(size.group(1))
    lines = question.splitlines()
    try:
        start = next(i for i, ln in enumerate(lines) if "Here is the puzzle" in ln)
    except StopIteration:
        raise ValueError("the question has no 'Here is the puzzle' block") from None
    rows: Puzzle = []
    for line in lines[start + 1 :]:
        if not line.strip() and not rows:
            continue
        if "," not in line:
            break
        cells = [c.strip().lower() or None for c in line.split(",")]
        if len(cells) != n:
            raise ValueError(f"puzzle row {line!r} does not have {n} cells")
        rows.append(cells)
    if len(rows) != n:
        raise ValueError(f"expected {n} puzzle rows, found {len(rows)}")
    return {"size": n, "puzzle": rows}


def parse_grid(text: str, n: int) -> Grid:
    """An n x n letter grid from rows on lines ('c,g,e,...'), a list of lists, or list of row strings.

    Raises ValueError when the shape is wrong or a cell is not a single letter.
    """
    s = strip_wrapping(text)
    try:
        value = parse_literal(s)
    except ValueError:
        value = None
    rows: list[list[str]]
    if isinstance(value, (list, tuple)) and len(value) == n:
        rows = [_row_cells(r) for r in value]
    else:
        lines = [ln for ln in (l.strip() for l in s.splitlines()) if ln]
        if len(lines) == 1 and lines[0].count(";") == n - 1:
            lines = lines[0].split(";")
        rows = [_row_cells(ln) for ln in lines]
    if len(rows) != n:
        raise ValueError(f"expected {n} rows, got {len(rows)}")
    for i, row in enumerate(rows, 1):
        if len(row) != n:
            raise ValueError(f"row {i} has {len(row)} cells, expected {n}")
    return rows


def _row_cells(row: Any) -> list[str]:
    if isinstance(row, (list, tuple)):
        cells = [str(c).strip().lower() for c in row]
    else:
        # 'Row 1: b,g,f' -> 'b,g,f'
        text = re.sub(r"^\s*row\s*\d+\s*[:.)-]\s*", "", str(row), flags=re.IGNORECASE).strip().strip("[]()")
        tokens = [t for t in re.split(r"[\s,'\"]+", text) if t]
        cells = list(tokens[0].lower()) if len(tokens) == 1 and len(tokens[0]) > 1 else [t.lower() for t in tokens]
    for c in cells:
        if len(c) != 1 or not c.isalpha():
            raise ValueError(f"{c!r} is not a single letter")
    return cells


def rule_violation(puzzle: Puzzle, grid: Grid) -> str | None:
    """The first broken rule of a completed grid, or None when it solves the puzzle."""
    n = len(puzzle)
    alphabet = set(letters(n))
    for r in range(n):
        for c in range(n):
            if grid[r][c] not in alphabet:
                return f"cell ({r + 1}, {c + 1}) holds {grid[r][c]!r}, not one of {''.join(sorted(alphabet))}"
            if puzzle[r][c] is not None and grid[r][c] != puzzle[r][c]:
                return f"cell ({r + 1}, {c + 1}) is pre-filled with {puzzle[r][c]!r} but the answer has {grid[r][c]!r}"
    for r in range(n):
        if set(grid[r]) != alphabet:
            return f"row {r + 1} does not hold each letter once"
    for c in range(n):
        if {grid[r][c] for r in range(n)} != alphabet:
            return f"column {c + 1} does not hold each letter once"
    diagonal = {grid[r][n - 1 - r] for r in range(n)}
    if len(diagonal) != 1:
        return f"the minor diagonal holds {len(diagonal)} different letters"
    return None


def _read(response: str, n: int) -> Grid | Score:
    return read_answer(response, lambda raw: parse_grid(raw, n))


def _check_puzzle(puzzle: Puzzle, response: str) -> Score:
    grid = _read(response, len(puzzle))
    if isinstance(grid, Score):
        return grid
    broken = rule_violation(puzzle, grid)
    if broken:
        return Score.incorrect(broken, parsed=grid)
    return Score.correct(parsed=grid)


def check(question: str, response: str) -> Score:
    """The answer obeys the three rules and keeps every pre-filled cell."""
    return _check_puzzle(parse_question(question)["puzzle"], response)


def verify(sample: Sample, response: str, mode: ScoringMode = "strict") -> Score:
    """strict: any completion that obeys the rules; faithful: exact match with the stored completion."""
    if mode == "faithful":
        grid = _read(response, sample.metadata["size"])
        if isinstance(grid, Score):
            return grid
        if grid == sample.gold:
            return Score.correct(parsed=grid)
        return Score.incorrect("differs from the stored completion (faithful mode compares exactly)", parsed=grid)
    return _check_puzzle(sample.metadata["puzzle"], response)


def render_grid(grid: Grid) -> str:
    return "\n".join(",".join(row) for row in grid)


def render_gold(sample: Sample) -> str:
    return f"<<<\n{render_grid(sample.gold)}\n>>>"


def gold_defect(sample: Sample) -> str | None:
    broken = rule_violation(sample.metadata["puzzle"], sample.gold)
    return None if broken is None else f"stored completion breaks a rule: {broken}"


def _build(question: str, solution: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    meta = parse_question(question)
    if solution.get("grid") is not None and solution["grid"] != meta["puzzle"]:
        raise ValueError("the question's puzzle differs from solution.json's grid")
    meta["complexity"] = solution.get("complexity")
    return meta, solution.get("solution")


def load(data_dir: Path) -> list[Sample]:
    return load_folder(data_dir, FOLDER, NAME, _build)


def render_question(puzzle: Puzzle) -> str:
    n = len(puzzle)
    last = letters(n)[-1]
    rows = "\n".join(",".join(c or "" for c in row) for row in puzzle)
    return (
        f"Given a {n}x{n} grid of letters {{a..{last}}}, some cells are pre-filled. Fill the rest so that:\n"
        f"1) Each row has exactly one of each letter {{a..{last}}}.\n"
        f"2) Each column has exactly one of each letter {{a..{last}}}.\n"
        "3) All cells on the minor diagonal (top-right to bottom-left) contain the same letter.\n\n"
        "Here is the puzzle (each row on its own line, cells separated by commas, empty cells blank):\n\n"
        f"{rows}\n\n"
        "Return the answer with the format:\n<<<\nrow1\nrow2\n"
        f"...  ({n} rows total)\n>>>\n\n"
        f"where each row has {n} letters separated by commas.\n"
    )


def random_solution(rng: random.Random, n: int) -> Grid:
    """A random Latin square whose minor diagonal is constant.

    Built from the cyclic square L[i][j] = base[(i + j) % n], whose minor diagonal is
    constant, then rows shuffled by a permutation s and columns by j -> n-1-s(n-1-j),
    which maps the minor diagonal onto itself; then transposed half the time.
    """
    base = list(letters(n))
    rng.shuffle(base)
    cyclic = [[base[(i + j) % n] for j in range(n)] for i in range(n)]
    order = list(range(n))
    rng.shuffle(order)
    grid = [[""] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            grid[order[i]][n - 1 - order[n - 1 - j]] = cyclic[i][j]
    if rng.random() < 0.5:
        grid = [list(col) for col in zip(*grid)]  # transposing keeps the minor diagonal in place
    return grid


def generate(seed: int, complexity: int = 3, size: int = SIZE) -> Sample:
    """A random valid completion with all but the complexity's count of cells blanked.

    For sizes other than 7 the pre-filled share of the 7x7 puzzles is kept.
    """
    if complexity not in PREFILLED_BY_COMPLEXITY:
        raise ValueError(f"complexity must be one of {sorted(PREFILLED_BY_COMPLEXITY)}, got {complexity}")
    if not 3 <= size <= 26:
        raise ValueError(f"size must be 3..26, got {size}")
    rng = random.Random(seed)
    solution = random_solution(rng, size)
    keep = round(PREFILLED_BY_COMPLEXITY[complexity] * size * size / (SIZE * SIZE))
    cells = [(r, c) for r in range(size) for c in range(size)]
    kept = set(rng.sample(cells, keep))
    puzzle: Puzzle = [[solution[r][c] if (r, c) in kept else None for c in range(size)] for r in range(size)]
    meta = {"size": size, "puzzle": puzzle, "complexity": complexity}
    return generated_sample(NAME, seed, render_question(puzzle), meta, solution)


TASK = Task(
    name=NAME,
    title="Letter Logic Diagram",
    seen=True,
    category="logic",
    load=load,
    generate=generate,
    verify=verify,
    check=check,
    data_dirs=(FOLDER,),
    knobs={"complexity": 3, "size": SIZE},
    render_gold=render_gold,
    gold_defect=gold_defect,
    modes_note=(
        "strict accepts any grid that obeys the row, column and minor-diagonal rules and keeps the pre-filled cells "
        "(many puzzles have several solutions); faithful reproduces the original's exact match with the stored completion."
    ),
)
