"""Path Plan: a robot's polyline through a plane of coloured boxes, visiting some, avoiding others.

The original benchmark kept its 14 layouts x 10 instructions inside a script, not in a data
folder, so this module generates its own with the same shape: a 3 x 3 plane fenced by four
black walls 0.1 thick, coloured axis-aligned boxes ``(x_start, x_end, y_start, y_end)``, a
start and an end point, and an instruction to enter some boxes (in order, or in any order)
and never touch others. The answer is a list of waypoints joined by straight lines.

Fixed set (``load``): there is no folder to read, so ``load`` ignores its argument and
returns 14 layouts x 10 instructions made by a fixed seed schedule: layout ``i`` (0..13)
from ``random.Random(LOAD_SEED + i)``, instruction ``j`` (0..9) of it from
``random.Random((LOAD_SEED + i) * 100 + j)``. Ids are ``layout03/instr7``.

Verifier (strict and faithful alike; the original's trajectory checker is not in its
release): the path starts and ends at the given points, never touches a wall or an
avoided box (touching an edge or corner counts, as the question says), enters every box
it must visit, and for an ordered instruction enters them in that order (box k+1 at or
after the first time box k is entered after box k-1). Coordinates are read as exact
rationals, so grazing a corner is judged exactly.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
import re
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

from ..extract import answer_or_last_line, parse_literal
from ..types import Sample, Score, ScoringMode, Task
from . import _geometry as geo
from ._common import plan_scorer, question_instance

NAME = "path_plan"
LOAD_SEED = 4_200
"""Base of the seed schedule of the fixed 14 x 10 set (see the module docstring)."""
LOAD_LAYOUTS = 14
LOAD_INSTRUCTIONS = 10

WALLS = ((-1.5, -1.4, -1.5, 1.5), (1.4, 1.5, -1.5, 1.5), (-1.5, 1.5, -1.5, -1.4), (-1.5, 1.5, 1.4, 1.5))
COLOURS = ("yellow", "red", "green", "blue", "pink", "purple", "orange", "brown", "cyan", "gray")
GRID = 0.05
"""Box corners, start and end points lie on multiples of this, so every number is a short decimal."""
BOX_GAP = 0.15
"""Least free space between two boxes, so a path can always pass between them."""
INNER = 1.3
"""Boxes, start and end lie within [-INNER, INNER]^2, leaving a corridor along the walls."""
ENDPOINT_CLEARANCE = 0.1
"""Start and end points keep this far from every box (they must not count as a visit)."""
PLAN_CLEARANCE = 0.05
"""The reference planner's waypoints keep this far from what it avoids."""
PLAN_CHECK_MARGIN = 0.025
"""The planner's legs keep this far from what it avoids (half the clearance: float-safe)."""
ENDPOINT_TOLERANCE = Fraction(1, 10**6)
"""How far the first/last waypoint may be from the start/end point (printing rounding)."""
MAX_WAYPOINTS = 10_000
"""Answers with more waypoints are rejected (not simulated) so a check stays fast."""
MAX_TRIES = 1_000
"""Rejection-sampling attempts for a layout or an instruction before the generator gives up."""

KNOBS: dict[str, Any] = {"num_boxes": 7, "max_visits": 3, "max_avoid": 3}


# ---------------------------------------------------------------- instances

def _snap(value: float) -> float:
    return round(round(value / GRID) * GRID, 4)


