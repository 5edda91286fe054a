"""Mahjong (letter cards): add a card each round, judge Peng / Chi / Pass, remove a card.

The judgement of the final round follows from the question alone (the initial hand, the
rounds, and whether the Chi rule is in force), so ``reference_check`` replays it.
"""

from __future__ import annotations

import random
import re
import string
from collections import Counter
from pathlib import Path
from typing import Any

from ..extract import parse_number
from ..types import Sample, Score, ScoringMode, Task
from ._common import question_build
from ._grids import answer_text, load_folder

NAME = "mahjong"
FOLDER = "mahjong_pattern_dataset"
PASS, PENG, CHI = 0, 1, 2
_LABELS = {PASS: "Pass", PENG: "Peng", CHI: "Chi"}

_RULES_PENG_ONLY = (
    "There are several letter cards, and the game rules are as follows:1. Initially, there are 13 cards.\n"
    "2. Each time, a new card is added, and a result is determined. Then, one card is removed.\n"
    '3. When there are two identical cards in hand, and the newly added card is the same as these two cards, '
    'the result is determined as "Peng," represented by the number 1.\n'
    '4. If the newly added card does not meet the condition in rule 3, the result is determined as "Pass," '
    "represented by the number 0.\n"
    "5. The removed card does not affect the result determination."
)
_RULES_WITH_CHI = (
    "There are several letter cards, and the game rules are as follows:1. Initially, there are 13 cards.\n"
    "2. Each time, a new card is added, and a result is determined. Then, one card is removed.\n"
    '3. When there are two identical cards in hand, and the newly added card is the same as these two cards, '
    'the result is determined as "Peng," represented by the number 1.\n'
    "4. If two cards in hand and the new card can form a consecutive letter sequence, the result is determined "
    'as "Chi," represented by the number 2. For example, ABC, OPQ, etc.\n'
    '5. If the new card does not meet the conditions of 3 and 4, the result is determined as "Pass," '
    "represented by the number 0.\n"
    '6. "Peng" takes precedence over "Chi."\n'
    "7. The card that is removed does not affect the result determination."
)


def judge(hand: Counter, card: str, chi_allowed: bool) -> int:
    """Peng if the hand (before adding) holds two of ``card``; else Chi if allowed and two hand
    cards complete a run of three consecutive letters with it; else Pass. A card that is not
    a letter A-Z (the original generator once drew '[') forms no letter sequence."""
    if hand[card] >= 2:
        return PENG
    if chi_allowed and "A" <= card <= "Z":
        k = ord(card)
        for start in (k - 2, k - 1, k):
            others = [chr(x) for x in range(start, start + 3) if x != k]
            if all("A" <= o <= "Z" and hand[o] >= 1 for o in others):
                return CHI
    return PASS


def play(initial: str, rounds: list[tuple[str, str | None]], chi_allowed: bool) -> int:
    """The judgement of the last round; each round adds a card, is judged, then removes one."""
    hand = Counter(initial)
    result = PASS
    for add, remove in rounds:
        result = judge(hand, add, chi_allowed)
        hand[add] += 1
        if remove is not None:
            if hand[remove] < 1:
                raise ValueError(f"a round removes {remove!r}, which is not in hand")
            hand[remove] -= 1
    return result


def parse_question(question: str) -> dict[str, Any]:
    initial = re.search(r"Given the initial cards:\s*([A-Z]+)", question)
    if not initial:
        raise ValueError("the question does not give 'the initial cards'")
    rounds = [
        (m.group(1), m.group(2))
        for m in re.finditer(r"Round \d+: Add an? (\S) card(?: and remove an? (\S) card)?", question)
    ]
    if not rounds:
        raise ValueError("the question lists no rounds")
    return {"initial": initial.group(1), "rounds": rounds, "chi": '"Chi,"' in question or "for Chi" in question}


def reference(meta: dict[str, Any]) -> int:
    return play(meta["initial"], [tuple(r) for r in meta["rounds"]], meta["chi"])


def parse_answer(response: str) -> int:
    text = answer_text(response)
    if text is None:
        raise ValueError("no answer found; write <<<0>>>, <<<1>>> or <<<2>>>")
    for value, label in _LABELS.items():
        if text.strip().lower() == label.lower():
            return value
    number = parse_number(text)
    if number.denominator != 1 or number not in (PASS, PENG, CHI):
        raise ValueError(f"{text!r} is not 0 (Pass), 1 (Peng) or 2 (Chi)")
    return int(number)


def _score(expected: int, response: str) -> Score:
    try:
        got = parse_answer(response)
    except ValueError as exc:
        return Score.incorrect(f"unreadable answer: {exc}")
    if got != expected:
        return Score.incorrect(f"the final round is {_LABELS[expected]} ({expected}), not {got}", parsed=got)
    return Score.correct(parsed=got)


def reference_check(question: str, response: str) -> Score:
    return _score(reference(parse_question(question)), response)


