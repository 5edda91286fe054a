"""String insertion: one operation T inserts a letter after every occurrence of a pattern.

The rules (pattern -> letter) and the string are in the question, so ``reference_check`` parses
both and recomputes the result. "String insertion from left to right" has two readings
when matches overlap: every match is found in the original string and its letter
inserted after it (the reading every stored gold agrees with), or the scan runs over the
growing string and continues after each insertion. The two differ only when patterns
overlap (e.g. ``ABCDE``); strict mode accepts either reading, generated samples avoid such
strings, and none of the stored samples has one.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

from ..types import Sample, Score, ScoringMode, Task
from ._common import question_build
from ._strings import generated_sample, load_folder, parse_word, read_answer

NAME = "string_insertion"
FOLDER = "string_insertion"
ALPHABET = "ABCDE"
RULES: tuple[tuple[str, str], ...] = (("ABCD", "A"), ("BCDE", "B"), ("CDEA", "C"), ("DEAB", "D"), ("EABC", "E"))
"""The original's five rules, in the order the question lists them."""

_RULE_LINE = re.compile(r"If there is a substring ([A-Z]+) in the string, insert the character ([A-Z]) after that substring")
_STRING_LINE = re.compile(r"Given the string ([A-Z]+), what will the string be")


def insert_simultaneous(s: str, rules: tuple[tuple[str, str], ...] = RULES) -> str:
    """Every occurrence of a pattern in ``s`` (overlaps included) gets its letter inserted right after it.

    Matches are looked for in the original string only, so an inserted letter never
    starts or completes a match.
    """
    table = dict(rules)
    width = {len(p) for p in table}
    out = []
    for i, ch in enumerate(s):
        out.append(ch)
        for w in sorted(width):
            if i + 1 >= w and s[i + 1 - w : i + 1] in table:
                out.append(table[s[i + 1 - w : i + 1]])
    return "".join(out)


def insert_sequential(s: str, rules: tuple[tuple[str, str], ...] = RULES) -> str:
    """The other reading: scan left to right over the growing string, insert, continue after the insertion."""
    table = dict(rules)
    i = 0
    while i < len(s):
        for pattern, letter in table.items():
            if s.startswith(pattern, i):
                end = i + len(pattern)
                s = s[:end] + letter + s[end:]
                i = end
                break
        i += 1
    return s


def parse_question(question: str) -> dict[str, Any]:
    """The string and the rules written in an original-style question."""
    rules = [(p, c) for p, c in _RULE_LINE.findall(question)]
    found = _STRING_LINE.search(question)
    if not rules or not found:
        raise ValueError("the question must give the insertion rules ('If there is a substring ABCD ...') and 'Given the string ...,'")
    return {"string": found.group(1), "rules": [list(r) for r in rules]}


def readings(instance: dict[str, Any]) -> list[str]:
    """The accepted results: the canonical reading first, then the sequential one when it differs."""
    rules = tuple((p, c) for p, c in instance["rules"])
    canonical = insert_simultaneous(instance["string"], rules)
    other = insert_sequential(instance["string"], rules)
    return [canonical] if other == canonical else [canonical, other]


def _score(accepted: list[str], response: str) -> Score:
    got = read_answer(response, lambda raw: parse_word(raw, ALPHABET))
    if isinstance(got, Score):
        return got
    if got == accepted[0]:
        return Score.correct(parsed=got)
    if got in accepted[1:]:
        return Score.correct(parsed=got, reason="matches the sequential reading of 'from left to right' (overlapping matches)")
    return Score.incorrect(f"{got!r} is not the result of operation T, {accepted[0]!r}", parsed=got)


def reference_check(question: str, response: str) -> Score:
    """Recompute operation T on the question's string and compare."""
    return _score(readings(parse_question(question)), response)


def verify(sample: Sample, response: str, mode: ScoringMode = "strict") -> Score:
    """strict: recompute from the instance (either reading); faithful: exact match with the stored gold."""
    if mode == "faithful":
        return _score([str(sample.gold)], response)
    return _score(readings(sample.metadata), response)


def gold_defect(sample: Sample) -> str | None:
    if sample.gold not in readings(sample.metadata):
        return f"stored gold {sample.gold!r} is not operation T applied to {sample.metadata['string']!r}"
    return None


def load(data_dir: Path) -> list[Sample]:
    return load_folder(data_dir, FOLDER, NAME, question_build(parse_question, "modified_string"))


def render_question(s: str) -> str:
    rules = "\n".join(
        f"{i}. If there is a substring {p} in the string, insert the character {c} after that substring."
        for i, (p, c) in enumerate(RULES, 1)
    )
    return (
        "Given the string consisting of characters A, B, C, D, and E, define the T operation as follows:\n\n"
        f"{rules}\n\n"
        f"Question: Given the string {s}, what will the string be after one operation T? String insertion from left to right.\n"
        "Return the answer with the format <<<a string>>>."
    )


def _length_range(complexity: int) -> tuple[int, int]:
    # The stored samples are all complexity 5 with strings of 14..18 letters.
    return 2 * complexity + 4, 2 * complexity + 8


def generate(seed: int, complexity: int = 5) -> Sample:
    """A string built from rule patterns and random letters, of 2c+4..2c+8 letters.

    Strings whose two readings of 'from left to right' differ are redrawn, so the
    reference answer is unambiguous.
    """
    if not 1 <= complexity <= 10:
        raise ValueError(f"complexity must be 1..10, got {complexity}")
    rng = random.Random(seed)
    low, high = _length_range(complexity)
    while True:
        target = rng.randint(low, high)
        s = ""
        while len(s) < target:
            s += rng.choice(RULES)[0] if rng.random() < 0.5 else rng.choice(ALPHABET)
        s = s[:target]
        meta = {"string": s, "rules": [list(r) for r in RULES], "complexity": complexity}
        if len(readings(meta)) == 1 and readings(meta)[0] != s:
            return generated_sample(NAME, seed, render_question(s), meta, readings(meta)[0])


TASK = Task(
    name=NAME,
    title="String Insertion",
    seen=True,
    category="string",
    load=load,
    generate=generate,
    verify=verify,
    check=None,
    reference_check=reference_check,
    data_dirs=(FOLDER,),
    knobs={"complexity": 5},
    gold_defect=gold_defect,
    modes_note=(
        "strict recomputes operation T from the question's string and accepts both readings of 'from left to right' "
        "where overlapping matches make them differ (no stored sample does); faithful compares with the stored gold exactly."
    ),
)
