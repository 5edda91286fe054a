"""Answer extraction without a language model.

Models write answers as ``<<<answer>>>``; they also add spaces, quotes, trailing text,
code fences, or leave the answer only in what their program printed. These functions
take the last marked answer and parse it tolerantly. Task modules build on them.
"""

from __future__ import annotations

import ast
import json
import math
import re
from fractions import Fraction
from typing import Any, Callable, NamedTuple

_MARKED = re.compile(r"<<<(.*?)>>>", re.DOTALL)
_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?(?:\s*/\s*\d+)?")


def extract_answer(text: str | None) -> str | None:
    """The content of the last ``<<<...>>>`` in ``text``, stripped; None when there is none.

    A ``<<<`` left open at the end (a cut-off answer) yields what follows it.
    """
    if not text:
        return None
    found = _MARKED.findall(text)
    if found:
        return found[-1].strip()
    tail = text.rfind("<<<")
    if tail != -1:
        rest = text[tail + 3 :].strip()
        return rest or None
    return None


def answer_or_last_line(text: str | None) -> str | None:
    """The marked answer, else the last non-empty line (what a program printed last)."""
    marked = extract_answer(text)
    if marked is not None:
        return marked
    if not text:
        return None
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1] if lines else None


def strip_wrapping(text: str) -> str:
    """Remove code fences, surrounding quotes, a leading 'Answer:' label and a final full stop
    (sentence punctuation, as in ``<<<D,B,C.>>>``)."""
    s = text.strip()
    s = re.sub(r"^```[a-zA-Z]*\s*|\s*```$", "", s).strip()
    s = re.sub(r"^(?:final\s+)?answer\s*[:=]\s*", "", s, flags=re.IGNORECASE).strip()
    s = re.sub(r"(?<=\S)\s*\.$", "", s) if not s.endswith("..") else s
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "'\"`":
        s = s[1:-1].strip()
    return s


def strip_math_delimiters(text: str) -> str:
    """An arithmetic answer without the LaTeX math delimiters around all of it (``$...$``,
    ``$$...$$``, ``\\(...\\)``, ``\\[...\\]``, ``\\boxed{...}``), then ``strip_wrapping``.
    Only for answers that are one expression: ``$`` is a cell in some symbol grids."""
    s = strip_wrapping(text)
    for opening, closing in (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]")):
        if len(s) > len(opening) + len(closing) and s.startswith(opening) and s.endswith(closing):
            s = s[len(opening) : len(s) - len(closing)].strip()
            break
    boxed = re.fullmatch(r"\\boxed\{(.*)\}", s, re.DOTALL)
    if boxed and boxed.group(1).count("{") == boxed.group(1).count("}"):
        s = boxed.group(1).strip()
    s = re.sub(r"(?<=\S)\s*\.$", "", s) if not s.endswith("..") else s
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "'\"`":
        s = s[1:-1].strip()
    return s


def parse_literal(text: str) -> Any:
    """Parse a Python/JSON literal (list, tuple, dict, number, string) tolerantly.

    Tries Python literal syntax, then JSON, then the first bracketed literal inside the
    text. Raises ValueError when nothing parses.
    """
    s = strip_wrapping(text)
    for candidate in (s, s.replace("\n", " ")):
        try:
            return ast.literal_eval(candidate)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            pass
        try:
            return json.loads(candidate)
        except (ValueError, TypeError, RecursionError):
            pass
    match = re.search(r"(\[.*\]|\(.*\)|\{.*\})", s, re.DOTALL)
    if match and match.group(1) != s:
        return parse_literal(match.group(1))
    raise ValueError(f"not a literal: {text[:80]!r}")


def parse_number(text: str) -> Fraction:
    """The single number in ``text`` as an exact Fraction ('3', '-2.5', '7/3', '1e3').

    Raises ValueError when there is no number or more than one.
    """
    s = strip_wrapping(text).replace(",", "").replace("$", "")
    found = _NUMBER.findall(s)
    if len(found) != 1:
        raise ValueError(f"expected one number, found {len(found)} in {text[:80]!r}")
    return to_fraction(found[0])


MAX_NUMBER_DIGITS = 400
"""A number written with more digits, or a larger power-of-ten exponent, than this is
refused unread (ValueError): no answer is that large, and reading ``1e99999999`` exactly
would take unbounded time and memory."""