def _make_layout(rng: random.Random, num_boxes: int) -> dict[str, Any]:
    """Boxes (disjoint, BOX_GAP apart), start and end points, on the GRID."""
    if not 2 <= num_boxes <= len(COLOURS):
        raise ValueError(f"num_boxes must be between 2 and {len(COLOURS)}, got {num_boxes}")
    for _ in range(MAX_TRIES):
        colours = rng.sample(COLOURS, num_boxes)
        boxes: dict[str, tuple[float, float, float, float]] = {}
        for colour in colours:
            for _ in range(MAX_TRIES):
                w, h = _snap(rng.uniform(0.3, 0.8)), _snap(rng.uniform(0.3, 0.8))
                x0 = _snap(rng.uniform(-INNER, INNER - w))
                y0 = _snap(rng.uniform(-INNER, INNER - h))
                box = (x0, _snap(x0 + w), y0, _snap(y0 + h))
                if box[1] > INNER or box[3] > INNER:
                    continue
                if all(not _rects_near(box, other, BOX_GAP) for other in boxes.values()):
                    boxes[colour] = box
                    break
            else:
                break
        if len(boxes) < num_boxes:
            continue
        start = _free_point(rng, boxes)
        end = _free_point(rng, boxes)
        if start is None or end is None or math.dist(start, end) < 1.0:
            continue
        return {"walls": [list(w) for w in WALLS], "boxes": {c: list(b) for c, b in boxes.items()},
                "start": list(start), "end": list(end)}
    raise RuntimeError("could not place the boxes; use fewer boxes")


def _rects_near(a: Sequence[float], b: Sequence[float], gap: float) -> bool:
    """Whether two rectangles come closer than ``gap`` (with a hair of slack for rounding)."""
    ax0, ax1, ay0, ay1 = a
    bx0, bx1, by0, by1 = b
    slack = gap - 1e-9
    return ax0 < bx1 + slack and bx0 < ax1 + slack and ay0 < by1 + slack and by0 < ay1 + slack


def _free_point(rng: random.Random, boxes: dict[str, Sequence[float]]):
    for _ in range(MAX_TRIES):
        point = (_snap(rng.uniform(-INNER, INNER)), _snap(rng.uniform(-INNER, INNER)))
        if all(not geo.point_in_rect(point, geo.inflate(b, ENDPOINT_CLEARANCE)) for b in boxes.values()):
            return point
    return None


def _join(words: Sequence[str]) -> str:
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " and " + words[-1]


def _make_instruction(rng: random.Random, layout: dict[str, Any], max_visits: int, max_avoid: int) -> dict[str, Any]:
    """An instruction (text and its parsed constraints) over the layout's colours."""
    colours = list(layout["boxes"])
    if max_visits < 1:
        raise ValueError(f"max_visits must be at least 1, got {max_visits}")
    kind = rng.choice(("ordered", "unordered", "only"))
    k = rng.randint(1 if kind != "unordered" else 2, max(1, min(max_visits, len(colours) - 1)))
    k = min(k, len(colours) - 1)
    visit = rng.sample(colours, k)
    others = [c for c in colours if c not in visit]
    if kind == "only":
        avoid = others
    else:
        avoid = rng.sample(others, rng.randint(0, max(0, min(max_avoid, len(others)))))
    ordered = kind != "unordered" and k > 1
    if kind == "unordered" and k > 1:
        text = f"Visit the {_join(visit)} boxes in any order."
    elif len(visit) == 1:
        text = f"Go to the {visit[0]} box."
    else:
        text = f"Go to the {visit[0]} box first, " + ", ".join(f"then to the {c} box" for c in visit[1:]) + "."
    if kind == "only":
        text += " Never enter any other box."
    elif avoid:
        text += f" Never enter the {_join(avoid)} box{'es' if len(avoid) > 1 else ''}."
    return {"text": text, "visit": visit, "ordered": ordered, "avoid": avoid}


def render_question(layout: dict[str, Any], instruction_text: str) -> str:
    walls = ", ".join(_tuple_text(w) for w in layout["walls"])
    boxes = "; ".join(f"a {c} colored box {_tuple_text(b)}" for c, b in layout["boxes"].items())
    return (
        "I am a mobile robot and I need you to plan a trajectory that fulfils a navigation instruction. "
        "Every box is an axis-aligned rectangle given as (x_start, x_end, y_start, y_end): x_start and x_end "
        "bound it in x, y_start and y_end bound it in y. The instruction says which boxes to enter and which "
        "to avoid.\n\n"
        f"First, there are four black colored walls with position {walls}. Then the boxes are: {boxes}.\n\n"
        "The trajectory must never touch a black wall. "
        f"The starting position of the car is {_tuple_text(layout['start'])}, the ending position of the car "
        f"is {_tuple_text(layout['end'])}.\n\n"
        f"The instruction is '{instruction_text}'. The car must fulfil the instruction and stop at the ending "
        "position. Give the trajectory as a list of waypoints [(x0, y0), (x1, y1), ...], starting at the "
        "starting position and ending at the ending position, surrounded by <<<>>>, for example "
        "<<<[(-1.3, -1.3), (0.45, -0.75), (1.3, 1.3)]>>>.\n\n"
        "The trajectory is made by joining consecutive waypoints with straight lines, and these lines must "
        "fulfil the instruction too: check that no line enters a box that must be avoided. Entering a box "
        "means that the trajectory intersects it, boundary included, so an avoided box must not even be "
        "touched."
    )


