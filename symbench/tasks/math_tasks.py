"""MATH Geometry and MATH Counting & Probability.

The data is the MATH dataset's ``train/geometry`` and ``train/counting_and_probability``
folders (each problem a JSON file with ``problem``, ``level``, ``type`` and a worked
``solution`` whose last ``\\boxed{}`` is the answer). The original took, for each
subject, the first 50 files numbered below 1000 and asked GPT-4o whether the answer
matched (relative difference < 1e-3). Here the answer is compared symbolically with sympy
(``symbench._judging.math_equivalent``). No gold-free check exists (``check`` is None).
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable
from fractions import Fraction
from itertools import product
from pathlib import Path

from .._judging import (
    JUDGE_REL_TOL,
    STRICT_REL_TOL,
    last_boxed,
    math_answer_text,
    math_equivalent,
)
from ..types import Sample, Score, ScoringMode, Task

FOLDER = "MATH"
PAPER_LIMIT = 50
"""Problems per subject the original scored: the first 50 files, in numeric order."""
PAPER_MAX_INDEX = 1000
"""The original looked only at files numbered 0..999."""

_ANSWER_FORMAT = "\nOutput final answer with the format <<<answer>>> such as <<<123.42>>>, <<<125.0>>>, <<<-9867>>>."


def load_math_subject(
    data_dir: Path, subject: str, task: str, type_name: str, limit: int | None = PAPER_LIMIT, max_index: int = PAPER_MAX_INDEX
) -> list[Sample]:
    """The problems of ``MATH/train/<subject>`` whose ``type`` is ``type_name``, numbered
    below ``max_index``, the first ``limit`` of them (None: all). Ids are
    ``<subject>/<number>``. The gold is the solution's last boxed answer."""
    root = Path(data_dir) / FOLDER / "train" / subject
    if not root.is_dir():
        return []
    numbered = sorted(
        (int(p.stem), p) for p in root.glob("*.json") if p.stem.isdigit() and int(p.stem) < max_index
    )
    samples: list[Sample] = []
    for number, path in numbered:
        row = json.loads(path.read_text(encoding="utf-8"))
        if row.get("type") != type_name:
            continue
        samples.append(
            Sample(
                task=task,
                id=f"{subject}/{number}",
                question=row["problem"] + "\n" + _ANSWER_FORMAT,
                metadata={"problem": row["problem"], "level": row.get("level"), "type": row.get("type"), "solution": row.get("solution", "")},
                gold=last_boxed(row.get("solution", "")),
                source=str(path),
            )
        )
        if limit is not None and len(samples) >= limit:
            break
    return samples


def verify(sample: Sample, response: str, mode: ScoringMode = "strict") -> Score:
    """The answer (last ``<<<...>>>``, else last ``\\boxed{}``, else last line) compared
    with the boxed gold: same normalised text, sympy-equal, or numerically equal. Numbers:
    strict within a relative 1e-6 or correctly rounded with 3+ significant digits (the
    prompt asks for decimals); faithful within the judge's relative 1e-3."""
    if sample.gold is None:
        return Score.incorrect("this sample has no boxed answer to compare with")
    answer = math_answer_text(response)
    if answer is None:
        return Score.incorrect("no answer found; write it as <<<answer>>>")
    ok, why = math_equivalent(str(sample.gold), answer, rel_tol=JUDGE_REL_TOL if mode == "faithful" else STRICT_REL_TOL)
    if ok:
        return Score.correct(parsed=answer, reason=why)
    return Score.incorrect(f"{answer!r} is not {sample.gold!r}: {why}", parsed=answer)


def render_gold(sample: Sample) -> str:
    return f"<<<{sample.gold}>>>"


def gold_defect(sample: Sample) -> str | None:
    if sample.gold is None:
        return "the worked solution has no \\boxed{} answer"
    return None


# --------------------------------------------------------------------------- exact helpers


def latex_fraction(value: Fraction) -> str:
    """``3``, ``-\\frac{7}{25}``."""
    if value.denominator == 1:
        return str(value.numerator)
    sign = "-" if value < 0 else ""
    return f"{sign}\\frac{{{abs(value.numerator)}}}{{{value.denominator}}}"


