"""The first choice (code or text), learned from data and scored in plain Python.

A logistic regression over two kinds of features of the question:

- *cues*: named features of what the question asks, written to mean the same thing on
  any question (arithmetic with large numbers or results, counting characters, a grid
  of cells, a search over arrangements, a plan, words of judgement or of the everyday
  world...);
- hashed word uni/bigrams and character trigrams (numbers reduced to their length), the
  usual text-classification features, L2-normalised so a long question weighs no more
  than a short one.

The weights are trained (``mcp-codesteer guide train-first-choice``, scikit-learn in
the ``guide-train`` extra) on questions of the 28 *seen* SymBench tasks labelled with
the better mode of the paper's Table 1, each task weighted by how much the mode matters
there (its code-text gap), with the cues penalised less than the n-grams (so what
generalises carries the weight) and a bias (SymBench's lean to code), and shipped as
``first_choice_weights.json``. Scoring needs only the standard library. When the task
is a known SymBench task, the table's better mode is used directly. A question with
none of the computational cues is outside what SymBench can teach: it opens in text.

A third mode (a Chain-of-Code "emulate the semantic calls" opening) would be one more
value of ``FirstChoice.mode`` and one more label; nothing here assumes exactly two.
"""

from __future__ import annotations

import ast
import json
import math
import re
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

WEIGHTS_PATH = Path(__file__).with_name("first_choice_weights.json")
HASH_BUCKETS = 1 << 14
"""Size of the hashed n-gram space (weights are shipped for every bucket)."""

LARGE_RESULT = 1000
"""An arithmetic result from this size up (4+ digits) is where exact work by hand starts to slip."""

TEXT_MARGIN = 3.0
"""Text is chosen only when the decision value is below -TEXT_MARGIN (the probability of code under
about 5%). The errors are not alike: in the paper's Table 1 a text opening on a task that needs code
loses up to 100 points (Sudoku, Reversi, Path Plan), a code opening where text was better loses 24 at
most, and the later rounds switch a failing code answer to text anyway. Measured on seen tasks held
out one at a time (``benchmarks/guide_policy.py --leave-one-task-out``), the margin lifts the score
on a task the classifier never saw from 59.4 to 63.4 (always-code: 63.6), for 0.1 less on SymBench."""

Mode = Literal["code", "text"]

_NUMBER = re.compile(r"(?<![\w.])-?\d[\d,]*(?:\.\d+)?(?![\w])")
_TOKEN = re.compile(r"[a-z]+|\d+|[^\sa-z\d]")
_MONTHS = re.compile(
    r"\b(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|jun(e)?|jul(y)?|aug(ust)?|sep(tember)?|oct(ober)?|nov(ember)?"
    r"|dec(ember)?|today|tomorrow|yesterday|mm/dd/yyyy|birthday|weekday|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)\b"
)
_CHAR_COUNT = re.compile(
    r"how many (?:times does )?(?:the )?(?:letter |character )?['\"]?[a-z]['\"]?(?:'s|s)?\s+(?:are |appear |occur )?"
    r"(?:there )?(?:in|does)\b|\b(letters?|characters?|vowels?|consonants?|substring|palindrome|anagram|reverse)\b"
)
_QUOTED_WORD = re.compile(r"['\"]([a-z]{4,})['\"]")
_GRID_ROW = re.compile(r"^\s*(?:[\w*.#@ -]\s*[, ]\s*){2,}[\w*.#@-]\s*$")
_SEARCH_WORDS = re.compile(
    r"\b(arrange\w*|permutations?|combinations?|how many ways|in how many|all possible|every possible|possible ways|"
    r"find all|schedul\w*|assign\w*|constraints?|satisf\w*|puzzle|sudoku|queens?|maze|shortest|optimal|minimi[sz]e|"
    r"maximi[sz]e|fewest|as few|at most|at least|exactly one|each row|each column|no two)\b"
)
_PLAN_WORDS = re.compile(r"\b(moves?|steps?|sequence of|plan|path|route|trajectory|rounds?|cycles?|operations?|repeat\w*)\b")
_GRID_WORDS = re.compile(r"\b(grid|matrix|board|cells?|rows?|columns?|diagonal|\d+\s*[x*×]\s*\d+)\b")
_JUDGEMENT = re.compile(
    r"\b(plausible|sarcas\w*|ironic|irony|tone|emotion|feel\w*|opinion|polite|rude|funny|joke|metaphor|means?|"
    r"meaning|implies|imply|suggests?|intend\w*|likely|believe|think|should|why|explain|describe|summar\w*|"
    r"better|prefer|kind|mood|sentiment|fallacy|argument|valid|true that|tell the truth|lies?)\b"
)
_WORLD_WORDS = re.compile(
    r"\b(animal|fish|mammal|bird|plant|country|city|capital|people|person|family|friend|history|king|queen of|"
    r"food|water|weather|color|colour|music|movie|book|author|language|word for|synonym|opposite|heavier|"
    r"bigger|taller|sentence|speaker|said|says|story)\b"
)
_OPTIONS = re.compile(r"(^|\n)\s*(?:\([a-h]\)|- (?:yes|no)\b)", re.MULTILINE)


