"""BoxLift: lift every box with a team of lifters in as few steps as the question allows.

Data: ``BoxLift_dataset/BoxLift_<boxes>_<lifters>/BoxLift<k>/BoxLift.json`` holding the box
weights and the lifters' capacities; the original stores no answer. The question (rebuilt
here, as the original built it at run time) states a step limit: the number of steps of
the original's greedy heuristic (heaviest box first, lifters taken in index order), which
``greedy_plan`` reproduces; the reference gold is that greedy plan, so it always meets it.

An answer is ``Step 1: [(weight, [lifter indices]), ...]`` lines; every assignment is
simulated: the weight must be a box still on the floor, the indices real lifters, no
lifter used twice in a step, and the lifters' capacities must add up to the weight.
"""

from __future__ import annotations

import ast
import json
import random
import re
from collections import Counter
from pathlib import Path
from typing import Any, Sequence

from ..extract import answer_or_last_line, parse_literal
from ..types import Sample, Score, ScoringMode, Task
from ._common import plan_scorer, question_instance

NAME = "boxlift"
DATA_DIR = "BoxLift_dataset"
MAX_STEPS = 1_000
"""Plans with more steps are rejected unread (a check stays fast on a runaway answer)."""

KNOBS: dict[str, Any] = {
    "num_boxes": 15, "num_lifters": 4,
    "min_box_weight": 20, "max_box_weight": 200,
    "min_lifter_capacity": 30, "max_lifter_capacity": 120,
}
"""The original's difficulty knobs; its test set used (10,3,10,100,40,80), (15,4,20,200,30,120),
(20,5,30,300,40,160) and (25,6,40,400,50,200)."""

Plan = list[list[tuple[int, list[int]]]]


# ---------------------------------------------------------------- the instance

def greedy_plan(boxes: Sequence[int], lifters: Sequence[int]) -> Plan:
    """The original's step estimate, as a plan: each step, walk the boxes heaviest first and
    lift each one the still-free lifters can carry together, taking free lifters in index
    order until their capacities cover it. Raises ValueError when a box outweighs all the
    lifters together (no plan exists)."""
    if boxes and max(boxes) > sum(lifters):
        raise ValueError(f"box {max(boxes)} is heavier than all lifters together ({sum(lifters)})")
    remaining = sorted(boxes, reverse=True)
    plan: Plan = []
    while remaining:
        free = list(range(len(lifters)))
        step: list[tuple[int, list[int]]] = []
        i = 0
        while i < len(remaining) and free:
            box = remaining[i]
            if sum(lifters[j] for j in free) >= box:
                team, strength = [], 0
                for j in free:
                    team.append(j)
                    strength += lifters[j]
                    if strength >= box:
                        break
                free = [j for j in free if j not in team]
                step.append((box, team))
                remaining.pop(i)
            else:
                i += 1
        plan.append(step)
    return plan


def render_plan(plan: Plan) -> str:
    return "\n".join(f"Step {k}: {[(w, list(team)) for w, team in step]}" for k, step in enumerate(plan, 1))


def render_question(boxes: Sequence[int], lifters: Sequence[int], step_limit: int) -> str:
    return f"""Task: BoxLift

You are given a list of boxes with the following weights: {list(boxes)}
And a list of lifters with the following maximum lifting capacities: {list(lifters)}

Assign the lifters to lift all the boxes in several steps, under these rules:
1. Several boxes can be lifted in one step.
2. A lifter lifts at most one box at a time.
3. Each lifter can be used only once in each step.
4. Several lifters can join to lift one box that is too heavy for one of them; their capacities add up.
5. Use as few steps as possible.
6. You need to lift all the boxes in less than or equal to {step_limit} steps.

Write the solution in this format, lifters numbered from 0:
Step 1: [(Box weight, [Lifter indices]), (Box weight, [Lifter indices]), ...]
Step 2: [(Box weight, [Lifter indices]), (Box weight, [Lifter indices]), ...]
...

For example, Step 1: [(50, [0, 2]), (30, [1]), (20, [3])] means that in step 1 lifters 0 and 2 lift a
box weighing 50, lifter 1 lifts a box weighing 30 and lifter 3 lifts a box weighing 20.

Surround the answer with <<<content>>>, for example
<<<Step 1: [(50, [0, 2]), (30, [1]), (20, [3])]
Step 2: [(40, [0, 1]), (20, [2]), (20, [3])]>>>

Make sure every box is lifted.
"""


