"""Logical Equation: give each letter one of the listed numbers so that every stated
equation and inequality holds.

An answer is checked against the question itself (each letter a different listed number,
every constraint true with exact arithmetic), so any valid assignment scores, not only
the stored one.
"""

from __future__ import annotations

import json
import random
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..extract import answer_or_last_line, parse_literal, to_fraction
from ..types import Sample, Score, ScoringMode, Task

NAME = "logical_equation"
FOLDER = "logical_equation"
_SAMPLE = re.compile(r"^sample_(\d+)_(\d+)_(\d+)$")

MAX_SEARCH_NODES = 200_000
"""The generator's uniqueness search gives up after this many partial assignments and
keeps the constraint set it has (the verifier checks constraints, so a second solution
is still scored correctly)."""

# --------------------------------------------------------------------------- parsing


def parse_question(question: str) -> dict[str, Any]:
    """Letters, allowed numbers and constraints from the question text."""
    head = re.search(r"There are (\d+) letters ([A-Z](?:, [A-Z])*), each representing one of the numbers ([-\d., ]+?)\.", question)
    if not head:
        raise ValueError("not a logical-equation question: expected 'There are N letters A, B, ... each representing one of the numbers ...'")
    letters = head.group(2).split(", ")
    values = [int(v) for v in re.findall(r"-?\d+", head.group(3))]
    if len(letters) != int(head.group(1)):
        raise ValueError("the question's letter count disagrees with its letter list")
    constraints = [line for line in re.findall(r"^\s*\d+\.\s*(.+?)\s*$", question, flags=re.MULTILINE)]
    if not constraints:
        raise ValueError("the question states no numbered constraints")
    for text in constraints:
        parse_constraint(text)
    return {"letters": letters, "values": values, "constraints": constraints}


_TERM = re.compile(r"^([-+]?\d+(?:\.\d+)?)?\s*\*?\s*([A-Z])$")


def _term(text: str) -> tuple[Fraction, str]:
    m = _TERM.match(text.strip())
    if not m:
        raise ValueError(f"cannot read the term {text!r}")
    return Fraction(m.group(1)) if m.group(1) else Fraction(1), m.group(2)


def parse_constraint(text: str) -> tuple[list[tuple[Fraction, str]], str, Fraction]:
    """``A + B = 186`` -> ([(1,A),(1,B)], '=', 186); ``H = 3.0F`` -> ([(1,H),(-3,F)], '=', 0);
    ``B > F`` -> ([(1,B),(-1,F)], '>', 0). Relations: = < > <= >=."""
    m = re.match(r"^(.+?)\s*(<=|>=|=|<|>|≤|≥)\s*(.+)$", text.strip())
    if not m:
        raise ValueError(f"cannot read the constraint {text!r}")
    left, rel, right = m.groups()
    rel = {"≤": "<=", "≥": ">="}.get(rel, rel)
    terms: list[tuple[Fraction, str]] = []
    for sign, part in re.findall(r"([-+]?)\s*([^-+]+)", left.strip()):
        coef, letter = _term(part)
        terms.append((-coef if sign == "-" else coef, letter))
    right = right.strip()
    if re.fullmatch(r"-?\d+(?:\.\d+)?", right):
        return terms, rel, Fraction(right)
    coef, letter = _term(right)
    return terms + [(-coef, letter)], rel, Fraction(0)


def holds(constraint: str, assignment: dict[str, int]) -> bool:
    terms, rel, constant = parse_constraint(constraint)
    total = sum(c * assignment[letter] for c, letter in terms)
    return {
        "=": total == constant,
        "<": total < constant,
        ">": total > constant,
        "<=": total <= constant,
        ">=": total >= constant,
    }[rel]


# --------------------------------------------------------------------------- scoring


def _parse_answer(response: str) -> list[Any]:
    answer = answer_or_last_line(response)
    if answer is None:
        raise ValueError("no answer found; write <<<[v_A, v_B, ...]>>>")
    answer = answer.strip().rstrip(".")
    pairs = re.findall(r"\b([A-Z])\s*[=:]\s*([-+]?\d+(?:\.\d+)?)", answer)
    if pairs and not re.sub(r"\b[A-Z]\s*[=:]\s*[-+]?\d+(?:\.\d+)?|[\s,;{}\[\]()]", "", answer):
        # 'A=36, B=1, ...' or 'A: 36' one per line: the values in the letters' order.
        letters = [letter for letter, _ in pairs]
        if len(set(letters)) != len(letters):
            raise ValueError("a letter is given more than one value")
        return [v for _, v in sorted(pairs)]
    try:
        value = parse_literal(answer)
    except ValueError:
        value = [v for v in re.split(r"[,\s]+", answer.strip("[]() ")) if v]
    if isinstance(value, dict):
        value = [value[k] for k in sorted(value)]
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"expected a list of numbers, got {answer!r}")
    return list(value)