@dataclass(frozen=True)
class FirstChoice:
    """The opening mode, its score and what decided it."""

    mode: Mode
    probability_code: float
    reasons: list[tuple[str, float]] = field(default_factory=list)
    """The features that pushed most, with their contribution (positive: towards code)."""
    source: Literal["task", "classifier", "no computation"] = "classifier"

    def rationale(self) -> str:
        if self.source != "classifier":
            return self.reasons[0][0] if self.reasons else f"the task's better mode is {self.mode}"
        pushes = ", ".join(f"{name} ({value:+.2f})" for name, value in self.reasons)
        return (
            f"the first-choice classifier gives P(code) = {self.probability_code:.2f}; the features that decided: "
            f"{pushes or 'none beyond the bias'}"
        )


def _bucket(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) % HASH_BUCKETS


def _numbers(text: str) -> list[str]:
    return [m.group(0).lstrip("-").replace(",", "") for m in _NUMBER.finditer(text)]


_EXPRESSION = re.compile(r"[-(]*\d[\d.]*(?:\s*(?:\*\*|[-+*/^×x])\s*[-(]*\d[\d.]*\)*)+")
_POWER_WORDS = re.compile(r"(\d+)\s*(squared|cubed|to the power of\s*(\d+)|factorial|!)")


def _evaluate(expression: str) -> float | None:
    """The value of a plain arithmetic expression, or None (bounded: no huge powers)."""
    text = expression.replace("^", "**").replace("×", "*").replace("x", "*")
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None

    def value(node: ast.AST) -> float:
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            v = value(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp):
            left, right = value(node.left), value(node.right)
            if isinstance(node.op, ast.Pow):
                if abs(right) > 64 or abs(left) > 1e6:
                    raise ValueError("too big")
                return left**right
            ops = {ast.Add: lambda: left + right, ast.Sub: lambda: left - right, ast.Mult: lambda: left * right,
                   ast.Div: lambda: left / right}  # fmt: skip
            if type(node.op) in ops:
                return ops[type(node.op)]()
        raise ValueError("not arithmetic")

    try:
        result = value(tree.body)
    except (ValueError, ZeroDivisionError, OverflowError, TypeError, RecursionError):
        return None
    return float(result) if isinstance(result, (int, float)) and not isinstance(result, complex) else None


def _largest_arithmetic_result(q: str) -> float:
    """The largest magnitude among the question's arithmetic (expressions, 'N cubed', 'N to the power of M')."""
    best = 0.0
    for m in _EXPRESSION.finditer(q):
        v = _evaluate(m.group(0))
        if v is not None:
            best = max(best, abs(v))
    for m in _POWER_WORDS.finditer(q):
        base = int(m.group(1)) if len(m.group(1)) < 7 else 10**6
        kind = m.group(2)
        if kind in ("factorial", "!"):
            value = float(math.factorial(min(base, 170)))
        else:
            exponent = 2 if kind == "squared" else 3 if kind == "cubed" else int(m.group(3)[:3] or 1)
            value = math.inf if base > 1 and exponent * math.log10(base) > 300 else float(base) ** exponent
        best = max(best, value)
    return best


