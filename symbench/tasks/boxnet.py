"""BoxNet: agents on a grid move coloured boxes onto targets of the same colour.

Data: ``BoxNet1_dataset/env_pg_state_<rows>_<cols>/pg_state<k>/pg_state<k>.json``: for each
square ``"<row+0.5>_<col+0.5>"`` the items in it (``box_red``, ``target_red``...). One agent
stands in every square. Each step every agent may do one action on a box in its own square:
``move(box_c, square[r, c])`` to a side-adjacent square, or ``move(box_c, target_c)`` when a
target of that colour is in the square, which removes both. The goal is every box on a
target. The original stores no answer; the reference gold is this module's planner's.

Steps are simultaneous (strict): an agent acts on what its square held when the step
began, so a box moved in during a step can be moved again only in the next step.
"""

from __future__ import annotations

import ast
import copy
import itertools
import json
import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

from ..extract import answer_or_last_line, parse_literal
from ..types import Sample, Score, ScoringMode, Task
from ._common import plan_scorer, question_instance

NAME = "boxnet"
DATA_DIR = "BoxNet1_dataset"
COLOURS = ("blue", "red", "green", "purple", "orange", "yellow", "pink", "brown")
MAX_STEPS = 10_000
"""Plans with more steps are rejected unread (a check stays fast on a runaway answer)."""

KNOBS: dict[str, Any] = {"rows": 2, "cols": 2, "colors": 5, "min_boxes_per_color": 1, "max_boxes_per_color": 3}
"""The original's knobs: grid size (its data holds 1x2, 2x2, 2x4, 4x4, 4x8), colours (5) and
boxes per colour (1 to 3, each box with one target of its colour)."""

Cell = tuple[int, int]


# ---------------------------------------------------------------- the instance

def key_of(cell: Cell) -> str:
    return f"{cell[0] + 0.5}_{cell[1] + 0.5}"


def cell_of(x: float, y: float) -> Cell:
    return (int(round(x - 0.5)), int(round(y - 0.5)))


def _neighbours(rows: int, cols: int, cell: Cell) -> list[Cell]:
    r, c = cell
    return [(i, j) for i, j in ((r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)) if 0 <= i < rows and 0 <= j < cols]


def _state_lines(rows: int, cols: int, grid: dict[str, list[str]]) -> str:
    lines = []
    for r in range(rows):
        for c in range(cols):
            items = grid[key_of((r, c))]
            actions = []
            for box in (i for i in items if i.startswith("box_")):
                for nr, nc in _neighbours(rows, cols, (r, c)):
                    actions.append(f"move({box}, square[{nr + 0.5}, {nc + 0.5}])")
                if "target_" + box[4:] in items:
                    actions.append(f"move({box}, target_{box[4:]})")
            lines.append(f"Agent[{r + 0.5}, {c + 0.5}]: I am in square[{r + 0.5}, {c + 0.5}], "
                         f"I can observe {items}, I can do {actions}")
    return "\n".join(lines)


def render_question(rows: int, cols: int, grid: dict[str, list[str]]) -> str:
    return (
        "You are a central planner directing agents in a grid-like field to move colored boxes to the targets of "
        "their color. Each agent occupies a 1x1 square and can only act on objects within its square. An agent can "
        "move a box to a side-adjacent square, or onto a target of the same color in its square (the box and the "
        "target are then both done). A square may hold several boxes and targets.\n\n"
        "Squares are named by their center coordinates (e.g. square[0.5, 0.5]). Actions are written "
        "move(box_color, destination), where destination is a target of the box's color in the same square or an "
        "adjacent square.\n\n"
        "Plan a sequence of steps that matches every box with a target of its color, using as few steps as "
        "possible. Rules:\n"
        "1. One action per agent per step; all agents act at the same time, on what their square holds when the "
        "step begins. The answer is a list of steps.\n"
        '2. Key each action by its agent, written "Agent[x, y]" with the agent\'s coordinates.\n'
        "3. Prefer matching a box to its target over moving it.\n"
        "4. Give the whole plan, not just the first step.\n"
        "5. Write the plan as JSON, one dictionary per step.\n"
        "6. Include an agent in a step only if it acts in that step.\n\n"
        "Format:\n"
        '[{"Agent[0.5, 0.5]":"move(box_blue, square[0.5, 1.5])", "Agent[1.5, 0.5]":"move(box_red, target_red)"}, '
        '{"Agent[0.5, 1.5]":"move(box_blue, target_blue)"}, ...]\n\n'
        "The squares, what each agent observes and the actions it can take now are:\n"
        f"{_state_lines(rows, cols, grid)}\n\n"
        "Surround the answer with <<<content>>>, like "
        '<<<[{"Agent[0.5, 0.5]":"move(box_blue, square[0.5, 1.5])"}, {"Agent[0.5, 1.5]":"move(box_blue, target_blue)"}]>>>.'
    )