def verify(sample: Sample, response: str, mode: ScoringMode = "strict") -> Score:
    expected = reference(sample.metadata) if mode == "strict" else int(sample.gold)
    return _score(expected, response)


def _hand_before_last(meta: dict[str, Any]) -> Counter:
    hand = Counter(meta["initial"])
    for add, remove in meta["rounds"][:-1]:
        hand[add] += 1
        if remove is not None:
            hand[remove] -= 1
    return hand


def _chi_witness(hand: Counter, card: str) -> str | None:
    k = ord(card)
    for start in (k - 2, k - 1, k):
        run = [chr(x) for x in range(start, start + 3)]
        if all(c == card or hand[c] >= 1 for c in run):
            return "".join(run)
    return None


def gold_defect(sample: Sample) -> str | None:
    """Why the stored gold contradicts the rules the question states, with the deciding cards."""
    meta = sample.metadata
    expected = reference(meta)
    if sample.gold is None or int(sample.gold) == expected:
        return None
    card = meta["rounds"][-1][0]
    if not "A" <= card <= "Z":
        return (f"the last card added is {card!r}, not a letter; the original counted it as following 'Z' "
                f"and stored {sample.gold} (Chi), but no letter sequence contains it, so the result is "
                f"{_LABELS[expected]} ({expected})")
    if int(sample.gold) == CHI and not meta["chi"]:
        return (f"the stored gold is 2 (Chi), but this question states only the Peng and Pass rules; "
                f"by its rules the final round is {_LABELS[expected]} ({expected})")
    witness = _chi_witness(_hand_before_last(meta), card)
    if expected == CHI and witness:
        return (f"the stored gold is {sample.gold} ({_LABELS[int(sample.gold)]}), but before the last round the "
                f"hand holds the cards that with the new {card} form {witness}, so rule 4 makes it Chi (2)")
    return f"the stored gold {sample.gold} disagrees with replaying the rounds by the stated rules ({expected})"


def load(data_dir: Path) -> list[Sample]:
    return load_folder(data_dir, FOLDER, NAME, question_build(parse_question, "solution"))


def render_question(meta: dict[str, Any]) -> str:
    lines = [_RULES_WITH_CHI if meta["chi"] else _RULES_PENG_ONLY, f"Given the initial cards:{meta['initial']}", ""]
    last = len(meta["rounds"])
    for i, (add, remove) in enumerate(meta["rounds"], 1):
        lines.append(f"Round {i}: Add a {add} card" + (f" and remove a {remove} card." if i < last else ""))
    lines += ["", "Based on the above information, determine the number judged in the final round."]
    if meta["chi"]:
        lines.append("Return your answer with the format <<<x>>>, where x is 0 for Pass, 1 for Peng, or 2 for Chi.")
    else:
        lines.append("Return your answer with the format <<<x>>>, where x is 0 for Pass, 1 for Peng.")
    return "\n".join(lines)


def generate(seed: int, complexity: int = 5, chi: bool | None = None) -> Sample:
    """``complexity`` rounds (1-10); the Chi rule is in force from complexity 3 as in the original
    unless ``chi`` says otherwise. Cards are drawn so that Peng and Chi both occur."""
    if not 1 <= complexity <= 10:
        raise ValueError(f"complexity must be between 1 and 10, got {complexity}")
    rng = random.Random(seed)
    chi_allowed = complexity >= 3 if chi is None else chi
    hand = [rng.choice(string.ascii_uppercase) for _ in range(13)]
    initial = "".join(hand)
    rounds: list[tuple[str, str | None]] = []
    for i in range(complexity):
        # half the time draw a card already held, so Peng and Chi are not rare
        add = rng.choice(hand) if rng.random() < 0.5 else rng.choice(string.ascii_uppercase)
        hand.append(add)
        remove = rng.choice(hand) if i < complexity - 1 else None
        if remove is not None:
            hand.remove(remove)
        rounds.append((add, remove))
    meta = {"initial": initial, "rounds": rounds, "chi": chi_allowed, "complexity": complexity}
    return Sample(task=NAME, id=f"generated:{seed}", question=render_question(meta), metadata=meta,
                  gold=reference(meta), source=f"generated:{seed}")


TASK = Task(
    name=NAME,
    title="Mahjong",
    seen=True,
    category="puzzle",
    load=load,
    generate=generate,
    verify=verify,
    check=None,
    reference_check=reference_check,
    data_dirs=(FOLDER,),
    knobs={"complexity": 5, "chi": None},
    gold_defect=gold_defect,
    modes_note="strict replays the rounds by the rules the question states; faithful compares with the stored "
    "gold. They differ where the stored gold is wrong (see gold_defect): Peng-only questions whose gold is Chi, "
    "golds of Pass where two held cards and the new one form a letter run (Chi), and one round that adds the "
    "non-letter card '['.",
)
