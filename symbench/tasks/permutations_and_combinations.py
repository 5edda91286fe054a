"""Permut. and Combina.: shelve labelled books in a row under position and order constraints.

Five constraint forms appear: must be / cannot be in position p, must be to the left / right
of another book (anywhere, not only next to it), must be adjacent to another book. The
question asks for one arrangement, so any arrangement meeting every constraint is correct;
``check`` and ``verify`` both test the constraints.
"""

from __future__ import annotations

import itertools
import random
import re
import string
from pathlib import Path
from typing import Any

from ..extract import parse_literal
from ..types import Sample, Score, ScoringMode, Task
from ._common import question_build
from ._grids import answer_text, load_folder

NAME = "permutations_and_combinations"
FOLDER = "permutations_and_combinations"

_FORMS = [
    ("at", re.compile(r"Book (\w+) must be placed in position (\d+)")),
    ("not_at", re.compile(r"Book (\w+) cannot be placed in position (\d+)")),
    ("left_of", re.compile(r"Book (\w+) must be to the left of book (\w+)")),
    ("right_of", re.compile(r"Book (\w+) must be to the right of book (\w+)")),
    ("adjacent", re.compile(r"Book (\w+) must be adjacent to book (\w+)")),
]
_TEXT = {
    "at": "Book {0} must be placed in position {1}.",
    "not_at": "Book {0} cannot be placed in position {1}.",
    "left_of": "Book {0} must be to the left of book {1}.",
    "right_of": "Book {0} must be to the right of book {1}.",
    "adjacent": "Book {0} must be adjacent to book {1}.",
}


def holds(constraint: tuple[str, str, Any], position: dict[str, int]) -> bool:
    """Whether one constraint holds; ``position`` maps each book to its 1-based place."""
    kind, a, b = constraint
    if kind == "at":
        return position[a] == int(b)
    if kind == "not_at":
        return position[a] != int(b)
    if kind == "left_of":
        return position[a] < position[b]
    if kind == "right_of":
        return position[a] > position[b]
    if kind == "adjacent":
        return abs(position[a] - position[b]) == 1
    raise ValueError(f"unknown constraint kind {kind!r}")


def describe(constraint: tuple[str, str, Any]) -> str:
    return _TEXT[constraint[0]].format(constraint[1], constraint[2])


def problems_with(meta: dict[str, Any], order: list[str]) -> list[str]:
    """Why ``order`` is not a valid arrangement (empty when it is)."""
    items = meta["items"]
    if sorted(order) != sorted(items):
        missing = sorted(set(items) - set(order))
        extra = sorted(set(order) - set(items))
        repeated = sorted({x for x in order if order.count(x) > 1})
        parts = [f"missing {missing}" if missing else "", f"unknown {extra}" if extra else "",
                 f"repeated {repeated}" if repeated else ""]
        return [f"not an arrangement of the books {', '.join(items)}: " + "; ".join(p for p in parts if p)]
    position = {book: i for i, book in enumerate(order, 1)}
    return [f"breaks '{describe(c)}'" for c in meta["constraints"] if not holds(tuple(c), position)]


def parse_question(question: str) -> dict[str, Any]:
    header = re.search(r"shelving (\d+) books labeled ([A-Z](?:, [A-Z])*) on a shelf", question)
    if not header:
        raise ValueError("the question does not say which books are shelved")
    items = header.group(2).split(", ")
    if len(items) != int(header.group(1)):
        raise ValueError("the number of books does not match the labels")
    constraints = []
    for line in question.splitlines():
        for kind, pattern in _FORMS:
            m = pattern.search(line)
            if m:
                constraints.append((kind, m.group(1), m.group(2)))
                break
    if not constraints:
        raise ValueError("the question states no constraints")
    return {"items": items, "constraints": constraints}


def parse_answer(text: str) -> list[str]:
    try:
        value = parse_literal(text)
    except ValueError:
        value = None
    if isinstance(value, (list, tuple)):
        return [str(v).strip().upper() for v in value]
    return [t.upper() for t in re.split(r"[\s,;\[\]()'\"]+", text) if t]


def _score(meta: dict[str, Any], response: str) -> Score:
    text = answer_text(response)
    if text is None:
        return Score.incorrect('no answer found; write the arrangement as <<<["A", "B", "C"]>>>')
    order = parse_answer(text)
    problems = problems_with(meta, order)
    if problems:
        return Score.incorrect("; ".join(problems), parsed=order)
    return Score.correct(parsed=order, reason="meets every constraint")


def check(question: str, response: str) -> Score:
    return _score(parse_question(question), response)


