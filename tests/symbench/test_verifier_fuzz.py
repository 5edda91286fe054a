"""Every verifier and check is total and bounded: any answer text gets a Score, fast.

1,000 hostile answers per task (huge numbers and exponents, division by zero, deep
nesting, several answers at once, control characters, fragments of the gold spliced with
junk) go through ``verify`` in both modes and through the steering-time check.
"""

from __future__ import annotations

import random
import time

import pytest

from symbench import Score, all_tasks, extract_answer

ANSWERS_PER_TASK = 1000
PER_CALL_LIMIT_S = 2.0
"""Generous for a loaded CI machine; a hang (sympy evaluating 10**10**10) takes minutes."""

HOSTILE = [
    "10**10**10", "9**9**9**9", "2**1000000", "1000, 1001", "1/0", "0/0", "1e999", "-1e999", "1e-999", "1e400/1e399",
    "[[[]]]", "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]", "[" * 3000 + "]" * 3000, "(" * 3000 + ")" * 3000,
    "9" * 5000, "-" + "9" * 5000, "." * 100, "nan", "inf", "-inf", "NaN/NaN", "None", "True", "{}", "{'a': {}}",
    "[1, 'a', None, [2]]", "", " ", "\x00\x01\x02", "<<<", ">>>", "<<<<<<>>>>>>", "\\frac{1}{0}", "\\sqrt{-1}",
    "\\frac{\\frac{\\frac{1}{2}}{3}}{0}", "100000!", "factorial(100000)", "x**x**x**x", "lambda: 0",
    "__import__('os').system('true')", "A or B", "(A), (B), (C)", "Yes or No", "not true", "12 or 13", "𝟙𝟚𝟛",
    "١٢٣", "1_000_000_000_000_000_000_000", "0x1F", "1e", "e1", "--1", "+-+1", "1..2", "1,,2", "½",
    "[[1e999, -1e999], [nan, inf]]", "Move A from 1 to 1e999", "Step 1: [(1e999, [0])]", "[(1e999, 1e999)]",
    "a" * 100_000, "\n".join(["1, 2, 3"] * 500), "[" + ",".join(["[1]"] * 2000) + "]",
]
JUNK = ["1e999", "/0", "**99", "(", ")", "[", "]", ",", " or ", "-", "nan", "\\frac{", "}", "'", '"', "\n", "9" * 50, "x"]


def _hostile(task_gold: str, rng: random.Random):
    yield from HOSTILE
    while True:
        pieces = list(task_gold) if task_gold else ["1"]
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(pieces) + 1)
            pieces.insert(at, rng.choice(JUNK))
        if rng.random() < 0.3 and len(pieces) > 2:
            del pieces[rng.randrange(len(pieces)) :]
        yield "".join(pieces)


def _timed(fn, *args) -> tuple[Score, float]:
    started = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - started


@pytest.mark.parametrize("task", all_tasks(), ids=lambda t: t.name)
def test_any_answer_text_gets_a_score_within_the_time_limit(task):
    rng = random.Random(f"fuzz-{task.name}")
    samples = [task.generate(seed) for seed in range(3)]
    for n, answer in zip(range(ANSWERS_PER_TASK), _hostile(extract_answer(task.gold_answer(samples[0])) or "", rng)):
        sample = samples[n % len(samples)]
        for text in (f"<<<{answer}>>>",) if n % 4 else (f"<<<{answer}>>>", answer):
            for mode in ("strict", "faithful"):
                score, took = _timed(task.verify, sample, text, mode)
                assert isinstance(score, Score), (task.name, answer[:80])
                assert took < PER_CALL_LIMIT_S, f"{task.name} {mode} took {took:.1f}s on {answer[:80]!r}"
            if task.check is not None:
                score, took = _timed(task.check, sample.question, text)
                assert isinstance(score, Score), (task.name, answer[:80])
                assert took < PER_CALL_LIMIT_S, f"{task.name} check took {took:.1f}s on {answer[:80]!r}"
