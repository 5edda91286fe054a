"""Light Puzzles: buttons toggle fixed sets of lights on an n*n grid; give the grid after the rounds.

The answer is unique and follows from the question alone, so ``reference_check`` simulates the
rounds from the question text and ``verify`` compares with that simulation.
"""

from __future__ import annotations

import random
import re
import string
from pathlib import Path
from typing import Any

from ..types import Sample, Score, ScoringMode, Task
from ._common import question_build
from ._grids import answer_text, block_after, cell_tokens, flat_grid, load_folder, score_cells

NAME = "light_puzzles"
FOLDER = "light_puzzles_dataset"

# complexity -> (n, buttons, rounds), as in the original data
_LEVELS = {1: (2, 1, 1), 2: (3, 2, 2), 3: (4, 2, 3), 4: (5, 3, 4)}

_INTRO = (
    "There is an n*n grid with some lights randomly distributed. A lit light is represented by 1, and an "
    "unlit light is represented by 0. There are some buttons which can change the state of the lights in "
    "certain positions when they are pressed, like turning some lights on or off. Different buttons may "
    "control the state of the same light."
)


def simulate(grid: list[list[int]], buttons: dict[str, list[tuple[int, int]]], presses: list[str]) -> list[int]:
    """The lights, flattened row-major, after pressing ``presses`` in order.

    Coordinates are 1-based (row, column); each listed light toggles once per press.
    """
    state = [list(row) for row in grid]
    for name in presses:
        for r, c in buttons[name]:
            state[r - 1][c - 1] ^= 1
    return flat_grid(state)


def parse_question(question: str) -> dict[str, Any]:
    """The instance (n, initial grid, buttons, presses) written in a question."""
    n_match = re.search(r"Given n=(\d+)", question)
    if not n_match:
        raise ValueError("the question does not say 'Given n=...'")
    n = int(n_match.group(1))
    rows = block_after(question, "the initial network is", lambda line: not re.fullmatch(r"[01]+", line))
    if len(rows) != n or any(len(row) != n for row in rows):
        raise ValueError(f"expected a {n}x{n} grid of 0/1 after 'the initial network is'")
    buttons = {
        m.group(1): [(int(r), int(c)) for r, c in re.findall(r'\["(\d+)",\s*"(\d+)"\]', m.group(2))]
        for m in re.finditer(r"Button (\w+) controls the lights at (.*)", question)
    }
    presses = re.findall(r"Round \d+: Button (\w+)", question)
    if not buttons or not presses:
        raise ValueError("the question lists no buttons or no rounds")
    unknown = sorted(set(presses) - set(buttons))
    if unknown:
        raise ValueError(f"rounds press buttons that are not described: {unknown}")
    return {
        "n": n,
        "initial": [[int(ch) for ch in row] for row in rows],
        "buttons": buttons,
        "presses": presses,
    }


def reference(meta: dict[str, Any]) -> list[int]:
    buttons = {k: [tuple(p) for p in v] for k, v in meta["buttons"].items()}
    return simulate(meta["initial"], buttons, meta["presses"])


def parse_answer(response: str, n: int) -> list[int]:
    text = answer_text(response)
    if text is None:
        raise ValueError("no answer found; write it as <<<0,1,...>>>")
    cells = [int(t) for t in cell_tokens(text, "01")]
    if len(cells) != n * n:
        raise ValueError(f"expected {n * n} lights (0 or 1), got {len(cells)}")
    return cells


def _score(meta: dict[str, Any], expected: list[int], response: str) -> Score:
    try:
        got = parse_answer(response, meta["n"])
    except ValueError as exc:
        return Score.incorrect(f"unreadable answer: {exc}")
    return score_cells([str(x) for x in expected], [str(x) for x in got], "light")


def reference_check(question: str, response: str) -> Score:
    meta = parse_question(question)
    return _score(meta, reference(meta), response)


def verify(sample: Sample, response: str, mode: ScoringMode = "strict") -> Score:
    expected = reference(sample.metadata) if mode == "strict" else list(sample.gold)
    return _score(sample.metadata, expected, response)


def load(data_dir: Path) -> list[Sample]:
    return load_folder(data_dir, FOLDER, NAME, question_build(parse_question, "solution"))


def render_question(meta: dict[str, Any]) -> str:
    n = meta["n"]
    lines = [_INTRO, f"Given n={n} and the number of buttons={len(meta['buttons'])}, the initial network is:"]
    lines += ["".join(str(x) for x in row) for row in meta["initial"]]
    lines.append("")
    for name, cells in meta["buttons"].items():
        lines.append(f"Button {name} controls the lights at " + ", ".join(f'["{r}", "{c}"]' for r, c in cells))
    lines.append("")
    lines += [f"Round {i}: Button {b}" for i, b in enumerate(meta["presses"], 1)]
    lines.append("")
    lines.append("Please write the result after all rounds of operation based on the lights controlled by the button.")
    lines.append(f"For example, <<<{','.join(['0'] * n * n)}>>> represents a fully unlit light network.")
    return "\n".join(lines)


def generate(seed: int, complexity: int = 4, n: int | None = None, buttons: int | None = None,
             rounds: int | None = None) -> Sample:
    """A new puzzle; ``complexity`` 1-4 sets (n, buttons, rounds) as in the original, each overridable."""
    if complexity not in _LEVELS:
        raise ValueError(f"complexity must be one of {sorted(_LEVELS)}, got {complexity}")
    base_n, base_buttons, base_rounds = _LEVELS[complexity]
    n, buttons, rounds = n or base_n, buttons or base_buttons, rounds or base_rounds
    if not 1 <= buttons <= 26:
        raise ValueError("buttons must be between 1 and 26")
    rng = random.Random(seed)
    initial = [[rng.randint(0, 1) for _ in range(n)] for _ in range(n)]
    cells = [(r, c) for r in range(1, n + 1) for c in range(1, n + 1)]
    names = string.ascii_uppercase[:buttons]
    controls = {name: rng.sample(cells, rng.randint(2, max(2, 2 * n))) for name in names}
    presses = [rng.choice(names) for _ in range(rounds)]
    meta = {"n": n, "initial": initial, "buttons": controls, "presses": presses, "complexity": complexity}
    return Sample(task=NAME, id=f"generated:{seed}", question=render_question(meta), metadata=meta,
                  gold=reference(meta), source=f"generated:{seed}")


def render_gold(sample: Sample) -> str:
    return "<<<" + ",".join(str(x) for x in sample.gold) + ">>>"


TASK = Task(
    name=NAME,
    title="Light Puzzles",
    seen=True,
    category="puzzle",
    load=load,
    generate=generate,
    verify=verify,
    check=None,
    reference_check=reference_check,
    data_dirs=(FOLDER,),
    knobs={"complexity": 4, "n": None, "buttons": None, "rounds": None},
    render_gold=render_gold,
    modes_note="strict scores against the rounds simulated from the instance; faithful against the stored gold "
    "(they agree on every stored sample).",
)
