"""Answer extraction without a language model.

Models write answers as ``<<<answer>>>``; they also add spaces, quotes, trailing text,
code fences, or leave the answer only in what their program printed. These functions
take the last marked answer and parse it tolerantly. Task modules build on them.
"""

from __future__ import annotations

import ast
import json
import re
from fractions import Fraction
from typing import Any

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
    """Remove code fences, surrounding quotes and a leading 'Answer:' label."""
    s = text.strip()
    s = re.sub(r"^```[a-zA-Z]*\s*|\s*```$", "", s).strip()
    s = re.sub(r"^(?:final\s+)?answer\s*[:=]\s*", "", s, flags=re.IGNORECASE).strip()
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
        except (ValueError, TypeError):
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


def to_fraction(value: Any) -> Fraction:
    """An exact Fraction for an int, float, numeric string or 'a/b'."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        raise ValueError("a boolean is not a number")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(str(value))
    s = str(value).strip().replace(" ", "")
    if "/" in s:
        num, den = s.split("/", 1)
        return Fraction(to_fraction(num)) / Fraction(to_fraction(den))
    try:
        return Fraction(s)
    except (ValueError, ZeroDivisionError) as exc:
        raise ValueError(f"not a number: {value!r}") from exc


def normalize_text(text: str) -> str:
    """Lower-case, single-spaced, without surrounding quotes or final punctuation."""
    s = strip_wrapping(text).lower()
    s = re.sub(r"\s+", " ", s).strip()
    return s.rstrip(".!;")