def _as_int(value: Any) -> int:
    number = to_fraction(value if isinstance(value, (int, float, Fraction)) and not isinstance(value, bool) else str(value).strip())
    if number.denominator != 1:
        raise ValueError(f"{value!r} is not a whole number")
    return int(number)


def score_assignment(instance: dict[str, Any], response: str, *, distinct: bool = True) -> Score:
    """Every letter gets a listed number (each number once when ``distinct``) and every
    constraint holds."""
    try:
        raw = _parse_answer(response)
        values = [_as_int(v) for v in raw]
    except ValueError as exc:
        return Score.incorrect(f"unreadable answer: {exc}")
    letters = instance["letters"]
    if len(values) != len(letters):
        return Score.incorrect(f"expected {len(letters)} values (one per letter A..), got {len(values)}", parsed=values)
    allowed = instance["values"]
    for letter, v in zip(letters, values):
        if v not in allowed:
            return Score.incorrect(f"{letter} = {v} is not one of the listed numbers", parsed=values)
    if distinct and sorted(values) != sorted(allowed):
        return Score.incorrect("each listed number must be used by exactly one letter", parsed=values)
    assignment = dict(zip(letters, values))
    for constraint in instance["constraints"]:
        if not holds(constraint, assignment):
            return Score.incorrect(f"the constraint {constraint!r} does not hold", parsed=values)
    return Score.correct(parsed=values)


def check(question: str, response: str) -> Score:
    return score_assignment(parse_question(question), response)


def verify(sample: Sample, response: str, mode: ScoringMode = "strict") -> Score:
    """strict: a bijection from letters to the listed numbers satisfying every constraint.
    faithful: the original's check, which lets two letters share a number."""
    return score_assignment(sample.metadata, response, distinct=(mode == "strict"))


def render_gold(sample: Sample) -> str:
    return f"<<<{list(sample.gold)}>>>"


# --------------------------------------------------------------------------- loading


def load(data_dir: Path) -> list[Sample]:
    """Every ``sample_<letters>_<constraints>_<i>`` folder; ids are the folder names."""
    root = Path(data_dir) / FOLDER
    if not root.is_dir():
        return []
    found = []
    for child in root.iterdir():
        m = _SAMPLE.match(child.name)
        if m and (child / "question.txt").is_file():
            found.append((tuple(int(g) for g in m.groups()), child))
    samples = []
    for key, folder in sorted(found):
        question = (folder / "question.txt").read_text(encoding="utf-8")
        gold = json.loads((folder / "solution.json").read_text(encoding="utf-8"))
        samples.append(
            Sample(
                task=NAME,
                id=folder.name,
                question=question,
                metadata={**parse_question(question), "num_letters": key[0], "num_constraints": key[1]},
                gold=gold,
                source=str(folder),
            )
        )
    return samples


# --------------------------------------------------------------------------- generator

_VALUE_SETS = {
    9: [1, 3, 4, 9, 16, 27, 36, 80, 121],
    11: [3, 9, 16, 27, 36, 48, 75, 80, 121, 150, 225],
    13: [2, 3, 5, 7, 16, 15, 24, 10, 45, 28, 36, 50, 96],
    15: [1, 3, 5, 7, 16, 15, 24, 12, 45, 34, 36, 56, 78, 95, 100],
}


def _random_constraint(rng: random.Random, assignment: dict[str, int]) -> str:
    a, b = rng.sample(sorted(assignment), 2)
    va, vb = assignment[a], assignment[b]
    kind = rng.random()
    if kind < 0.45:
        return f"{a} + {b} = {va + vb}"
    if kind < 0.8:
        return f"{a} - {b} = {va - vb}"
    if kind < 0.92 and vb and Fraction(va, vb).denominator in (1, 2, 4, 5) and va != vb:
        ratio = Fraction(va, vb)
        return f"{a} = {float(ratio)}{b}"
    return f"{a} > {b}" if va > vb else f"{b} > {a}"


def _search_order(letters: list[str], uses: list[set[str]]) -> list[str]:
    """Letters ordered so that constraints close as early as possible: next is the letter
    completing the most constraints, then the one in the most constraints."""
    order: list[str] = []
    left = list(letters)
    while left:
        placed = set(order)
        best = max(left, key=lambda l: (sum(1 for u in uses if l in u and u - {l} <= placed), sum(l in u for u in uses)))
        order.append(best)
        left.remove(best)
    return order