def _tuple_text(values: Sequence[float]) -> str:
    return "(" + ", ".join(_num_text(v) for v in values) + ")"


def _num_text(value: float) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


# ---------------------------------------------------------------- parsing

_NUM = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)"
_TUPLE = re.compile(rf"\(\s*({_NUM}(?:\s*,\s*{_NUM})*)\s*\)")
_BOX = re.compile(rf"\ban?\s+([A-Za-z]+)\s+colou?red\s+box\s*\(\s*({_NUM}(?:\s*,\s*{_NUM}){{3}})\s*\)")
_START = re.compile(rf"starting position of the (?:car|robot) is\s*\(\s*({_NUM})\s*,\s*({_NUM})\s*\)", re.I)
_END = re.compile(rf"ending position of the (?:car|robot) is\s*\(\s*({_NUM})\s*,\s*({_NUM})\s*\)", re.I)
_INSTRUCTION = re.compile(r"The instruction is\s*'(.+?)'(?=\s*[.\n])", re.S)
_WALLS = re.compile(r"walls? with positions?\s*(.*?)\.\s+Then", re.S | re.I)
_NEGATION = re.compile(r"\b(?:never|avoid|not|don't|dont|without)\b", re.I)
_CLAUSE_SPLIT = re.compile(r"[.;]|\bbut\b", re.I)


def _numbers(text: str) -> list[Fraction]:
    return [geo.exact(x) for x in re.split(r"\s*,\s*", text.strip())]


def parse_instruction(text: str, colours: Sequence[str]) -> dict[str, Any]:
    """Constraints of an instruction: which boxes to visit (and whether in order), which to avoid.

    The text is cut into clauses at full stops, semicolons and "but"; in each clause the
    boxes named after a negation (never / avoid / do not ...) are to be avoid ("all the
    other" / "any other" there means every box not to be visited), the boxes named before
    it are to be visited, in the order written. The visits are ordered when the text
    sequences them ("first", "then", "navigate into A and go to B") and does not say
    "any order" or "at some point". Works on this module's instructions and on the
    original benchmark's wording.
    """
    colour_re = re.compile(r"\b(" + "|".join(re.escape(c) for c in colours) + r")\b", re.I)
    visit: list[str] = []
    avoid: list[str] = []
    avoid_others = False
    for clause in _CLAUSE_SPLIT.split(text):
        negation = _NEGATION.search(clause)
        cut = negation.start() if negation else len(clause)
        visit.extend(c for c in (m.group(1).lower() for m in colour_re.finditer(clause[:cut])) if c not in visit)
        if negation:
            tail = clause[cut:]
            if re.search(r"\bother\b", tail, re.I):
                avoid_others = True
            avoid.extend(c for c in (m.group(1).lower() for m in colour_re.finditer(tail)) if c not in avoid)
    if avoid_others:
        avoid.extend(c for c in colours if c not in visit and c not in avoid)
    ordered = (len(visit) > 1 and not re.search(r"any order|at some point", text, re.I)
               and bool(re.search(r"\b(?:then|first|go to|navigate)\b", text, re.I)))
    return {"text": text, "visit": visit, "ordered": ordered, "avoid": avoid}