def latex_sqrt(n: int) -> str:
    """sqrt(n) simplified: ``6``, ``2\\sqrt{3}``, ``\\sqrt{41}``."""
    if n < 0:
        raise ValueError("negative radicand")
    outside, inside = 1, n
    k = 2
    while k * k <= inside:
        while inside % (k * k) == 0:
            inside //= k * k
            outside *= k
        k += 1
    if inside == 1:
        return str(outside)
    return f"{'' if outside == 1 else outside}\\sqrt{{{inside}}}"


def latex_pi(coefficient: Fraction) -> str:
    """``25\\pi``, ``\\frac{9}{2}\\pi``, ``\\pi``."""
    if coefficient == 1:
        return "\\pi"
    return f"{latex_fraction(coefficient)}\\pi"


# --------------------------------------------------------------------------- generators

_WORDS = ["BANANA", "LETTER", "COMMITTEE", "PEPPER", "BALLOON", "SUCCESS", "ALABAMA", "MISSISSIPPI", "TOOTH", "STATISTICS"]


def _counting_problems(rng: random.Random, level: int) -> list[tuple[str, str]]:
    n = rng.randint(5 + level, 9 + 2 * level)
    k = rng.randint(2, min(n - 1, 2 + level))
    sides = rng.choice([4, 6, 8, 10, 12])
    target = rng.randint(3, 2 * sides - 1)
    red, blue = rng.randint(2, 4 + level), rng.randint(2, 4 + level)
    flips = rng.randint(3, 5 + level)
    heads = rng.randint(0, flips)
    limit = rng.randint(50, 200 * level)
    p, q = rng.sample([2, 3, 5, 7, 11], 2)
    word = rng.choice(_WORDS)
    ways = [sum(1 for x, y in product(range(1, sides + 1), repeat=2) if x + y == target)]
    arrangements = math.factorial(len(word))
    for letter in set(word):
        arrangements //= math.factorial(word.count(letter))
    return [
        (f"In how many ways can a committee of {k} people be chosen from a club of {n} people?", str(math.comb(n, k))),
        (f"How many ways are there to arrange the letters of the word {word}?", str(arrangements)),
        (
            (f"Two fair {sides}-sided dice, with faces numbered 1 through {sides}, are rolled. What is the probability "
            f"that the sum of the numbers rolled is {target}? Express your answer as a common fraction."),
            latex_fraction(Fraction(ways[0], sides * sides)),
        ),
        (
            (f"A bag holds {red} red marbles and {blue} blue marbles. Two marbles are drawn at random without "
            "replacement. What is the probability that both are red? Express your answer as a common fraction."),
            latex_fraction(Fraction(red * (red - 1), (red + blue) * (red + blue - 1))),
        ),
        (
            (f"A fair coin is flipped {flips} times. What is the probability of getting exactly {heads} heads? "
            "Express your answer as a common fraction."),
            latex_fraction(Fraction(math.comb(flips, heads), 2**flips)),
        ),
        (
            f"How many positive integers less than or equal to {limit} are divisible by {p} or {q}?",
            str(limit // p + limit // q - limit // (p * q)),
        ),
        (
            (f"In how many ways can {n} people sit around a round table if two seatings are the same when one is "
            "a rotation of the other?"),
            str(math.factorial(n - 1)),
        ),
    ]


def _geometry_problems(rng: random.Random, level: int) -> list[tuple[str, str]]:
    a, b = rng.randint(2, 6 + 3 * level), rng.randint(2, 6 + 3 * level)
    r, h = rng.randint(1, 4 + 2 * level), rng.randint(1, 5 + 2 * level)
    sides = rng.randint(5, 8 + 2 * level)
    def cross(pts: list[tuple[int, int]]) -> int:
        return (pts[1][0] - pts[0][0]) * (pts[2][1] - pts[0][1]) - (pts[2][0] - pts[0][0]) * (pts[1][1] - pts[0][1])

    pts = [(0, 0), (0, 0), (0, 0)]
    while cross(pts) == 0:
        pts = [(rng.randint(-5 * level, 5 * level), rng.randint(-5 * level, 5 * level)) for _ in range(3)]
    shoelace = abs(cross(pts))
    top, bottom = rng.randint(2, 10 + level), rng.randint(11, 20 + level)
    return [
        (
            (f"A right triangle has legs of length {a} and {b}. What is the length of its hypotenuse? Express your "
            "answer in simplest radical form."),
            latex_sqrt(a * a + b * b),
        ),
        (
            (f"What is the area, in square units, of the triangle with vertices at $A{pts[0]}$, $B{pts[1]}$ and "
            f"$C{pts[2]}$?"),
            latex_fraction(Fraction(shoelace, 2)),
        ),
        (f"A circle has a diameter of {2 * r + 1} units. What is its area, in square units? Express your answer in terms of $\\pi$.", latex_pi(Fraction((2 * r + 1) ** 2, 4))),
        (
            (f"A right circular cylinder has radius {r} and height {h}. What is its volume? Express your answer in "
            "terms of $\\pi$."),
            latex_pi(Fraction(r * r * h)),
        ),
        (
            f"What is the measure, in degrees, of each interior angle of a regular polygon with {sides} sides?",
            latex_fraction(Fraction(180 * (sides - 2), sides)),
        ),
        (
            f"A trapezoid has parallel sides of length {top} and {bottom} and a height of {h}. What is its area?",
            latex_fraction(Fraction((top + bottom) * h, 2)),
        ),
        (
            (f"A rectangle is {a} units by {b} units. What is the length of its diagonal? Express your answer in "
            "simplest radical form."),
            latex_sqrt(a * a + b * b),
        ),
    ]


def _generator(task: str, problems: Callable[[random.Random, int], list[tuple[str, str]]], type_name: str) -> Callable[..., Sample]:
    def generate(seed: int, level: int = 3) -> Sample:
        if not 1 <= level <= 5:
            raise ValueError(f"level must be between 1 and 5 (MATH's levels), got {level}")
        rng = random.Random(seed)
        choices = problems(rng, level)
        problem, answer = choices[rng.randrange(len(choices))]
        return Sample(
            task=task,
            id=f"generated-{seed}",
            question=problem + "\n" + _ANSWER_FORMAT,
            metadata={"problem": problem, "level": f"Level {level}", "type": type_name, "solution": f"$\\boxed{{{answer}}}$"},
            gold=answer,
            source=f"generated:{seed}",
        )

    generate.__doc__ = (
        f"A {type_name} problem of the MATH kind; ``level`` (1-5) widens the numbers. The answer is computed "
        "exactly (integers, Fractions, simplified radicals, multiples of pi) and written in LaTeX."
    )
    return generate


_MODES_NOTE = (
    "The original asked GPT-4o to extract the answer and judge it equal to the boxed gold (relative difference "
    "< 1e-3, format and units ignored). Both modes compare normalised LaTeX, then sympy equality, then numbers: "
    "faithful within the judge's relative 1e-3 (so 1001 passes for 1000), strict within a relative 1e-6 or as the "
    "gold correctly rounded to the places written with at least 3 significant digits (0.889 for 8/9, 3.14 for "
    "pi). A model judge can differ on answers that are not "
    "expressions (a sentence, an interval, a set, an equation like 'AB=9, CD=4', trigonometric forms), on units "
    "or words beside the number, and on lenient roundings such as 0.89 for 8/9. No gold-free check: the question "
    "is prose."
)

TASKS = [
    Task(
        name="math_geometry",
        title="MATH Geometry",
        seen=True,
        category="math",
        load=lambda data_dir: load_math_subject(data_dir, "geometry", "math_geometry", "Geometry"),
        generate=_generator("math_geometry", _geometry_problems, "Geometry"),
        verify=verify,
        check=None,
        data_dirs=("MATH/train/geometry",),
        knobs={"level": 3},
        render_gold=render_gold,
        gold_defect=gold_defect,
        modes_note=_MODES_NOTE,
    ),
    Task(
        name="math_counting_probability",
        title="MATH Count&Probab.",
        seen=True,
        category="counting",
        load=lambda data_dir: load_math_subject(data_dir, "counting_and_probability", "math_counting_probability", "Counting & Probability"),
        generate=_generator("math_counting_probability", _counting_problems, "Counting & Probability"),
        verify=verify,
        check=None,
        data_dirs=("MATH/train/counting_and_probability",),
        knobs={"level": 3},
        render_gold=render_gold,
        gold_defect=gold_defect,
        modes_note=_MODES_NOTE,
    ),
]
