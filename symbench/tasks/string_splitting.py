"""String splitting: machines A, B, C are dismantled into parts X, Y, Z by five methods,
executed one at a time in order (each at most once per turn), cycling until none can run.

The methods are worded differently from sample to sample (three paraphrases each), so
they are parsed by what they say: the counted items before the verb ('yields', 'into',
'produces', 'results in', 'creates', 'to form') are consumed, those after it produced.
``check`` replays the process from the question's methods and starting machines.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

from ..types import Sample, Score, ScoringMode, Task
from ._strings import NUMBER_WORD_RE, count_of, generated_sample, load_folder, parse_counts, read_answer

NAME = "string_splitting"
FOLDER = "string_splitting"
ORDER = ("A", "B", "C", "X", "Y", "Z")
"""The answer's order: machines A, B, C, then parts X, Y, Z."""

RANGES_BY_COMPLEXITY = {1: (1, 3), 2: (2, 4), 3: (3, 6), 4: (4, 7), 5: (5, 10)}
"""Starting machines of each kind at each complexity (exactly the stored samples' ranges)."""

MAX_CYCLES = 10_000
"""Most cycles one replay runs; every method consumes stock, so real instances stop far
earlier. At the limit ``simulate`` raises ValueError."""

PARAPHRASES: tuple[tuple[str, ...], ...] = (
    ("Dismantling a single machine A yields two part X and one part Y each cycle.",
     "Each round, one machine A breaks down into two part X and one part Y.",
     "One unit of machine A can be dismantled into two units of part X and one unit of part Y per round."),
    ("Dismantling two machine B units produces one part X each cycle.",
     "Every round, dismantling two machines B results in one part X.",
     "Two units of machine B can be dismantled into one unit of part X per round."),
    ("Dismantling two machine C units yields one part Y each cycle.",
     "Each round, two machines C break down into one part Y.",
     "Two units of machine C can be dismantled into one unit of part Y per round."),
    ("Combining one machine B and one machine C results in one machine A each cycle.",
     "Every round, merging one machine B with one machine C creates one machine A.",
     "One unit of machine B and one unit of machine C can be combined into one unit of machine A per round."),
    ("Combining one part X with one part Y produces one part Z each cycle.",
     "Each round, one part X and one part Y merge to form one part Z.",
     "One unit of part X and one unit of part Y can be combined into one unit of part Z per round."),
)
"""The original's wordings of Methods 1..5 (a sample uses one wording per method)."""

_ITEM = re.compile(rf"\b({NUMBER_WORD_RE})\s+(?:units?\s+of\s+)?(?:machines?|parts?)\s+([A-Z])\b", re.IGNORECASE)
_VERB = re.compile(r"\b(?:into|yields?|produces?|results?\s+in|creates?|to\s+form)\b", re.IGNORECASE)
_METHOD_LINE = re.compile(r"^Method\s+(\d+):\s*(.+)$", re.MULTILINE)
_START = re.compile(
    r"there are (\d+) units? of Machine A, (\d+) units? of Machine B, and (\d+) units? of Machine C", re.IGNORECASE
)


def parse_method(text: str) -> list[dict[str, int]]:
    """[consumed, produced] counts of one method sentence; ValueError when it cannot be read."""
    verb = _VERB.search(text)
    if not verb:
        raise ValueError(f"no verb ('into', 'yields', 'produces', ...) in method {text!r}")
    sides = []
    for part in (text[: verb.start()], text[verb.end() :]):
        items: dict[str, int] = {}
        for count, name in _ITEM.findall(part):
            items[name.upper()] = items.get(name.upper(), 0) + count_of(count)
        if not items:
            raise ValueError(f"method {text!r} names no machines or parts on one side")
        sides.append(items)
    return sides


def parse_question(question: str) -> dict[str, Any]:
    """Methods (in order) and starting machines of an original-style question."""
    methods = [parse_method(text) for _, text in sorted(_METHOD_LINE.findall(question), key=lambda m: int(m[0]))]
    start = _START.search(question)
    if not methods or not start:
        raise ValueError("the question must list 'Method N: ...' lines and say 'there are N units of Machine A, ...'")
    a, b, c = (int(x) for x in start.groups())
    return {"methods": methods, "initial": {"A": a, "B": b, "C": c}}


