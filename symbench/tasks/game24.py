"""Game 24: combine the given numbers with + - * / and parentheses to reach the target.

The original data is ``game24_dataset/<target>/<name>.csv`` (columns Rank, Puzzles and,
except in ``24/24.csv``, one reference Solutions expression). The paper evaluated rows
5, 35, 65 ... of ``24/24.csv`` (target 24, four numbers, no stored solution); the other
files hold longer puzzles and other targets. Any answer is checked on its own: exact
rational arithmetic, each given number used exactly once, in any order.
"""

from __future__ import annotations

import ast
import csv
import random
import re
from collections import Counter
from fractions import Fraction
from pathlib import Path

from ..extract import answer_or_last_line, evaluate_exact, evaluate_float, expression_side, normalize_operators, strip_math_delimiters
from ..types import Sample, Score, ScoringMode, Task
from ._common import question_instance

NAME = "game24"
FOLDER = "game24_dataset"
PAPER_FILE = "24/24.csv"
MAX_GENERATION_ATTEMPTS = 5000
"""Random instances ``generate`` tries before it gives up with ValueError (knobs with no solution)."""

_EXAMPLES_24 = (
    "Input: 9 10 11 13, Answer: ((10-9)*(11+13)) = 24 Input: 4 10 10 11, Answer: ((4*11)-(10+10)) = 24 "
    "Input: 5 6 13 13, Answer: ((5-(13/13))*6)Input: 2 6 6 7, Answer: ((6+(6*7))/2) "
    "Input: 2 6 10 18, Answer: (2-(6-(10+18)))"
)


def question_for(numbers: list[int], target: int) -> str:
    """The question in the original's wording (its worked examples only make sense for 24)."""
    head = (
        f"Use numbers and basic arithmetic operations (+ - * /) to obtain {target}. Each number should be used "
        f"only once but each number has to be used in the equation. "
    )
    examples = _EXAMPLES_24 if target == 24 else ""
    listed = "".join(f"{n} " for n in numbers)
    return f"{head}{examples}Input: {listed}Answer:\nOutput final answer with the format <<<answer>>>."


def parse_question(question: str) -> tuple[list[int], int]:
    """(numbers, target) from the question text: the target after 'obtain', the numbers of the last 'Input:'."""
    target = re.search(r"to obtain\s+(-?\d+)", question)
    inputs = re.findall(r"Input:\s*([\d\s]+?)\s*,?\s*Answer", question)
    if not target or not inputs:
        raise ValueError("the question does not say 'obtain <target>' and 'Input: <numbers> Answer'")
    return [int(n) for n in inputs[-1].split()], int(target.group(1))


def _answer(text: str) -> str | None:
    raw = answer_or_last_line(text)
    return None if raw is None else strip_math_delimiters(raw)


def score_expression(numbers: list[int], target: int, answer_text: str) -> Score:
    """Strict: exact value equals ``target`` and the literals are exactly ``numbers`` (as a multiset)."""
    answer = _answer(answer_text)
    if not answer:
        return Score.incorrect("no answer found; write the expression as <<<expression>>>")
    try:
        expression = expression_side(answer)
        value, used = evaluate_exact(expression)
    except ValueError as exc:
        return Score.incorrect(f"could not read the expression: {exc}", parsed=answer)
    missing = Counter(numbers) - Counter(used)
    extra = Counter(used) - Counter(numbers)
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"not used: {sorted(missing.elements())}")
        if extra:
            parts.append(f"not given or used too often: {sorted(extra.elements())}")
        return Score.incorrect("each given number must be used exactly once; " + "; ".join(parts), parsed=expression)
    if value != target:
        return Score.incorrect(f"the expression equals {value}, not {target}", parsed=expression)
    return Score.correct(parsed=expression, reason=f"equals {target} exactly, every number used once")


_EVAL_OPERATORS = {
    ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b, ast.FloorDiv: lambda a, b: a // b, ast.Mod: lambda a, b: a % b,
    ast.Pow: lambda a, b: a**b,
}
EVAL_MAX_POWER = 64
"""The faithful scorer refuses a power with an exponent or base above this (Python's eval
would compute it, but ``9**9**9`` takes minutes): no Game 24 answer needs one."""