def check_number_size(text: str) -> None:
    """ValueError when the numeric string ``text`` is over MAX_NUMBER_DIGITS (digits or exponent)."""
    mantissa, _, exponent = text.lower().partition("e")
    if sum(ch.isdigit() for ch in mantissa) > MAX_NUMBER_DIGITS:
        raise ValueError(f"a number with more than {MAX_NUMBER_DIGITS} digits")
    digits = exponent.lstrip("+-")
    if exponent and (len(digits) > 4 or (digits.isdigit() and int(digits) > MAX_NUMBER_DIGITS)):
        raise ValueError(f"an exponent above {MAX_NUMBER_DIGITS}")


def to_fraction(value: Any) -> Fraction:
    """An exact Fraction for an int, float, numeric string or 'a/b'.

    ValueError for anything else, for a division by zero, for NaN and infinities and for
    numbers over MAX_NUMBER_DIGITS."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        raise ValueError("a boolean is not a number")
    if isinstance(value, int):
        if value.bit_length() > MAX_NUMBER_DIGITS * 4:
            raise ValueError(f"a number with more than {MAX_NUMBER_DIGITS} digits")
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value!r}")
        return Fraction(str(value))
    s = str(value).strip().replace(" ", "")
    if len(s) > 4 * MAX_NUMBER_DIGITS:
        raise ValueError(f"a number with more than {MAX_NUMBER_DIGITS} digits")
    if "/" in s:
        num, den = s.split("/", 1)
        denominator = to_fraction(den)
        if denominator == 0:
            raise ValueError(f"{value!r} divides by zero")
        return to_fraction(num) / denominator
    check_number_size(s)
    try:
        return Fraction(s)
    except (ValueError, ZeroDivisionError) as exc:
        raise ValueError(f"not a number: {value!r}") from exc


def normalize_text(text: str) -> str:
    """Lower-case, single-spaced, without surrounding quotes or final punctuation."""
    s = strip_wrapping(text).lower()
    s = re.sub(r"\s+", " ", s).strip()
    return s.rstrip(".!;")


# --- exact arithmetic over a model's expression (Game24, combinatorial calculation) ---

MAX_EXPRESSION_CHARS = 20_000
"""Longest arithmetic expression ``evaluate_exact`` reads; longer ones raise ValueError unread."""

_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
# What models write for the four operators, mapped to Python's spelling.
_OPERATOR_SPELLINGS = (
    ("\\times", "*"), ("\\cdot", "*"), ("\\div", "/"), ("×", "*"), ("·", "*"), ("∗", "*"),
    ("÷", "/"), ("−", "-"), ("–", "-"), ("\\left", ""), ("\\right", ""), ("[", "("), ("]", ")"),
    ("{", "("), ("}", ")"),
)


class ExactValue(NamedTuple):
    """The exact value of an expression and its integer literals in reading order."""

    value: Fraction
    numbers: list[int]


def normalize_operators(expr: str) -> str:
    """Rewrite the operator spellings models use (×, ÷, \\times, \\frac{a}{b}, brackets) in Python syntax."""
    s = re.sub(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}", r"((\1)/(\2))", expr)
    for spelled, python in _OPERATOR_SPELLINGS:
        s = s.replace(spelled, python)
    return s


def evaluate_exact(expr: str) -> ExactValue:
    """Evaluate an arithmetic expression exactly, with rational numbers, without ``eval``.

    Only integer literals, the binary operators + - * / and parentheses are accepted:
    no unary minus, no powers, no names, no calls, no decimals. Raises ValueError saying
    what was not allowed, or on division by zero. An expression longer than
    ``MAX_EXPRESSION_CHARS`` is refused before parsing.
    """
    value, numbers = _evaluate(expr, Fraction)
    return ExactValue(value, numbers)


def evaluate_float(expr: str) -> tuple[float, list[int]]:
    """Like ``evaluate_exact`` but in floating point, as Python's ``eval`` would compute it
    (what the original scorers did; kept for the faithful scoring mode)."""
    return _evaluate(expr, float)


def _evaluate(expr: str, number: Callable[[int], Any]) -> tuple[Any, list[int]]:
    if len(expr) > MAX_EXPRESSION_CHARS:
        raise ValueError(f"expression longer than {MAX_EXPRESSION_CHARS} characters")
    source = normalize_operators(expr).strip()
    if not source:
        raise ValueError("empty expression")
    try:
        tree = ast.parse(source, mode="eval")
    except (SyntaxError, RecursionError, MemoryError, ValueError) as exc:
        raise ValueError(f"not an arithmetic expression: {expr[:80]!r}") from exc
    literals: list[tuple[int, int, int]] = []

    def walk(node: ast.AST) -> Any:
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            left, right = walk(node.left), walk(node.right)
            op = type(node.op)
            if op is ast.Add:
                return left + right
            if op is ast.Sub:
                return left - right
            if op is ast.Mult:
                return left * right
            if right == 0:
                raise ValueError("division by zero")
            return left / right
        if isinstance(node, ast.Constant) and type(node.value) is int:
            literals.append((node.lineno, node.col_offset, node.value))
            return number(node.value)
        if isinstance(node, ast.Constant):
            raise ValueError(f"only whole numbers may appear, not {node.value!r}")
        if isinstance(node, ast.UnaryOp):
            raise ValueError("a sign in front of a number or bracket is not allowed; use only + - * / between numbers")
        if isinstance(node, ast.BinOp):
            raise ValueError(f"operator {type(node.op).__name__} is not allowed; use only + - * /")
        raise ValueError(f"{type(node).__name__} is not allowed in an arithmetic answer")

    try:
        value = walk(tree.body)
    except (RecursionError, OverflowError) as exc:
        raise ValueError("expression nested too deeply or too large") from exc
    return value, [n for _, _, n in sorted(literals)]


def expression_side(text: str) -> str:
    """The expression of an answer written as an equation ('(3+5)*3 = 24' -> '(3+5)*3').

    Sides that are a single number (the target) are dropped; the text is returned as is
    when it has no '='. Raises ValueError when more than one side is an expression.
    """
    parts = [p.strip() for p in text.split("=")]
    if len(parts) == 1:
        return parts[0]
    expressions = [p for p in parts if p and not re.fullmatch(r"[-+]?\s*\d+(?:\.\d+)?", p)]
    if len(expressions) != 1:
        raise ValueError(f"expected one expression side in {text[:80]!r}, found {len(expressions)}")
    return expressions[0]


def join_token_list(text: str) -> str:
    """A token list answer ('[6, /, (, 2, +, 1, )]', "['6', '/', '2']") joined into one expression.

    Text without commas is returned stripped of outer brackets only; an empty item (as in
    '6, , 9') is kept as a gap so the expression fails to parse rather than gluing numbers.
    """
    s = strip_wrapping(text)
    if len(s) >= 2 and s[0] == "[" and s[-1] == "]":
        s = s[1:-1]
    if "," not in s:
        return s.strip()
    items = [item.strip().strip("'\"").strip() for item in s.split(",")]
    return " ".join(item if item else "?" for item in items)


def integers_in(text: str) -> list[int]:
    """Every unsigned integer written in ``text``, in order ('0 3, (1,0)' -> [0, 3, 1, 0])."""
    return [int(m) for m in re.findall(r"\d+", text)]


def last_integer(text: str) -> int:
    """The last integer in ``text``, with thousands separators allowed ('-1,234,567' -> -1234567).

    A decimal with only zeros after the point ('12.00') counts as that integer. Raises
    ValueError when there is none, or when the last number has a fractional part or is in
    scientific notation (an inexact rendering of an integer).
    """
    s = strip_wrapping(text).replace("−", "-")
    found = re.findall(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d])|[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?", s)
    if not found:
        raise ValueError(f"no integer in {text[:80]!r}")
    last = found[-1].replace(",", "")
    if re.search(r"[eE]", last) or ("." in last and set(last.split(".", 1)[1]) != {"0"}):
        raise ValueError(f"{found[-1]!r} is not written as a whole number")
    return int(last.split(".", 1)[0])


def digit_grid(text: str, rows: int, cols: int) -> list[list[int]]:
    """A ``rows`` x ``cols`` grid of single digits from a matrix answer in any layout
    ('[[1,2],[3,4]]', rows of digits, space- or comma-separated rows).

    Raises ValueError when the text holds a number of two or more digits or the wrong
    number of digits.
    """
    s = strip_wrapping(text)
    if any(len(token) not in (1, cols) for token in re.findall(r"\d+", s)):
        raise ValueError("a cell holds more than one digit")
    digits = [int(d) for d in re.findall(r"\d", s)]
    if len(digits) != rows * cols:
        raise ValueError(f"expected {rows * cols} cells, found {len(digits)}")
    return [digits[r * cols : (r + 1) * cols] for r in range(rows)]
