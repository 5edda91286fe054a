"""Models for tests and dry runs, shipped so users can test their own set-ups too.

- :class:`MockModel` replays a list of replies (or asks a callable) and records every
  conversation it was sent (``requests``) with its settings (``settings_seen``).
- :class:`FunctionModel` lets a Python function be the model (sync or async).
- :func:`call_context` says which task, sample and method a call is for, where the
  caller set it (the eval client does, via :func:`with_call_context`), so a scripted
  reply or a function can answer by task and method.

``mock:FILE`` reads either a JSON list of replies (cycled) or a script by task and method::

    {"default": "I cannot solve this. <<<unknown>>>",
     "replies": {"game24": {"all_code": ["```python\nprint('<<<1+2+3*6>>>')\n```"]},
                 "*": {"code_feedback": ["```python\nprint(1/0)\n```", "```python\nprint('<<<0>>>')\n```"],
                       "*": ["<<<unknown>>>"]}}}

``replies`` maps a task name (or ``*``) to a method name (or ``*``) to the replies of one
sample's successive turns: the n-th reply answers a conversation holding n-1 earlier
replies (the last one repeats). The exact task and method win over ``*`` (which also
matches a call made outside any sample); ``default`` answers what nothing matches.

Neither makes a real request, so both work while ``forbid_model_requests`` is on. Token
counts are estimated (about four characters a token) so usage columns are filled.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import json
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextvars import ContextVar
from pathlib import Path

from .types import ChatMessage, Completion, GenerateSettings, ModelError, Usage, as_messages

Responder = Callable[[list[ChatMessage]], str | Awaitable[str]]
ModelFunction = Callable[[list[ChatMessage], GenerateSettings], str | Awaitable[str]]

DEFAULT_REPLY = "I cannot solve this. <<<unknown>>>"


_CALL_CONTEXT: ContextVar[dict[str, str]] = ContextVar("codesteer_model_call_context", default={})


def call_context() -> dict[str, str]:
    """What the current model call is for (``task``, ``method``, ``sample_id`` where the
    caller set them; empty otherwise)."""
    return dict(_CALL_CONTEXT.get())


@contextlib.contextmanager
def with_call_context(**labels: str) -> Iterator[None]:
    """Label the model calls made inside the block (and in tasks started from it)."""
    token = _CALL_CONTEXT.set({**_CALL_CONTEXT.get(), **labels})
    try:
        yield
    finally:
        _CALL_CONTEXT.reset(token)


class ReplyScript:
    """Replies by task and method (the dict form of ``mock:FILE``; see the module docstring)."""

    def __init__(self, replies: dict[str, dict[str, list[str]]], default: str = DEFAULT_REPLY) -> None:
        self.replies = replies
        self.default = default

    @classmethod
    def from_data(cls, data: dict, source: str) -> "ReplyScript":
        replies = data.get("replies", {})
        default = data.get("default", DEFAULT_REPLY)
        unknown = set(data) - {"replies", "default"}
        ok = (
            bool(data)
            and not unknown
            and isinstance(default, str)
            and isinstance(replies, dict)
            and all(
                isinstance(by_method, dict)
                and all(isinstance(turns, list) and turns and all(isinstance(t, str) for t in turns)
                        for turns in by_method.values())
                for by_method in replies.values()
            )
        )
        if not ok:
            raise ValueError(
                f"mock:{source}: a script is {{\"default\": TEXT, \"replies\": {{TASK or *: {{METHOD or *: [TEXT, ...]}}}}}}"
                + (f"; unknown keys {sorted(unknown)}" if unknown else "")
            )
        return cls(replies, default)

    def __call__(self, messages: list[ChatMessage]) -> str:
        context = call_context()
        task, method = context.get("task"), context.get("method")
        for t in (task, "*"):
            by_method = self.replies.get(t) if t else None
            for m in (method, "*"):
                turns = by_method.get(m) if by_method and m else None
                if turns:
                    earlier = sum(1 for msg in messages if msg.role == "assistant")
                    return turns[min(earlier, len(turns) - 1)]
        return self.default


def rough_token_count(text: str) -> int:
    """A stand-in for a tokenizer (about four characters a token)."""
    return max(1, len(text) // 4) if text else 0


def _completion(reply: str, messages: list[ChatMessage], name: str, started: float) -> Completion:
    return Completion(
        text=reply,
        usage=Usage(
            input_tokens=rough_token_count("".join(m.content for m in messages)), output_tokens=rough_token_count(reply)
        ),
        duration_s=time.perf_counter() - started,
        model=name,
        finish_reason="stop",
    )


def _cut_at_stop(text: str, stop: list[str] | None) -> str:
    for s in stop or []:
        if s and s in text:
            text = text[: text.index(s)]
    return text


class MockModel:
    """``replies``: a list replayed in order (ModelError once it is used up, unless
    ``cycle``), or a callable given the conversation that returns the reply (sync or async).
    With no replies it always answers :data:`DEFAULT_REPLY`."""

    def __init__(
        self, replies: list[str] | Responder | None = None, *, cycle: bool = False, name: str = "mock"
    ) -> None:
        self.name = name
        self._replies = replies if replies is not None else [DEFAULT_REPLY]
        self._cycle = cycle or replies is None
        self._next = 0
        self.requests: list[list[ChatMessage]] = []
        self.settings_seen: list[GenerateSettings] = []

    @classmethod
    def from_file(cls, path: str) -> "MockModel":
        """``mock:FILE``: a JSON list of replies (cycled), or a script by task and method
        (a JSON object; see the module docstring)."""
        file = Path(path).expanduser()
        try:
            replies = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"mock:{path}: cannot read JSON replies from {file}: {exc}") from exc
        if isinstance(replies, dict):
            return cls(ReplyScript.from_data(replies, path), name=f"mock:{file.name}")
        if not isinstance(replies, list) or not replies or not all(isinstance(r, str) for r in replies):
            raise ValueError(
                f"mock:{path}: the file must hold a non-empty JSON list of strings, or a script by task and method"
            )
        return cls(replies, cycle=True, name=f"mock:{file.name}")

    def describe(self) -> dict:
        return {"provider": "mock", "scripted": not callable(self._replies)}

    async def generate(self, messages: Sequence[ChatMessage], settings: GenerateSettings | None = None) -> Completion:
        started = time.perf_counter()
        conversation = [m.model_copy() for m in as_messages(messages)]
        settings = settings or GenerateSettings()
        self.requests.append(conversation)
        self.settings_seen.append(settings)
        if callable(self._replies):
            reply = self._replies(conversation)
            if inspect.isawaitable(reply):
                reply = await reply
        else:
            if self._next >= len(self._replies):
                if not self._cycle:
                    raise ModelError(f"{self.name}: all {len(self._replies)} scripted replies were used")
                self._next = 0
            reply = self._replies[self._next]
            self._next += 1
        return _completion(str(reply), conversation, self.name, started)

    async def aclose(self) -> None:
        return None


class FunctionModel:
    """A Python function as the model: ``fn(messages, settings)`` returns the reply text
    (or an awaitable of it). Stop strings in the settings are applied to what it returns."""

    def __init__(self, fn: ModelFunction, *, name: str | None = None) -> None:
        self.fn = fn
        self.name = name or f"function:{getattr(fn, '__qualname__', type(fn).__name__)}"

    @classmethod
    def from_path(cls, target: str) -> "FunctionModel":
        """``function:package.module:callable``: import the callable and wrap it."""
        module_name, _, attr = target.partition(":")
        if not module_name or not attr:
            raise ValueError(f"function:{target}: write function:package.module:callable")
        try:
            fn = getattr(importlib.import_module(module_name), attr)
        except (ImportError, AttributeError) as exc:
            raise ValueError(f"function:{target}: cannot import {attr} from {module_name}: {exc}") from exc
        if not callable(fn):
            raise ValueError(f"function:{target}: {attr} is not callable")
        return cls(fn, name=f"function:{target}")

    def describe(self) -> dict:
        return {"provider": "function", "model": self.name}

    async def generate(self, messages: Sequence[ChatMessage], settings: GenerateSettings | None = None) -> Completion:
        started = time.perf_counter()
        conversation = as_messages(messages)
        settings = settings or GenerateSettings()
        reply = self.fn(conversation, settings)
        if inspect.isawaitable(reply):
            reply = await reply
        if not isinstance(reply, str):
            raise ModelError(f"{self.name}: the function returned {type(reply).__name__}, not the reply text")
        return _completion(_cut_at_stop(reply, settings.stop), conversation, self.name, started)

    async def aclose(self) -> None:
        return None


def make_mock(rest: str, options: object) -> MockModel:
    """``mock`` (always :data:`DEFAULT_REPLY`) or ``mock:FILE``."""
    return MockModel.from_file(rest) if rest else MockModel()


def make_function(rest: str, options: object) -> FunctionModel:
    return FunctionModel.from_path(rest)
