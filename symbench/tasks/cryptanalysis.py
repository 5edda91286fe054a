"""Cryptanalysis: deduce a two-digit, two-letter password from guesses and their feedback.

The feedback rules, read off the stored samples (all 90 agree): digits and letters are
judged separately. A guessed item is correct in position, correct in the wrong position,
or incorrect; an incorrect one is 'too large' / 'too late in the alphabet' when it is
beyond both password items of its kind, 'too small' / 'too early' when it is below both,
else just incorrect (written 'incorrect and incorrect' by the original). Two incorrect
items get a direction only when they share it.

``check`` recomputes the feedback every guess would get if the answer were the password
and accepts the answer when all of it matches, so it needs no gold. Every stored puzzle
has exactly one such password, which is then also the stored gold.
"""

from __future__ import annotations

import random
import re
import string
from pathlib import Path
from typing import Any

from ..extract import parse_literal, strip_wrapping
from ..types import Sample, Score, ScoringMode, Task
from ._strings import generated_sample, load_folder, read_answer

NAME = "cryptanalysis"
FOLDER = "cryptanalysis"
DIGITS = string.digits
LETTERS = string.ascii_uppercase

_KINDS = {
    "digit": ("number", "numbers", "too large", "too small"),
    "letter": ("letter", "letters", "too late in the alphabet", "too early in the alphabet"),
}
_GUESS_LINE = re.compile(r"^\s*\d+\.\s*Guess:\s*(\d)(\d)([A-Z])([A-Z]),\s*Feedback:\s*(.+?)\s*$", re.MULTILINE)
_COUNT_LINE = re.compile(r"based on the following (\d+) known conditions")


PLACE, ELSEWHERE, BEYOND, BELOW, BETWEEN = range(5)
_BOTH_WRONG = (BEYOND, BELOW)  # stands for two incorrect items without a shared direction


def half_key(guess: tuple[str, str], secret: tuple[str, str]) -> tuple[int, int]:
    """What the feedback on two guessed items says, as a pair of states (equal pairs, equal text)."""
    states = []
    for i in (0, 1):
        item = guess[i]
        if item == secret[i]:
            states.append(PLACE)
        elif item == secret[1 - i]:
            states.append(ELSEWHERE)
        elif item > secret[0] and item > secret[1]:
            states.append(BEYOND)
        elif item < secret[0] and item < secret[1]:
            states.append(BELOW)
        else:
            states.append(BETWEEN)
    a, b = sorted(states)
    if a >= BEYOND and not (a == b and a != BETWEEN):
        return _BOTH_WRONG
    return a, b


def half_feedback(guess: tuple[str, str], secret: tuple[str, str], kind: str) -> str:
    """The feedback clause(s) for the two digits (or two letters) of a guess."""
    noun, nouns, beyond, below = _KINDS[kind]
    direction = {BEYOND: beyond, BELOW: below, BETWEEN: "incorrect"}
    a, b = half_key(guess, secret)
    if (a, b) == (PLACE, PLACE):
        return f"both {nouns} are correct and in the correct positions"
    if (a, b) == (ELSEWHERE, ELSEWHERE):
        return f"both {nouns} are correct but in the wrong positions"
    if b <= ELSEWHERE:  # one in place and one elsewhere needs a repeated item
        return f"both {nouns} are correct"
    if a <= ELSEWHERE:
        where = "and in the correct position" if a == PLACE else "but in the wrong position"
        return f"one {noun} is correct {where}; one {noun} is incorrect and {direction[b]}"
    if (a, b) == _BOTH_WRONG:
        return f"both {nouns} are incorrect"
    return f"both {nouns} are incorrect and {direction[a]}"


def feedback(guess: str, password: str) -> str:
    """The full feedback for a 4-character guess ('38TA') against a password ('53FA'), as the questions write it."""
    return (
        half_feedback((guess[0], guess[1]), (password[0], password[1]), "digit")
        + "; "
        + half_feedback((guess[2], guess[3]), (password[2], password[3]), "letter")
        + "."
    )


def parse_question(question: str) -> dict[str, Any]:
    """The guesses and their feedback of an original-style question."""
    conditions = [["".join(m[:4]), m[4]] for m in _GUESS_LINE.findall(question)]
    if not conditions:
        raise ValueError("the question must list conditions as '1. Guess: 38TA, Feedback: ...'")
    stated = _COUNT_LINE.search(question)
    if stated and int(stated.group(1)) != len(conditions):
        raise ValueError(f"the question announces {stated.group(1)} conditions but lists {len(conditions)}")
    return {"conditions": conditions}


def _norm_feedback(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().rstrip(".").lower())


def inconsistency(conditions: list[list[str]], password: str) -> str | None:
    """The first condition a password contradicts, or None when it fits them all."""
    for i, (guess, said) in enumerate(conditions, 1):
        would = feedback(guess, password)
        if _norm_feedback(would) != _norm_feedback(said):
            return f"condition {i} (guess {guess}) would read '{would}', not '{said}'"
    return None


def consistent_passwords(conditions: list[list[str]]) -> list[str]:
    """Every password (distinct digits, distinct letters) that fits all conditions.

    The digit and letter halves of the feedback are independent, so the halves are
    solved apart (90 and 650 candidates) and combined.
    """
    digit_pairs = [a + b for a in DIGITS for b in DIGITS if a != b]
    letter_pairs = [a + b for a in LETTERS for b in LETTERS if a != b]

    def halves(said: str) -> tuple[str, str]:
        parts = [p.strip() for p in _norm_feedback(said).split(";")]
        numbers = "; ".join(p for p in parts if "number" in p)
        letters = "; ".join(p for p in parts if "letter" in p)
        return numbers, letters

    split = [(guess, *halves(said)) for guess, said in conditions]
    digits_ok = [d for d in digit_pairs if all(
        half_feedback((g[0], g[1]), (d[0], d[1]), "digit") == n for g, n, _ in split)]
    letters_ok = [l for l in letter_pairs if all(
        half_feedback((g[2], g[3]), (l[0], l[1]), "letter") == t for g, _, t in split)]
    return [d + l for d in digits_ok for l in letters_ok]


