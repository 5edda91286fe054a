"""String synthesis: nine blocks, six combination methods, cycled until nothing changes.

In every stored sample a method, on its turn, is applied as many times as the stock
allows (then the next method takes its turn); the cycle repeats until a whole pass
changes nothing. The methods and the starting stock are in the question, so ``reference_check``
replays the process. The answer is the count of each of the nine blocks, in the order
the question lists them.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

from ..types import Sample, Score, ScoringMode, Task
from ._common import question_build
from ._strings import NUMBER_WORD_RE, count_of, generated_sample, load_folder, parse_counts, read_answer

NAME = "string_synthesis"
FOLDER = "string_synthesis"
BLOCKS = ("[A]", "[B]", "[C]", "{A}", "{B}", "{C}", "(A)", "(B)", "(C)")
METHODS_TEXT = (
    "One [A], one [B], and one [C] can be combined to form one {A}.",
    "One [A] and one [B] can be combined to form one {C}.",
    "One [B] and one [C] can be combined to form one {B}.",
    "Two [C] can be combined to form one {C}.",
    "One {A} and one {C} can be combined to form one (A) and one (B).",
    "Two {B} can be combined to form one (C).",
)
"""The original's six methods (the same in every stored sample)."""

MAX_PASSES = 10_000
"""Most passes over the methods one replay makes; every pass that changes something uses
up stock, so real instances stop long before. At the limit ``simulate`` raises ValueError."""

Method = tuple[dict[str, int], dict[str, int]]

_BLOCK = r"(\[[A-Z]\]|\{[A-Z]\}|\([A-Z]\))"
_ITEM = re.compile(rf"({NUMBER_WORD_RE})\s+{_BLOCK}", re.IGNORECASE)
_METHOD_LINE = re.compile(r"^\s*\d+\.\s+(.+?)\s+can be combined to form\s+(.+?)\.?\s*$", re.MULTILINE)
_BLOCKS_LINE = re.compile(r"blocks\s+(.+?)\s+that satisfy")
_STOCK_LINE = re.compile(r"If we now have\s+(.+?),\s*what will")


