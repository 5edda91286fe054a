"""Eight queens: complete an N x N board (N = 8 in the paper's set) so that N queens do not
attack each other, keeping the queens already placed and avoiding the blocked cells (X).

Data: ``eight_queens_dataset`` (what the paper evaluated), ``eight_queens_dataset_2``,
``eight_queens_dataset_hard`` and ``eight_queens_dataset_varied_complexity/<k>/`` (boards of
8 to 14), each ``sample_<n>`` with question.txt and solution.json. Placements are not
unique, so answers are checked by the rules against the board in the question.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from ..extract import answer_or_last_line, integers_in, strip_wrapping
from ..paths import sample_folders
from ..types import Sample, Score, ScoringMode, Task
from ._common import question_instance

NAME = "eight_queens"
PAPER_FOLDER = "eight_queens_dataset"
FOLDERS = ("eight_queens_dataset", "eight_queens_dataset_2", "eight_queens_dataset_hard")
VARIED_FOLDER = "eight_queens_dataset_varied_complexity"

Cell = tuple[int, int]


class Board:
    """The instance: size, pre-placed queens and blocked cells, read from the board rows."""

    def __init__(self, rows: list[str]):
        self.rows = rows
        self.size = len(rows)
        self.placed: list[Cell] = [(r, c) for r, row in enumerate(rows) for c, ch in enumerate(row) if ch == "1"]
        self.blocked: set[Cell] = {(r, c) for r, row in enumerate(rows) for c, ch in enumerate(row) if ch == "X"}


def question_for(rows: list[str]) -> str:
    """The question in the original's wording ('eight queens' for 8 x 8, 'N queens' otherwise)."""
    n = len(rows)
    count = "eight" if n == 8 else str(n)
    return (
        f"Given an {n}*{n} grid, cells marked with 1 have a queen placed, and cells marked with 0 are empty. "
        f"A total of {count} queens need to be placed such that no two queens can attack each other, meaning no two "
        "queens can be in the same row, column, or diagonal. Additionally, positions marked with X are not allowed "
        "for placing queens. Please help me complete the placement of the remaining queens on the partially filled "
        "board.\n\n" + "\n".join(rows) + "\n\nReturn your answer with the format <<<list of queen positions>>>, where "
        "each position is given as row column (0-based indices). For example, <<<0 3, 1 0, 2 4>>> means queens are "
        "placed at positions (0,3), (1,0), and (2,4)."
    )


def parse_question(question: str) -> Board:
    """The board rows of the question: the first run of N lines of N cells (0, 1 or X)."""
    size = re.search(r"(\d+)\s*\*\s*(\d+)\s+grid", question)
    if not size:
        raise ValueError("the question does not say 'an N*N grid'")
    n = int(size.group(1))
    rows = [line.strip() for line in question.splitlines() if re.fullmatch(r"[01X]{%d}" % n, line.strip())]
    if len(rows) != n:
        raise ValueError(f"expected {n} board rows of {n} cells (0, 1, X), found {len(rows)}")
    return Board(rows)


def parse_positions(answer_text: str, size: int) -> list[Cell]:
    """Queen positions from '0 3, 1 0', '[(0, 3), (1, 0)]', '[[0,3],[1,0]]', or a drawn board
    (N rows of N cells with 1 or Q for a queen). Raises ValueError when neither reads."""
    raw = answer_or_last_line(answer_text)
    if raw is None:
        raise ValueError("no answer found; write it as <<<0 3, 1 0, 2 4, ...>>>")
    text = strip_wrapping(raw)
    board_rows = [ln.strip().replace(" ", "") for ln in text.splitlines() if ln.strip()]
    if len(board_rows) == size and all(re.fullmatch(r"[01QX.]{%d}" % size, row) for row in board_rows):
        return [(r, c) for r, row in enumerate(board_rows) for c, ch in enumerate(row) if ch in "1Q"]
    numbers = integers_in(text)
    if not numbers or len(numbers) % 2:
        raise ValueError(f"expected pairs of row and column numbers, found {len(numbers)} numbers")
    return [(numbers[i], numbers[i + 1]) for i in range(0, len(numbers), 2)]


def _attack(a: Cell, b: Cell) -> bool:
    return a[0] == b[0] or a[1] == b[1] or abs(a[0] - b[0]) == abs(a[1] - b[1])


def score_placement(board: Board, answer_text: str) -> Score:
    """Strict: N distinct queens on the board, none blocked, no two attacking, every pre-placed
    queen kept. An answer listing only the queens it adds is completed with the pre-placed ones."""
    try:
        queens = parse_positions(answer_text, board.size)
    except ValueError as exc:
        return Score.incorrect(str(exc))
    n = board.size
    if len(set(queens)) != len(queens):
        return Score.incorrect("a position is listed twice", parsed=queens)
    note = ""
    missing = [q for q in board.placed if q not in queens]
    if missing and len(queens) + len(missing) == n:
        queens = queens + missing
        note = "; the pre-placed queens were added to the listed ones"
    if len(queens) != n:
        return Score.incorrect(f"expected {n} queens, got {len(queens)}", parsed=queens)
    outside = [q for q in queens if not (0 <= q[0] < n and 0 <= q[1] < n)]
    if outside:
        return Score.incorrect(f"position {outside[0]} is off the {n}x{n} board", parsed=queens)
    blocked = [q for q in queens if q in board.blocked]
    if blocked:
        return Score.incorrect(f"queen on blocked cell {blocked[0]}", parsed=queens)
    missing = [q for q in board.placed if q not in queens]
    if missing:
        return Score.incorrect(f"the pre-placed queen at {missing[0]} was moved or dropped", parsed=queens)
    for i, a in enumerate(queens):
        for b in queens[i + 1 :]:
            if _attack(a, b):
                return Score.incorrect(f"queens at {a} and {b} attack each other", parsed=queens)
    return Score.correct(parsed=sorted(queens), reason="a valid placement" + note)


