"""Statistical Counting: score each run of repeated letters in a string by per-letter rules.

Every maximal run of a letter that is at least the rule's length adds that letter's score
once. The total follows from the question alone, so ``reference_check`` recomputes it.
"""

from __future__ import annotations

import itertools
import random
import re
import string
from pathlib import Path
from typing import Any

from ..extract import parse_number
from ..types import Sample, Score, ScoringMode, Task
from ._common import question_build
from ._grids import answer_text, load_folder

NAME = "statistical_counting"
FOLDER = "statistical_counting_dataset"

_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_NUMBER_WORDS = {v: k for k, v in _WORDS.items()}
_RULE = re.compile(r"If there are (\w+) or more consecutive ([A-Z])'s, add (\d+) to the total score")
# complexity -> (number of letters, string length range), close to the original data
_LEVELS = {1: (2, (3, 5)), 2: (2, (5, 5)), 3: (3, (10, 10)), 4: (4, (15, 20)), 5: (5, (25, 65))}


def total_score(sequence: str, rules: list[dict[str, Any]]) -> int:
    """Sum over maximal runs: a run of letter L of length >= L's minimum adds L's score once."""
    by_letter = {r["letter"]: r for r in rules}
    total = 0
    for letter, run in itertools.groupby(sequence):
        rule = by_letter.get(letter)
        if rule is not None and len(list(run)) >= rule["min_consecutive"]:
            total += rule["score"]
    return total


def parse_question(question: str) -> dict[str, Any]:
    rules = []
    for m in _RULE.finditer(question):
        if m.group(1).lower() not in _WORDS and not m.group(1).isdigit():
            raise ValueError(f"cannot read the run length {m.group(1)!r}")
        minimum = int(m.group(1)) if m.group(1).isdigit() else _WORDS[m.group(1).lower()]
        rules.append({"letter": m.group(2), "score": int(m.group(3)), "min_consecutive": minimum})
    seq = re.search(r"total score of the string ([A-Za-z]+)\?", question)
    if not rules or not seq:
        raise ValueError("the question has no scoring rules or no string")
    return {"sequence": seq.group(1), "rules": rules}


def reference(meta: dict[str, Any]) -> int:
    return total_score(meta["sequence"], meta["rules"])


def _score(expected: int, response: str) -> Score:
    text = answer_text(response)
    if text is None:
        return Score.incorrect("no answer found; write the total as <<<number>>>")
    try:
        got = parse_number(text)
    except ValueError as exc:
        return Score.incorrect(f"unreadable answer: {exc}")
    if got != expected:
        return Score.incorrect(f"the total score is {expected}, not {got}", parsed=str(got))
    return Score.correct(parsed=int(got))


def reference_check(question: str, response: str) -> Score:
    return _score(reference(parse_question(question)), response)


def verify(sample: Sample, response: str, mode: ScoringMode = "strict") -> Score:
    expected = reference(sample.metadata) if mode == "strict" else int(sample.gold)
    return _score(expected, response)


def load(data_dir: Path) -> list[Sample]:
    return load_folder(data_dir, FOLDER, NAME, question_build(parse_question, "solution"))


def _letter_list(letters: list[str]) -> str:
    return letters[0] if len(letters) == 1 else ", ".join(letters[:-1]) + " and " + letters[-1]


def render_question(meta: dict[str, Any]) -> str:
    letters = [r["letter"] for r in meta["rules"]]
    lines = [
        "The initial total score is 0. Given a string consisting of letters "
        f"{_letter_list(letters)}, scan from front to back:",
        "",
    ]
    for i, r in enumerate(meta["rules"], 1):
        count = _NUMBER_WORDS.get(r["min_consecutive"], str(r["min_consecutive"]))
        lines.append(f"{i}. If there are {count} or more consecutive {r['letter']}'s, add {r['score']} to the total score.")
    lines += [
        "",
        f"What is the total score of the string {meta['sequence']}?",
        "Return your answer with the format <<<number>>>, like <<<5>>> means the total score is 5.",
    ]
    return "\n".join(lines)


def generate(seed: int, complexity: int = 5, letters: int | None = None, length: int | None = None) -> Sample:
    """``complexity`` 1-5 sets the alphabet size and string length as in the original (overridable);
    letter k (A=1) scores k for runs of two or more, as in every original sample."""
    if complexity not in _LEVELS:
        raise ValueError(f"complexity must be one of {sorted(_LEVELS)}, got {complexity}")
    rng = random.Random(seed)
    base_letters, (lo, hi) = _LEVELS[complexity]
    k = letters or base_letters
    if not 1 <= k <= 26:
        raise ValueError("letters must be between 1 and 26")
    size = length or rng.randint(lo, hi)
    alphabet = string.ascii_uppercase[:k]
    rules = [{"letter": ch, "score": i, "min_consecutive": 2} for i, ch in enumerate(alphabet, 1)]
    sequence = "".join(rng.choice(alphabet) for _ in range(size))
    meta = {"sequence": sequence, "rules": rules, "complexity": complexity}
    return Sample(task=NAME, id=f"generated:{seed}", question=render_question(meta), metadata=meta,
                  gold=reference(meta), source=f"generated:{seed}")


TASK = Task(
    name=NAME,
    title="Statistical Counting",
    seen=True,
    category="counting",
    load=load,
    generate=generate,
    verify=verify,
    check=None,
    reference_check=reference_check,
    data_dirs=(FOLDER,),
    knobs={"complexity": 5, "letters": None, "length": None},
    modes_note="strict recomputes the total from the string and rules in the question; faithful compares with "
    "the stored gold (they agree on every stored sample).",
)
