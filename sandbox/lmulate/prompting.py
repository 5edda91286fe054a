"""What whoever emulates a call is asked, and how its reply becomes a JSON value."""

from __future__ import annotations

import ast
import json
import re

from .calls import JSONValue, SemanticCall

EMULATION_INSTRUCTION = (
    "You are emulating a Python function that nobody wrote. A program is running and has called it; "
    "decide what the call should return, using judgement and world knowledge, so the program can carry on.\n"
)
REPLY_FORMAT = (
    "Reply with the return value only, as a JSON value inside <<< >>>: <<<true>>> or <<<false>>>, a number "
    'like <<<3>>>, a string like <<<"red">>>, a list like <<<["a", "b"]>>> or an object. Match the type the '
    "program expects from how it uses the value."
)


def emulation_prompt(call: SemanticCall, context: str | None = None, question: str | None = None) -> str:
    """The prompt for one call: the question being solved (if known), the program around
    the call, the call itself and the reply format."""
    parts = [EMULATION_INSTRUCTION]
    if question:
        parts.append(f"The program was written to answer this question:\n{question.strip()[:4000]}\n")
    if context:
        parts.append(context + "\n")
    parts.append(f"The call to emulate:\n    {call.key}\n")
    parts.append(REPLY_FORMAT)
    return "\n".join(parts)


class UnreadableValue(ValueError):
    """A reply that holds no value."""


_MARKED = re.compile(r"<<<(.*?)>>>", re.DOTALL)
_WORDS = {"true": True, "false": False, "yes": True, "no": False, "null": None, "none": None}


def parse_emulated_value(text: str, *, max_chars: int = 4000) -> JSONValue:
    """The value in a reply: the last ``<<<...>>>`` (else the whole reply), read as JSON,
    else as a Python literal, else a bare true/false/yes/no/null word, else as the text
    itself. :class:`UnreadableValue` for an empty reply or one over ``max_chars``."""
    if text is None:
        raise UnreadableValue("the reply is empty")
    marked = _MARKED.findall(text)
    raw = (marked[-1] if marked else text).strip()
    if raw.startswith("```"):
        raw = raw.strip("`").removeprefix("json").strip()
    if not raw:
        raise UnreadableValue("the reply holds no value")
    if len(raw) > max_chars:
        raise UnreadableValue(f"the value is {len(raw)} characters, over the limit of {max_chars}")
    try:
        return json.loads(raw)
    except ValueError:
        pass
    try:
        value = ast.literal_eval(raw)
        json.dumps(value, allow_nan=False)
        return list(value) if isinstance(value, tuple) else value
    except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
        pass
    word = raw.strip(".!").lower()
    if word in _WORDS:
        return _WORDS[word]
    return raw