def score_faithful(board: Board, answer_text: str) -> Score:
    """The original scorer: N queens, none on a blocked cell, no two attacking; it did not check
    that the pre-placed queens were kept, nor that positions were on the board."""
    try:
        queens = parse_positions(answer_text, board.size)
    except ValueError as exc:
        return Score.incorrect(str(exc))
    if len(queens) != board.size:
        return Score.incorrect(f"wrong number of queens: {len(queens)}/{board.size}", parsed=queens)
    for q in queens:
        if q in board.blocked:
            return Score.incorrect(f"queen placed on blocked position: {q}", parsed=queens)
    for i, a in enumerate(queens):
        for b in queens[i + 1 :]:
            if _attack(a, b):
                return Score.incorrect(f"conflicting queens: {a} and {b}", parsed=queens)
    return Score.correct(parsed=queens)


def verify(sample: Sample, answer_text: str, mode: ScoringMode = "strict") -> Score:
    board = Board(sample.metadata["board"])
    if mode == "faithful":
        return score_faithful(board, answer_text)
    return score_placement(board, answer_text)


def check(question: str, answer_text: str) -> Score:
    board = question_instance(parse_question, question, "not an eight queens question: ")
    return score_placement(board, answer_text)


def render_gold(sample: Sample) -> str:
    return "<<<" + ", ".join(f"{r} {c}" for r, c in sample.gold) + ">>>"


def _sample(sample_id: str, path: Path, paper: bool) -> Sample:
    solution = json.loads((path / "solution.json").read_text(encoding="utf-8"))
    board = [str(row) for row in solution["initial_board"]]
    return Sample(
        task=NAME,
        id=sample_id,
        question=(path / "question.txt").read_text(encoding="utf-8"),
        metadata={"board": board, "size": len(board), "complexity": solution.get("complexity"), "paper_subset": paper},
        gold=[[int(r), int(c)] for r, c in solution["solution"]],
        source=str(path),
    )


def load(data_dir: Path) -> list[Sample]:
    root = Path(data_dir)
    samples = []
    for folder in FOLDERS:
        samples += [_sample(f"{folder}/{p.name}", p, folder == PAPER_FOLDER) for p in sample_folders(root / folder)]
    varied = root / VARIED_FOLDER
    if varied.is_dir():
        for group in sorted(p for p in varied.iterdir() if p.is_dir()):
            samples += [_sample(f"{VARIED_FOLDER}/{group.name}/{p.name}", p, False) for p in sample_folders(group)]
    return samples


def _random_solution(rng: random.Random, n: int, blocked: set[Cell] = frozenset()) -> list[Cell] | None:
    """A random placement of n non-attacking queens (row by row, columns in random order)."""
    columns: list[int] = []

    def place(row: int) -> bool:
        if row == n:
            return True
        order = list(range(n))
        rng.shuffle(order)
        for col in order:
            if (row, col) in blocked or any(
                c == col or abs(c - col) == row - r for r, c in enumerate(columns)
            ):
                continue
            columns.append(col)
            if place(row + 1):
                return True
            columns.pop()
        return False

    return [(r, c) for r, c in enumerate(columns)] if place(0) else None


def generate(seed: int, size: int = 8, placed: int = 1, blocked: int = 2) -> Sample:
    """A board of ``size`` with ``placed`` queens of a random solution shown and ``blocked`` cells
    off that solution marked X; gold is the whole solution, pre-placed queens first."""
    if size < 4 or not 0 <= placed <= size or blocked < 0 or blocked > size * size - size:
        raise ValueError("need size >= 4, 0 <= placed <= size and 0 <= blocked <= size*size - size")
    rng = random.Random(seed)
    solution = _random_solution(rng, size)
    assert solution is not None  # every n >= 4 has a solution
    shown = rng.sample(solution, placed)
    free = [(r, c) for r in range(size) for c in range(size) if (r, c) not in set(solution)]
    walls = set(rng.sample(free, blocked))
    rows = [
        "".join("1" if (r, c) in shown else "X" if (r, c) in walls else "0" for c in range(size)) for r in range(size)
    ]
    gold = [list(q) for q in shown] + [list(q) for q in solution if q not in shown]
    return Sample(
        task=NAME,
        id=f"generated-{seed}",
        question=question_for(rows),
        metadata={"board": rows, "size": size, "complexity": None, "paper_subset": False},
        gold=gold,
        source=f"generated:{seed}",
    )


TASK = Task(
    name=NAME,
    title="Eight Queen",
    seen=False,
    category="spatial",
    load=load,
    generate=generate,
    verify=verify,
    check=check,
    render_gold=render_gold,
    data_dirs=FOLDERS + (VARIED_FOLDER,),
    knobs={"size": 8, "placed": 1, "blocked": 2},
    modes_note=(
        "strict: any placement that follows the rules on the board of the question is correct: N queens, on the "
        "board, none on an X, the pre-placed queens kept (an answer listing only the added queens is completed "
        "with them), no two attacking. faithful: the original scorer, which did not require the pre-placed queens "
        "to be kept and did not check the board's bounds."
    ),
)
