"""Letters: how many times a letter occurs in a word, and at which 1-based positions.

Data: ``Letters/Letters_dataset_min_length_<a>_max_length_<b>/<letter>_<frequency>_<index>/test_words.json``
(the word only; the question is built as the original did). The paper evaluated lengths
10-15, 15-20 and 20-25, letters a, g, m, s, y, frequencies 1-5, index 1. The answer is
unique: compared with the count and positions computed from the word.

There is no question-only check (``check`` is None): the check is the count itself, which
would hand the model the answer.
"""

from __future__ import annotations

import json
import random
import re
import string
from pathlib import Path

from ..extract import extract_answer
from ..types import Sample, Score, ScoringMode, Task

NAME = "letters"
FOLDER = "Letters"
PAPER_LENGTHS = ((10, 15), (15, 20), (20, 25))
PAPER_LETTERS = string.ascii_lowercase[::6]
PAPER_INDEX = 1

_FOLDER_NAME = re.compile(r"^Letters_dataset_min_length_(\d+)_max_length_(\d+)$")
_SAMPLE_NAME = re.compile(r"^([a-z])_(\d+)_(\d+)$")


def question_for(word: str, letter: str) -> str:
    return (
        f"How many '{letter}'s are in the word '{word}' and what are their positions? The position in the word "
        "counts from 1 not 0.\nSurround the answer with <<<content>>>. Please respond in the format: "
        "<<<Count: X, Positions: [Y, Z, ...]>>>, such as <<<Count: 2, Positions: [1, 3]>>>.\nYour answer:\n"
    )


def positions_of(word: str, letter: str) -> list[int]:
    return [i + 1 for i, ch in enumerate(word) if ch == letter]


def render(count: int, positions: list[int]) -> str:
    return f"Count: {count}, Positions: [{', '.join(str(p) for p in positions)}]"


_LABELLED = re.compile(
    r"count\W*(\d+)\W*?positions?\W*?[\[(]([\d,\s]*)[\])]", re.IGNORECASE | re.DOTALL
)
_BARE = re.compile(r"^\s*(\d+)\s*[,;]\s*[\[(]([\d,\s]*)[\])]\s*$")


def parse_count_positions(text: str) -> tuple[int, list[int]]:
    """(count, positions) from 'Count: 2, Positions: [1, 3]' (any case and punctuation) or '2, [1, 3]';
    several different ones are a hedge. Raises ValueError when there is none or a hedge."""
    found = _LABELLED.findall(text) or _BARE.findall(text)
    if not found:
        raise ValueError("expected 'Count: X, Positions: [Y, Z, ...]'")
    if len({(c, tuple(re.findall(r"\d+", p))) for c, p in found}) > 1:
        raise ValueError("the answer states several different counts or position lists; give exactly one")
    count, positions = found[-1]
    if len(count) > 6 or any(len(p) > 6 for p in re.findall(r"\d+", positions)):
        raise ValueError("a count or position with more than 6 digits")
    return int(count), [int(p) for p in re.findall(r"\d+", positions)]


def verify(sample: Sample, answer_text: str, mode: ScoringMode = "strict") -> Score:
    word, letter = sample.metadata["word"], sample.metadata["letter"]
    expected = positions_of(word, letter)
    text = extract_answer(answer_text) or answer_text or ""
    if mode == "faithful":
        match = re.search(r"Count: (\d+), Positions: \[([\d, ]+)\]", text)
        if not match or re.search(r"\d{7}", match.group(0)):
            return Score.incorrect("response format is incorrect")
        count, positions = int(match.group(1)), [int(p) for p in match.group(2).split(",") if p.strip()]
        if count != len(expected) or set(positions) != set(expected):
            return Score.incorrect(f"expected {render(len(expected), expected)}", parsed=match.group(0))
        return Score.correct(parsed=match.group(0))
    try:
        count, positions = parse_count_positions(text)
    except ValueError as exc:
        return Score.incorrect(str(exc))
    parsed = render(count, positions)
    if count != len(expected):
        return Score.incorrect(f"'{letter}' occurs {len(expected)} times, not {count}", parsed=parsed)
    if sorted(positions) != expected:
        return Score.incorrect(f"the positions are {expected}, not {positions}", parsed=parsed)
    return Score.correct(parsed=parsed)


def load(data_dir: Path) -> list[Sample]:
    root = Path(data_dir) / FOLDER
    if not root.is_dir():
        return []
    groups = []
    for child in root.iterdir():
        match = _FOLDER_NAME.match(child.name)
        if match and child.is_dir():
            groups.append(((int(match.group(1)), int(match.group(2))), child))
    samples = []
    for (low, high), group in sorted(groups):
        entries = []
        for child in group.iterdir():
            match = _SAMPLE_NAME.match(child.name)
            if match and (child / "test_words.json").is_file():
                entries.append(((match.group(1), int(match.group(2)), int(match.group(3))), child))
        for (letter, frequency, index), path in sorted(entries):
            word = json.loads((path / "test_words.json").read_text(encoding="utf-8"))
            expected = positions_of(word, letter)
            samples.append(
                Sample(
                    task=NAME,
                    id=f"{FOLDER}/{group.name}/{path.name}",
                    question=question_for(word, letter),
                    metadata={
                        "word": word,
                        "letter": letter,
                        "frequency": frequency,
                        "min_length": low,
                        "max_length": high,
                        "paper_subset": (low, high) in PAPER_LENGTHS and letter in PAPER_LETTERS and index == PAPER_INDEX,
                    },
                    gold=render(len(expected), expected),
                    source=str(path),
                )
            )
    return samples


def generate(
    seed: int, min_length: int = 10, max_length: int = 15, letter: str | None = None, frequency: int = 2
) -> Sample:
    """A random lower-case string of ``min_length``..``max_length`` letters holding ``letter``
    (random when None) exactly ``frequency`` times. The original drew real words from a word
    list; a random string keeps the same counting problem without shipping one."""
    if not 1 <= min_length <= max_length or not 0 <= frequency <= max_length:
        raise ValueError("need 1 <= min_length <= max_length and 0 <= frequency <= max_length")
    rng = random.Random(seed)
    letter = letter or rng.choice(string.ascii_lowercase)
    if len(letter) != 1 or letter not in string.ascii_lowercase:
        raise ValueError("letter must be one lower-case letter a-z")
    length = rng.randint(max(min_length, frequency), max_length)
    others = [ch for ch in string.ascii_lowercase if ch != letter]
    chars = [rng.choice(others) for _ in range(length)]
    for position in rng.sample(range(length), frequency):
        chars[position] = letter
    word = "".join(chars)
    expected = positions_of(word, letter)
    return Sample(
        task=NAME,
        id=f"generated-{seed}",
        question=question_for(word, letter),
        metadata={
            "word": word,
            "letter": letter,
            "frequency": frequency,
            "min_length": min_length,
            "max_length": max_length,
            "paper_subset": False,
        },
        gold=render(len(expected), expected),
        source=f"generated:{seed}",
    )


TASK = Task(
    name=NAME,
    title="Letters",
    seen=False,
    category="string",
    load=load,
    generate=generate,
    verify=verify,
    check=None,
    data_dirs=(FOLDER,),
    knobs={"min_length": 10, "max_length": 15, "letter": None, "frequency": 2},
    modes_note=(
        "strict: 'Count: X, Positions: [...]' read in any case and punctuation; the count and the sorted positions "
        "must match the word (no position listed twice). faithful: the original's exact pattern "
        "'Count: X, Positions: [...]' and a set comparison of the positions (duplicates passed). No question-only "
        "check: it would reveal the count."
    ),
)
