"""Blocksworld: restack lettered blocks from an initial state to a goal state, one top block at a time.

Data: ``Blocksworld_dataset/<blocks>_<initial stacks>_<goal stacks>_<k>/blocksworld_task.txt``
with ``Initial State:`` and ``Goal State:`` sections of ``stackN: A B`` lines (bottom to top).
The goal lists every block, so stacks it leaves out must end empty. Moves go between the
existing stacks only (no table, no new stack). The original stores no answer; the
reference gold is a shortest plan found by breadth-first search.
"""

from __future__ import annotations

import random
import re
from collections import deque
from pathlib import Path
from typing import Any, Sequence

from ..extract import answer_or_last_line, parse_literal, strip_wrapping
from ..types import Sample, Score, ScoringMode, Task
from ._common import plan_scorer, question_instance

NAME = "blocksworld"
DATA_DIR = "Blocksworld_dataset"
MAX_SEARCH_STATES = 500_000
"""Breadth-first search gives up (ValueError) after visiting this many states: use fewer blocks."""
MAX_MOVES = 10_000
"""Plans with more moves are rejected unread (a check stays fast on a runaway answer)."""

KNOBS: dict[str, Any] = {"num_blocks": 3, "initial_stacks": 4, "goal_stacks": 3}
"""The original's knobs: its test set crossed 2-4 blocks, 3-5 initial stacks, 2-4 goal stacks."""

State = dict[str, list[str]]


# ---------------------------------------------------------------- the instance

def render_state(state: State) -> str:
    return "".join(f"{stack}: {' '.join(blocks)}\n" for stack, blocks in state.items())


def render_question(initial: State, goal: State) -> str:
    return (
        "Blocksworld Task:\n\nInitial State:\n" + render_state(initial) + "\nGoal State:\n" + render_state(goal)
        + "\nGive a series of moves that reaches the goal state. Move one block at a time, and only the top block "
        "of a stack. In each stack the blocks are listed from the bottom (left) to the top (right): in stack "
        "A B C D, A is the bottom block and D the top block, so only D can be moved. ***Only the top block of "
        "a stack can be picked up; check this rule before every move!*** "
        "\nWrite each move as 'Move [block] from [source] to [destination]', with stacks named by their numbers. "
        "You cannot create new stacks, only move blocks among the existing ones. "
        "Put each move on its own line and surround the answer with <<<content>>>, like "
        "<<<Move B from 2 to 3\nMove A from 1 to 2\nMove C from 3 to 1>>>\n"
    )


_STACK_LINE = re.compile(r"^\s*(stack\s*\d+)\s*:(.*)$", re.I)


def parse_states(text: str) -> tuple[State, State]:
    """Initial and goal states from a task file or question; ValueError when either is missing."""
    initial: State = {}
    goal: State = {}
    current: State | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.lower().startswith("initial state"):
            current = initial
            continue
        if stripped.lower().startswith("goal state"):
            current = goal
            continue
        match = _STACK_LINE.match(line)
        if match and current is not None:
            current[match.group(1).replace(" ", "").lower()] = match.group(2).split()
        elif stripped and current is goal and goal:
            break  # the instructions after the goal section
    if not initial or not goal:
        raise ValueError("not a Blocksworld question: no 'Initial State:' and 'Goal State:' sections of "
                         "'stackN: ...' lines; send the full question")
    return initial, goal


def parse_question(question: str) -> dict[str, Any]:
    initial, goal = parse_states(question)
    return {"initial": initial, "goal": goal}


def _goal_reached(state: State, goal: State) -> bool:
    """Every stack holds what the goal lists for it; stacks the goal leaves out are empty."""
    return all(state.get(stack, []) == goal.get(stack, []) for stack in set(state) | set(goal))


# ---------------------------------------------------------------- answers

_MOVE = re.compile(r"^move\s+(\S+)\s+from\s+(?:stack\s*)?(\w+)\s+to\s+(?:stack\s*)?(\w+)$", re.I)
_BULLET = re.compile(r"^(?:\d+\s*[.):]\s*|[-*•]\s*)")


