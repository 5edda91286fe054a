"""A scripted TaskLLM for tests and smoke runs: replays what it is given, records what it was sent.

It never looks at a task's generator or verifier: a test that wants correct answers
scripts them (or computes them from the question it is sent).
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Awaitable, Callable
from pathlib import Path

from .base import Completion, GenerationSettings, Message, ProviderError, Usage

Responder = Callable[[list[Message]], str | Awaitable[str]]

DEFAULT_REPLY = "I cannot solve this. <<<unknown>>>"


def rough_token_count(text: str) -> int:
    """A stand-in for a tokenizer (about four characters a token), so token columns are filled."""
    return max(1, len(text) // 4) if text else 0


class MockTaskLLM:
    """``responses``: a list replayed in order (ProviderError when it runs out, unless
    ``cycle``), or a callable given the conversation that returns the reply."""

    def __init__(self, responses: list[str] | Responder | None = None, *, cycle: bool = False, name: str = "mock") -> None:
        self.name = name
        self._responses = responses if responses is not None else [DEFAULT_REPLY]
        self._cycle = cycle or responses is None
        self._next = 0
        self.calls: list[list[Message]] = []
        self.settings_seen: list[GenerationSettings] = []

    @classmethod
    def from_spec(cls, rest: str) -> "MockTaskLLM":
        """``mock`` (always the default reply) or ``mock:FILE`` (a JSON list of replies, cycled)."""
        if not rest:
            return cls(name="mock")
        path = Path(rest).expanduser()
        try:
            replies = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"mock:{rest}: cannot read a JSON list of replies from {path}: {exc}") from exc
        if not isinstance(replies, list) or not all(isinstance(r, str) for r in replies) or not replies:
            raise ValueError(f"mock:{rest}: the file must hold a non-empty JSON list of strings")
        return cls(replies, cycle=True, name=f"mock:{path.name}")

    def describe(self) -> dict:
        return {"provider": "mock", "scripted": not callable(self._responses)}

    async def generate(self, messages: list[Message], settings: GenerationSettings) -> Completion:
        self.calls.append([m.model_copy() for m in messages])
        self.settings_seen.append(settings)
        if callable(self._responses):
            reply = self._responses(messages)
            if inspect.isawaitable(reply):
                reply = await reply
        else:
            if self._next >= len(self._responses):
                if not self._cycle:
                    raise ProviderError(f"mock TaskLLM: all {len(self._responses)} scripted replies were used")
                self._next = 0
            reply = self._responses[self._next]
            self._next += 1
        prompt_text = "".join(m.content for m in messages)
        return Completion(
            text=str(reply),
            usage=Usage(input_tokens=rough_token_count(prompt_text), output_tokens=rough_token_count(str(reply))),
            model=self.name,
            finish_reason="stop",
        )

    async def aclose(self) -> None:
        return None
