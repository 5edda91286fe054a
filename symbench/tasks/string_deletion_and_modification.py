"""String deletion and modification: apply the first rule that fits, again and again, until none fits.

"Cycle through the following operations one at a time" means, in every stored sample's
recorded intermediate states: each step applies the first listed rule whose condition
holds, then starts again from rule 1; the process ends when no rule applies. The rules
and the string are in the question, so ``reference_check`` replays the process.
"""

from __future__ import annotations

import random
import re
from string import ascii_lowercase
from pathlib import Path
from typing import Any, Callable

from ..types import Sample, Score, ScoringMode, Task
from ._common import question_build
from ._strings import generated_sample, load_folder, parse_word, read_answer

NAME = "string_deletion_and_modification"
FOLDER = "string_deletion_and_modification"
ALPHABET = ascii_lowercase
"""Letters a result may hold (the stored rules write a, b, c and z)."""

MAX_STEPS = 10_000
"""Most rule applications one replay makes. A process still running at the limit (or one
that revisits a string, which would loop forever) has no final string: ``simulate``
raises NonTerminating."""

Rule = Callable[[str], "str | None"]
"""A rule: the new string when its condition holds, else None."""


class NonTerminating(ValueError):
    """The rules never stop changing the string."""


def _q(name: str) -> str:
    return rf"'(?P<{name}>[a-z]+)'"


