"""Finding the program in a model's response (for the baselines that run code without the guide)."""

from __future__ import annotations

import re

_FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_+-]*)[^\n]*\n(.*?)(?:```|\Z)", re.DOTALL)
_PYTHON_TAGS = {"python", "py", "python3", ""}


def extract_code(response: str | None) -> str | None:
    """The last fenced Python block (``` python or a bare ```), None when there is none.
    A block left open at the end (a cut-off response) counts, up to the end."""
    if not response:
        return None
    blocks = [(tag.lower(), body) for tag, body in _FENCE.findall(response)]
    python = [body for tag, body in blocks if tag in _PYTHON_TAGS and body.strip()]
    return python[-1].strip("\n") + "\n" if python else None
