"""The four BIG-Bench-Hard tasks of SymBench: date understanding, web of lies, logical
deduction (seven objects) and navigation.

The original asked GPT-4o to compare a model's answer with the target; here an option
letter or a yes/no is read from the answer and compared. Web of lies, navigation and
logical deduction can also be decided from the question alone (``check``): the chain of
truth-tellers is evaluated, the steps are walked, the orderings are enumerated.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .._judging import parse_option, parse_yes_no, question_options
from ..extract import answer_or_last_line
from ..types import Sample, Score, ScoringMode, Task

FOLDER = "BIG-Bench-Hard/bbh"
PAPER_STRIDE = 4
"""The original scored every fourth example of each file (indices 0, 4, 8, ...): 63 of 250."""

_JUDGE_NOTE = (
    "The original asked GPT-4o to extract the answer and compare it with the target; strict and faithful "
    "both read the answer with code ({how}). A model judge may also accept an answer it can map to the target "
    "by meaning (an option's text in other words, a date in another format), or reject a right letter "
    "surrounded by hedging; this check does neither."
)


# --------------------------------------------------------------------------- loading


def load_bbh_file(data_dir: Path, file_stem: str, task: str, stride: int = PAPER_STRIDE) -> list[Sample]:
    """The examples of ``BIG-Bench-Hard/bbh/<file_stem>.json``, every ``stride``-th (the
    paper's selection by default; ``stride=1`` gives all). Ids are ``<file_stem>/<index>``."""
    path = Path(data_dir) / FOLDER / f"{file_stem}.json"
    if not path.is_file():
        return []
    examples = json.loads(path.read_text(encoding="utf-8"))["examples"]
    samples = []
    for index in range(0, len(examples), stride):
        example = examples[index]
        question = example["input"]
        samples.append(
            Sample(
                task=task,
                id=f"{file_stem}/{index}",
                question=question,
                metadata={"options": question_options(question), "index": index},
                gold=example["target"],
                source=f"{path}#{index}",
            )
        )
    return samples


# --------------------------------------------------------------------------- scoring


def _score_option(expected: str, response: str, options: dict[str, str]) -> Score:
    answer = answer_or_last_line(response)
    letter = parse_option(answer, options)
    want = expected.strip("() ")
    if letter is None:
        return Score.incorrect(f"no option letter found in {answer!r}; answer like <<<(B)>>>", parsed=answer)
    if letter != want:
        return Score.incorrect(f"chose ({letter}), the answer is ({want})", parsed=f"({letter})")
    return Score.correct(parsed=f"({letter})")


def _score_yes_no(expected: bool, response: str) -> Score:
    answer = answer_or_last_line(response)
    said = parse_yes_no(answer)
    want = "Yes" if expected else "No"
    if said is None:
        return Score.incorrect(f"no yes/no answer found in {answer!r}; answer <<<Yes>>> or <<<No>>>", parsed=answer)
    got = "Yes" if said else "No"
    if said != expected:
        return Score.incorrect(f"answered {got}, the answer is {want}", parsed=got)
    return Score.correct(parsed=got)


def _verify_option(sample: Sample, response: str, mode: ScoringMode = "strict") -> Score:
    options = sample.metadata.get("options") or question_options(sample.question)
    return _score_option(str(sample.gold), response, options)


def _verify_yes_no(sample: Sample, response: str, mode: ScoringMode = "strict") -> Score:
    gold = parse_yes_no(str(sample.gold))
    if gold is None:
        raise ValueError(f"sample {sample.id} has no yes/no gold: {sample.gold!r}")
    return _score_yes_no(gold, response)


# --------------------------------------------------------------------------- web of lies

_NAMES = ["Sherrie", "Vernell", "Alexis", "Michaela", "Elanor", "Kristian", "Delbert", "Jerry", "Shalonda", "Fidel", "Rashida", "Jim", "Tamika", "Millicent", "Ka", "Christie", "Lorine", "Gwenn", "Jaymie", "Bernita", "Antwan", "Leda", "Inga", "Osvaldo", "Phoebe", "Helene", "Willian", "Raymond", "Alejandro", "Jamey", "Yoland", "Conception", "Crista", "Maybelle", "Gregory", "Vina", "Ryan", "Audrie", "Fletcher", "Teressa", "Amberly", "Lorine", "Jaymie"]


def parse_web_of_lies(question: str) -> tuple[str, bool, list[tuple[str, str, bool]], str]:
    """(first person, whether they tell the truth, [(speaker, about, claims truthful)], asked person)."""
    body = re.sub(r"^\s*Question:\s*", "", question.strip())
    first = re.match(r"([A-Z][a-z]+) (tells the truth|lies)\.", body)
    asked = re.search(r"Does ([A-Z][a-z]+) tell the truth\?", body)
    if not first or not asked:
        raise ValueError("not a web-of-lies question: expected 'X tells the truth.' ... 'Does Y tell the truth?'")
    claims = [(s, a, v == "tells the truth") for s, a, v in re.findall(r"([A-Z][a-z]+) says ([A-Z][a-z]+) (tells the truth|lies)\.", body)]
    return first.group(1), first.group(2) == "tells the truth", claims, asked.group(1)


def solve_web_of_lies(question: str) -> bool:
    """Whether the asked person tells the truth, following the chain of claims."""
    first, truthful, claims, asked = parse_web_of_lies(question)
    known = {first: truthful}
    pending = list(claims)
    while pending:
        progressed = False
        for claim in list(pending):
            speaker, about, says_truthful = claim
            if about in known:
                known[speaker] = known[about] == says_truthful
                pending.remove(claim)
                progressed = True
        if not progressed:
            raise ValueError("the claims do not form a chain from the first statement")
    if asked not in known:
        raise ValueError(f"nothing in the question decides whether {asked} tells the truth")
    return known[asked]


def _check_web_of_lies(question: str, response: str) -> Score:
    return _score_yes_no(solve_web_of_lies(question), response)


def generate_web_of_lies(seed: int, people: int = 5) -> Sample:
    """A chain of ``people`` speakers (the original has 5): the first's honesty is given,
    each next one speaks about the previous; the answer follows the chain."""
    if people < 2:
        raise ValueError(f"people must be at least 2, got {people}")
    rng = random.Random(seed)
    names = rng.sample(sorted(set(_NAMES)), people)
    truthful = rng.random() < 0.5
    sentences = [f"{names[0]} {'tells the truth' if truthful else 'lies'}."]
    for prev, cur in itertools.pairwise(names):
        sentences.append(f"{cur} says {prev} {'tells the truth' if rng.random() < 0.5 else 'lies'}.")
    question = "Question: " + " ".join(sentences) + f" Does {names[-1]} tell the truth?"
    answer = "Yes" if solve_web_of_lies(question) else "No"
    return Sample(task="web_of_lies", id=f"generated-{seed}", question=question, metadata={"people": names, "options": {}}, gold=answer, source=f"generated:{seed}")


# --------------------------------------------------------------------------- navigation

_HEADINGS = [(0, 1), (1, 0), (0, -1), (-1, 0)]  # forward, right, backward, left from the start


def walk(question: str) -> tuple[int, int]:
    """Where the instructions end, the start being (0, 0) facing +y."""
    body = question.split("?", 1)[-1]
    body = body.split("Options:")[0]
    x = y = 0
    heading = 0
    steps = re.findall(r"(Always face forward|Turn left|Turn right|Turn around|Take (\d+) steps? ?(forward|backward|left|right)?)\.", body)
    if not steps:
        raise ValueError("not a navigation question: expected sentences like 'Take 3 steps left.' or 'Turn around.'")
    for sentence, count, direction in steps:
        if sentence == "Turn left":
            heading = (heading - 1) % 4
        elif sentence == "Turn right":
            heading = (heading + 1) % 4
        elif sentence == "Turn around":
            heading = (heading + 2) % 4
        elif count:
            turn = {"": 0, "forward": 0, "right": 1, "backward": 2, "left": 3}[direction or ""]
            dx, dy = _HEADINGS[(heading + turn) % 4]
            x += dx * int(count)
            y += dy * int(count)
    return x, y


def _check_navigation(question: str, response: str) -> Score:
    return _score_yes_no(walk(question) == (0, 0), response)


def generate_navigation(seed: int, instructions: int = 6) -> Sample:
    """``instructions`` moves (the original has 3 to 9), in the 'Always face forward' form
    or with turns; about half are built to come back to the start."""
    if instructions < 1:
        raise ValueError(f"instructions must be at least 1, got {instructions}")
    rng = random.Random(seed)
    face_forward = rng.random() < 0.5
    sentences: list[str] = ["Always face forward."] if face_forward else []
    for _ in range(instructions):
        n = rng.randint(1, 10)
        unit = "step" if n == 1 else "steps"
        if face_forward:
            sentences.append(f"Take {n} {unit} {rng.choice(['forward', 'backward', 'left', 'right'])}.")
        elif rng.random() < 0.35:
            sentences.append(rng.choice(["Turn left.", "Turn right.", "Turn around."]))
        else:
            sentences.append(f"Take {n} {unit}.")
    if rng.random() < 0.5:
        sentences += _return_home(sentences, face_forward, rng)
    question = "If you follow these instructions, do you return to the starting point? " + " ".join(sentences) + "\nOptions:\n- Yes\n- No"
    answer = "Yes" if walk(question) == (0, 0) else "No"
    return Sample(task="navigation", id=f"generated-{seed}", question=question, metadata={"sentences": sentences, "options": {}}, gold=answer, source=f"generated:{seed}")


def _return_home(sentences: list[str], face_forward: bool, rng: random.Random) -> list[str]:
    """Moves that bring the walker back to the start from where ``sentences`` leave it."""
    x, y = walk("? " + " ".join(sentences))
    extra: list[str] = []
    if face_forward:
        for amount, positive, negative in ((x, "left", "right"), (y, "backward", "forward")):
            if amount:
                word = positive if amount > 0 else negative
                extra.append(f"Take {abs(amount)} {'step' if abs(amount) == 1 else 'steps'} {word}.")
        rng.shuffle(extra)
        return extra
    heading = 0
    for s in sentences:
        heading = (heading + {"Turn left.": -1, "Turn right.": 1, "Turn around.": 2}.get(s, 0)) % 4
    for amount, axis in ((x, 0), (y, 1)):
        if not amount:
            continue
        target = (-1 if amount > 0 else 1, 0) if axis == 0 else (0, -1 if amount > 0 else 1)
        while _HEADINGS[heading] != target:
            extra.append("Turn right.")
            heading = (heading + 1) % 4
        extra.append(f"Take {abs(amount)} {'step' if abs(amount) == 1 else 'steps'}.")
    return extra


# --------------------------------------------------------------------------- logical deduction

_ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh"]
_COUNT_WORDS = {3: "three", 4: "four", 5: "five", 6: "six", 7: "seven"}
_ORD_INDEX = {w: i + 1 for i, w in enumerate(_ORDINALS)}


def _ld_objects(question: str) -> list[str]:
    intro = re.search(r"(?:three|four|five|six|seven) \w+: (.+?)\.(?: |$)", question)
    if not intro:
        raise ValueError("not a logical-deduction question: expected 'there are seven <things>: a, b, ... and g.'")
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+", intro.group(1))
    return [re.sub(r"^(?:a|an|the)\s+", "", p.strip().lower()) for p in parts if p.strip()]


def _ld_lookup(text: str, objects: list[str]) -> str:
    key = re.sub(r"^(?:a|an|the)\s+", "", text.strip().lower()).strip(".")
    if key in objects:
        return key
    raise ValueError(f"unknown object {text!r}")


Clue = tuple[str, str, Any]
"""("at", object, position) or ("lt" / "gt", object, other object); positions count from
1 = first / leftmost / oldest / cheapest."""


def _ld_statement(sentence: str, objects: list[str]) -> Clue:
    """The clue one sentence states."""
    s = sentence.strip().rstrip(".").lower()
    s = re.sub(r"^the\s+", "", s)
    subject = max((o for o in objects if s.startswith(o + " ")), key=len, default=None)
    if subject is None:
        raise ValueError(f"no known object starts {sentence!r}")
    pred = s[len(subject) :].strip()
    pred = re.sub(r"^(?:is|are|finished)\s+", "", pred)
    pred = re.sub(r"^the\s+", "", pred)
    fixed = _ld_fixed(pred, len(objects))
    if fixed is not None:
        return ("at", subject, fixed)
    for pattern, kind in (
        (r"^(?:above|to the left of|older than|less expensive than|cheaper than)\s+(.+)$", "lt"),
        (r"^(?:below|to the right of|newer than|more expensive than|pricier than)\s+(.+)$", "gt"),
    ):
        m = re.match(pattern, pred)
        if m:
            return (kind, subject, _ld_lookup(m.group(1), objects))
    raise ValueError(f"cannot read {sentence!r}")


@functools.lru_cache(maxsize=8)
def _permutations(n: int) -> tuple[tuple[int, ...], ...]:
    return tuple(itertools.permutations(range(1, n + 1)))


def _ld_compile(clues: list[Clue], objects: list[str]) -> list[tuple[str, int, int]]:
    index = {o: i for i, o in enumerate(objects)}
    return [(kind, index[a], b if kind == "at" else index[b]) for kind, a, b in clues]


def _ld_satisfies(compiled: list[tuple[str, int, int]], perm: tuple[int, ...]) -> bool:
    for kind, a, b in compiled:
        if kind == "at":
            if perm[a] != b:
                return False
        elif kind == "lt":
            if perm[a] >= perm[b]:
                return False
        elif perm[a] <= perm[b]:
            return False
    return True


def _ld_orderings(clues: list[Clue], objects: list[str], limit: int | None = None) -> list[tuple[int, ...]]:
    """The orderings (position of each object, in ``objects`` order) that satisfy every
    clue; the search stops after ``limit`` of them."""
    compiled = _ld_compile(clues, objects)
    found = []
    for perm in _permutations(len(objects)):
        if _ld_satisfies(compiled, perm):
            found.append(perm)
            if limit is not None and len(found) >= limit:
                break
    return found


def _ld_fixed(pred: str, n: int) -> int | None:
    ordinal = "|".join(_ORDINALS)
    table = [
        (rf"^({ordinal})$", lambda k: k),
        (r"^last$", lambda k: n),
        (rf"^({ordinal})-to-last$", lambda k: n + 1 - k),
        (r"^leftmost$|^oldest$|^cheapest$", lambda k: 1),
        (r"^rightmost$|^newest$|^most expensive$", lambda k: n),
        (rf"^({ordinal}) from the left$|^({ordinal})-oldest$|^({ordinal})-cheapest$", lambda k: k),
        (rf"^({ordinal}) from the right$|^({ordinal})-newest$|^({ordinal})-most expensive$", lambda k: n + 1 - k),
    ]
    for pattern, position in table:
        m = re.match(pattern, pred)
        if m:
            word = next((g for g in m.groups() if g), None)
            return position(_ORD_INDEX[word] if word else 0)
    return None


def solve_logical_deduction(question: str) -> tuple[set[str], int]:
    """The option letters true in every ordering that satisfies the paragraph, and how
    many orderings do (the puzzle is well-posed when that is 1)."""
    objects = _ld_objects(question)
    paragraph = question.split("\nOptions:")[0]
    after_intro = re.split(r"(?:three|four|five|six|seven) \w+: .+?\.(?: |$)", paragraph, maxsplit=1)[-1]
    sentences = [s for s in re.split(r"(?<=\.)\s+", after_intro.strip()) if s.strip()]
    rules = [_ld_statement(s, objects) for s in sentences]
    options = {letter: _ld_statement(text, objects) for letter, text in question_options(question).items()}
    if not options:
        raise ValueError("the question lists no options")
    orderings = _ld_orderings(rules, objects)
    if not orderings:
        raise ValueError("no ordering satisfies the statements")
    truths = {
        letter
        for letter, clue in options.items()
        if all(_ld_satisfies(_ld_compile([clue], objects), perm) for perm in orderings)
    }
    return truths, len(orderings)


def _check_logical_deduction(question: str, response: str) -> Score:
    truths, count = solve_logical_deduction(question)
    if len(truths) != 1:
        raise ValueError(f"the statements do not single out one option ({count} orderings fit)")
    return _score_option(f"({truths.pop()})", response, question_options(question))


_LD_DOMAINS: dict[str, dict[str, Any]] = {
    "golf": {
        "intro": "In a golf tournament, there were seven golfers: {items}.",
        "objects": ["Ana", "Eve", "Ada", "Dan", "Rob", "Amy", "Joe", "Eli", "Mya", "Mel", "Ron", "Mel", "Joe", "Ada", "Eve"],
        "article": "",
        "verb": "finished",
        "fixed": lambda k, n: ("last" if k == n else f"{_ORDINALS[n - k]}-to-last" if k >= n - 2 and k != n else _ORDINALS[k - 1]),
        "less": "above",
        "more": "below",
    },
    "cars": {
        "intro": "In an antique car show, there are seven vehicles: {items}.",
        "objects": ["bus", "motorcyle", "hatchback", "station wagon", "minivan", "truck", "limousine", "sedan", "convertible", "tractor"],
        "article": "the ",
        "verb": "is",
        "fixed": lambda k, n: "the oldest" if k == 1 else "the newest" if k == n else (f"the {_ORDINALS[k - 1]}-oldest" if k <= n // 2 else f"the {_ORDINALS[n - k]}-newest"),
        "less": "older than",
        "more": "newer than",
    },
    "shelf": {
        "intro": "On a shelf, there are seven books: {items}.",
        "objects": [f"{c} book" for c in ["green", "red", "gray", "blue", "white", "orange", "purple", "brown", "yellow", "black"]],
        "article": "the ",
        "verb": "is",
        "fixed": lambda k, n: "the leftmost" if k == 1 else "the rightmost" if k == n else (f"the {_ORDINALS[k - 1]} from the left" if k <= n // 2 else f"the {_ORDINALS[n - k]} from the right"),
        "less": "to the left of",
        "more": "to the right of",
    },
    "birds": {
        "intro": "On a branch, there are seven birds: {items}.",
        "objects": ["robin", "quail", "falcon", "crow", "hummingbird", "cardinal", "owl", "raven", "blue jay", "hawk"],
        "article": "the ",
        "verb": "is",
        "fixed": lambda k, n: "the leftmost" if k == 1 else "the rightmost" if k == n else (f"the {_ORDINALS[k - 1]} from the left" if k <= n // 2 else f"the {_ORDINALS[n - k]} from the right"),
        "less": "to the left of",
        "more": "to the right of",
    },
    "fruits": {
        "intro": "A fruit stand sells seven fruits: {items}.",
        "objects": ["apples", "mangoes", "cantaloupes", "oranges", "kiwis", "loquats", "peaches", "plums", "pears", "watermelons"],
        "article": "the ",
        "verb": "are",
        "fixed": lambda k, n: "the cheapest" if k == 1 else "the most expensive" if k == n else (f"the {_ORDINALS[k - 1]}-cheapest" if k <= n // 2 else f"the {_ORDINALS[n - k]}-most expensive"),
        "less": "less expensive than",
        "more": "more expensive than",
    },
}


def _ld_fits(clues: list[Clue], objects: list[str]) -> int:
    """How many orderings satisfy ``clues``, counting no further than 2."""
    return len(_ld_orderings(clues, objects, limit=2))


def _ld_minimal_clues(items: list[str], position: dict[str, int], rng: random.Random) -> list[tuple[str, str, Any]]:
    """Random true clues until one ordering fits, then each clue dropped that is not needed."""
    clues: list[tuple[str, str, Any]] = []
    while _ld_fits(clues, items) != 1:
        if rng.random() < 0.4:
            o = rng.choice(items)
            clue: tuple[str, str, Any] = ("at", o, position[o])
        else:
            a, b = rng.sample(items, 2)
            clue = ("lt" if position[a] < position[b] else "gt", a, b)
        if clue not in clues:
            clues.append(clue)
    for clue in rng.sample(clues, len(clues)):
        rest = [c for c in clues if c != clue]
        if _ld_fits(rest, items) == 1:
            clues = rest
    return clues


def _ld_sentence(domain: dict[str, Any], subject: str, predicate: str) -> str:
    art = domain["article"]
    text = f"{art}{subject} {domain['verb']} {predicate}"
    return text[0].upper() + text[1:]


def generate_logical_deduction(seed: int, objects: int = 7) -> Sample:
    """``objects`` things in a hidden order (the original uses 7), clues added at random
    until exactly one order fits, and an option question about one position."""
    if not 3 <= objects <= 7:
        raise ValueError(f"objects must be between 3 and 7, got {objects}")
    rng = random.Random(seed)
    name = rng.choice(sorted(_LD_DOMAINS))
    domain = _LD_DOMAINS[name]
    items = rng.sample(list(dict.fromkeys(domain["objects"])), objects)
    order = items[:]
    rng.shuffle(order)
    position = {o: i + 1 for i, o in enumerate(order)}
    number_word = _COUNT_WORDS[objects]
    listed = ", ".join(("" if name == "golf" or name == "fruits" else ("an " if i[0] in "aeiou" else "a ")) + i for i in items)
    listed = re.sub(r", ([^,]+)$", r", and \1", listed)
    intro = domain["intro"].replace("seven", number_word).format(items=listed)
    header = f"The following paragraphs each describe a set of {number_word} objects arranged in a fixed order. The statements are logically consistent within each paragraph."
    clues = _ld_minimal_clues(items, position, rng)
    rendered = []
    for kind, a, b in clues:
        if kind == "at":
            rendered.append(_ld_sentence(domain, a, domain["fixed"](b, objects)) + ".")
        else:
            rel = domain["less"] if kind == "lt" else domain["more"]
            rendered.append(_ld_sentence(domain, a, f"{rel} {domain['article']}{b}") + ".")
    asked = rng.randint(1, objects)
    predicate = domain["fixed"](asked, objects)
    letters = "ABCDEFG"[:objects]
    options = {letters[i]: _ld_sentence(domain, o, predicate) for i, o in enumerate(items)}
    question = f"{header} {intro} {' '.join(rendered)}\nOptions:\n" + "\n".join(f"({k}) {v}" for k, v in options.items())
    truths, _ = solve_logical_deduction(question)
    gold = f"({truths.pop()})"
    return Sample(task="logical_deduction", id=f"generated-{seed}", question=question, metadata={"order": order, "options": options, "domain": name}, gold=gold, source=f"generated:{seed}")


# --------------------------------------------------------------------------- date understanding

_MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_OFFSETS: dict[str, Callable[[dt.date], dt.date]] = {
    "today": lambda d: d,
    "tomorrow": lambda d: d + dt.timedelta(days=1),
    "yesterday": lambda d: d - dt.timedelta(days=1),
    "24 hours later": lambda d: d + dt.timedelta(days=1),
    "one week ago from today": lambda d: d - dt.timedelta(days=7),
    "one week from today": lambda d: d + dt.timedelta(days=7),
    "10 days ago": lambda d: d - dt.timedelta(days=10),
    "one year ago from today": lambda d: d.replace(year=d.year - 1),
    "a month ago": lambda d: (d.replace(day=1) - dt.timedelta(days=1)).replace(day=d.day),
}


def _mdy(d: dt.date) -> str:
    return f"{d.month:02d}/{d.day:02d}/{d.year}"


def _long(d: dt.date) -> str:
    return f"{_MONTH_ABBR[d.month - 1]} {d.day}, {d.year}"


def generate_date_understanding(seed: int) -> Sample:
    """A dated situation (today, yesterday, tomorrow, days ago or away), a question asking
    for a date relative to today, six MM/DD/YYYY options built from plausible slips (wrong
    offset, swapped month and day, wrong year); the gold is computed with ``datetime``."""
    rng = random.Random(seed)
    today = dt.date(rng.randint(1900, 2030), rng.randint(1, 12), rng.randint(1, 28))
    n = rng.randint(2, 200)
    situations = [
        (f"Today is {_long(today)}.", today),
        (f"Yesterday was {_long(today - dt.timedelta(days=1))}.", today),
        (f"Jane booked a flight for tomorrow, {_long(today + dt.timedelta(days=1))}.", today),
        (f"It is {today.month}/{today.day}/{today.year} today.", today),
        (f"The deadline is {_long(today + dt.timedelta(days=n))}, which is {n} days away from now.", today),
        (f"Jane quit her job on {_long(today - dt.timedelta(days=n))}. {n} days have passed since then.", today),
    ]
    situation, _ = rng.choice(situations)
    phrase = rng.choice(sorted(_OFFSETS))
    target = _OFFSETS[phrase](today)
    question_text = f"{situation} What is the date {phrase} in MM/DD/YYYY?"
    distractors = {
        _mdy(target + dt.timedelta(days=rng.choice([-7, -1, 1, 7, 30, -30]))),
        _mdy(target.replace(year=target.year + rng.choice([-1, 1]))),
        _mdy(today if phrase != "today" else today + dt.timedelta(days=1)),
    }
    if target.day <= 12 and target.day != target.month:
        distractors.add(f"{target.day:02d}/{target.month:02d}/{target.year}")
    while len(distractors - {_mdy(target)}) < 5:
        distractors.add(_mdy(target + dt.timedelta(days=rng.randint(-400, 400))))
    choices = sorted(distractors - {_mdy(target)})[:5] + [_mdy(target)]
    rng.shuffle(choices)
    letters = "ABCDEF"
    options = {letters[i]: c for i, c in enumerate(choices)}
    question = question_text + "\nOptions:\n" + "\n".join(f"({k}) {v}" for k, v in options.items())
    gold = f"({letters[choices.index(_mdy(target))]})"
    return Sample(
        task="date_understanding",
        id=f"generated-{seed}",
        question=question,
        metadata={"today": today.isoformat(), "asked": phrase, "answer_date": _mdy(target), "options": options},
        gold=gold,
        source=f"generated:{seed}",
    )


# --------------------------------------------------------------------------- tasks


def _loader(file_stem: str, task: str) -> Callable[[Path], list[Sample]]:
    def load(data_dir: Path) -> list[Sample]:
        return load_bbh_file(data_dir, file_stem, task)

    load.__doc__ = f"The paper's selection (every {PAPER_STRIDE}th example) of {file_stem}.json."
    return load




TASKS = [
    Task(
        name="date_understanding",
        title="Date Understanding",
        seen=True,
        category="reasoning",
        load=_loader("date_understanding", "date_understanding"),
        generate=generate_date_understanding,
        verify=_verify_option,
        check=None,
        data_dirs=(FOLDER,),
        knobs={},
        modes_note=_JUDGE_NOTE.format(how="the option letter, or an option's exact text")
        + " No gold-free check: the situations are free text (holidays, anniversaries, eggs eaten per day).",
    ),
    Task(
        name="web_of_lies",
        title="Web of Lies",
        seen=True,
        category="logic",
        load=_loader("web_of_lies", "web_of_lies"),
        generate=generate_web_of_lies,
        verify=_verify_yes_no,
        check=None,
        reference_check=_check_web_of_lies,
        data_dirs=(FOLDER,),
        knobs={"people": 5},
        modes_note=_JUDGE_NOTE.format(how="Yes/No, True/False"),
    ),
    Task(
        name="logical_deduction",
        title="Logical Deduction",
        seen=True,
        category="logic",
        load=_loader("logical_deduction_seven_objects", "logical_deduction"),
        generate=generate_logical_deduction,
        verify=_verify_option,
        check=None,
        reference_check=_check_logical_deduction,
        data_dirs=(FOLDER,),
        knobs={"objects": 7},
        modes_note=_JUDGE_NOTE.format(how="the option letter, or an option's exact text"),
    ),
    Task(
        name="navigation",
        title="Navigation",
        seen=True,
        category="spatial",
        load=_loader("navigate", "navigation"),
        generate=generate_navigation,
        verify=_verify_yes_no,
        check=None,
        reference_check=_check_navigation,
        data_dirs=(FOLDER,),
        knobs={"instructions": 6},
        modes_note=_JUDGE_NOTE.format(how="Yes/No"),
    ),
]
