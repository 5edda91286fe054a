"""Helpers shared by the rule-based puzzle tasks: character and digit grids and answer
tokens (with the sample-folder loader and ``answer_text`` of ``_common``).

Kept private (leading underscore) so the registry does not import it as a task.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from ..extract import extract_answer, strip_wrapping
from ..types import Score
from ._common import answer_text, load_folder  # noqa: F401  (the grid tasks import them from here)


def marked_answer(response: str) -> str | None:
    """Only the ``<<<...>>>`` answer (no last-line fallback), wrapping removed."""
    raw = extract_answer(response)
    return None if raw is None else strip_wrapping(raw)


def block_after(text: str, start_marker: str, stop: Callable[[str], bool]) -> list[str]:
    """The non-empty lines after the line containing ``start_marker``, until ``stop(line)`` or a blank.

    Blank lines directly after the marker are skipped. Raises ValueError when the marker is absent.
    """
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if start_marker in line:
            break
    else:
        raise ValueError(f"the question has no {start_marker!r}")
    block: list[str] = []
    for line in lines[i + 1 :]:
        stripped = line.strip()
        if not stripped:
            if block:
                break
            continue
        if stop(stripped):
            break
        block.append(stripped)
    return block


def cell_tokens(text: str, allowed: str) -> list[str]:
    """The single-character cells of a flat or nested answer ('0,1,1', '[[0,1],[1,0]]', rows on lines).

    Separators (commas, spaces, brackets, quotes) are dropped; any other character not in
    ``allowed`` raises ValueError naming it, so stray text is not silently read as cells.
    """
    tokens = []
    for token in re.split(r"[\s,;\[\]()'\"]+", text):
        if not token:
            continue
        if len(token) > 1 and all(ch in allowed for ch in token):
            tokens.extend(token)  # a row written without separators, e.g. "0110"
        elif token in allowed:
            tokens.append(token)
        else:
            raise ValueError(f"{token!r} is not a cell (expected one of {allowed!r})")
    return tokens


def flat_grid(grid: list[list[Any]]) -> list[Any]:
    return [cell for row in grid for cell in row]


def score_cells(expected: list[str], got: list[str], what: str) -> Score:
    """Exact comparison of two flat cell lists, with a reason that names the first difference."""
    if len(got) != len(expected):
        return Score.incorrect(f"expected {len(expected)} {what}, got {len(got)}", parsed=got)
    for i, (want, have) in enumerate(zip(expected, got)):
        if want != have:
            return Score.incorrect(f"{what} {i} (0-based, row-major) is {have!r}, expected {want!r}", parsed=got)
    return Score.correct(parsed=got)