_WEIGHTS = re.compile(r"following weights:\s*(\[[^\]]*\])")
_CAPACITIES = re.compile(r"lifting capacities:\s*(\[[^\]]*\])")
_LIMIT = re.compile(r"(?:less than or equal to|at most|no more than)\s+(\d+)\s+steps", re.I)


def parse_question(question: str) -> dict[str, Any]:
    """Boxes, lifters and step limit written in a BoxLift question; ValueError if absent."""
    weights, capacities, limit = _WEIGHTS.search(question), _CAPACITIES.search(question), _LIMIT.search(question)
    if not (weights and capacities):
        raise ValueError("not a BoxLift question: no box weights or lifter capacities found; send the full question")
    boxes = [int(x) for x in ast.literal_eval(weights.group(1))]
    lifters = [int(x) for x in ast.literal_eval(capacities.group(1))]
    step_limit = int(limit.group(1)) if limit else len(greedy_plan(boxes, lifters))
    return {"boxes": boxes, "lifters": lifters, "step_limit": step_limit}


# ---------------------------------------------------------------- answers

_STEP = re.compile(r"Step\s*\d+\s*:", re.I)


def parse_plan(answer_text: str) -> Plan:
    """The steps of an answer: ``Step k: [...]`` lines, or a list of steps as one literal.

    A single lifter index may be written bare (``(30, 1)``). Raises ValueError saying what
    was wrong when the answer is not a plan.
    """
    raw = answer_or_last_line(answer_text)
    if raw is None:
        raise ValueError("no answer found; write <<<Step 1: [(weight, [lifters]), ...]\\nStep 2: ...>>>")
    chunks = _STEP.split(raw)
    if len(chunks) > 1:
        steps = []
        for k, chunk in enumerate(chunks[1:], 1):
            try:
                steps.append(parse_literal(chunk))
            except ValueError:
                raise ValueError(f"step {k} is not a list of (weight, [lifter indices]) pairs: {chunk.strip()[:80]!r}") from None
    else:
        try:
            steps = parse_literal(raw)
        except ValueError:
            raise ValueError("the answer is not a plan; write <<<Step 1: [(weight, [lifters]), ...]\\nStep 2: ...>>>") from None
        if not isinstance(steps, (list, tuple)):
            raise ValueError("the answer is not a list of steps")
    if len(steps) > MAX_STEPS:
        raise ValueError(f"the plan has {len(steps)} steps, more than the {MAX_STEPS} read")
    plan: Plan = []
    for k, step in enumerate(steps, 1):
        if isinstance(step, tuple) and len(step) == 2 and isinstance(step[0], (int, float)):
            step = [step]
        if not isinstance(step, (list, tuple)):
            raise ValueError(f"step {k} is not a list of (weight, [lifter indices]) pairs")
        assignments = []
        for item in step:
            if not isinstance(item, (list, tuple)) or len(item) != 2:
                raise ValueError(f"step {k}: {item!r} is not a (weight, [lifter indices]) pair")
            weight, team = item
            if isinstance(team, int) and not isinstance(team, bool):
                team = [team]
            if not isinstance(weight, (int, float)) or isinstance(weight, bool) or not isinstance(team, (list, tuple)) \
                    or not all(isinstance(j, int) and not isinstance(j, bool) for j in team):
                raise ValueError(f"step {k}: {item!r} is not a (weight, [lifter indices]) pair")
            assignments.append((weight, list(team)))
        plan.append(assignments)
    return plan


