"""Cons. Linear Arrange.: deduce the opponent's cards from your cards and each round's result.

Three games (five elements, jungle animals, stick-tiger-chicken-worm). Several opponent
sequences often fit the results, so strict mode accepts any sequence that uses each card at
most once and reproduces every round's result by the game's rules; faithful mode compares
with the stored sequence, as the original did.
"""

from __future__ import annotations

import itertools
import random
import re
from pathlib import Path
from typing import Any

from ..extract import parse_literal
from ..types import Sample, Score, ScoringMode, Task
from ._common import question_build
from ._grids import answer_text, load_folder

NAME = "constrained_linear_arrangement"
FOLDER = "constrained_linear_arrangement"
WIN, LOSS, DRAW = "win", "loss", "draw"

_FOOTER = "Use a list of letters to show your answer. For example, <<<A,B,C>>>."
_DEDUCE = ("Assuming you are one of the players, deduce what cards your opponent played each round based on the "
           "cards you played and the results of each round.")
_INTROS = {
    "elements": (
        "Both parties, A and B, each have a set of five-element flags, with each person holding five cards "
        "representing Metal, Wood, Water, Fire, and Earth. Each card can only be used once. Both players play their "
        "cards simultaneously without seeing the opponent's card, and the referee announces the result of each round.\n"
        "Rules:\n1. When card 1 generates card 2, the holder of card 1 loses;\n"
        "2. When card 1 overcomes card 2, the holder of card 1 wins;\n"
        "3. When both cards are the same or no card generates or overcomes each other, it is a draw.\n"
        "Known:\n1. Generation: Wood A generates Fire B, Fire B generates Earth C, Earth C generates Metal D, "
        "Metal D generates Water E, Water E generates Wood A.\n"
        "2. Overcoming: Wood A overcomes Earth C, Earth C overcomes Water E, Water E overcomes Fire B, Fire B "
        "overcomes Metal D, Metal D overcomes Wood A."
    ),
    "animal": (
        "Both parties, A and B, play a game similar to Jungle Chess. Each player has 8 animal pieces, ranked from "
        "largest to smallest: Elephant (A), Lion (B), Tiger (C), Leopard (D), Wolf (E), Dog (F), Cat (G), and Mouse "
        "(H). Both players reveal their pieces simultaneously, but cannot see the opponent's piece. The referee "
        "announces the result of the match.\n\n"
        "Rules:\n1. The goal for both players is to reach the opponent's den in 5 steps. The first to accumulate 5 "
        "steps wins.\n2. When a smaller piece encounters a larger piece, the smaller piece is captured, and the "
        "player with the larger piece wins.\n3. Mutual capture: When pieces of the same type encounter each other, "
        "they mutually capture and the result is a draw.\n4. Mouse captures Elephant: Apart from the size "
        "hierarchy, the Mouse can capture the Elephant, but the Elephant cannot capture the Mouse.\n"
        "5. Each piece can only be used once."
    ),
    "stick_game": (
        'Both parties, A and B, are playing a game called "Stick, Tiger, Chicken." Each person has four cards: '
        "Stick (A), Tiger (B), Chicken (C), and Worm (D). Each card can only be used once. Both players play their "
        "cards simultaneously without seeing the other's card, and a referee announces the result of each round.\n"
        "Rules:\n1. Stick beats Tiger, Tiger eats Chicken, Chicken eats Worm, Worm beats Stick, and so on in a "
        "cycle.\n2. If both players play the same card or cards that are one step apart in the cycle, it is "
        "considered a draw."
    ),
}
DECKS = {"elements": "ABCDE", "animal": "ABCDEFGH", "stick_game": "ABCD"}


# The five-element rules name "card 1" without saying whose card it is. Read symmetrically
# (either card may be card 1) every pair of different cards has a winner. The original data
# were generated reading card 1 as your own card only: when the opponent's card generates or
# overcomes yours it is a draw. Both readings are accepted, each for the whole answer.
READINGS = {"elements": ("symmetric", "own_card")}


def outcome(game: str, mine: str, theirs: str, reading: str = "symmetric") -> str:
    """The result of one round for the holder of ``mine`` (``reading`` matters for the elements game)."""
    if mine == theirs:
        return DRAW
    if game == "elements":
        # A->B->C->D->E->A generates; a card overcomes the card two steps ahead
        step = ("ABCDE".index(theirs) - "ABCDE".index(mine)) % 5
        if reading == "own_card":
            return {1: LOSS, 2: WIN, 3: DRAW, 4: DRAW}[step]
        return {1: LOSS, 2: WIN, 3: LOSS, 4: WIN}[step]
    if game == "animal":
        if mine == "H" and theirs == "A":
            return WIN
        if mine == "A" and theirs == "H":
            return LOSS
        return WIN if mine < theirs else LOSS  # A is the largest
    if game == "stick_game":
        # A beats B, B beats C, C beats D, D beats A; two apart (A-C, B-D) is a draw
        step = ("ABCD".index(theirs) - "ABCD".index(mine)) % 4
        return {1: WIN, 2: DRAW, 3: LOSS}[step]
    raise ValueError(f"unknown game {game!r}")


def problems_with(meta: dict[str, Any], guess: list[str]) -> list[str]:
    """Why ``guess`` cannot be the opponent's cards (empty when it fits every round under one
    reading of the rules; otherwise the problems under the first reading)."""
    found: list[str] = []
    for reading in READINGS.get(meta["game"], ("symmetric",)):
        problems = _problems_under(meta, guess, reading)
        if not problems:
            return []
        found = found or problems
    return found


