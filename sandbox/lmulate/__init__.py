"""Chain of Code's LMulator over any sandbox: programs may call functions nobody wrote;
a language model (injected as an async callable) supplies their values, and the program
is replayed from the start with a memo of every value so far."""

from .calls import CallKeyError, JSONValue, SemanticCall, call_context, call_key, canonical_key, parse_call_key, semantic_names
from .prompting import UnreadableValue, emulation_prompt, parse_emulated_value
from .replay import EmulatedCall, Emulator, LmulateLimits, LmulateResult, Lmulator

__all__ = [
    "CallKeyError",
    "EmulatedCall",
    "Emulator",
    "JSONValue",
    "LmulateLimits",
    "LmulateResult",
    "Lmulator",
    "SemanticCall",
    "UnreadableValue",
    "call_context",
    "call_key",
    "canonical_key",
    "emulation_prompt",
    "parse_call_key",
    "parse_emulated_value",
    "semantic_names",
]