# Each template: the rule's wording (quoted strings are parameters) and what it does.
_TEMPLATES: list[tuple[str, Callable[[dict[str, str]], Rule]]] = [
    (rf"If the string (?:suffix is|ends with) {_q('x')}, replace it with {_q('y')} and prepend {_q('z')} to the start\.",
     lambda p: lambda s: p["z"] + s[: -len(p["x"])] + p["y"] if s.endswith(p["x"]) else None),
    (rf"If the string (?:suffix is|ends with) {_q('x')}, replace it with {_q('y')}\.",
     lambda p: lambda s: s[: -len(p["x"])] + p["y"] if s.endswith(p["x"]) else None),
    (rf"If the string (?:suffix is|ends with) {_q('x')}, delete the last two characters\.",
     lambda p: lambda s: s[:-2] if s.endswith(p["x"]) else None),
    (rf"If the string (?:suffix is|ends with) {_q('x')}, remove the last character\.",
     lambda p: lambda s: s[:-1] if s.endswith(p["x"]) else None),
    (rf"If the string (?:prefix is|starts with) {_q('x')}, remove the first two characters\.",
     lambda p: lambda s: s[2:] if s.startswith(p["x"]) else None),
    (rf"If the string (?:prefix is|starts with) {_q('x')}, delete the first two characters and append {_q('y')} to the end\.",
     lambda p: lambda s: s[2:] + p["y"] if s.startswith(p["x"]) else None),
    (rf"If the string (?:prefix is|starts with) {_q('x')}, remove the second character\.",
     lambda p: lambda s: s[0] + s[2:] if s.startswith(p["x"]) else None),
    (rf"If the string (?:prefix is|starts with) {_q('x')}, remove the first character\.",
     lambda p: lambda s: s[1:] if s.startswith(p["x"]) else None),
    (rf"If the string (?:prefix is|starts with) {_q('x')}, replace it with {_q('y')} and append {_q('z')} to the end\.",
     lambda p: lambda s: p["y"] + s[len(p["x"]) :] + p["z"] if s.startswith(p["x"]) else None),
    (rf"If the string (?:prefix is|starts with) {_q('x')}, replace it with {_q('y')} and delete the last character\.",
     lambda p: lambda s: (p["y"] + s[len(p["x"]) :])[:-1] if s.startswith(p["x"]) else None),
    (rf"If the string (?:prefix is|starts with) {_q('x')}, replace it with {_q('y')}\.",
     lambda p: lambda s: p["y"] + s[len(p["x"]) :] if s.startswith(p["x"]) else None),
    (rf"If the string (?:prefix is|starts with) {_q('x')}, replace the first two characters with {_q('y')}\.",
     lambda p: lambda s: p["y"] + s[2:] if s.startswith(p["x"]) else None),
    (rf"If the string contains {_q('x')} \(not at the start\), remove the first occurrence found after the first character\.",
     lambda p: lambda s: s[:i] + s[i + len(p["x"]) :] if (i := s.find(p["x"], 1)) != -1 else None),
    (rf"If the string contains {_q('x')}, replace the first occurrence with its reverse \({_q('y')}\)\.",
     lambda p: lambda s: s.replace(p["x"], p["y"], 1) if p["x"] in s else None),
    (rf"If the string contains {_q('x')}, replace the first occurrence with {_q('y')}\.",
     lambda p: lambda s: s.replace(p["x"], p["y"], 1) if p["x"] in s else None),
    (rf"If the string contains {_q('x')}, delete the first occurrence entirely\.",
     lambda p: lambda s: s.replace(p["x"], "", 1) if p["x"] in s else None),
    (r"If the string contains an even number of '(?P<x>[a-z])'s \(and at least one '[a-z]'\), append '(?P<y>[a-z]+)' at the end\.",
     lambda p: lambda s: s + p["y"] if s.count(p["x"]) > 0 and s.count(p["x"]) % 2 == 0 else None),
    (r"If the string length is greater than (?P<n>\d+), remove the middle character\.",
     lambda p: lambda s: s[: len(s) // 2] + s[len(s) // 2 + 1 :] if len(s) > int(p["n"]) else None),
]
_COMPILED = [(re.compile(pattern), build) for pattern, build in _TEMPLATES]

RULE_POOL: tuple[str, ...] = (
    "If the string suffix is 'ac', replace it with 'cb'.",
    "If the string starts with 'cc', remove the first two characters.",
    "If the string contains 'abc', replace the first occurrence with 'cab'.",
    "If the string prefix is 'bc', delete the first two characters and append 'aa' to the end.",
    "If the string contains 'ca' (not at the start), remove the first occurrence found after the first character.",
    "If the string suffix is 'bb', delete the last two characters.",
    "If the string ends with 'aa', replace it with 'cc'.",
    "If the string length is greater than 15, remove the middle character.",
    "If the string contains 'bca', delete the first occurrence entirely.",
    "If the string prefix is 'aa', remove the first character.",
    "If the string starts with 'ac', replace the first two characters with 'zz'.",
    "If the string contains 'acb', replace the first occurrence with its reverse ('bca').",
    "If the string starts with 'bb', remove the second character.",
    "If the string suffix is 'cc', replace it with 'b' and prepend 'a' to the start.",
    "If the string contains an even number of 'b's (and at least one 'b'), append 'ab' at the end.",
    "If the string prefix is 'ca', replace it with 'bb' and append 'c' to the end.",
    "If the string prefix is 'ab', replace it with 'ca'.",
    "If the string ends with 'ba', replace it with 'ab'.",
    "If the string prefix is 'cb', replace it with 'aa' and delete the last character.",
    "If the string ends with 'ca', remove the last character.",
)
"""The twenty rule wordings of the original data; a sample lists six of them."""


def compile_rule(text: str) -> Rule:
    """The rule a sentence states; ValueError naming the sentence when it is not one of the known forms."""
    sentence = text.strip()
    for pattern, build in _COMPILED:
        m = pattern.fullmatch(sentence)
        if m:
            return build(m.groupdict())
    raise ValueError(f"unknown rule wording: {sentence!r}")


def simulate(string: str, rules: list[str], max_steps: int = MAX_STEPS) -> list[str]:
    """Every state from ``string`` to the final one, applying the first rule that fits each time.

    Raises NonTerminating when a state repeats (the rules cycle) or after ``max_steps`` applications.
    """
    compiled = [compile_rule(r) for r in rules]
    states = [string]
    seen = {string}
    s = string
    for _ in range(max_steps):
        for rule in compiled:
            new = rule(s)
            if new is not None:
                break
        else:
            return states
        s = new
        if s in seen:
            raise NonTerminating(f"the rules cycle: {s!r} comes back after {len(states)} steps")
        seen.add(s)
        states.append(s)
    raise NonTerminating(f"still changing after {max_steps} steps")


_RULE_LINE = re.compile(r"^\s*\d+\.\s+(If the string .*)$", re.MULTILINE)
_STRING_LINE = re.compile(r'For the string "([a-z]*)", what is the final string')


def parse_question(question: str) -> dict[str, Any]:
    """The string and the rule sentences of an original-style question."""
    rules = [r.strip() for r in _RULE_LINE.findall(question)]
    found = _STRING_LINE.search(question)
    if not rules or not found:
        raise ValueError("the question must list numbered rules ('1. If the string ...') and 'For the string \"...\"'")
    for rule in rules:
        compile_rule(rule)
    return {"string": found.group(1), "rules": rules}


def final_string(instance: dict[str, Any]) -> str:
    return simulate(instance["string"], instance["rules"])[-1]


def _read_word(raw: str) -> str:
    if re.sub(r"[\s'\"`]", "", raw) == "":
        return ""  # the process may delete every character
    return parse_word(raw, ALPHABET)


def _score(expected: str, response: str) -> Score:
    got = read_answer(response, _read_word)
    if isinstance(got, Score):
        return got
    if got == expected:
        return Score.correct(parsed=got)
    return Score.incorrect(f"{got!r} is not the final string {expected!r}", parsed=got)


def _expected(instance: dict[str, Any]) -> str | Score:
    try:
        return final_string(instance)
    except NonTerminating as exc:
        return Score.incorrect(f"no answer can be right: {exc}")


def reference_check(question: str, response: str) -> Score:
    """Replay the rules on the question's string and compare with the answer."""
    expected = _expected(parse_question(question))
    return expected if isinstance(expected, Score) else _score(expected, response)


def verify(sample: Sample, response: str, mode: ScoringMode = "strict") -> Score:
    """strict: replay the rules on the instance; faithful: exact match with the stored gold."""
    if mode == "faithful":
        return _score(str(sample.gold), response)
    expected = _expected(sample.metadata)
    return expected if isinstance(expected, Score) else _score(expected, response)


def render_gold(sample: Sample) -> str:
    return f'<<< "{sample.gold}" >>>'


def gold_defect(sample: Sample) -> str | None:
    try:
        expected = final_string(sample.metadata)
    except NonTerminating as exc:
        return f"the rules never stop: {exc}"
    if expected != sample.gold:
        return f"stored gold {sample.gold!r} is not the final string {expected!r}"
    return None


def load(data_dir: Path) -> list[Sample]:
    return load_folder(data_dir, FOLDER, NAME, question_build(parse_question, "final_string"))


def render_question(string: str, rules: list[str]) -> str:
    listed = "\n".join(f"{i}. {rule}" for i, rule in enumerate(rules, 1))
    return (
        "Cycle through the following operations one at a time until no further operations can be performed:\n\n"
        f"{listed}\n\n"
        f'For the string "{string}", what is the final string after performing all operations?\n\n'
        "Provide your answer as a string in the following format:\n\n"
        '<<< "some_final_string" >>>\n'
    )


def generate(seed: int, complexity: int = 5, rules: int = 6, min_length: int = 10, max_length: int = 20) -> Sample:
    """Six (``rules``) rules drawn from the original's twenty and a random a/b/c string of
    ``min_length``..``max_length`` letters, redrawn until the process stops after at least
    ``complexity`` steps (the stored complexity-4 samples take 4 steps, complexity-5 ones 5 or more)."""
    if not 1 <= rules <= len(RULE_POOL):
        raise ValueError(f"rules must be 1..{len(RULE_POOL)}, got {rules}")
    if not 1 <= min_length <= max_length:
        raise ValueError("need 1 <= min_length <= max_length")
    if not 0 <= complexity <= 12:
        raise ValueError(f"complexity must be 0..12, got {complexity}")
    rng = random.Random(seed)
    while True:
        chosen = rng.sample(RULE_POOL, rules)
        string = "".join(rng.choice("abc") for _ in range(rng.randint(min_length, max_length)))
        try:
            states = simulate(string, chosen)
        except NonTerminating:
            continue
        if len(states) - 1 >= complexity:
            meta = {"string": string, "rules": chosen, "complexity": complexity}
            return generated_sample(NAME, seed, render_question(string, chosen), meta, states[-1])


TASK = Task(
    name=NAME,
    title="String Deletion&Modifi.",
    seen=True,
    category="string",
    load=load,
    generate=generate,
    verify=verify,
    check=None,
    reference_check=reference_check,
    data_dirs=(FOLDER,),
    knobs={"complexity": 5, "rules": 6, "min_length": 10, "max_length": 20},
    render_gold=render_gold,
    gold_defect=gold_defect,
    modes_note=(
        "strict replays the question's rules (first applicable rule each step, from rule 1 again) and compares with "
        "the final string; faithful compares with the stored gold. They agree on every stored sample."
    ),
)