def simulate(instance: dict[str, Any], plan: Plan) -> Score:
    """Strict simulation: any illegal assignment or too many steps fails the plan; a legal plan
    that leaves boxes on the floor scores partial (the share of boxes lifted)."""
    boxes, lifters, limit = instance["boxes"], instance["lifters"], instance["step_limit"]
    floor = Counter(boxes)
    parsed = render_plan(plan)
    for k, step in enumerate(plan, 1):
        used: set[int] = set()
        for weight, team in step:
            where = f"step {k}, ({weight}, {team})"
            if floor[weight] <= 0:
                return Score.incorrect(f"{where}: no box of weight {weight} is left to lift", parsed)
            if not team:
                return Score.incorrect(f"{where}: no lifter is assigned", parsed)
            bad = [j for j in team if not 0 <= j < len(lifters)]
            if bad:
                return Score.incorrect(f"{where}: lifter indices {bad} do not exist (0..{len(lifters) - 1})", parsed)
            again = sorted({j for j in team if j in used or team.count(j) > 1})
            if again:
                return Score.incorrect(f"{where}: lifters {again} are used more than once in this step", parsed)
            strength = sum(lifters[j] for j in team)
            if strength < weight:
                return Score.incorrect(f"{where}: the lifters can carry {strength} together, less than {weight}", parsed)
            used.update(team)
            floor[weight] -= 1
    if len(plan) > limit:
        return Score.incorrect(f"the plan takes {len(plan)} steps, more than the limit of {limit}", parsed)
    left = sum(floor.values())
    if left == 0:
        return Score.correct(parsed, f"all {len(boxes)} boxes lifted in {len(plan)} steps (limit {limit})")
    lifted = len(boxes) - left
    reason = f"{left} of {len(boxes)} boxes are never lifted: {sorted(floor.elements(), reverse=True)}"
    if lifted == 0:
        return Score.incorrect(reason, parsed)
    return Score(verdict="partial", value=lifted / len(boxes), parsed=parsed, reason=reason)


def faithful_score(instance: dict[str, Any], answer_text: str) -> Score:
    """The original scorer: split at "Step", evaluate at most ``step_limit`` steps, skip (not
    fail) an assignment with an unknown weight, bad index, reused lifter or too little
    strength, stop at a step that does not parse. Success when nothing is left; otherwise
    the value is the original's lifted-box ratio."""
    boxes, lifters, limit = instance["boxes"], instance["lifters"], instance["step_limit"]
    raw = answer_or_last_line(answer_text) or ""
    remaining = list(boxes)
    steps = raw.split("Step")[1:]
    notes = []
    if len(steps) > limit:
        notes.append("too many steps (the extra ones are ignored)")
    for step in steps[:limit]:
        used: set[int] = set()
        try:
            assignments = ast.literal_eval(step.split(":")[1].strip())
            for weight, team in assignments:
                if weight not in remaining:
                    notes.append("invalid box weight")
                elif any(j >= len(lifters) for j in team):
                    notes.append("invalid lifter index")
                elif any(j in used for j in team):
                    notes.append("lifter used more than once")
                elif sum(lifters[j] for j in team) < weight:
                    notes.append("insufficient lifter strength")
                else:
                    remaining.remove(weight)
                    used.update(team)
        except Exception:  # the original caught everything here and stopped
            notes.append("invalid format")
            break
    ratio = (len(boxes) - len(remaining)) / len(boxes) if boxes else 1.0
    if not remaining:
        return Score.correct(raw, "all boxes lifted (original scorer)" + (f"; notes: {', '.join(notes)}" if notes else ""))
    reason = f"{len(remaining)} boxes left (original scorer)" + (f"; notes: {', '.join(notes)}" if notes else "")
    if ratio == 0:
        return Score.incorrect(reason, raw)
    return Score(verdict="partial", value=ratio, parsed=raw, reason=reason)


_score = plan_scorer(parse_plan, simulate, faithful_score)


def check(question: str, answer_text: str) -> Score:
    """Gold-free check: parse boxes, lifters and step limit from the question; simulate the plan."""
    instance = question_instance(parse_question, question, errors=(ValueError, SyntaxError))  # literal_eval
    return _score(instance, answer_text, "strict")


