"""Finding the program in a model's response."""

from __future__ import annotations

import re

_FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_+-]*)[^\n]*\n(.*?)(?:```|\Z)", re.DOTALL)
_PYTHON_TAGS = {"python", "py", "python3", "py3"}


def extract_python(response: str | None) -> str | None:
    """The last python block of ``response``; None when it has none.

    A fence tagged python (or py) wins; an untagged fence counts only when nothing is
    tagged. A fence left open at the end (a cut-off response) is taken to the end.
    """
    if not response:
        return None
    tagged, untagged = [], []
    for match in _FENCE.finditer(response):
        tag, body = match.group(1).lower(), match.group(2)
        if not body.strip():
            continue
        if tag in _PYTHON_TAGS:
            tagged.append(body)
        elif not tag:
            untagged.append(body)
    blocks = tagged or untagged
    return blocks[-1].strip("\n") if blocks else None


def prose_of(response: str | None) -> str:
    """``response`` without its fenced code blocks: the text a model wrote as prose. An
    answer marker inside a program's source (``print(f"<<<{grid}>>>")``) is code, not an
    answer, so answers are looked for here."""
    if not response:
        return ""
    return _FENCE.sub("\n", response)