def parse_moves(answer_text: str) -> list[tuple[str, str, str]]:
    """(block, source stack, destination stack) per move.

    One move per line (a ';', or a comma before the next 'Move', also separates moves, and a
    list of move strings is read too; an 'Answer:' label is dropped);
    numbering, bullets, quotes and a final full stop are ignored; 'stack2', 'stack 2' and '2'
    all name stack2. Raises ValueError on a line that is not a move.
    """
    raw = answer_or_last_line(answer_text)
    if raw is None:
        raise ValueError("no answer found; write <<<Move B from 2 to 3\\nMove A from 1 to 2>>>")
    lines: list[str]
    if raw.lstrip().startswith("["):
        try:
            value = parse_literal(raw)
        except ValueError:
            value = None
        lines = [str(v) for v in value] if isinstance(value, (list, tuple)) else raw.splitlines()
    else:
        # one move per line, or separated by ';' or by commas before the next 'Move'
        lines = re.split(r"[\n;]|,\s*(?=move\b)", strip_wrapping(raw), flags=re.IGNORECASE)
    moves = []
    for line in lines:
        text = _BULLET.sub("", line.strip().strip("'\"`,").strip()).rstrip(".").strip()
        if not text:
            continue
        match = _MOVE.match(text)
        if not match:
            raise ValueError(f"{line.strip()!r} is not a move; write 'Move [block] from [source] to [destination]'")
        block, source, dest = match.groups()
        moves.append((block, _stack_name(source), _stack_name(dest)))
    if len(moves) > MAX_MOVES:
        raise ValueError(f"the plan has {len(moves)} moves, more than the {MAX_MOVES} read")
    return moves


def _stack_name(token: str) -> str:
    return f"stack{token}" if token.isdigit() else token.lower()


def simulate(instance: dict[str, Any], moves: Sequence[tuple[str, str, str]]) -> Score:
    """Apply the moves under the rules; any illegal move fails; the last state must be the goal."""
    state = {stack: list(blocks) for stack, blocks in instance["initial"].items()}
    goal = instance["goal"]
    parsed = [f"Move {b} from {s} to {d}" for b, s, d in moves]
    for k, (block, source, dest) in enumerate(moves, 1):
        where = f"move {k} (Move {block} from {source} to {dest})"
        for stack in (source, dest):
            if stack not in state:
                return Score.incorrect(f"{where}: there is no {stack}; the stacks are {', '.join(state)}", parsed)
        if not state[source]:
            return Score.incorrect(f"{where}: {source} is empty", parsed)
        if state[source][-1] != block:
            return Score.incorrect(f"{where}: {block} is not the top block of {source} "
                                   f"(its top is {state[source][-1]})", parsed)
        state[dest].append(state[source].pop())
    if _goal_reached(state, goal):
        return Score.correct(parsed, f"goal reached in {len(moves)} moves")
    shown = "; ".join(f"{s}: {' '.join(b)}" for s, b in state.items())
    return Score.incorrect(f"the moves end in {shown}, not the goal state", parsed)


def faithful_score(instance: dict[str, Any], answer_text: str) -> Score:
    """The original scorer: split at newlines, each line exactly six words 'Move X from S to D'
    (a blank or decorated line fails), 'stack' prefixed to a bare source or destination."""
    raw = answer_or_last_line(answer_text) or ""
    state = {stack: list(blocks) for stack, blocks in instance["initial"].items()}
    for line in raw.strip().split("\n"):
        parts = line.split()
        if len(parts) != 6 or parts[0] != "Move" or parts[2] != "from" or parts[4] != "to":
            return Score.incorrect(f"invalid move format: {line!r} (original scorer)", raw)
        block, source, dest = parts[1], parts[3], parts[5]
        source = source if "stack" in source else "stack" + source
        dest = dest if "stack" in dest else "stack" + dest
        if source not in state or dest not in state:
            return Score.incorrect(f"invalid source or destination stack: {line!r} (original scorer)", raw)
        if not state[source] or state[source][-1] != block:
            return Score.incorrect(f"invalid move: {line!r}, {block} is not on top (original scorer)", raw)
        state[dest].append(state[source].pop())
    goal = instance["goal"]
    if {k: v for k, v in state.items() if v} == {k: v for k, v in goal.items() if v}:
        return Score.correct(raw, "goal state reached (original scorer)")
    return Score.incorrect("the final state does not match the goal state (original scorer)", raw)


_score = plan_scorer(parse_moves, simulate, faithful_score)


def check(question: str, answer_text: str) -> Score:
    """Gold-free check: read both states from the question; simulate the moves."""
    return _score(question_instance(parse_question, question), answer_text, "strict")


def verify(sample: Sample, answer_text: str, mode: ScoringMode = "strict") -> Score:
    """Score by simulating the moves on the sample's states (never by comparing with the gold)."""
    return _score(sample.metadata, answer_text, mode)


# ---------------------------------------------------------------- reference planner