# The cues that say a question computes, searches or manipulates symbols: the evidence
# SymBench can teach code-versus-text about. A question with none of them is outside
# what the training data covers (see ``FirstChoiceModel.choose``).
COMPUTATIONAL_CUES = (
    "large numbers (4+ digits) or an arithmetic result of 4+ digits",
    "many numbers (10+)",
    "calendar dates",
    "counting characters or letters",
    "a letter string to process",
    "a grid of cells",
    "grid or matrix words",
    "search, arrangement or constraint words",
    "plan or repeated-operation words",
)


def cue_features(question: str) -> dict[str, float]:
    """Named features of what the question asks, each 0..1, the same for any kind of question."""
    q = question.lower()
    numbers = _numbers(q)
    dated = bool(_MONTHS.search(q))
    years = {n for n in numbers if len(n) == 4 and n.isdigit() and 1000 <= int(n) <= 2100} if dated else set()
    big = [n for n in numbers if len(n.split(".")[0]) >= 4 and n not in years]
    large = 1.0 if big or _largest_arithmetic_result(q) >= LARGE_RESULT else 0.0
    grid_rows = sum(1 for line in q.splitlines() if _GRID_ROW.match(line))
    words = re.findall(r"[a-z]+", q)
    return {
        "large numbers (4+ digits) or an arithmetic result of 4+ digits": large,
        "many numbers (10+)": 1.0 if len(numbers) >= 10 else 0.0,
        "calendar dates": 1.0 if dated and numbers else 0.0,
        "counting characters or letters": 1.0 if _CHAR_COUNT.search(q) else 0.0,
        "a letter string to process": 1.0 if _QUOTED_WORD.search(q) or re.search(r"\b[a-e]{6,}\b", q) else 0.0,
        "a grid of cells": min(1.0, grid_rows / 3),
        "grid or matrix words": min(1.0, len(_GRID_WORDS.findall(q)) / 3),
        "search, arrangement or constraint words": min(1.0, len(_SEARCH_WORDS.findall(q)) / 3),
        "plan or repeated-operation words": min(1.0, len(_PLAN_WORDS.findall(q)) / 4),
        "judgement or meaning words": min(1.0, len(_JUDGEMENT.findall(q)) / 2),
        "everyday-world words": min(1.0, len(_WORLD_WORDS.findall(q)) / 2),
        "multiple-choice options": 1.0 if _OPTIONS.search(q) else 0.0,
        "long question (over 150 words)": 1.0 if len(words) > 150 else 0.0,
    }


def ngram_features(question: str) -> list[str]:
    """Word uni/bigrams and character trigrams; a number stands for its digit count."""
    tokens = ["<%dd>" % min(len(t), 5) if t.isdigit() else t for t in _TOKEN.findall(question.lower())]
    feats = {f"w:{t}" for t in tokens}
    feats.update(f"b:{a} {b}" for a, b in zip(tokens, tokens[1:]))
    for t in tokens:
        if t.isalpha() and len(t) >= 3:
            padded = f" {t} "
            feats.update(f"c:{padded[i:i + 3]}" for i in range(len(padded) - 2))
    return sorted(feats)


def _bucket_counts(features: list[str]) -> dict[int, float]:
    counts: dict[int, float] = {}
    for feat in features:
        b = _bucket(feat)
        counts[b] = counts.get(b, 0.0) + 1.0
    return counts


def hashed_vector(question: str) -> dict[int, float]:
    """The L2-normalised hashed n-gram vector: bucket -> value."""
    counts = _bucket_counts(ngram_features(question))
    norm = math.sqrt(sum(v * v for v in counts.values())) or 1.0
    return {b: v / norm for b, v in counts.items()}