def count_solutions(letters: list[str], values: list[int], constraints: list[str], limit: int = 2) -> int:
    """Bijections satisfying all constraints, counted up to ``limit``; -1 when the search
    passes MAX_SEARCH_NODES first (the count is then unknown)."""
    parsed = [parse_constraint(c) for c in constraints]
    order = _search_order(letters, [{l for _, l in terms} for terms, _, _ in parsed])
    depth_of = {l: i for i, l in enumerate(order)}
    # Each constraint is tested once, at the depth where its last letter is assigned.
    due: list[list[tuple[list[tuple[Fraction, int]], str, Fraction]]] = [[] for _ in order]
    for terms, rel, constant in parsed:
        depth = max(depth_of[l] for _, l in terms)
        due[depth].append(([(c, depth_of[l]) for c, l in terms], rel, constant))
    slots = [0] * len(order)
    count = nodes = 0

    def ok(depth: int) -> bool:
        for terms, rel, constant in due[depth]:
            total = sum(c * slots[i] for c, i in terms)
            if rel == "=" and total != constant or rel == "<" and not total < constant or rel == ">" and not total > constant:
                return False
            if rel == "<=" and not total <= constant or rel == ">=" and not total >= constant:
                return False
        return True

    def search(depth: int, free: list[int]) -> bool:
        nonlocal count, nodes
        nodes += 1
        if nodes > MAX_SEARCH_NODES:
            return True
        if depth == len(order):
            count += 1
            return count >= limit
        for k, v in enumerate(free):
            slots[depth] = v
            if ok(depth) and search(depth + 1, free[:k] + free[k + 1 :]):
                return True
        return False

    search(0, list(values))
    return -1 if nodes > MAX_SEARCH_NODES else count


def render_question(letters: list[str], values: list[int], constraints: list[str]) -> str:
    numbered = "\n".join(f"{i}. {c}" for i, c in enumerate(constraints, 1))
    return (
        "Calculate the number for each letter based on the range and set of inequalities that the given letter "
        f"represents. There are {len(letters)} letters {', '.join(letters)}, each representing one of the numbers "
        f"{', '.join(map(str, values))}. The system of inequalities is satisfied as follows:\n{numbered}\n\n"
        "Return the answers in alphabetical order starting with A, and each element in the list represents the value "
        "of the corresponding letter. Return your answer with the format <<<list of values>>>, like <<<[1, 2, 3]>>> "
        "means that A represents 1, B represents 2, and C represents 3."
    )


def generate(seed: int, num_letters: int = 11, num_constraints: int = 10) -> Sample:
    """``num_letters`` letters (the original: 9, 11, 13, 15) given distinct numbers at random,
    and ``num_constraints`` true constraints (sums, differences, ratios, orderings; the
    original: 7 to 14), redrawn up to 30 times to make the solution unique."""
    if not 2 <= num_letters <= 26:
        raise ValueError(f"num_letters must be between 2 and 26, got {num_letters}")
    if num_constraints < 1:
        raise ValueError(f"num_constraints must be at least 1, got {num_constraints}")
    rng = random.Random(seed)
    base = _VALUE_SETS.get(num_letters)
    values = sorted(base) if base else sorted(rng.sample(range(1, 10 * num_letters), num_letters))
    letters = [chr(65 + i) for i in range(num_letters)]
    shuffled = values[:]
    rng.shuffle(shuffled)
    assignment = dict(zip(letters, shuffled))
    constraints: list[str] = []
    for _ in range(30):
        constraints = []
        while len(constraints) < num_constraints:
            c = _random_constraint(rng, assignment)
            if c not in constraints:
                constraints.append(c)
        if count_solutions(letters, values, constraints) == 1:
            break
    question = render_question(letters, values, constraints)
    return Sample(
        task=NAME,
        id=f"generated-{seed}",
        question=question,
        metadata={"letters": letters, "values": values, "constraints": constraints, "num_letters": num_letters, "num_constraints": num_constraints},
        gold=[assignment[l] for l in letters],
        source=f"generated:{seed}",
    )


TASK = Task(
    name=NAME,
    title="Logical Equation",
    seen=True,
    category="math",
    load=load,
    generate=generate,
    verify=verify,
    check=check,
    data_dirs=(FOLDER,),
    knobs={"num_letters": 11, "num_constraints": 10},
    render_gold=render_gold,
    modes_note=(
        "Both modes check the answer against the question's constraints, so any valid assignment scores. strict "
        "also requires each listed number to be used by exactly one letter (the question says each letter "
        "represents one of the numbers, and there are as many numbers as letters); faithful reproduces the "
        "original's check, which only required every value to be one of the listed numbers."
    ),
)