def parse_question(question: str) -> dict[str, Any]:
    """The instance (walls, boxes, start, end, instruction) written in a Path Plan question.

    Raises ValueError naming what is missing when the text is not a Path Plan question.
    """
    boxes: dict[str, list[Fraction]] = {}
    for match in _BOX.finditer(question):
        boxes[match.group(1).lower()] = _numbers(match.group(2))
    start, end = _START.search(question), _END.search(question)
    instruction = _INSTRUCTION.search(question)
    missing = [name for name, found in (("boxes", boxes), ("starting position", start),
                                          ("ending position", end), ("instruction", instruction)) if not found]
    if missing:
        raise ValueError(f"not a Path Plan question: no {', '.join(missing)} found; send the full question text")
    walls_match = _WALLS.search(question)
    walls = [_numbers(m.group(1)) for m in _TUPLE.finditer(walls_match.group(1))] if walls_match else []
    return {
        "walls": [w for w in walls if len(w) == 4],
        "boxes": boxes,
        "start": [geo.exact(start.group(1)), geo.exact(start.group(2))],
        "end": [geo.exact(end.group(1)), geo.exact(end.group(2))],
        "instruction": parse_instruction(instruction.group(1), list(boxes)),
    }


def parse_waypoints(answer_text: str) -> list[tuple[Fraction, Fraction]]:
    """The waypoints of an answer as exact pairs.

    Reads the last ``<<<...>>>`` (else the last line) as a list of pairs, tolerating
    tuples or lists, a dict of named points, or loose ``(x, y)`` text. Raises ValueError
    saying what was expected.
    """
    raw = answer_or_last_line(answer_text)
    if raw is None:
        raise ValueError("no answer found; write the waypoints as <<<[(x0, y0), (x1, y1), ...]>>>")
    try:
        value = parse_literal(raw)
    except ValueError:
        pairs = re.findall(rf"\(\s*({_NUM})\s*,\s*({_NUM})\s*\)", raw)
        if not pairs:
            raise ValueError("the answer is not a list of (x, y) waypoints; write <<<[(x0, y0), (x1, y1), ...]>>>") from None
        value = [(float(a), float(b)) for a, b in pairs]
    if isinstance(value, dict):
        value = list(value.values())
    if not isinstance(value, (list, tuple)) or not value:
        raise ValueError("the answer is not a non-empty list of (x, y) waypoints")
    if len(value) == 2 and all(isinstance(v, (int, float)) for v in value):
        value = [value]
    if len(value) > MAX_WAYPOINTS:
        raise ValueError(f"too many waypoints ({len(value)} > {MAX_WAYPOINTS})")
    points = []
    for item in value:
        if not isinstance(item, (list, tuple)) or len(item) != 2:
            raise ValueError(f"waypoint {item!r} is not an (x, y) pair")
        points.append((geo.exact(item[0]), geo.exact(item[1])))
    return points


# ---------------------------------------------------------------- verification

def check_path(instance: dict[str, Any], points: Sequence[tuple[Fraction, Fraction]]) -> Score:
    """Judge a polyline against the instance's start, end, walls and instruction (exactly)."""
    start = tuple(geo.exact(v) for v in instance["start"])
    end = tuple(geo.exact(v) for v in instance["end"])
    parsed = [[float(x), float(y)] for x, y in points]
    if not _close(points[0], start):
        return Score.incorrect(f"the path starts at {_pt(points[0])}, not at the starting position {_pt(start)}", parsed)
    if not _close(points[-1], end):
        return Score.incorrect(f"the path ends at {_pt(points[-1])}, not at the ending position {_pt(end)}", parsed)
    segments = geo.polyline_segments(points)
    boxes = {c: [geo.exact(v) for v in b] for c, b in instance["boxes"].items()}
    walls = [[geo.exact(v) for v in w] for w in instance["walls"]]
    rule = instance["instruction"]
    unknown = [c for c in list(rule["visit"]) + list(rule["avoid"]) if c not in boxes]
    if unknown:
        return Score.incorrect(f"the instruction names boxes not in the layout: {', '.join(unknown)}", parsed)
    for index, (p, q) in enumerate(segments):
        for wall in walls:
            if geo.segment_touches_rect(p, q, wall):
                return Score.incorrect(f"segment {index + 1} {_pt(p)}->{_pt(q)} touches a wall {_rect(wall)}", parsed)
        for colour in rule["avoid"]:
            if geo.segment_touches_rect(p, q, boxes[colour]):
                return Score.incorrect(
                    f"segment {index + 1} {_pt(p)}->{_pt(q)} touches the {colour} box, which must be avoided", parsed)
    if rule["ordered"]:
        time = 0
        for colour in rule["visit"]:
            time = geo.first_time_in_rect(segments, boxes[colour], time)
            if time is None:
                return Score.incorrect(
                    f"the path does not enter the {colour} box after the boxes before it "
                    f"(order required: {', '.join(rule['visit'])})", parsed)
    else:
        for colour in rule["visit"]:
            if geo.first_time_in_rect(segments, boxes[colour]) is None:
                return Score.incorrect(f"the path never enters the {colour} box", parsed)
    return Score.correct(parsed, "the path starts and ends right, avoids what it must and visits what it must")


