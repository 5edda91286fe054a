"""Number multiply: the exact product of a few signed integers ('What is the result of 6*205*-8045?').

Data: ``number_multiply/digit_<d1>_<d2>_..`` (the paper evaluated samples 0..19 of each of
digit_1_2_4, digit_1_3_4, digit_1_2_2_4) and ``number_multiply_varied_complexity/digit_<d>_<d>``
(two numbers of up to 20 digits); each sample holds input_prompt_1.txt (the question),
input_value_list.txt and target_answer.txt. The answer is unique: compared as an exact integer.

There is no question-only check (``check`` is None): the only check is the product itself,
which would hand the model the answer.
"""

from __future__ import annotations

import ast
import math
import random
import re
from pathlib import Path
from typing import Sequence

from .._judging import single_number
from ..extract import answer_or_last_line
from ..paths import sample_folders
from ..types import Sample, Score, ScoringMode, Task

NAME = "number_multiply"
FOLDER = "number_multiply"
VARIED_FOLDER = "number_multiply_varied_complexity"
PAPER_SAMPLES_PER_FOLDER = 20


def question_for(numbers: Sequence[int]) -> str:
    return "What is the result of " + "*".join(str(n) for n in numbers) + "?"


def _answer(answer_text: str) -> str | None:
    raw = answer_or_last_line(answer_text)
    if raw is None:
        return None
    return raw.rsplit("=", 1)[-1]  # '6*205*-8045 = -9895350': the result side


def verify(sample: Sample, answer_text: str, mode: ScoringMode = "strict") -> Score:
    """strict: the answer gives exactly one integer (digit groups, a spaced minus allowed; a
    hedge such as ``N or -N`` is wrong) and it equals the product. faithful: the product's
    digits (plain or with thousands commas) appear anywhere in the answer, as the original checked."""
    expected = int(sample.gold)
    answer = _answer(answer_text)
    if answer is None:
        return Score.incorrect("no answer found; write the product as <<<number>>>")
    if mode == "faithful":
        marked = answer_or_last_line(answer_text) or ""
        if str(expected) in marked or f"{expected:,}" in marked:
            return Score.correct(parsed=marked)
        return Score.incorrect(f"{expected} does not appear in the answer", parsed=marked)
    try:
        number, written = single_number(answer)
    except ValueError as exc:
        return Score.incorrect(f"could not read the product: {exc}", parsed=answer)
    if number.denominator != 1 or re.search(r"[eE]", written):
        return Score.incorrect(f"{written!r} is not written as a whole number", parsed=answer)
    value = int(number)
    if value != expected:
        return Score.incorrect(f"{value} is not the product", parsed=value)
    return Score.correct(parsed=value)


def _digit_counts(folder_name: str) -> list[int]:
    return [int(d) for d in re.findall(r"\d+", folder_name)]


def load(data_dir: Path) -> list[Sample]:
    root = Path(data_dir)
    samples = []
    for folder in (FOLDER, VARIED_FOLDER):
        base = root / folder
        if not base.is_dir():
            continue
        groups = sorted((p for p in base.iterdir() if p.is_dir()), key=lambda p: (_digit_counts(p.name), p.name))
        for group in groups:
            for path in sample_folders(group):
                numbers = ast.literal_eval((path / "input_value_list.txt").read_text(encoding="utf-8").strip())
                index = int(path.name.split("_")[1])
                samples.append(
                    Sample(
                        task=NAME,
                        id=f"{folder}/{group.name}/{path.name}",
                        question=(path / "input_prompt_1.txt").read_text(encoding="utf-8"),
                        metadata={
                            "numbers": [int(n) for n in numbers],
                            "digits": _digit_counts(group.name),
                            "paper_subset": folder == FOLDER and index < PAPER_SAMPLES_PER_FOLDER,
                        },
                        gold=int((path / "target_answer.txt").read_text(encoding="utf-8").strip()),
                        source=str(path),
                    )
                )
    return samples


def _random_integer(rng: random.Random, digits: int) -> int:
    """As the original: magnitude in 10**(d-1)-1 .. 10**d-1, random sign, never 0 or +-1."""
    while True:
        value = rng.randint(10 ** (digits - 1) - 1, 10**digits - 1) * rng.choice((-1, 1))
        if value not in (0, 1, -1):
            return value


def generate(seed: int, digits: Sequence[int] | int | str = (1, 2, 4)) -> Sample:
    """One integer per entry of ``digits`` (its number of digits); gold is their product."""
    if isinstance(digits, str):
        digits = [int(d) for d in re.findall(r"\d+", digits)]
    elif isinstance(digits, int):
        digits = [digits]
    digits = [int(d) for d in digits]
    if not digits or any(d < 1 for d in digits):
        raise ValueError("digits must list at least one digit count, each >= 1 (e.g. 1,2,4)")
    rng = random.Random(seed)
    numbers = [_random_integer(rng, d) for d in digits]
    return Sample(
        task=NAME,
        id=f"generated-{seed}",
        question=question_for(numbers),
        metadata={"numbers": numbers, "digits": digits, "paper_subset": False},
        gold=math.prod(numbers),
        source=f"generated:{seed}",
    )


def gold_defect(sample: Sample) -> str | None:
    if math.prod(sample.metadata["numbers"]) != int(sample.gold):
        return "the stored answer is not the product of the listed numbers"
    return None


TASK = Task(
    name=NAME,
    title="Number Multiply",
    seen=False,
    category="math",
    load=load,
    generate=generate,
    verify=verify,
    check=None,
    gold_defect=gold_defect,
    data_dirs=(FOLDER, VARIED_FOLDER),
    knobs={"digits": (1, 2, 4)},
    modes_note=(
        "strict: the last integer of the answer (thousands commas allowed, '12.0' read as 12) must equal the "
        "product exactly. faithful: the original scorer, which accepted any answer containing the product's digits "
        "as a substring (so a longer wrong number that contains them passed). No question-only check: it would "
        "reveal the product."
    ),
)