_AGENT_LINE = re.compile(
    r"Agent\[\s*([\d.]+)\s*,\s*([\d.]+)\s*\]\s*:\s*I am in square\[[^\]]*\]\s*,\s*I can observe\s*(\[[^\]]*\])")


def parse_question(question: str) -> dict[str, Any]:
    """The grid (rows, cols and items per square) written in a BoxNet question; ValueError if absent."""
    grid: dict[str, list[str]] = {}
    for match in _AGENT_LINE.finditer(question):
        cell = cell_of(float(match.group(1)), float(match.group(2)))
        grid[key_of(cell)] = [str(i) for i in ast.literal_eval(match.group(3))]
    if not grid:
        raise ValueError("not a BoxNet question: no 'Agent[x, y]: I am in square[...], I can observe [...]' lines; "
                         "send the full question")
    cells = [cell_of(*map(float, k.split("_"))) for k in grid]
    rows, cols = max(r for r, _ in cells) + 1, max(c for _, c in cells) + 1
    for r in range(rows):
        for c in range(cols):
            grid.setdefault(key_of((r, c)), [])
    return {"rows": rows, "cols": cols, "grid": grid}


# ---------------------------------------------------------------- answers

_NUM = r"\d+(?:\.\d+)?"
_KEY = re.compile(rf"^\s*Agent\s*\[\s*({_NUM})\s*,\s*({_NUM})\s*\]\s*$", re.I)
_ACTION = re.compile(rf"^\s*move\s*\(\s*(box_[a-z]+)\s*,\s*(?:(target_[a-z]+)|square\s*\[\s*({_NUM})\s*,\s*({_NUM})\s*\])\s*\)\s*$", re.I)

Action = tuple[Cell, str, Any]  # (agent cell, box, "target" | destination cell)


def parse_plan(answer_text: str) -> list[list[Action]]:
    """The steps of an answer: a JSON (or Python) list of {"Agent[x, y]": "move(box, dest)"}.

    A lone dictionary is read as a one-step plan. Raises ValueError saying what was wrong.
    """
    raw = answer_or_last_line(answer_text)
    if raw is None:
        raise ValueError('no answer found; write <<<[{"Agent[0.5, 0.5]": "move(box_red, target_red)"}, ...]>>>')
    try:
        steps = parse_literal(raw)
    except ValueError:
        raise ValueError('the answer is not a list of action dictionaries; write '
                         '<<<[{"Agent[0.5, 0.5]": "move(box_red, target_red)"}, ...]>>>') from None
    if isinstance(steps, dict):
        steps = [steps]
    if not isinstance(steps, (list, tuple)):
        raise ValueError("the answer is not a list of steps (one action dictionary per step)")
    if len(steps) > MAX_STEPS:
        raise ValueError(f"the plan has {len(steps)} steps, more than the {MAX_STEPS} read")
    plan = []
    for k, step in enumerate(steps, 1):
        if not isinstance(step, dict):
            raise ValueError(f"step {k} is not a dictionary of agent actions: {str(step)[:80]!r}")
        actions = []
        for key, value in step.items():
            agent = _KEY.match(str(key))
            action = _ACTION.match(str(value))
            if not agent:
                raise ValueError(f'step {k}: {key!r} is not an agent key like "Agent[0.5, 1.5]"')
            if not action:
                raise ValueError(f'step {k}: {value!r} is not an action like "move(box_red, square[0.5, 1.5])" '
                                 'or "move(box_red, target_red)"')
            cell = cell_of(float(agent.group(1)), float(agent.group(2)))
            box = action.group(1).lower()
            if action.group(2):
                dest: Any = action.group(2).lower()
            else:
                dest = cell_of(float(action.group(3)), float(action.group(4)))
            actions.append((cell, box, dest))
        plan.append(actions)
    return plan