def python_eval_float(expression: str) -> float:
    """What the original's ``eval`` of an arithmetic expression gave, without calling eval:
    Python's syntax exactly (``**`` is a power; ``×``, ``^``-as-power and LaTeX are
    SyntaxErrors there, so ValueError here), numbers and operators only."""
    try:
        tree = ast.parse(expression, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        raise ValueError(f"eval would fail: {type(exc).__name__}") from None

    def walk(node: ast.AST) -> float:
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = walk(node.operand)
            return -inner if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.BinOp) and type(node.op) in _EVAL_OPERATORS:
            left, right = walk(node.left), walk(node.right)
            if isinstance(node.op, ast.Pow) and (abs(right) > EVAL_MAX_POWER or abs(left) > 10**6):
                raise ValueError(f"a power above {EVAL_MAX_POWER}")
            try:
                return _EVAL_OPERATORS[type(node.op)](left, right)
            except (ZeroDivisionError, OverflowError, TypeError) as exc:
                raise ValueError(f"eval would fail: {type(exc).__name__}") from None
        raise ValueError(f"eval would not give a number here ({type(node).__name__})")

    try:
        value = walk(tree.body)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    if isinstance(value, complex):
        raise ValueError("a complex value")
    return float(value)


def score_faithful(numbers: list[int], target: int, answer_text: str) -> Score:
    """The original scorer: append '= target' when there is no '=', check the last side equals the
    target, the digits of the first side are the numbers, and the first side, read by Python's
    eval, equals the target in floating point. So ``2**3*(4-1)`` passes and ``4×6×1×1`` fails
    (a SyntaxError for eval), and exact-fraction answers such as 8/(3-8/3) fail, as they did."""
    answer = _answer(answer_text)
    if not answer:
        return Score.incorrect("no answer found")
    text = answer if "=" in answer else f"{answer} = {target}"
    parts = text.split("=")
    left, right = parts[0], parts[-1]
    try:
        if evaluate_float(right.strip())[0] != target:
            return Score.incorrect(f"the right side is not {target}", parsed=answer)
    except ValueError as exc:
        return Score.incorrect(f"right side unreadable: {exc}", parsed=answer)
    digits = re.findall(r"\d+", left)
    if any(len(n) > 12 for n in digits) or sorted(int(n) for n in digits) != sorted(numbers):
        return Score.incorrect("the numbers of the left side are not the given ones", parsed=answer)
    try:
        value = python_eval_float(left.strip())
    except ValueError as exc:
        return Score.incorrect(f"left side unreadable: {exc}", parsed=answer)
    if value != target:
        return Score.incorrect(f"the left side evaluates to {value!r} in floating point, not {target}", parsed=answer)
    return Score.correct(parsed=answer)


def verify(sample: Sample, answer_text: str, mode: ScoringMode = "strict") -> Score:
    numbers, target = sample.metadata["numbers"], sample.metadata["target"]
    if mode == "faithful":
        return score_faithful(numbers, target, answer_text)
    return score_expression(numbers, target, answer_text)


def check(question: str, answer_text: str) -> Score:
    numbers, target = question_instance(parse_question, question, "not a Game 24 question: ")
    return score_expression(numbers, target, answer_text)


