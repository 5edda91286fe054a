"""Combinatorial calculation: insert + - * / and parentheses between numbers, kept in the
given order, to reach a target.

Data: ``combinatorial_calculation/sample_<n>`` (what the paper evaluated) and
``combinatorial_calculation_varied_complexity/combinatorial_calculation_complexity<k>/sample_<n>``,
each with question.txt and solution.json (numbers, target, one solution as a token list,
complexity). Any answer is checked on its own with exact rational arithmetic.
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..extract import answer_or_last_line, evaluate_exact, evaluate_float, expression_side, join_token_list, strip_math_delimiters
from ..paths import sample_folders
from ..types import Sample, Score, ScoringMode, Task
from ._common import question_instance

NAME = "combinatorial_calculation"
FOLDER = "combinatorial_calculation"
VARIED_FOLDER = "combinatorial_calculation_varied_complexity"
OPERATORS = ("+", "-", "*", "/")
MAX_GENERATION_ATTEMPTS = 10_000
"""Random bracketings ``generate`` tries before giving up with ValueError."""


def question_for(numbers: list[int], target: int, max_number: int = 9) -> str:
    """The question in the original's wording (including its garbled second example)."""
    listed = ", ".join(str(n) for n in numbers)
    return (
        f"Given {len(numbers)} integers between 1 and {max_number}, perform arithmetic operations (addition, "
        "subtraction, multiplication, division, and parentheses) between these integers. Each number must be used "
        f"exactly once and only once, and the final result should be {target}. Note: The order of the numbers is "
        "determined by the input, and you cannot change the order of the numbers. You can only insert arithmetic "
        "operations or parentheses between the numbers.\n"
        "Return the answer with a list of values and calculation symbols. Return your answer with the format "
        "<<<list of values and symbols>>>, like <<<[1, +, 3]>>> means 1+3, <<<[4, -, (, 6, , 9, )]>>> means 4-69*."
        f"Now the input numbers are: {listed}, the target values is: {target}\n Your answer:"
    )


def parse_question(question: str) -> tuple[list[int], int]:
    found = re.search(r"input numbers are:\s*([\d,\s]+?),?\s*the target values? is:\s*(-?\d+)", question)
    if not found:
        raise ValueError("the question does not say 'the input numbers are: ..., the target values is: ...'")
    return [int(n) for n in re.findall(r"\d+", found.group(1))], int(found.group(2))


def _expression(answer_text: str) -> str | None:
    raw = answer_or_last_line(answer_text)
    if raw is None:
        return None
    return expression_side(join_token_list(strip_math_delimiters(raw)))


def score_in_order(numbers: list[int], target: int, answer_text: str) -> Score:
    """Strict: exact value equals ``target`` and the numbers appear exactly as given, in order."""
    try:
        expression = _expression(answer_text)
    except ValueError as exc:
        return Score.incorrect(f"could not read the answer: {exc}")
    if not expression:
        return Score.incorrect("no answer found; write it as <<<[6, /, 2, +, 7]>>>")
    try:
        value, used = evaluate_exact(expression)
    except ValueError as exc:
        return Score.incorrect(f"could not read the expression: {exc}", parsed=expression)
    if used != numbers:
        return Score.incorrect(f"the numbers must be {numbers} in this order, the answer uses {used}", parsed=expression)
    if value != target:
        return Score.incorrect(f"the expression equals {value}, not {target}", parsed=expression)
    return Score.correct(parsed=expression, reason=f"equals {target} exactly with the numbers in the given order")


def score_faithful(numbers: list[int], target: int, answer_text: str) -> Score:
    """The original scorer: the numbers as a multiset (order not checked), value in floating point
    compared with ``math.isclose``."""
    try:
        expression = _expression(answer_text)
        if not expression:
            return Score.incorrect("no answer found")
        value, used = evaluate_float(expression)
    except ValueError as exc:
        return Score.incorrect(f"could not read the expression: {exc}")
    if Counter(used) != Counter(numbers):
        return Score.incorrect(f"numbers {sorted(used)} do not match {sorted(numbers)}", parsed=expression)
    if not math.isclose(value, target, rel_tol=1e-9):
        return Score.incorrect(f"evaluates to {value}, target is {target}", parsed=expression)
    return Score.correct(parsed=expression)