def verify(sample: Sample, answer_text: str, mode: ScoringMode = "strict") -> Score:
    """Score by simulating the plan on the sample's instance (never by comparing with the gold)."""
    return _score(sample.metadata, answer_text, mode)


# ---------------------------------------------------------------- samples

def _sample(sample_id: str, source: str, boxes: list[int], lifters: list[int]) -> Sample:
    plan = greedy_plan(boxes, lifters)
    metadata = {"boxes": boxes, "lifters": lifters, "step_limit": len(plan),
                "gold_origin": "reference plan (the original's greedy heuristic); the original stores no answer"}
    return Sample(task=NAME, id=sample_id, question=render_question(boxes, lifters, len(plan)),
                  metadata=metadata, gold=render_plan(plan), source=source)


def generate(seed: int, num_boxes: int = KNOBS["num_boxes"], num_lifters: int = KNOBS["num_lifters"],
             min_box_weight: int = KNOBS["min_box_weight"], max_box_weight: int = KNOBS["max_box_weight"],
             min_lifter_capacity: int = KNOBS["min_lifter_capacity"],
             max_lifter_capacity: int = KNOBS["max_lifter_capacity"]) -> Sample:
    """Uniform random weights and capacities in the knobs' ranges, as the original drew them
    (redrawn while some box outweighs all lifters together, which has no plan)."""
    if num_boxes < 1 or num_lifters < 1 or min_box_weight > max_box_weight or min_lifter_capacity > max_lifter_capacity:
        raise ValueError("need num_boxes >= 1, num_lifters >= 1 and min <= max for weights and capacities")
    if max(min_box_weight, 1) > num_lifters * max_lifter_capacity:
        raise ValueError("even the lightest box outweighs the strongest possible lifters; raise the capacities")
    rng = random.Random(seed)
    while True:
        boxes = [rng.randint(min_box_weight, max_box_weight) for _ in range(num_boxes)]
        lifters = [rng.randint(min_lifter_capacity, max_lifter_capacity) for _ in range(num_lifters)]
        if max(boxes) <= sum(lifters):
            return _sample(f"generated-{seed}", f"generated:{seed}", boxes, lifters)


def _folder_key(path: Path) -> tuple:
    return tuple(int(n) for n in re.findall(r"\d+", path.name))


def load(data_dir: Path) -> list[Sample]:
    """Every ``BoxLift.json`` under ``<data_dir>/BoxLift_dataset`` (not the _SFT training copy)."""
    root = Path(data_dir) / DATA_DIR
    if not root.is_dir():
        raise FileNotFoundError(f"no {DATA_DIR} folder in {data_dir}; give the folder that holds the SymBench datasets")
    samples = []
    for group in sorted((p for p in root.iterdir() if p.is_dir()), key=_folder_key):
        for case in sorted((p for p in group.iterdir() if p.is_dir()), key=_folder_key):
            file = case / "BoxLift.json"
            if file.is_file():
                data = json.loads(file.read_text())
                samples.append(_sample(f"{group.name}/{case.name}", str(file), list(data["boxes"]), list(data["lifters"])))
    return samples


TASK = Task(
    name=NAME,
    title="BoxLift",
    seen=True,
    category="planning",
    load=load,
    generate=generate,
    verify=verify,
    check=check,
    data_dirs=(DATA_DIR,),
    knobs=dict(KNOBS),
    modes_note=(
        "strict: the plan is simulated and any illegal assignment (a weight not on the floor, a missing lifter, a "
        "lifter used twice in a step, too little strength) or more steps than the limit fails it; a legal plan that "
        "leaves boxes scores partial with the share of boxes lifted. faithful: the original scorer, which skips "
        "illegal assignments instead of failing, ignores steps past the limit, and stops at a step that does not "
        "parse; correct when every box ends up lifted, otherwise partial with its lifted-box ratio. The original "
        "stores no answer: the gold is the original's greedy plan, which meets the limit by construction."
    ),
)
