"""Helpers shared by the rule-driven string and counting tasks (string insertion, deletion,
synthesis, splitting, synthesis decomposition, cryptanalysis, letter logic, 2048).

Each of those tasks is a small deterministic process; these helpers read the original
sample folders, pull a model's answer out of its response, and parse the shapes those
answers take (a bare string, a list of counts, a grid of letters or numbers).

Kept private (leading underscore) so the registry does not import it as a task.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from ..extract import parse_literal, strip_wrapping
from ..types import Sample, Score
from ._common import answer_text, load_folder  # noqa: F401  (the string tasks import them from here)

NUMBER_WORDS = {
    "a": 1, "an": 1, "a single": 1, "single": 1, "one": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}
_NUMBER_WORD_PATTERN = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
NUMBER_WORD_RE = rf"(?:\d+|{_NUMBER_WORD_PATTERN})"
"""A regex fragment matching a count written as digits or as an English word."""


def count_of(word: str) -> int:
    """The count a word or digit string stands for ('two' -> 2, '3' -> 3)."""
    w = word.strip().lower()
    if w.isdigit():
        return int(w)
    if w in NUMBER_WORDS:
        return NUMBER_WORDS[w]
    raise ValueError(f"{word!r} is not a count")


def parse_word(text: str, alphabet: str) -> str:
    """A single word over ``alphabet`` from an answer: quotes, brackets and spaces dropped,
    and a list of its characters (``['A', 'B']``, ``A, B``) read as the word.

    Case is matched to the alphabet's case. Raises ValueError naming the first character
    that is not in the alphabet (so prose is not read as an answer).
    """
    s = strip_wrapping(text)
    if re.fullmatch(r"\s*\[.*\]\s*", s, re.DOTALL) or "," in s:
        # a list of characters: ['A', 'B', ...] or A, B, C
        s = re.sub(r"\s*,\s*", "", s)
    s = re.sub(r"[\s'\"`\[\]]+", "", s)
    s = s.upper() if alphabet.isupper() else s.lower()
    if not s:
        raise ValueError("the answer is empty")
    for ch in s:
        if ch not in alphabet:
            raise ValueError(f"{ch!r} is not one of the letters {alphabet!r}")
    return s


def parse_counts(text: str, length: int) -> list[int]:
    """``length`` non-negative integers from '[1, 0, 2]', '["1", "0", "2"]', '1 0 2' or '1,0,2'.

    Raises ValueError when a value is not a whole number or the count differs.
    """
    s = strip_wrapping(text)
    try:
        value = parse_literal(s)
    except ValueError:
        value = None
    if isinstance(value, (list, tuple)):
        items = [str(v).strip() for v in value]
    else:
        items = [tok for tok in re.split(r"[\s,;\[\]()'\"]+", s) if tok]
    numbers = []
    for item in items:
        if not re.fullmatch(r"\d+", item):
            raise ValueError(f"{item!r} is not a whole number")
        numbers.append(int(item))
    if len(numbers) != length:
        raise ValueError(f"expected {length} numbers, got {len(numbers)}")
    return numbers


def compare(expected: Any, got: Any, what: str) -> Score:
    """Correct when ``got == expected``, else incorrect with both shown."""
    if got == expected:
        return Score.correct(parsed=got)
    return Score.incorrect(f"{what} {got!r} is not {expected!r}", parsed=got)


def unparsable(reason: str) -> Score:
    """The score of an answer that could not be read."""
    return Score.incorrect(f"could not read the answer: {reason}")


def read_answer(response: str | None, parse: Callable[[str], Any], hint: str = "") -> Any:
    """``parse`` applied to the response's answer (see ``answer_text``); when there is none, or
    ``parse`` raises ValueError, the ``unparsable`` Score instead (``hint`` after the reason)."""
    raw = answer_text(response)
    if raw is None:
        return unparsable("no <<<...>>> answer")
    try:
        return parse(raw)
    except ValueError as exc:
        return unparsable(f"{exc}{hint}")


def generated_sample(task: str, seed: int, question: str, metadata: dict[str, Any], gold: Any) -> Sample:
    """A generated sample with the house id and source conventions."""
    return Sample(task=task, id=f"generated:{seed}", question=question, metadata=metadata, gold=gold, source=f"generated:{seed}")