def parse_password(text: str) -> str:
    """'53FA' from '["5", "3", "F", "A"]', "['5','3','F','A']", '5, 3, F, A' or '53FA'.

    Raises ValueError unless the answer is two digits followed by two letters.
    """
    s = strip_wrapping(text)
    try:
        value = parse_literal(s)
    except ValueError:
        value = None
    if isinstance(value, (list, tuple)):
        joined = "".join(str(v).strip() for v in value)
    else:
        joined = re.sub(r"[\s,;'\"\[\]()]+", "", s)
    joined = joined.upper()
    if not re.fullmatch(r"\d\d[A-Z][A-Z]", joined):
        raise ValueError(f"expected two digits then two letters, got {text[:40]!r}")
    return joined


def _read(response: str) -> str | Score:
    return read_answer(response, parse_password)


def _check_conditions(conditions: list[list[str]], response: str) -> Score:
    password = _read(response)
    if isinstance(password, Score):
        return password
    if password[0] == password[1] or password[2] == password[3]:
        return Score.incorrect("the password repeats a number or a letter, which the lock does not allow", parsed=list(password))
    broken = inconsistency(conditions, password)
    if broken:
        return Score.incorrect(broken, parsed=list(password))
    return Score.correct(parsed=list(password))


def check(question: str, response: str) -> Score:
    """Correct when the answered password would get exactly the feedback the question lists for every guess."""
    return _check_conditions(parse_question(question)["conditions"], response)


def verify(sample: Sample, response: str, mode: ScoringMode = "strict") -> Score:
    """strict: the password fits every condition (the stored puzzles have one solution, so this is
    the gold); faithful: equal to the stored password."""
    if mode == "faithful":
        password = _read(response)
        if isinstance(password, Score):
            return password
        if password == "".join(sample.gold):
            return Score.correct(parsed=list(password))
        return Score.incorrect(f"{password} is not the stored password {''.join(sample.gold)}", parsed=list(password))
    return _check_conditions(sample.metadata["conditions"], response)


def render_gold(sample: Sample) -> str:
    return "<<< [" + ", ".join(f'"{c}"' for c in sample.gold) + "] >>>"


def gold_defect(sample: Sample) -> str | None:
    broken = inconsistency(sample.metadata["conditions"], "".join(sample.gold))
    return None if broken is None else f"the stored password contradicts {broken}"


def _build(question: str, solution: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    answer = solution.get("answer")
    return parse_question(question), None if answer is None else [str(c) for c in answer]


def load(data_dir: Path) -> list[Sample]:
    return load_folder(data_dir, FOLDER, NAME, _build)


def render_question(conditions: list[list[str]]) -> str:
    lines = "\n".join(f"{i}. Guess: {g}, Feedback: {f}" for i, (g, f) in enumerate(conditions, 1))
    return (
        f"Please deduce the correct password based on the following {len(conditions)} known conditions:\n"
        "A certain combination lock consists of two numbers and two letters, with neither the numbers nor the letters "
        "repeating.\n"
        f"{lines}\n"
        'Please provide your answer in the format <<< ["X", "Y", "Z", "W"] >>> where X and Y are the numbers and Z and '
        "W are the letters of the password.\n"
    )


def _random_code(rng: random.Random) -> str:
    return "".join(rng.sample(DIGITS, 2)) + "".join(rng.sample(LETTERS, 2))


def generate(seed: int, min_conditions: int = 3, max_conditions: int = 17) -> Sample:
    """A random password and random guesses, added until exactly one password fits them all.

    Starts over with new guesses when ``max_conditions`` guesses still leave several
    passwords; the stored puzzles have 2..17 conditions.
    """
    if not 1 <= min_conditions <= max_conditions:
        raise ValueError("need 1 <= min_conditions <= max_conditions")
    rng = random.Random(seed)
    password = _random_code(rng)
    while True:
        conditions: list[list[str]] = []
        # The halves are independent, so the digit and letter candidates narrow apart.
        digits = [a + b for a in DIGITS for b in DIGITS if a != b]
        letters = [a + b for a in LETTERS for b in LETTERS if a != b]
        while len(conditions) < max_conditions:
            guess = _random_code(rng)
            if guess == password or any(guess == g for g, _ in conditions):
                continue
            conditions.append([guess, feedback(guess, password)])
            said_digits = half_key(guess[:2], password[:2])
            said_letters = half_key(guess[2:], password[2:])
            digits = [d for d in digits if half_key(guess[:2], d) == said_digits]
            letters = [t for t in letters if half_key(guess[2:], t) == said_letters]
            if len(conditions) >= min_conditions and len(digits) == 1 and len(letters) == 1:
                meta = {"conditions": conditions}
                return generated_sample(NAME, seed, render_question(conditions), meta, list(password))


TASK = Task(
    name=NAME,
    title="Cryptanalysis",
    seen=False,
    category="logic",
    load=load,
    generate=generate,
    verify=verify,
    check=check,
    data_dirs=(FOLDER,),
    knobs={"min_conditions": 3, "max_conditions": 17},
    render_gold=render_gold,
    gold_defect=gold_defect,
    modes_note=(
        "strict accepts a password whose feedback on every guess is exactly what the question lists (each stored "
        "puzzle has one such password); faithful compares with the stored password."
    ),
)
