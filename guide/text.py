"""Cutting long text for a reader with a budget (a model's prompt, a tool's feedback).

The guide's conversation (:mod:`guide.codesteer_format`) and the eval client's feedback
(``mcp_codesteer.eval.methods``) cut the same way, so a reader sees one marker and one
count. ``sandbox.types`` keeps its own copy of this helper on purpose: ``sandbox`` sits
below ``guide`` and must not import it.
"""

from __future__ import annotations


def cap_text(text: str, max_chars: int) -> str:
    """``text`` if it fits in ``max_chars``; else its first and last ``max_chars // 2``
    characters around a marker that says how many characters were cut (the marker itself
    is not counted against ``max_chars``)."""
    if len(text) <= max_chars:
        return text
    half = max_chars // 2
    return f"{text[:half]}\n... [{len(text) - 2 * half} characters cut] ...\n{text[len(text) - half:]}"