def _boxes_left(grid: dict[str, list[str]]) -> int:
    return sum(1 for items in grid.values() for i in items if i.startswith("box_"))


def simulate(instance: dict[str, Any], plan: list[list[Action]]) -> Score:
    """Strict, simultaneous simulation. Any illegal action (an agent off the grid, a box not in
    its square when the step began, a destination not adjacent, a target of another colour
    or absent) fails the plan; a legal plan that leaves boxes scores partial with the share
    of boxes matched."""
    rows, cols = instance["rows"], instance["cols"]
    grid = {k: list(v) for k, v in instance["grid"].items()}
    total = _boxes_left(grid)
    parsed = [[{f"Agent[{c[0] + 0.5}, {c[1] + 0.5}]": _action_text(b, d)} for c, b, d in step] for step in plan]
    for k, step in enumerate(plan, 1):
        start = {key: Counter(items) for key, items in grid.items()}
        removals: list[tuple[str, str]] = []
        arrivals: list[tuple[str, str]] = []
        for cell, box, dest in step:
            where = f"step {k}, Agent[{cell[0] + 0.5}, {cell[1] + 0.5}] {_action_text(box, dest)}"
            key = key_of(cell)
            if key not in start:
                return Score.incorrect(f"{where}: there is no such square on the {rows}x{cols} grid", parsed)
            if start[key][box] <= 0:
                return Score.incorrect(f"{where}: no {box} is in this square at the start of the step", parsed)
            start[key][box] -= 1
            if isinstance(dest, str):
                if not dest.startswith("target_") or dest[7:] != box[4:]:
                    return Score.incorrect(f"{where}: {dest} is not the target of {box}", parsed)
                if start[key][dest] <= 0:
                    return Score.incorrect(f"{where}: no {dest} is left in this square", parsed)
                start[key][dest] -= 1
                removals += [(key, box), (key, dest)]
            else:
                if dest not in _neighbours(rows, cols, cell):
                    return Score.incorrect(f"{where}: square[{dest[0] + 0.5}, {dest[1] + 0.5}] is not adjacent "
                                           "to the agent's square on the grid", parsed)
                removals.append((key, box))
                arrivals.append((key_of(dest), box))
        for key, item in removals:
            grid[key].remove(item)
        for key, item in arrivals:
            grid[key].append(item)
    left = _boxes_left(grid)
    if left == 0:
        return Score.correct(parsed, f"all {total} boxes matched in {len(plan)} steps")
    reason = f"{left} of {total} boxes are not on a target after {len(plan)} steps"
    if left == total:
        return Score.incorrect(reason, parsed)
    return Score(verdict="partial", value=(total - left) / total, parsed=parsed, reason=reason)


def _action_text(box: str, dest: Any) -> str:
    if isinstance(dest, str):
        return f"move({box}, {dest})"
    return f"move({box}, square[{dest[0] + 0.5}, {dest[1] + 0.5}])"