def score_faithful(meta: dict[str, Any], response: str) -> Score:
    """The original scorer: the answer read as a list (its GPT-4o extraction step normalised the
    format), each book's place its last position in the list, and every constraint checked; it
    did not check that the list is an arrangement of all the books, and a book left out only
    breaks a constraint that needs its place (all but 'cannot be placed')."""
    text = answer_text(response)
    order = parse_answer(text) if text else []
    if not order:
        return Score.incorrect("empty answer (original scorer)")
    position = {book: i for i, book in enumerate(order, 1)}
    for kind, a, b in (tuple(c) for c in meta["constraints"]):
        if kind == "not_at":
            ok = position.get(a, -1) != int(b)
        elif kind == "at":
            ok = position.get(a, -1) == int(b)
        else:
            ok = a in position and b in position and holds((kind, a, b), position)
        if not ok:
            return Score.incorrect(f"breaks '{describe((kind, a, b))}' (original scorer)", parsed=order)
    return Score.correct(parsed=order, reason="every constraint holds (original scorer)")


def verify(sample: Sample, response: str, mode: ScoringMode = "strict") -> Score:
    """strict: an arrangement of all the books meeting every constraint; faithful: ``score_faithful``."""
    if mode == "faithful":
        return score_faithful(sample.metadata, response)
    return _score(sample.metadata, response)


def solutions(meta: dict[str, Any], limit: int | None = None) -> list[list[str]]:
    """Arrangements meeting every constraint, by brute force (at most 9! orders), up to ``limit``."""
    found = []
    for order in itertools.permutations(meta["items"]):
        if not problems_with(meta, list(order)):
            found.append(list(order))
            if limit is not None and len(found) >= limit:
                break
    return found


def gold_defect(sample: Sample) -> str | None:
    problems = problems_with(sample.metadata, list(sample.gold or []))
    return "the stored arrangement " + "; ".join(problems) if problems else None


def load(data_dir: Path) -> list[Sample]:
    return load_folder(data_dir, FOLDER, NAME, question_build(parse_question, "correct_solution"))


def render_question(meta: dict[str, Any]) -> str:
    n = len(meta["items"])
    rules = "\n".join(f"{i}. {describe(c)}" for i, c in enumerate(meta["constraints"], 1))
    return (
        f"Xiao Wang is a librarian responsible for shelving {n} books labeled {', '.join(meta['items'])} on a shelf "
        f"with positions 1 to {n}.\n\nThe constraints are:\n{rules}\n\nQuestion:\nBased on the above conditions, "
        f"please arrange the {n} books from left to right on the bookshelf, i.e. positions 1 through {n}. Return your "
        'answer with the format <<< a list of strings >>>, one solution is enough.for example:\n<<<["A", "B", "C"]>>>\n'
        "Your answer:\n"
    )


def _random_constraint(rng: random.Random, order: list[str]) -> tuple[str, str, Any]:
    """A constraint that the hidden arrangement ``order`` meets."""
    position = {book: i for i, book in enumerate(order, 1)}
    kind = rng.choice(["at", "not_at", "not_at", "left_of", "right_of", "adjacent"])
    if kind == "at":
        a = rng.choice(order)
        return ("at", a, position[a])
    if kind == "not_at":
        a = rng.choice(order)
        return ("not_at", a, rng.choice([p for p in range(1, len(order) + 1) if p != position[a]]))
    if kind == "adjacent":
        i = rng.randrange(len(order) - 1)
        pair = [order[i], order[i + 1]]
        rng.shuffle(pair)
        return ("adjacent", pair[0], pair[1])
    a, b = rng.sample(order, 2)
    if (kind == "left_of") != (position[a] < position[b]):
        a, b = b, a
    return (kind, a, b)


def generate(seed: int, books: int = 6, constraints: int | None = None) -> Sample:
    """``books`` 6-9 labelled A..; ``constraints`` defaults to books+1 or books+2 as in the original.

    The constraints are drawn to hold for a hidden arrangement (the gold), so one always exists.
    """
    if not 2 <= books <= 9:
        raise ValueError("books must be between 2 and 9 (the verifier's brute force is sized for that)")
    rng = random.Random(seed)
    count = constraints or books + rng.choice((1, 2))
    items = list(string.ascii_uppercase[:books])
    order = items[:]
    rng.shuffle(order)
    rules = [_random_constraint(rng, order) for _ in range(count)]
    meta = {"items": items, "constraints": rules, "complexity": count}
    return Sample(task=NAME, id=f"generated:{seed}", question=render_question(meta), metadata=meta,
                  gold=order, source=f"generated:{seed}")


def render_gold(sample: Sample) -> str:
    return "<<<[" + ", ".join(f'"{b}"' for b in sample.gold) + "]>>>"


TASK = Task(
    name=NAME,
    title="Permut. and Combina.",
    seen=False,
    category="logic",
    load=load,
    generate=generate,
    verify=verify,
    check=check,
    data_dirs=(FOLDER,),
    knobs={"books": 6, "constraints": None},
    render_gold=render_gold,
    gold_defect=gold_defect,
    modes_note="both modes accept any arrangement that meets every constraint (the question asks for one "
    "solution; the stored one is never compared with); faithful, like the original scorer, does not check that "
    "the answer places every book exactly once.",
)