def _close(a: Sequence[Fraction], b: Sequence[Fraction]) -> bool:
    return abs(a[0] - b[0]) <= ENDPOINT_TOLERANCE and abs(a[1] - b[1]) <= ENDPOINT_TOLERANCE


def _pt(p: Sequence) -> str:
    return f"({_num_text(float(p[0]))}, {_num_text(float(p[1]))})"


def _rect(r: Sequence) -> str:
    return _tuple_text([float(v) for v in r])


_score = plan_scorer(parse_waypoints, check_path)


def check(question: str, answer_text: str) -> Score:
    """Gold-free check: parse the layout and instruction from the question, then check the path."""
    return _score(question_instance(parse_question, question), answer_text)


def verify(sample: Sample, answer_text: str, mode: ScoringMode = "strict") -> Score:
    """Score an answer by checking the path against the sample's instance (never the gold path)."""
    return _score(sample.metadata, answer_text)


# ---------------------------------------------------------------- reference planner

def plan_path(instance: dict[str, Any]) -> list[list[float]]:
    """A path meeting the instance's instruction: start, each box to visit, end.

    Visits each required box at its centre (in the required order, or for an unordered
    instruction the order with the shortest total length); each leg is a shortest path in
    the visibility graph of the walls and avoided boxes grown by PLAN_CLEARANCE, whose
    edges keep PLAN_CHECK_MARGIN from them. Raises RuntimeError when no path exists.
    """
    boxes = {c: [float(v) for v in b] for c, b in instance["boxes"].items()}
    rule = instance["instruction"]
    obstacles = [[float(v) for v in w] for w in instance["walls"]] + [boxes[c] for c in rule["avoid"]]
    checked = [geo.inflate(o, PLAN_CHECK_MARGIN) for o in obstacles]
    corners = []
    for o in [boxes[c] for c in rule["avoid"]]:
        x0, x1, y0, y1 = geo.inflate(o, PLAN_CLEARANCE)
        for corner in ((x0, y0), (x0, y1), (x1, y0), (x1, y1)):
            corner = (round(corner[0], 4), round(corner[1], 4))
            if not any(geo.point_in_rect(corner, c) for c in checked):
                corners.append(corner)

    def clear(p, q) -> bool:
        return not any(geo.segment_touches_rect(p, q, c) for c in checked)

    corner_edges = {i: [j for j in range(len(corners)) if j != i and clear(corners[i], corners[j])]
                    for i in range(len(corners))}

    @lru_cache(maxsize=None)
    def leg(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, tuple]:
        if clear(a, b):
            return math.dist(a, b), (a, b)
        nodes = corners + [a, b]
        source, target = len(corners), len(corners) + 1
        best = {source: 0.0}
        previous: dict[int, int] = {}
        queue = [(0.0, source)]
        while queue:
            dist, node = heapq.heappop(queue)
            if node == target:
                break
            if dist > best.get(node, math.inf):
                continue
            if node == source:
                neighbours = [j for j in range(len(corners)) if clear(a, corners[j])]
            else:
                neighbours = list(corner_edges[node])
                if clear(nodes[node], b):
                    neighbours.append(target)
            for nxt in neighbours:
                cand = dist + math.dist(nodes[node], nodes[nxt])
                if cand < best.get(nxt, math.inf):
                    best[nxt] = cand
                    previous[nxt] = node
                    heapq.heappush(queue, (cand, nxt))
        if target not in best:
            raise RuntimeError(f"no collision-free leg from {a} to {b}")
        path = [target]
        while path[-1] != source:
            path.append(previous[path[-1]])
        return best[target], tuple(nodes[i] for i in reversed(path))

    def centre(colour: str) -> tuple[float, float]:
        x0, x1, y0, y1 = boxes[colour]
        return (round((x0 + x1) / 2, 4), round((y0 + y1) / 2, 4))

    start = tuple(float(v) for v in instance["start"])
    end = tuple(float(v) for v in instance["end"])
    orders = [rule["visit"]] if rule["ordered"] else itertools.permutations(rule["visit"])
    best_route = None
    for order in itertools.islice(orders, 720):
        stops = [start] + [centre(c) for c in order] + [end]
        legs = [leg(stops[i], stops[i + 1]) for i in range(len(stops) - 1)]
        length = sum(length for length, _ in legs)
        if best_route is None or length < best_route[0]:
            best_route = (length, legs)
    points: list[tuple[float, float]] = [start]
    for _, leg_points in best_route[1]:
        points.extend(leg_points[1:])
    return [[_num_float(x), _num_float(y)] for x, y in points]