def load(data_dir: Path) -> list[Sample]:
    """Every puzzle of every CSV under ``game24_dataset``; ids are ``<target>/<file stem>/<rank>``.

    ``metadata['paper_subset']`` marks the rows of 24/24.csv the paper evaluated (index 5, 35, ...).
    """
    root = Path(data_dir) / FOLDER
    if not root.is_dir():
        return []
    samples: list[Sample] = []
    target_dirs = sorted((p for p in root.iterdir() if p.is_dir() and p.name.isdigit()), key=lambda p: int(p.name))
    for target_dir in target_dirs:
        target = int(target_dir.name)
        for csv_path in sorted(target_dir.glob("*.csv")):
            relative = csv_path.relative_to(root).as_posix()
            with csv_path.open(newline="", encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    numbers = [int(n) for n in row["Puzzles"].split()]
                    rank = int(row["Rank"])
                    paper = relative == PAPER_FILE and (rank - 1) >= 5 and (rank - 1 - 5) % 30 == 0 and rank - 1 < 1500
                    samples.append(
                        Sample(
                            task=NAME,
                            id=f"{target_dir.name}/{csv_path.stem}/{rank}",
                            question=question_for(numbers, target),
                            metadata={"numbers": numbers, "target": target, "paper_subset": paper},
                            gold=(row.get("Solutions") or None),
                            source=f"{csv_path}#rank={rank}",
                        )
                    )
    return samples


MAX_LEAVES_PER_STEP = 200
"""With larger ``max_number``, each search step considers this many random numbers, not all."""
MAX_SEARCH_NODES = 20_000
"""Steps ``generate``'s backward search may take per attempt before it starts over."""


def _leaf_moves(v: Fraction, a: int) -> list[tuple[Fraction, str]]:
    """Ways to write ``v`` as ``a`` combined with a rest: (value the rest must have, form with {a}/{r})."""
    moves = [(v - a, "({a}+{r})"), (v + a, "({r}-{a})"), (a - v, "({a}-{r})"), (v * a, "({r}/{a})")]
    if v != 0:
        moves.append((Fraction(a) / v, "({a}/{r})"))
    moves.append((v / a, "({a}*{r})"))
    return moves


def _build(rng: random.Random, value: Fraction, count: int, max_number: int, budget: list[int]) -> tuple[list[int], str] | None:
    """Numbers and an expression of ``count`` numbers in 1..max_number equal to ``value``, or None.

    Peels one number off at a time (randomised DFS). A remaining value in 1..k*max_number is
    always reachable by k numbers, so moves that stay in that range are preferred; a larger
    value is first shrunk by moves that make it smaller.
    """
    if count == 1:
        return ([int(value)], str(int(value))) if value.denominator == 1 and 1 <= value <= max_number else None
    reach = (count - 1) * max_number
    leaves = range(1, max_number + 1)
    if max_number > MAX_LEAVES_PER_STEP:
        leaves = rng.sample(leaves, MAX_LEAVES_PER_STEP)
    moves = [
        (a, rest, form)
        for a in leaves
        for rest, form in _leaf_moves(value, a)
        if rest.denominator == 1 and rest >= 1
    ]
    safe = [m for m in moves if m[1] <= reach]
    candidates = safe or [m for m in moves if m[1] < value]
    rng.shuffle(candidates)
    for a, rest, form in candidates:
        budget[0] -= 1
        if budget[0] <= 0:
            return None
        built = _build(rng, rest, count - 1, max_number, budget)
        if built is not None:
            numbers, expr = built
            return [a] + numbers, form.replace("{a}", str(a)).replace("{r}", expr)
    return None


def generate(seed: int, target: int = 24, count: int = 4, max_number: int = 13) -> Sample:
    """``count`` numbers in 1..``max_number`` that reach ``target``; gold is one solution.

    Built backwards from the target, one number at a time, by a seeded randomised search.
    Raises ValueError after ``MAX_GENERATION_ATTEMPTS`` attempts of ``MAX_SEARCH_NODES``
    steps each when the knobs admit no such puzzle.
    """
    if count < 1 or max_number < 1:
        raise ValueError("count and max_number must be at least 1")
    rng = random.Random(seed)
    for _ in range(MAX_GENERATION_ATTEMPTS):
        built = _build(rng, Fraction(target), count, max_number, [MAX_SEARCH_NODES])
        if built is None:
            if count == 1:
                break
            continue
        numbers, gold = built
        numbers = sorted(numbers)
        return Sample(
            task=NAME,
            id=f"generated-{seed}",
            question=question_for(numbers, target),
            metadata={"numbers": numbers, "target": target, "paper_subset": False},
            gold=gold,
            source=f"generated:{seed}",
        )
    raise ValueError(f"found no {count}-number puzzle for target {target} with numbers up to {max_number}")


APPROXIMATE_GOLD_TOLERANCE = 1e-6


def gold_defect(sample: Sample) -> str | None:
    """Some long-puzzle solutions (40 to 80 numbers) only come within 1e-6 of the target."""
    if not sample.gold:
        return None
    try:
        value = evaluate_exact(sample.gold).value
    except ValueError:
        return None
    target = sample.metadata["target"]
    if value != target and abs(float(value) - target) < APPROXIMATE_GOLD_TOLERANCE:
        return (
            f"the stored solution equals {float(value)!r}, within {APPROXIMATE_GOLD_TOLERANCE} of {target} but not "
            "exactly (the original generator accepted approximate equality)"
        )
    return None


TASK = Task(
    name=NAME,
    title="Game 24",
    seen=True,
    category="math",
    load=load,
    generate=generate,
    verify=verify,
    check=check,
    gold_defect=gold_defect,
    data_dirs=(FOLDER,),
    knobs={"target": 24, "count": 4, "max_number": 13},
    modes_note=(
        "strict: the answer (an expression, or an equation with the target on one side) is evaluated with "
        "exact fractions, only + - * / and parentheses, every given number used exactly once. faithful: the "
        "original scorer, which compares the left side in floating point, so answers that need exact fractions "
        "(8/(3-8/3)) fail, and takes the numbers as the digit runs of the left side."
    ),
)
