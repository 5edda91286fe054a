"""Reversi: play the listed moves on the board of the previous round and give the new board.

A known defect of the original data: the board shown as "the previous round" already holds
this round's moves (it is the opening position with the moves played), and the stored gold
equals it. Strict mode reads the question as written: it plays each listed move on the shown
board (the landing cell takes the mover's colour even though a piece already stands there,
then rule 3 flips what the new piece encloses) and scores against that board. Where playing
the moves again changes nothing, that is the stored gold; where it flips pieces, the stored
gold is a documented defect. Faithful mode compares with the stored gold.

Generated samples show the real previous board (the opening position), so both readings agree.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

from ..types import Sample, Score, ScoringMode, Task
from ._common import question_build
from ._grids import answer_text, block_after, cell_tokens, flat_grid, load_folder, score_cells

NAME = "reversi"
FOLDER = "reversi_dataset"
BLACK, WHITE, EMPTY = "0", "1", "*"
_DIRECTIONS = [(dr, dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1) if (dr, dc) != (0, 0)]
# complexity -> (board size, number of moves), as in the original data
_LEVELS = {1: (4, 1), 2: (4, 2), 3: (4, 3), 4: (6, 2), 5: (6, 3)}

_RULES = (
    "There is a game similar to Reversi. On an n*n grid (where n is even), four pieces are placed in the center, "
    "two black and two white, arranged diagonally. Black pieces are represented by 0, white pieces by 1, and empty "
    "spaces by *.\nRules:\n1. Two players take turns placing pieces, one playing black and the other playing white.\n"
    "2. Each player places one piece on an empty space during their turn.\n"
    "3. After placing a piece, if there are any of the opponent's pieces between two of the player's pieces (in the "
    "same row, column, or diagonal), those pieces will be flipped to the player's color. That is, 0 becomes 1, or 1 "
    "becomes 0.\nAll coordinates start from the first row and first column, and the coordinate (a, b) represents the "
    "cell in the a-th row and b-th column."
)


def opening(n: int) -> list[list[str]]:
    """The start position: white on the centre's main diagonal, black on the other (as the data has it)."""
    board = [[EMPTY] * n for _ in range(n)]
    h = n // 2
    board[h - 1][h - 1] = board[h][h] = WHITE
    board[h - 1][h] = board[h][h - 1] = BLACK
    return board


def flips(board: list[list[str]], row: int, col: int, colour: str) -> list[tuple[int, int]]:
    """The cells (0-based) that a piece of ``colour`` at (row, col) encloses in the 8 directions."""
    n = len(board)
    other = WHITE if colour == BLACK else BLACK
    found = []
    for dr, dc in _DIRECTIONS:
        run, r, c = [], row + dr, col + dc
        while 0 <= r < n and 0 <= c < n and board[r][c] == other:
            run.append((r, c))
            r, c = r + dr, c + dc
        if run and 0 <= r < n and 0 <= c < n and board[r][c] == colour:
            found.extend(run)
    return found


def play(board: list[list[str]], moves: list[tuple[int, int, str]]) -> list[list[str]]:
    """The board after each (row, col, colour) move, coordinates 1-based.

    The landing cell takes the mover's colour whatever stood there (the stored questions land
    on occupied cells, see the module docstring), then the enclosed pieces flip.
    """
    state = [list(row) for row in board]
    for row, col, colour in moves:
        r, c = row - 1, col - 1
        state[r][c] = colour
        for fr, fc in flips(state, r, c, colour):
            state[fr][fc] = colour
    return state


def parse_question(question: str) -> dict[str, Any]:
    n_match = re.search(r"Given: n=(\d+), you play (black|white)", question)
    if not n_match:
        raise ValueError("the question does not say 'Given: n=..., you play black/white'")
    n = int(n_match.group(1))
    mine = BLACK if n_match.group(2) == "black" else WHITE
    theirs = WHITE if mine == BLACK else BLACK
    rows = block_after(question, "The previous round of the game was", lambda line: not re.fullmatch(r"[*01]+", line))
    if len(rows) != n or any(len(r) != n for r in rows):
        raise ValueError(f"expected a {n}x{n} board of *, 0, 1 after 'The previous round of the game was'")
    moves = [
        (int(m.group(2)), int(m.group(3)), mine if m.group(1) == "Your's" else theirs)
        for m in re.finditer(r"Round \d+: (Your's|The opponent's) landing position is \((\d+),\s*(\d+)\)", question)
    ]
    if not moves:
        raise ValueError("the question lists no moves")
    if any(not (1 <= r <= n and 1 <= c <= n) for r, c, _ in moves):
        raise ValueError("a move lands outside the board")
    return {"n": n, "board": [list(r) for r in rows], "moves": moves, "player": mine}


def reference(meta: dict[str, Any]) -> list[str]:
    """The answer by the question as written: the moves played on the shown board."""
    return flat_grid(play(meta["board"], [tuple(m) for m in meta["moves"]]))


