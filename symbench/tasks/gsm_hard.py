"""GSM-Hard: grade-school word problems whose numbers were replaced by large ones.

The answer is a number; the original asked GPT-4o whether it matched the target within
a relative difference of 1e-3. There is no gold-free check (the question is prose), so
``check`` is None.
"""

from __future__ import annotations

import json
import random
import re
from fractions import Fraction
from pathlib import Path

from .._judging import JUDGE_REL_TOL, STRICT_REL_TOL, numbers_match, parse_final_number, single_number
from ..extract import answer_or_last_line
from ..types import Sample, Score, ScoringMode, Task

NAME = "gsm_hard"
FILE = "gsmhardv2.jsonl"
PAPER_START, PAPER_STRIDE = 1, 25
"""The original scored lines 1, 26, 51, ... of the file: 53 of 1319."""


def load_gsm_hard(data_dir: Path, start: int = PAPER_START, stride: int = PAPER_STRIDE) -> list[Sample]:
    """Every ``stride``-th problem from line ``start`` (0-based) of gsmhardv2.jsonl (the
    paper's selection by default). Ids are ``gsmhardv2/<line>``."""
    path = Path(data_dir) / FILE
    if not path.is_file():
        return []
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    samples = []
    for index in range(start, len(lines), stride):
        row = json.loads(lines[index])
        samples.append(
            Sample(
                task=NAME,
                id=f"gsmhardv2/{index}",
                question=row["input"],
                metadata={"code": row.get("code", ""), "line": index},
                gold=row["target"],
                source=f"{path}#{index}",
            )
        )
    return samples


def load(data_dir: Path) -> list[Sample]:
    return load_gsm_hard(data_dir)


def verify(sample: Sample, response: str, mode: ScoringMode = "strict") -> Score:
    """The answer's number against the target. strict: the answer gives exactly one number
    (a hedge such as ``12 or 13`` is wrong), within STRICT_REL_TOL or a correct rounding with
    enough digits. faithful: the last number, within the judge's 1e-3."""
    answer = answer_or_last_line(response)
    gold = Fraction(str(sample.gold))
    if mode == "faithful":
        found = parse_final_number(answer)
        if found is None:
            return Score.incorrect(f"no number found in {answer!r}; answer like <<<1234.5>>>", parsed=answer)
        value, written = found
        ok = numbers_match(value, gold, rel_tol=JUDGE_REL_TOL)
    else:
        try:
            value, written = single_number(answer)
        except ValueError as exc:
            return Score.incorrect(f"unreadable answer: {exc}; answer like <<<1234.5>>>", parsed=answer)
        ok = numbers_match(value, gold, rel_tol=STRICT_REL_TOL, written=written)
    if not ok:
        return Score.incorrect(f"{written} is not {sample.gold}", parsed=float(value))
    return Score.correct(parsed=float(value))


def gold_defect(sample: Sample) -> str | None:
    """A question whose large numbers do not all occur in the code that computed the gold.

    GSM-Hard was made by replacing one number of each GSM8K problem with a large one by
    text substitution; where the replaced digits also sat inside another number (``15``
    when replacing ``5``), the question changed in two places but the code in one, so the
    target answers a different question.
    """
    code = sample.metadata.get("code")
    if not code:
        return None
    body = re.sub(r'"""[\s\S]*?"""', "", code)
    in_code = {_canonical(n) for n in re.findall(r"\d[\d_]*(?:\.\d+)?", body)}
    missing = [
        n
        for n in re.findall(r"\d[\d,]*(?:\.\d+)?", sample.question)
        if float(n.replace(",", "")) >= 1000 and _canonical(n) not in in_code
    ]
    if missing:
        return (
            f"the question's number(s) {', '.join(sorted(set(missing)))} do not occur in the code that computed the "
            "target: the original's number substitution also rewrote digits inside another number, so the target "
            "answers a different question"
        )
    return None