def faithful_score(instance: dict[str, Any], answer_text: str) -> Score:
    """The original scorer: strict JSON only; actions applied one after another within a step
    (a box may travel several squares in one step); illegal or unreadable actions skipped,
    not failed; success when no box or target is left. The value is its lifted ratio."""
    raw = answer_or_last_line(answer_text) or ""
    grid = copy.deepcopy(instance["grid"])
    total = _boxes_left(grid)
    try:
        steps = json.loads(raw)
        if not isinstance(steps, list) or not all(isinstance(s, dict) for s in steps):
            raise TypeError
    except (ValueError, TypeError, RecursionError):
        return Score.incorrect("response in the wrong format (original scorer: JSON list of dictionaries)", raw)
    for step in steps:
        for key, value in step.items():
            try:
                coords = tuple(map(float, re.findall(r"\d+\.?\d*", key)))
                match = re.match(r"move\((.*?),\s(.*?)\)", value)
                if not match:
                    continue
                item, location = match.groups()
                here = f"{coords[0]}_{coords[1]}"
                if "square" in location:
                    spot = tuple(map(float, re.findall(r"\d+\.?\d*", location)))
                    if item in grid[here] and (abs(coords[0] - spot[0]) + abs(coords[1] - spot[1]) == 1) \
                            and (coords[0] == spot[0] or coords[1] == spot[1]):
                        there = f"{spot[0]}_{spot[1]}"
                        grid[there].append(item)  # KeyError off the grid: the original crashed; skipped here
                        grid[here].remove(item)
                elif item in grid[here] and location in grid[here] and item.startswith("box_") \
                        and location.startswith("target_") and item[4:] == location[7:]:
                    grid[here].remove(item)
                    grid[here].remove(location)
            except (KeyError, IndexError, TypeError, ValueError):
                continue
    left_items = sum(len(v) for v in grid.values())
    ratio = (total - _boxes_left(grid)) / total if total else 1.0
    if left_items == 0:
        return Score.correct(raw, "every box matched (original scorer)")
    reason = f"{_boxes_left(grid)} of {total} boxes left (original scorer)"
    if ratio == 0:
        return Score.incorrect(reason, raw)
    return Score(verdict="partial", value=ratio, parsed=raw, reason=reason)


_score = plan_scorer(parse_plan, simulate, faithful_score)


def check(question: str, answer_text: str) -> Score:
    """Gold-free check: read the grid from the question's agent lines; simulate the plan."""
    instance = question_instance(parse_question, question, errors=(ValueError, SyntaxError))  # literal_eval
    return _score(instance, answer_text, "strict")


def verify(sample: Sample, answer_text: str, mode: ScoringMode = "strict") -> Score:
    """Score by simulating the plan on the sample's grid (never by comparing with the gold)."""
    return _score(sample.metadata, answer_text, mode)


# ---------------------------------------------------------------- reference planner

def _assign(boxes: list[Cell], targets: list[Cell]) -> list[Cell]:
    """A target for each box (same colour), the least total Manhattan distance for up to 7
    boxes, greedy nearest beyond."""
    def dist(a: Cell, b: Cell) -> int:
        return abs(a[0] - b[0]) + abs(a[1] - b[1])
    if len(boxes) <= 7:
        return list(min(itertools.permutations(targets, len(boxes)),
                        key=lambda perm: sum(dist(b, t) for b, t in zip(boxes, perm))))
    free, chosen = list(targets), []
    for b in boxes:
        t = min(free, key=lambda t: dist(b, t))
        free.remove(t)
        chosen.append(t)
    return chosen


def plan_moves(instance: dict[str, Any]) -> list[dict[str, str]]:
    """A plan: each box is paired with a target of its colour and walks to it (rows first);
    each step every agent matches a box that has arrived, else moves one box one square.
    Raises ValueError when some colour has more boxes than targets."""
    where: dict[str, list[Cell]] = {}
    for key, items in instance["grid"].items():
        cell = cell_of(*map(float, key.split("_")))
        for item in items:
            where.setdefault(item, []).append(cell)
    tokens = []  # [position, destination, colour]
    for item, cells in sorted(where.items()):
        if not item.startswith("box_"):
            continue
        targets = where.get("target_" + item[4:], [])
        if len(targets) < len(cells):
            raise ValueError(f"{len(cells)} {item} but only {len(targets)} targets of that colour")
        for cell, target in zip(cells, _assign(cells, targets)):
            tokens.append([cell, target, item])
    plan = []
    while tokens:
        step: dict[str, str] = {}
        busy: set[Cell] = set()
        done, moves = [], []
        for token in sorted(tokens, key=lambda t: t[0] != t[1]):  # arrivals match first
            cell, target, box = token
            if cell in busy:
                continue
            busy.add(cell)
            agent = f"Agent[{cell[0] + 0.5}, {cell[1] + 0.5}]"
            if cell == target:
                step[agent] = f"move({box}, target_{box[4:]})"
                done.append(token)
            else:
                nxt = (cell[0] + (target[0] > cell[0]) - (target[0] < cell[0]), cell[1]) if cell[0] != target[0] \
                    else (cell[0], cell[1] + (target[1] > cell[1]) - (target[1] < cell[1]))
                step[agent] = f"move({box}, square[{nxt[0] + 0.5}, {nxt[1] + 0.5}])"
                moves.append((token, nxt))
        for token in done:
            tokens.remove(token)
        for token, nxt in moves:
            token[0] = nxt
        plan.append(step)
    return plan