def _num_float(value: float) -> float:
    return round(float(value), 4)


def render_gold(sample: Sample) -> str:
    return "<<<[" + ", ".join(_tuple_text(p) for p in sample.gold) + "]>>>"


# ---------------------------------------------------------------- samples

def _sample(sample_id: str, source: str, layout: dict[str, Any], rng: random.Random,
            max_visits: int, max_avoid: int) -> Sample:
    for _ in range(MAX_TRIES):
        instruction = _make_instruction(rng, layout, max_visits, max_avoid)
        metadata = dict(layout, instruction=instruction)
        try:
            gold = plan_path(metadata)
        except RuntimeError:
            continue
        if check_path(metadata, [(geo.exact(x), geo.exact(y)) for x, y in gold]).verdict == "correct":
            return Sample(task=NAME, id=sample_id, question=render_question(layout, instruction["text"]),
                          metadata=metadata, gold=gold, source=source)
    raise RuntimeError("could not make a solvable instruction for this layout")


def generate(seed: int, num_boxes: int = KNOBS["num_boxes"], max_visits: int = KNOBS["max_visits"],
             max_avoid: int = KNOBS["max_avoid"]) -> Sample:
    """A new layout and instruction from ``seed``; the knobs bound its size (see KNOBS)."""
    rng = random.Random(seed)
    layout = _make_layout(rng, num_boxes)
    return _sample(f"generated-{seed}", f"generated:{seed}", layout, rng, max_visits, max_avoid)


@lru_cache(maxsize=1)
def _fixed_set() -> tuple[Sample, ...]:
    samples = []
    for i in range(LOAD_LAYOUTS):
        layout = _make_layout(random.Random(LOAD_SEED + i), KNOBS["num_boxes"])
        for j in range(LOAD_INSTRUCTIONS):
            rng = random.Random((LOAD_SEED + i) * 100 + j)
            samples.append(_sample(f"layout{i:02d}/instr{j}", f"builtin:path_plan/layout{i:02d}/instr{j}",
                                   layout, rng, KNOBS["max_visits"], KNOBS["max_avoid"]))
    return tuple(samples)


def load(data_dir: Path | None = None) -> list[Sample]:
    """The fixed 14 x 10 set (``data_dir`` is ignored: Path Plan has no data folder)."""
    return [s.model_copy(deep=True) for s in _fixed_set()]


TASK = Task(
    name=NAME,
    title="Path Plan",
    seen=True,
    category="planning",
    load=load,
    generate=generate,
    verify=verify,
    check=check,
    data_dirs=(),
    knobs=dict(KNOBS),
    render_gold=render_gold,
    modes_note=(
        "strict and faithful score alike: the path is checked geometrically (start, end, walls, avoided boxes "
        "never touched, required boxes entered, in order when the instruction orders them). The original's "
        "trajectory checker is not in its release; its 14 x 10 instances lived in a script, so the fixed set "
        "here is generated from a documented seed schedule."
    ),
)