def _canonical(number: str) -> str:
    value = Fraction(number.replace(",", "").replace("_", "").rstrip("."))
    return str(value)


# --------------------------------------------------------------------------- generator

_PEOPLE = ["Janet", "Marcus", "Priya", "Tomas", "Aisha", "Wei", "Olga", "Diego", "Fatima", "Kenji"]


def _templates(rng: random.Random, big: int, name: str) -> list[tuple[str, Fraction]]:
    """(question, exact answer) pairs; each uses ``big`` as its large number."""
    a, b, c = rng.randint(2, 12), rng.randint(2, 9), rng.randint(2, 30)
    even = big * 2
    return [
        (
            (f"A factory makes {big} bottles every day. It ships {c} bottles a day to each of its {b} shops and "
            f"stores the rest. How many bottles has it stored after {a} days?"),
            Fraction((big - b * c) * a),
        ),
        (
            (f"{name} buys {a} boxes of pencils with {big} pencils in each box. {name} gives away {c} pencils to each "
            f"of {b} friends. How many pencils does {name} have left?"),
            Fraction(a * big - b * c),
        ),
        (
            (f"A robe takes {even} bolts of blue fiber and half that much white fiber. How many bolts in total does "
            f"it take to make {a} robes?"),
            Fraction(even * 3, 2) * a,
        ),
        (
            (f"{name} earns ${big} per week and spends ${c} a day for {b} days of each week. How much does {name} "
            f"save in {a} weeks?"),
            Fraction((big - c * b) * a),
        ),
        (
            (f"In a candy machine, there are {c} more than {b} times as many pink gumballs as blue gumballs. If "
            f"there are {big} blue gumballs, how many pink ones are there?"),
            Fraction(b * big + c),
        ),
        (
            (f"A water tank holds {big} liters. A pump fills it at {b * a} liters per minute while a leak drains "
            f"{a} liters per minute. How many minutes does it take to fill the empty tank?"),
            Fraction(big, b * a - a),
        ),
        (
            (f"{name} ran {big} meters on Monday, twice as far on Tuesday, and {c} meters less than Tuesday on "
            f"Wednesday. What was the average distance {name} ran per day over the three days?"),
            Fraction(big + 2 * big + (2 * big - c), 3),
        ),
    ]


def generate(seed: int, digits: int = 7) -> Sample:
    """A multi-step word problem in which one quantity has ``digits`` digits (GSM-Hard's
    substituted numbers have up to 7); the answer is computed exactly (it may be a
    fraction, as in GSM-Hard) and stored as a float."""
    if not 1 <= digits <= 15:
        raise ValueError(f"digits must be between 1 and 15, got {digits}")
    rng = random.Random(seed)
    big = rng.randint(10 ** (digits - 1), 10**digits - 1)
    name = rng.choice(_PEOPLE)
    choices = _templates(rng, big, name)
    question, answer = choices[rng.randrange(len(choices))]
    return Sample(
        task=NAME,
        id=f"generated-{seed}",
        question=question,
        metadata={"answer_exact": str(answer), "large_number": big},
        gold=float(answer),
        source=f"generated:{seed}",
    )


TASK = Task(
    name=NAME,
    title="GSM-Hard",
    seen=True,
    category="math",
    load=load,
    generate=generate,
    verify=verify,
    check=None,
    data_dirs=(FILE,),
    knobs={"digits": 7},
    gold_defect=gold_defect,
    modes_note=(
        "The original asked GPT-4o whether the extracted number matched the target (relative difference < 1e-3). "
        "faithful applies that rule with code; strict requires a relative difference <= 1e-6, or the target "
        "correctly rounded to the places written with at least 3 significant digits (12.33 for 37/3). A model "
        "judge may also accept an answer given in words or as an unevaluated expression, which neither mode "
        "reads. No gold-free check: the question is prose. gold_defect flags targets computed from other numbers "
        "than the question shows (the original's substitution bug)."
    ),
)