@dataclass(frozen=True)
class FirstChoiceModel:
    """Shipped weights: a bias, one weight per cue, one per hashed bucket; the table's task modes."""

    bias: float
    cue_weights: dict[str, float]
    bucket_weights: list[float]
    task_modes: dict[str, dict]
    info: dict

    @classmethod
    def load(cls, path: Path = WEIGHTS_PATH) -> "FirstChoiceModel":
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("buckets") != HASH_BUCKETS:
            raise ValueError(f"{path}: trained for {data.get('buckets')} hash buckets, this code uses {HASH_BUCKETS}")
        buckets = [0.0] * HASH_BUCKETS
        for index, weight in data["bucket_weights"]:
            buckets[index] = weight
        return cls(data["bias"], data["cue_weights"], buckets, data.get("task_modes", {}), data.get("info", {}))

    def score(self, question: str) -> tuple[float, list[tuple[str, float]]]:
        """The decision value (positive: code) and every feature's contribution."""
        contributions: list[tuple[str, float]] = [("bias (the training data's lean)", self.bias)] if self.bias else []
        total = self.bias
        for name, value in cue_features(question).items():
            if value:
                c = value * self.cue_weights.get(name, 0.0)
                total += c
                contributions.append((f"cue: {name}", c))
        features = ngram_features(question)
        norm = math.sqrt(sum(v * v for v in _bucket_counts(features).values())) or 1.0
        # each n-gram's share: its bucket's weight over the normalised count (colliding n-grams split a bucket)
        per_feature = {feat: self.bucket_weights[_bucket(feat)] / norm for feat in features}
        total += sum(per_feature.values())
        top = sorted(per_feature.items(), key=lambda kv: -abs(kv[1]))[:4]
        contributions.extend((f"n-gram {_readable(f)}", c) for f, c in top)
        return total, contributions

    def choose(self, question: str, task: str | None = None) -> FirstChoice:
        if task and task in self.task_modes:
            row = self.task_modes[task]
            return FirstChoice(
                mode=row["mode"],
                probability_code=1.0 if row["mode"] == "code" else 0.0,
                reasons=[(
                    f"the SymBench task {task} is solved better with {row['mode']} in the paper's Table 1 "
                    f"(GPT-4o: code {row['code']:g}%, text {row['text']:g}%)",
                    0.0,
                )],
                source="task",
            )
        cues = cue_features(question)
        if not any(cues[name] for name in COMPUTATIONAL_CUES):
            # SymBench (the training data) holds symbolic tasks only; it cannot say how to open a question that
            # computes, searches and manipulates nothing. The paper's answer for language and common-sense
            # questions is text, and later rounds still switch to code if a text answer fails.
            return FirstChoice(
                mode="text",
                probability_code=0.0,
                reasons=[("none of the computational cues (numbers to compute with, a grid, a string to process, "
                          "a search, a plan or constraints) is in the question, so it is a language or "
                          "common-sense question, which opens in text", 0.0)],
                source="no computation",
            )
        value, contributions = self.score(question)
        probability = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, value))))
        decided = sorted(contributions, key=lambda kv: -abs(kv[1]))[:6]
        return FirstChoice(mode="code" if value > -TEXT_MARGIN else "text", probability_code=probability, reasons=decided)


def _readable(feature: str) -> str:
    kind, _, text = feature.partition(":")
    label = {"w": "word", "b": "words", "c": "chars"}.get(kind, kind)
    return f"{label} {text.strip()!r}"


@lru_cache(maxsize=1)
def default_model() -> FirstChoiceModel:
    """The shipped model (read once)."""
    return FirstChoiceModel.load()


def first_choice(question: str, task: str | None = None) -> FirstChoice:
    """Code or text for the opening round of ``question`` (``task``: a SymBench task name, if known)."""
    return default_model().choose(question, task)
