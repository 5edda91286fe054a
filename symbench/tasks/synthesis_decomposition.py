"""Synthesis decomposition: crops are exchanged for products by numbered methods, each at
most once per cycle, cycling in order until no method can run.

The methods, the starting crops and the answer's order ([remaining_A, remaining_B, ...,
obtained_X, ...]) are all in the question, so ``reference_check`` replays the process. The stored
gold lists A, B, C, X, Y whatever the question asks; it is read into the question's order.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

from ..types import Sample, Score, ScoringMode, Task
from ._strings import generated_sample, load_folder, parse_counts, read_answer

NAME = "synthesis_decomposition"
FOLDER = "synthesis_decomposition_dataset"
GOLD_ORDER = ("A", "B", "C", "X", "Y")
"""The order of the stored ``solution.answer`` lists."""

MAX_CYCLES = 10_000
"""Most cycles one replay runs; every method consumes crops, so real instances stop far
earlier. At the limit ``simulate`` raises ValueError."""

VARIANTS: dict[str, dict[str, Any]] = {
    "two_crops": {
        "crops": ("A", "B"), "products": ("X",),
        "methods": [({"A": 1, "B": 1}, {"X": 1}), ({"A": 3}, {"X": 2})],
        "example": "1 unit of crop A, 0 units of crop B, and 3 units of product X remaining, output: <<<[1, 0, 3]>>>",
    },
    "three_crops": {
        "crops": ("A", "B", "C"), "products": ("X",),
        "methods": [({"A": 1, "B": 1, "C": 1}, {"X": 1}), ({"A": 1, "B": 1}, {"C": 2}), ({"C": 2}, {"X": 1})],
        "example": "1 unit of crop A, 0 units of crop B, 2 units of crop C, and 3 units of product X remaining, "
                   "output: <<<[1, 0, 2, 3]>>>",
    },
    "four_methods": {
        "crops": ("A", "B", "C"), "products": ("X", "Y"),
        "methods": [({"A": 2, "B": 1, "C": 1}, {"X": 3}), ({"A": 1, "B": 1}, {"C": 2}),
                    ({"C": 2, "X": 1}, {"Y": 1}), ({"A": 1, "X": 2}, {"Y": 1})],
        "example": "1 unit of crop A, 0 units of crop B, 2 units of crop C, and 3 units of product X, 1 unit of product Y "
                   "remaining, output: <<<[1, 0, 2, 3, 1]>>>",
    },
}
"""The three method sets of the original data."""

COMPLEXITY_PLANS: dict[int, tuple[str, tuple[tuple[int, int], ...]]] = {
    1: ("two_crops", ((3, 5), (2, 3))),
    2: ("two_crops", ((3, 6), (2, 4))),
    3: ("three_crops", ((4, 8), (3, 6), (2, 5))),
    4: ("three_crops", ((4, 8), (3, 6), (2, 5))),
    5: ("four_methods", ((5, 8), (2, 4), (4, 7))),
}
"""Method set and starting-crop ranges at each complexity (the stored samples' ranges)."""

_METHOD_LINE = re.compile(r"^Method\s+(\d+):\s*(.+?)\s+can be exchanged for\s+(.+?)(?:,|\.)", re.MULTILINE)
_ITEM = re.compile(r"(\d+)\s+units?\s+of\s+(?:crop|product)\s+([A-Z])")
_START_LINE = re.compile(r"^Initially there are (.+)$", re.MULTILINE)
_ORDER = re.compile(r"as a list showing \[([^\]]+)\]")


def _items(text: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for count, name in _ITEM.findall(text):
        found[name] = found.get(name, 0) + int(count)
    if not found:
        raise ValueError(f"no '<n> units of crop/product <X>' in {text!r}")
    return found


def parse_question(question: str) -> dict[str, Any]:
    """Methods, starting crops and the answer's order of an original-style question."""
    methods = [[_items(lhs), _items(rhs)] for _, lhs, rhs in sorted(_METHOD_LINE.findall(question), key=lambda m: int(m[0]))]
    start = _START_LINE.search(question)
    order = _ORDER.search(question)
    if not methods or not start or not order:
        raise ValueError("the question must list 'Method N: ... can be exchanged for ...', say 'Initially there are ...' "
                         "and give the answer's order ('as a list showing [remaining_A, ...]')")
    names = [n.strip() for n in order.group(1).split(",")]
    answer_order = []
    for name in names:
        m = re.fullmatch(r"(?:remaining|obtained)_([A-Z])", name)
        if not m:
            raise ValueError(f"cannot read answer field {name!r}")
        answer_order.append(m.group(1))
    return {"methods": methods, "initial": _items(start.group(1)), "order": answer_order}


def run(methods: list[list[dict[str, int]]], initial: dict[str, int], max_cycles: int = MAX_CYCLES) -> list[dict[str, int]]:
    """Every stock after each executed method (the first entry is the start): methods in order,
    each at most once per cycle, until a cycle executes none."""
    stock = dict(initial)
    states = [dict(stock)]
    for _ in range(max_cycles):
        ran = False
        for consumed, produced in methods:
            if all(stock.get(k, 0) >= n for k, n in consumed.items()):
                ran = True
                for k, n in consumed.items():
                    stock[k] -= n
                for k, n in produced.items():
                    stock[k] = stock.get(k, 0) + n
                states.append(dict(stock))
        if not ran:
            return states
    raise ValueError(f"still running after {max_cycles} cycles")


def final_counts(instance: dict[str, Any]) -> list[int]:
    final = run(instance["methods"], instance["initial"])[-1]
    return [final.get(k, 0) for k in instance["order"]]


def _score(expected: list[int], order: list[str], response: str) -> Score:
    got = read_answer(response, lambda raw: parse_counts(raw, len(expected)), f" (the order is {', '.join(order)})")
    if isinstance(got, Score):
        return got
    if got == expected:
        return Score.correct(parsed=got)
    return Score.incorrect(f"counts {got} ({', '.join(order)}) are not the final counts {expected}", parsed=got)


def reference_check(question: str, response: str) -> Score:
    """Replay the methods on the question's crops and compare the counts in the question's order."""
    instance = parse_question(question)
    return _score(final_counts(instance), instance["order"], response)


def verify(sample: Sample, response: str, mode: ScoringMode = "strict") -> Score:
    """strict: replay the methods; faithful: the stored answer (read into the question's order)."""
    expected = list(sample.gold) if mode == "faithful" else final_counts(sample.metadata)
    return _score(expected, sample.metadata["order"], response)


def render_gold(sample: Sample) -> str:
    return "<<<[" + ", ".join(str(v) for v in sample.gold) + "]>>>"


def gold_defect(sample: Sample) -> str | None:
    expected = final_counts(sample.metadata)
    if expected != list(sample.gold):
        return f"stored answer {sample.gold} is not the replayed result {expected}"
    return None


def _build(question: str, solution: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    meta = parse_question(question)
    meta["complexity"] = solution.get("complexity")
    stored = (solution.get("solution") or {}).get("answer")
    if stored is None:
        return meta, None
    by_name = dict(zip(GOLD_ORDER, (int(v) for v in stored)))
    return meta, [by_name[k] for k in meta["order"]]


def load(data_dir: Path) -> list[Sample]:
    return load_folder(data_dir, FOLDER, NAME, _build)


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + (", and " if len(names) > 2 else " and ") + names[-1]


def _amount(n: int, kind: str, name: str) -> str:
    return f"{n} unit{'s' if n != 1 else ''} of {kind} {name}"


def render_question(variant: str, initial: dict[str, int]) -> str:
    spec = VARIANTS[variant]
    crops, products = list(spec["crops"]), list(spec["products"])
    lines = []
    for i, (consumed, produced) in enumerate(spec["methods"], 1):
        lhs = " and ".join(_amount(n, "crop" if k in crops else "product", k) for k, n in consumed.items())
        rhs = " and ".join(_amount(n, "product", k) for k, n in produced.items())
        lines.append(f"Method {i}: {lhs} can be exchanged for {rhs}, and this can be done only once per cycle.")
    product_word = "product" if len(products) == 1 else "products"
    fields = [f"remaining_{c}" for c in crops] + [f"obtained_{p}" for p in products]
    return (
        f"Xiao Li is a farm owner who grows {_join(crops)}. He can exchange these crops for agricultural {product_word} "
        f"{_join(products)}. He has discovered the following methods to increase the farm's yield:\n\n"
        + "\n\n".join(lines)
        + "\n\n"
        f"Xiao Li continuously cycles through these methods in the given order, executing one method at a time. After "
        f"Method {len(lines)}, start again from Method 1. Continue this cycle until no method can be executed.\n\n"
        f"Initially there are {', '.join(_amount(initial[c], 'crop', c) for c in crops)}.\n\n"
        "First output the entire reasoning process step by step, showing each synthesis step's result. Then wrap your "
        f"final answer in <<<>>> format as a list showing [{', '.join(fields)}]. For example, if there are {spec['example']}"
    )


def generate(seed: int, complexity: int = 3) -> Sample:
    """The complexity's method set with starting crops drawn from its ranges."""
    if complexity not in COMPLEXITY_PLANS:
        raise ValueError(f"complexity must be one of {sorted(COMPLEXITY_PLANS)}, got {complexity}")
    rng = random.Random(seed)
    variant, ranges = COMPLEXITY_PLANS[complexity]
    crops = VARIANTS[variant]["crops"]
    initial = {c: rng.randint(low, high) for c, (low, high) in zip(crops, ranges)}
    question = render_question(variant, initial)
    meta = parse_question(question)
    meta["complexity"] = complexity
    return generated_sample(NAME, seed, question, meta, final_counts(meta))


TASK = Task(
    name=NAME,
    title="Synthesis Decompo.",
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
        "strict replays the question's methods (each at most once per cycle) and compares the counts in the "
        "question's order; faithful compares with the stored answer. They agree on every stored sample."
    ),
)