def _items(text: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for count, block in _ITEM.findall(text):
        found[block] = found.get(block, 0) + count_of(count)
    if not found:
        raise ValueError(f"no blocks in {text!r}")
    return found


def parse_question(question: str) -> dict[str, Any]:
    """Blocks (answer order), methods and starting stock of an original-style question."""
    blocks_line = _BLOCKS_LINE.search(question)
    stock_line = _STOCK_LINE.search(question)
    methods = [(_items(lhs), _items(rhs)) for lhs, rhs in _METHOD_LINE.findall(question)]
    if not blocks_line or not stock_line or not methods:
        raise ValueError("the question must name the blocks ('blocks ... that satisfy'), number the methods "
                         "('1. ... can be combined to form ...') and say 'If we now have ...'")
    blocks = re.findall(_BLOCK, blocks_line.group(1))
    stock = {b: 0 for b in blocks}
    for block, n in _items(stock_line.group(1)).items():
        stock[block] = n
    return {"blocks": blocks, "methods": [[lhs, rhs] for lhs, rhs in methods], "initial": stock}


def simulate(blocks: list[str], methods: list[list[dict[str, int]]], initial: dict[str, int], max_passes: int = MAX_PASSES) -> list[int]:
    """Final counts in ``blocks`` order: each method in turn applied as often as it can, passes until none changes anything."""
    stock = {b: 0 for b in blocks}
    stock.update(initial)
    for _ in range(max_passes):
        changed = False
        for lhs, rhs in methods:
            times = min(stock.get(b, 0) // n for b, n in lhs.items())
            if times:
                changed = True
                for b, n in lhs.items():
                    stock[b] -= n * times
                for b, n in rhs.items():
                    stock[b] = stock.get(b, 0) + n * times
        if not changed:
            return [stock[b] for b in blocks]
    raise ValueError(f"still changing after {max_passes} passes")


def final_counts(instance: dict[str, Any]) -> list[int]:
    return simulate(instance["blocks"], instance["methods"], instance["initial"])


_LABELLED = re.compile(rf"{_BLOCK}\s*[:=]\s*(\d+)|(\d+)\s*(?:x\s*)?{_BLOCK}")


def read_counts(raw: str, blocks: list[str]) -> list[int]:
    """The counts in ``blocks`` order: nine bare numbers, or labelled counts ('[A]: 2, {C}: 1',
    '2 [A], 1 {C}') where blocks left out count 0. Raises ValueError otherwise."""
    labelled = _LABELLED.findall(raw)
    if not labelled:
        return parse_counts(raw, len(blocks))
    counts = dict.fromkeys(blocks, 0)
    for block_a, n_a, n_b, block_b in labelled:
        block, n = (block_a, n_a) if block_a else (block_b, n_b)
        if block not in counts:
            raise ValueError(f"{block} is not one of the blocks")
        counts[block] = int(n)
    return [counts[b] for b in blocks]


def _score(expected: list[int], blocks: list[str], response: str) -> Score:
    got = read_answer(response, lambda raw: read_counts(raw, blocks))
    if isinstance(got, Score):
        return got
    if got == expected:
        return Score.correct(parsed=got)
    return Score.incorrect(f"counts {got} are not the final counts {expected}", parsed=got)


def reference_check(question: str, response: str) -> Score:
    """Replay the methods on the question's stock and compare the nine counts."""
    instance = parse_question(question)
    return _score(final_counts(instance), instance["blocks"], response)


def verify(sample: Sample, response: str, mode: ScoringMode = "strict") -> Score:
    """strict: replay the methods; faithful: the stored counts."""
    expected = list(sample.gold) if mode == "faithful" else final_counts(sample.metadata)
    return _score(expected, sample.metadata["blocks"], response)


def render_gold(sample: Sample) -> str:
    return "<<<" + " ".join(str(n) for n in sample.gold) + ">>>"


def gold_defect(sample: Sample) -> str | None:
    expected = final_counts(sample.metadata)
    if expected != list(sample.gold):
        return f"stored counts {sample.gold} are not the replayed counts {expected}"
    return None


def load(data_dir: Path) -> list[Sample]:
    return load_folder(data_dir, FOLDER, NAME, question_build(parse_question, "final_counts"))


def render_question(a: int, b: int, c: int) -> str:
    methods = "\n".join(f"{i}. {text}" for i, text in enumerate(METHODS_TEXT, 1))
    return (
        f"There are nine different blocks {', '.join(BLOCKS)} that satisfy:\n"
        f"{methods}\n\n"
        "Cycle through Methods 1..6 repeatedly until no more changes can be made.\n\n"
        f"Question: If we now have {a} [A], {b} [B], and {c} [C], what will the synthesized block be?\n\n"
        "Return your final answer with the exact format:\n"
        "<<<a string of the number of certain block>>>\n"
        "Your answer:\n"
    )


def generate(seed: int, max_a: int = 5, max_b: int = 8, max_c: int = 7) -> Sample:
    """Starting stock of 1..max_a [A], 1..max_b [B], 1..max_c [C] (the stored samples' ranges)."""
    if min(max_a, max_b, max_c) < 1:
        raise ValueError("max_a, max_b and max_c must be at least 1")
    rng = random.Random(seed)
    a, b, c = rng.randint(1, max_a), rng.randint(1, max_b), rng.randint(1, max_c)
    question = render_question(a, b, c)
    meta = parse_question(question)
    return generated_sample(NAME, seed, question, meta, final_counts(meta))


TASK = Task(
    name=NAME,
    title="String Synthesis",
    seen=True,
    category="string",
    load=load,
    generate=generate,
    verify=verify,
    check=None,
    reference_check=reference_check,
    data_dirs=(FOLDER,),
    knobs={"max_a": 5, "max_b": 8, "max_c": 7},
    render_gold=render_gold,
    gold_defect=gold_defect,
    modes_note=(
        "strict replays the methods (each as often as it can on its turn, passes until nothing changes) and compares "
        "the nine counts; faithful compares with the stored counts. They agree on every stored sample."
    ),
)