def simulate(methods: list[list[dict[str, int]]], initial: dict[str, int], max_cycles: int = MAX_CYCLES) -> list[int]:
    """Final counts in ORDER: each cycle runs every method that can run, once, in order; stops after an idle cycle."""
    stock = {k: 0 for k in ORDER}
    stock.update(initial)
    for _ in range(max_cycles):
        ran = False
        for consumed, produced in methods:
            if all(stock.get(k, 0) >= n for k, n in consumed.items()):
                ran = True
                for k, n in consumed.items():
                    stock[k] -= n
                for k, n in produced.items():
                    stock[k] = stock.get(k, 0) + n
        if not ran:
            return [stock[k] for k in ORDER]
    raise ValueError(f"still running after {max_cycles} cycles")


def final_counts(instance: dict[str, Any]) -> list[int]:
    return simulate(instance["methods"], instance["initial"])


def _score(expected: list[int], response: str) -> Score:
    got = read_answer(response, lambda raw: parse_counts(raw, len(ORDER)))
    if isinstance(got, Score):
        return got
    if got == expected:
        return Score.correct(parsed=got)
    return Score.incorrect(f"counts {got} (A, B, C, X, Y, Z) are not the final counts {expected}", parsed=got)


def reference_check(question: str, response: str) -> Score:
    """Replay the methods on the question's machines and compare the six counts."""
    return _score(final_counts(parse_question(question)), response)


def verify(sample: Sample, response: str, mode: ScoringMode = "strict") -> Score:
    """strict: replay the methods; faithful: the stored counts."""
    if mode == "faithful":
        return _score([int(v) for v in sample.gold], response)
    return _score(final_counts(sample.metadata), response)


def render_gold(sample: Sample) -> str:
    return "<<<[" + ", ".join(f'"{v}"' for v in sample.gold) + "]>>>"


def gold_defect(sample: Sample) -> str | None:
    expected = final_counts(sample.metadata)
    if expected != [int(v) for v in sample.gold]:
        return f"stored counts {sample.gold} are not the replayed counts {expected}"
    return None


def _build(question: str, solution: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    meta = parse_question(question)
    meta["complexity"] = solution.get("complexity")
    gold = solution.get("expected_answer")
    return meta, None if gold is None else [str(v) for v in gold]


def load(data_dir: Path) -> list[Sample]:
    return load_folder(data_dir, FOLDER, NAME, _build)


def render_question(wordings: list[str], a: int, b: int, c: int) -> str:
    methods = "\n".join(f"Method {i}: {text}" for i, text in enumerate(wordings, 1))
    return (
        "There is a dismantling engineer who has old machines A, B, and C. He discovered that he can obtain a batch of "
        "new parts X, Y, and Z through the following methods:\n"
        f"{methods}\n\n"
        f"Xiao Li continuously cycles through these methods in the given order, executing one method at a time. After "
        f"Method {len(wordings)}, start again from Method 1. Continue this cycle until no method can be executed. "
        f"Initially, there are {a} units of Machine A, {b} units of Machine B, and {c} units of Machine C. How many parts "
        "X, Y, and Z can Li ultimately obtain, and how many machines A, B, and C will remain?\n\n"
        "Generate the answer in the format <<<a string representing the outcome in the order of machines A, B, C, parts "
        "X, Y, Z>>>. For example, if Machine A has 1 unit, Machine B has 0 units, Machine C has 1 unit, Part X has 1 "
        "unit, Part Y has 1 unit, and Part Z has 1 unit, it should be represented as [\"1\", \"0\", \"1\", \"1\", \"1\", "
        "\"1\"].\nYour answer:"
    )


def generate(seed: int, complexity: int = 3) -> Sample:
    """Random wordings of the five methods and 1..10 machines of each kind as the complexity's range gives."""
    if complexity not in RANGES_BY_COMPLEXITY:
        raise ValueError(f"complexity must be one of {sorted(RANGES_BY_COMPLEXITY)}, got {complexity}")
    rng = random.Random(seed)
    low, high = RANGES_BY_COMPLEXITY[complexity]
    wordings = [rng.choice(options) for options in PARAPHRASES]
    a, b, c = (rng.randint(low, high) for _ in range(3))
    question = render_question(wordings, a, b, c)
    meta = parse_question(question)
    meta["complexity"] = complexity
    gold = [str(v) for v in final_counts(meta)]
    return generated_sample(NAME, seed, question, meta, gold)


TASK = Task(
    name=NAME,
    title="String Splitting",
    seen=False,
    category="string",
    load=load,
    generate=generate,
    verify=verify,
    check=None,
    reference_check=reference_check,
    data_dirs=(FOLDER,),
    knobs={"complexity": 3},
    render_gold=render_gold,
    gold_defect=gold_defect,
    modes_note=(
        "strict replays the question's methods (each at most once per turn, cycling until none can run) and compares "
        "the six counts; faithful compares with the stored counts. They agree on every stored sample."
    ),
)