def _problems_under(meta: dict[str, Any], guess: list[str], reading: str) -> list[str]:
    game, mine, results = meta["game"], meta["moves"], meta["results"]
    deck = DECKS[game]
    if len(guess) != len(mine):
        return [f"gives {len(guess)} cards for {len(mine)} rounds"]
    problems = [f"{card!r} is not a card of this game ({', '.join(deck)})" for card in guess if card not in deck]
    if problems:
        return problems
    repeated = sorted({c for c in guess if guess.count(c) > 1})
    if repeated:
        problems.append(f"plays {', '.join(repeated)} more than once")
    for i, (m, t, r) in enumerate(zip(mine, guess, results), 1):
        got = outcome(game, m, t, reading)
        if got != r:
            problems.append(f"round {i}: {m} against {t} is a {got}, not a {r}")
    return problems


def solutions(meta: dict[str, Any]) -> list[list[str]]:
    """Every opponent sequence consistent with the rounds (the decks are small)."""
    deck = DECKS[meta["game"]]
    return [list(p) for p in itertools.permutations(deck, len(meta["moves"])) if not problems_with(meta, list(p))]


def parse_question(question: str) -> dict[str, Any]:
    if "five-element" in question:
        game = "elements"
    elif "Jungle Chess" in question:
        game = "animal"
    elif "Stick, Tiger, Chicken" in question:
        game = "stick_game"
    else:
        raise ValueError("the question describes none of the three games")
    rounds = re.findall(r"Round \d+: ([A-Z]), (win|loss|draw)\.", question)
    if not rounds:
        raise ValueError("the question lists no rounds")
    return {"game": game, "moves": [m for m, _ in rounds], "results": [r for _, r in rounds]}


def parse_answer(text: str) -> list[str]:
    try:
        value = parse_literal(text)
    except ValueError:
        value = None
    if isinstance(value, (list, tuple)):
        return [str(v).strip().upper() for v in value]
    return [t.upper() for t in re.split(r"[\s,;\[\]()'\"]+", text) if t]


def _score(meta: dict[str, Any], response: str, gold: list[str] | None) -> Score:
    text = answer_text(response)
    if text is None:
        return Score.incorrect("no answer found; write the opponent's cards as <<<A,B,C>>>")
    guess = parse_answer(text)
    if gold is not None:
        if guess != list(gold):
            return Score.incorrect(f"the stored answer is {','.join(gold)} (faithful mode compares exactly)", parsed=guess)
        return Score.correct(parsed=guess)
    problems = problems_with(meta, guess)
    if problems:
        return Score.incorrect("; ".join(problems), parsed=guess)
    return Score.correct(parsed=guess, reason="reproduces every round's result, each card used once")


def check(question: str, response: str) -> Score:
    return _score(parse_question(question), response, None)


def verify(sample: Sample, response: str, mode: ScoringMode = "strict") -> Score:
    return _score(sample.metadata, response, sample.gold if mode == "faithful" else None)


def load(data_dir: Path) -> list[Sample]:
    return load_folder(data_dir, FOLDER, NAME, question_build(parse_question, "solution"))


def render_question(meta: dict[str, Any]) -> str:
    rounds = "\n".join(f"Round {i}: {m}, {r}." for i, (m, r) in enumerate(zip(meta["moves"], meta["results"]), 1))
    return f"{_INTROS[meta['game']]}\n\n{_DEDUCE}\n\nRounds:\n{rounds}\n\n{_FOOTER}"


def generate(seed: int, complexity: int = 5, game: str | None = None, rounds: int | None = None) -> Sample:
    """A random game (or ``game``); ``rounds`` defaults to 3 below complexity 5, else 4-5 as in the
    original (4 for the stick game, whose deck has four cards)."""
    if not 1 <= complexity <= 5:
        raise ValueError(f"complexity must be between 1 and 5, got {complexity}")
    rng = random.Random(seed)
    game = game or rng.choice(sorted(DECKS))
    if game not in DECKS:
        raise ValueError(f"game must be one of {sorted(DECKS)}")
    deck = DECKS[game]
    if rounds is None:
        rounds = 4 if game == "stick_game" else (3 if complexity < 5 else rng.choice((4, 5)))
    if not 1 <= rounds <= len(deck):
        raise ValueError(f"rounds must be between 1 and {len(deck)} for {game}")
    mine = rng.sample(deck, rounds)
    theirs = rng.sample(deck, rounds)
    meta = {"game": game, "moves": mine, "results": [outcome(game, m, t) for m, t in zip(mine, theirs)],
            "complexity": complexity}
    return Sample(task=NAME, id=f"generated:{seed}", question=render_question(meta), metadata=meta,
                  gold=theirs, source=f"generated:{seed}")


def render_gold(sample: Sample) -> str:
    return "<<<" + ",".join(sample.gold) + ">>>"


TASK = Task(
    name=NAME,
    title="Cons. Linear Arrange.",
    seen=True,
    category="logic",
    load=load,
    generate=generate,
    verify=verify,
    check=check,
    data_dirs=(FOLDER,),
    knobs={"complexity": 5, "game": None, "rounds": None},
    render_gold=render_gold,
    modes_note="strict accepts any opponent sequence that uses each card once and reproduces every round's "
    "result (many rounds admit several); for the five-element game it accepts the symmetric reading of the rules "
    "and the reading the original data were generated with (only your card generating/overcoming decides, "
    "otherwise a draw), each applied to the whole answer. faithful requires the stored sequence exactly.",
)