def shortest_plan(initial: State, goal: State) -> list[str]:
    """A shortest move list from ``initial`` to ``goal`` (breadth-first search over stack
    states). Raises ValueError past MAX_SEARCH_STATES states or when the goal is unreachable
    (blocks differ, or the goal names a stack that does not exist)."""
    names = list(initial)
    if sorted(b for s in initial.values() for b in s) != sorted(b for s in goal.values() for b in s) \
            or any(s not in initial for s in goal if goal[s]):
        raise ValueError("the goal holds other blocks or stacks than the initial state")
    start = tuple(tuple(initial[n]) for n in names)
    target = tuple(tuple(goal.get(n, [])) for n in names)
    parent: dict[tuple, tuple | None] = {start: None}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        if state == target:
            break
        for i, src in enumerate(state):
            if not src:
                continue
            for j in range(len(state)):
                if i == j:
                    continue
                nxt = list(state)
                nxt[i] = src[:-1]
                nxt[j] = state[j] + (src[-1],)
                nxt_t = tuple(nxt)
                if nxt_t not in parent:
                    parent[nxt_t] = (state, src[-1], i, j)
                    if len(parent) > MAX_SEARCH_STATES:
                        raise ValueError(f"search passed {MAX_SEARCH_STATES} states; use fewer blocks")
                    queue.append(nxt_t)
    if target not in parent:
        raise ValueError("the goal cannot be reached")
    moves = []
    state = target
    while parent[state] is not None:
        prev, block, i, j = parent[state]
        moves.append(f"Move {block} from {names[i].removeprefix('stack')} to {names[j].removeprefix('stack')}")
        state = prev
    return moves[::-1]


def render_gold(sample: Sample) -> str:
    return "<<<" + "\n".join(sample.gold) + ">>>"


# ---------------------------------------------------------------- samples

def _sample(sample_id: str, source: str, initial: State, goal: State) -> Sample:
    metadata = {"initial": initial, "goal": goal,
                "gold_origin": "shortest plan by breadth-first search; the original stores no answer"}
    return Sample(task=NAME, id=sample_id, question=render_question(initial, goal), metadata=metadata,
                  gold=shortest_plan(initial, goal), source=source)


def generate(seed: int, num_blocks: int = KNOBS["num_blocks"], initial_stacks: int = KNOBS["initial_stacks"],
             goal_stacks: int = KNOBS["goal_stacks"]) -> Sample:
    """As the original drew them: blocks A.. put one by one, in random order, on random initial
    stacks; then, in alphabetical order, on random goal stacks."""
    if not 1 <= num_blocks <= 26:
        raise ValueError("num_blocks must be between 1 and 26")
    if initial_stacks < 2 or not 1 <= goal_stacks <= initial_stacks:
        raise ValueError("need initial_stacks >= 2 and 1 <= goal_stacks <= initial_stacks (no new stacks)")
    rng = random.Random(seed)
    blocks = [chr(65 + i) for i in range(num_blocks)]
    initial: State = {f"stack{i + 1}": [] for i in range(initial_stacks)}
    left = list(blocks)
    for _ in range(num_blocks):
        block = rng.choice(left)
        left.remove(block)
        initial[f"stack{rng.randint(1, initial_stacks)}"].append(block)
    goal: State = {f"stack{i + 1}": [] for i in range(goal_stacks)}
    for block in blocks:
        goal[f"stack{rng.randint(1, goal_stacks)}"].append(block)
    return _sample(f"generated-{seed}", f"generated:{seed}", initial, goal)


def load(data_dir: Path) -> list[Sample]:
    """Every ``blocksworld_task.txt`` under ``<data_dir>/Blocksworld_dataset``."""
    root = Path(data_dir) / DATA_DIR
    if not root.is_dir():
        raise FileNotFoundError(f"no {DATA_DIR} folder in {data_dir}; give the folder that holds the SymBench datasets")
    samples = []
    folders = [p for p in root.iterdir() if p.is_dir() and (p / "blocksworld_task.txt").is_file()]
    for folder in sorted(folders, key=lambda p: tuple(int(n) for n in re.findall(r"\d+", p.name))):
        file = folder / "blocksworld_task.txt"
        initial, goal = parse_states(file.read_text())
        samples.append(_sample(folder.name, str(file), initial, goal))
    return samples


TASK = Task(
    name=NAME,
    title="Blocksworld",
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
        "Both simulate the moves and need the goal state exactly (stacks the goal leaves out end empty); there is "
        "no partial credit. strict reads moves tolerantly (numbering, bullets, 'stack 2' or '2', ';' between "
        "moves, a final full stop, a list of move strings). faithful is the original scorer: every line must be "
        "exactly the six words 'Move X from S to D', so a blank line or a numbered move fails the answer, and so "
        "does the empty plan, the only right answer where the initial state already is the goal (2_3_2_2). "
        "The original stores no answer: the gold is a shortest plan found by breadth-first search."
    ),
)