def verify(sample: Sample, answer_text: str, mode: ScoringMode = "strict") -> Score:
    numbers, target = sample.metadata["numbers"], sample.metadata["target"]
    if mode == "faithful":
        return score_faithful(numbers, target, answer_text)
    return score_in_order(numbers, target, answer_text)


def check(question: str, answer_text: str) -> Score:
    numbers, target = question_instance(parse_question, question, "not a combinatorial calculation question: ")
    return score_in_order(numbers, target, answer_text)


def render_gold(sample: Sample) -> str:
    return "<<<[" + ", ".join(str(t) for t in sample.gold) + "]>>>"


def _sample(folder_id: str, path: Path, paper: bool) -> Sample:
    import json

    solution = json.loads((path / "solution.json").read_text(encoding="utf-8"))
    return Sample(
        task=NAME,
        id=folder_id,
        question=(path / "question.txt").read_text(encoding="utf-8"),
        metadata={
            "numbers": [int(n) for n in solution["numbers"]],
            "target": int(solution["target"]),
            "complexity": solution.get("complexity"),
            "paper_subset": paper,
        },
        gold=[str(t) for t in solution["solution"]],
        source=str(path),
    )


def load(data_dir: Path) -> list[Sample]:
    """The paper's folder, then every complexity folder of the varied-complexity set."""
    root = Path(data_dir)
    samples = [_sample(f"{FOLDER}/{p.name}", p, True) for p in sample_folders(root / FOLDER)]
    varied = root / VARIED_FOLDER
    if varied.is_dir():
        groups = sorted((p for p in varied.iterdir() if p.is_dir()), key=lambda p: (len(p.name), p.name))
        for group in groups:
            samples += [_sample(f"{VARIED_FOLDER}/{group.name}/{p.name}", p, False) for p in sample_folders(group)]
    return samples


def _random_tree(rng: random.Random, numbers: list[int]) -> tuple[list[str], Fraction] | None:
    """A random bracketing of ``numbers`` in order with random operators: (tokens, value); None on /0."""
    if len(numbers) == 1:
        return [str(numbers[0])], Fraction(numbers[0])
    cut = rng.randint(1, len(numbers) - 1)
    left, right = _random_tree(rng, numbers[:cut]), _random_tree(rng, numbers[cut:])
    if left is None or right is None:
        return None
    op = rng.choice(OPERATORS)
    if op == "/" and right[1] == 0:
        return None
    value = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b, "/": lambda a, b: a / b}[op](
        left[1], right[1]
    )

    def wrapped(part: list[str]) -> list[str]:
        return ["(", *part, ")"] if len(part) > 1 else part

    return wrapped(left[0]) + [op] + wrapped(right[0]), value


def generate(seed: int, count: int = 4, max_number: int = 9) -> Sample:
    """``count`` numbers in 1..``max_number`` and a whole, non-negative target one bracketing of
    them reaches; gold is that bracketing as a token list."""
    if count < 1 or max_number < 1:
        raise ValueError("count and max_number must be at least 1")
    rng = random.Random(seed)
    for _ in range(MAX_GENERATION_ATTEMPTS):
        numbers = [rng.randint(1, max_number) for _ in range(count)]
        built = _random_tree(rng, numbers)
        if built is None:
            continue
        tokens, value = built
        if value.denominator != 1 or value < 0:
            continue
        target = int(value)
        metadata: dict[str, Any] = {"numbers": numbers, "target": target, "complexity": None, "paper_subset": False}
        return Sample(
            task=NAME,
            id=f"generated-{seed}",
            question=question_for(numbers, target, max_number),
            metadata=metadata,
            gold=tokens,
            source=f"generated:{seed}",
        )
    raise ValueError(f"found no whole non-negative target for {count} numbers up to {max_number}")


TASK = Task(
    name=NAME,
    title="Combinatorial Calcul.",
    seen=False,
    category="math",
    load=load,
    generate=generate,
    verify=verify,
    check=check,
    render_gold=render_gold,
    data_dirs=(FOLDER, VARIED_FOLDER),
    knobs={"count": 4, "max_number": 9},
    modes_note=(
        "strict: the answer (a token list such as [6, /, 2, +, 7], or a plain expression) is evaluated with exact "
        "fractions and the numbers must appear exactly as given, in the given order, as the question demands. "
        "faithful: the original scorer, which checked the numbers only as a multiset (reordering passed) and "
        "compared the value in floating point with math.isclose."
    ),
)