def parse_answer(response: str, n: int) -> list[str]:
    text = answer_text(response)
    if text is None:
        raise ValueError("no answer found; write the board as <<<*,0,1,...>>>")
    cells = cell_tokens(text, "*01")
    if len(cells) != n * n:
        raise ValueError(f"expected {n * n} cells (*, 0 or 1), got {len(cells)}")
    return cells


def _score(meta: dict[str, Any], expected: list[str], response: str) -> Score:
    try:
        got = parse_answer(response, meta["n"])
    except ValueError as exc:
        return Score.incorrect(f"unreadable answer: {exc}")
    return score_cells(expected, got, "cell")


def reference_check(question: str, response: str) -> Score:
    meta = parse_question(question)
    return _score(meta, reference(meta), response)


def verify(sample: Sample, response: str, mode: ScoringMode = "strict") -> Score:
    expected = reference(sample.metadata) if mode == "strict" else sample.gold.split(",")
    return _score(sample.metadata, expected, response)


def gold_defect(sample: Sample) -> str | None:
    """Why the stored board differs from playing the moves on the shown board (None when it does not)."""
    meta = sample.metadata
    strict = reference(meta)
    stored = sample.gold.split(",")
    if strict == stored:
        return None
    n = meta["n"]
    diff = [f"({i // n + 1},{i % n + 1})" for i, (a, b) in enumerate(zip(strict, stored)) if a != b]
    replayed = flat_grid(play(opening(n), [tuple(m) for m in meta["moves"]]))
    shown = flat_grid(meta["board"])
    origin = (
        "the shown 'previous round' board is already the opening position with these moves played, and the stored "
        "gold repeats it"
        if replayed == shown == stored
        else "the stored gold repeats the shown board"
    )
    return (f"{origin}; playing the listed moves on the shown board, as the question asks, flips further pieces "
            f"at {', '.join(diff)}")


def load(data_dir: Path) -> list[Sample]:
    return load_folder(data_dir, FOLDER, NAME, question_build(parse_question, "solution"))


def render_question(meta: dict[str, Any]) -> str:
    n = meta["n"]
    colour = "black" if meta["player"] == BLACK else "white"
    board = "\n".join("".join(row) for row in meta["board"])
    rounds = "\n".join(
        f"Round {i}: " + ("Your's" if who == meta["player"] else "The opponent's") + f" landing position is ({r},{c})"
        for i, (r, c, who) in enumerate(meta["moves"], 1)
    )
    return (
        f"{_RULES}\n\nGiven: n={n}, you play {colour} chess.\n\nThe previous round of the game was: \n{board}\n\n"
        f"{rounds}\n\nPlease write down the game situation after this round based on the situation of the previous "
        f"round.\nFor example, <<<{','.join([EMPTY] * 16)}>>> represents the empty grid."
    )


def generate(seed: int, complexity: int = 5, n: int | None = None, moves: int | None = None) -> Sample:
    """From the opening position, you (black) and the opponent alternate legal moves (ones that flip).

    ``complexity`` 1-5 sets board size and move count as in the original (overridable). The
    question shows the opening position as the previous round, so its answer is not given away.
    """
    if complexity not in _LEVELS:
        raise ValueError(f"complexity must be one of {sorted(_LEVELS)}, got {complexity}")
    size, count = n or _LEVELS[complexity][0], moves or _LEVELS[complexity][1]
    if size < 4 or size % 2:
        raise ValueError("n must be even and at least 4")
    rng = random.Random(seed)
    start = opening(size)
    board = [row[:] for row in start]
    played: list[tuple[int, int, str]] = []
    colour = BLACK
    for _ in range(count):
        legal = [(r, c) for r in range(size) for c in range(size) if board[r][c] == EMPTY and flips(board, r, c, colour)]
        if not legal:
            break
        r, c = rng.choice(legal)
        played.append((r + 1, c + 1, colour))
        board = play(board, [played[-1]])
        colour = WHITE if colour == BLACK else BLACK
    meta = {"n": size, "board": start, "moves": played, "player": BLACK, "complexity": complexity}
    return Sample(task=NAME, id=f"generated:{seed}", question=render_question(meta), metadata=meta,
                  gold=",".join(flat_grid(board)), source=f"generated:{seed}")


def render_gold(sample: Sample) -> str:
    return f"<<<{sample.gold}>>>"


TASK = Task(
    name=NAME,
    title="Reversi",
    seen=True,
    category="spatial",
    load=load,
    generate=generate,
    verify=verify,
    check=None,
    reference_check=reference_check,
    data_dirs=(FOLDER,),
    knobs={"complexity": 5, "n": None, "moves": None},
    render_gold=render_gold,
    gold_defect=gold_defect,
    modes_note="strict plays the listed moves on the board the question shows as the previous round (a landing "
    "cell already holding a piece takes the mover's colour, then enclosed pieces flip) and compares with that; "
    "faithful compares with the stored gold, which is the shown board itself because the original already "
    "played the moves on it.",
)