def render_gold(sample: Sample) -> str:
    return f"<<<{json.dumps(sample.gold)}>>>"


# ---------------------------------------------------------------- samples

def _sample(sample_id: str, source: str, rows: int, cols: int, grid: dict[str, list[str]]) -> Sample:
    metadata = {"rows": rows, "cols": cols, "grid": grid,
                "gold_origin": "reference plan of this module's planner; the original stores no answer"}
    return Sample(task=NAME, id=sample_id, question=render_question(rows, cols, grid), metadata=metadata,
                  gold=plan_moves(metadata), source=source)


def generate(seed: int, rows: int = KNOBS["rows"], cols: int = KNOBS["cols"], colors: int = KNOBS["colors"],
             min_boxes_per_color: int = KNOBS["min_boxes_per_color"],
             max_boxes_per_color: int = KNOBS["max_boxes_per_color"]) -> Sample:
    """Boxes and their targets dropped on uniformly random squares, as the original did."""
    if rows < 1 or cols < 1 or rows * cols < 2:
        raise ValueError("the grid needs at least two squares (rows >= 1, cols >= 1)")
    if not 1 <= colors <= len(COLOURS):
        raise ValueError(f"colors must be between 1 and {len(COLOURS)}")
    if not 1 <= min_boxes_per_color <= max_boxes_per_color:
        raise ValueError("need 1 <= min_boxes_per_color <= max_boxes_per_color")
    rng = random.Random(seed)
    grid: dict[str, list[str]] = {key_of((r, c)): [] for r in range(rows) for c in range(cols)}
    for colour in COLOURS[:colors]:
        for _ in range(rng.randint(min_boxes_per_color, max_boxes_per_color)):
            box, target = rng.randrange(rows * cols), rng.randrange(rows * cols)
            grid[key_of(divmod(box, cols))].append("box_" + colour)
            grid[key_of(divmod(target, cols))].append("target_" + colour)
    return _sample(f"generated-{seed}", f"generated:{seed}", rows, cols, grid)


def _folder_key(path: Path) -> tuple:
    return tuple(int(n) for n in re.findall(r"\d+", path.name))


def load(data_dir: Path) -> list[Sample]:
    """Every ``pg_state<k>.json`` under ``<data_dir>/BoxNet1_dataset`` (not the _SFT training copy)."""
    root = Path(data_dir) / DATA_DIR
    if not root.is_dir():
        raise FileNotFoundError(f"no {DATA_DIR} folder in {data_dir}; give the folder that holds the SymBench datasets")
    samples = []
    for group in sorted((p for p in root.iterdir() if p.is_dir()), key=_folder_key):
        size = re.fullmatch(r"env_pg_state_(\d+)_(\d+)", group.name)
        if not size:
            continue
        rows, cols = int(size.group(1)), int(size.group(2))
        for case in sorted((p for p in group.iterdir() if p.is_dir()), key=_folder_key):
            file = case / f"{case.name}.json"
            if file.is_file():
                grid = json.loads(file.read_text())
                samples.append(_sample(f"{group.name}/{case.name}", str(file), rows, cols, grid))
    return samples


TASK = Task(
    name=NAME,
    title="BoxNet",
    seen=True,
    category="planning",
    load=load,
    generate=generate,
    verify=verify,
    check=check,
    data_dirs=(DATA_DIR,),
    knobs=dict(KNOBS),
    render_gold=render_gold,
    modes_note=(
        "strict: steps are simultaneous (an agent acts on what its square held when the step began), one action "
        "per agent, and any illegal action (box not there, square not adjacent, wrong or missing target, agent off "
        "the grid) fails the plan; a legal plan that leaves boxes scores partial with the share of boxes matched. "
        "Python-literal and JSON answers are both read. faithful: the original scorer: JSON only, actions applied "
        "one by one inside a step (a box may move several squares in one step), illegal or unreadable actions "
        "skipped rather than failed; correct when nothing is left, otherwise partial with its lifted-box ratio. "
        "The original stores no answer: the gold is this module's planner's plan."
    ),
)
