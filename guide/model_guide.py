"""What every model-backed guide shares: render, generate, parse, check, fall back.

A backend (transformers in-process, an OpenAI-compatible endpoint, vLLM in-process)
only turns a chat into text. :class:`ModelGuide` does the rest: it renders the
trajectory in the CodeSteer format, asks the backend, reads the control tokens, checks
that the decision is one the loop can take, and falls back to the rules guide whenever
the model's reply cannot be used, so that a model never crashes a session. Every
fallback is recorded in ``Guidance.source`` (``'<backend>+fallback'``) and in the
rationale, which says what the model did wrong.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

import anyio

from . import prompts
from .codesteer_format import (
    ACTION_TOKENS,
    MODE_INSTRUCTIONS,
    FormatLimits,
    MalformedGuidance,
    ParsedGuidance,
    parse_guidance,
    render_conversation,
)
from .rules import RulesGuide, best_answer
from .types import Action, Guidance, Guide, Trajectory

log = logging.getLogger(__name__)

Messages = list[dict[str, str]]


class GuideBackendError(RuntimeError):
    """The backend could not produce a reply (unreachable endpoint, bad response, ...)."""


@runtime_checkable
class GenerateBackend(Protocol):
    """Turns one chat into the guide model's reply."""

    name: str

    async def generate(self, messages: Messages) -> str: ...

    async def aclose(self) -> None: ...


class ModelGuide:
    """A Guide backed by a language model, with the rules guide as the safety net.

    ``fallback`` decides whenever the model cannot: the backend failed, the reply was
    malformed, or it made a decision the loop cannot take (anything but code or text
    as the first choice; code, text or refine with no rounds left; return when the last
    response gave no answer). The rules guide is used when no fallback is given.
    """

    def __init__(self, backend: GenerateBackend, *, fallback: Guide | None = None, limits: FormatLimits | None = None):
        self.backend = backend
        self.name = backend.name
        self.limits = limits or FormatLimits()
        self._fallback = fallback

    @property
    def fallback(self) -> Guide:
        if self._fallback is None:
            self._fallback = RulesGuide()
        return self._fallback

    async def next(self, trajectory: Trajectory) -> Guidance:
        first_turn = not trajectory.rounds
        try:
            reply = await self.backend.generate(render_conversation(trajectory, self.limits))
        except Exception as exc:  # a guide outage must not end the session
            log.warning("%s guide failed, the rules guide decides: %s", self.name, exc)
            return await self._fall_back(trajectory, f"the {self.name} guide failed ({type(exc).__name__}: {exc})")
        try:
            parsed = parse_guidance(reply, first_turn=first_turn, limits=self.limits)
        except MalformedGuidance as exc:
            log.warning("%s guide wrote a malformed reply, the rules guide decides: %s", self.name, exc)
            return await self._fall_back(trajectory, f"the {self.name} guide's reply was malformed ({exc}): {reply[:200]!r}")
        illegal = _why_illegal(parsed.action, trajectory)
        if illegal:
            log.info("%s guide overridden: %s", self.name, illegal)
            return await self._fall_back(trajectory, f"the {self.name} guide's decision was overridden: {illegal}")
        return self._guidance(parsed, trajectory)

    def _guidance(self, parsed: ParsedGuidance, trajectory: Trajectory) -> Guidance:
        said = parsed.token or "a guidance prompt"
        rationale = f"the {self.name} guide model chose {said}"
        if parsed.reasoning:
            rationale += f"; its reasoning: {parsed.reasoning[:500]}"
        action = parsed.action
        if action is Action.RETURN:
            answer = trajectory.rounds[-1].answer
            prompt = prompts.RETURN.format(answer=answer)
        elif action is Action.TERMINATE:
            answer = best_answer(trajectory)
            prompt = prompts.TERMINATE.format(answer=answer) if answer else prompts.TERMINATE_NONE
        else:
            prompt = parsed.prompt or MODE_INSTRUCTIONS[action]
            if not trajectory.rounds:
                prompt = prompts.question_with(prompt, trajectory.question)
            return Guidance(action=action, prompt=prompt, rationale=rationale, source=self.name)
        return Guidance(action=action, prompt=prompt, rationale=rationale, source=self.name, final_answer=answer)

    async def _fall_back(self, trajectory: Trajectory, reason: str) -> Guidance:
        decided = await self.fallback.next(trajectory)
        return decided.model_copy(
            update={
                "source": f"{self.name}+fallback",
                "rationale": f"{reason}; the {decided.source} guide decided instead: {decided.rationale}",
            }
        )

    async def aclose(self) -> None:
        await self.backend.aclose()
        if self._fallback is not None:
            await self._fallback.aclose()


def _why_illegal(action: Action, trajectory: Trajectory) -> str | None:
    """Why the loop cannot take ``action`` now, or None when it can."""
    token = ACTION_TOKENS.get(action, "a guidance prompt")
    if not trajectory.rounds:
        if action not in (Action.CODE, Action.TEXT):
            return f"it chose {token} before the TaskLLM had answered; the first choice must be code or text"
        return None
    if trajectory.turns_left == 0 and action not in (Action.RETURN, Action.TERMINATE):
        return f"it chose {token} with no rounds left ({trajectory.max_rounds} used); only return or terminate can follow"
    if action is Action.RETURN and trajectory.rounds[-1].answer is None:
        return "it chose <<<Return Answer>>> but the last response gave no answer to return"
    return None


class _Pending:
    __slots__ = ("messages", "done", "result", "error")

    def __init__(self, messages: Messages):
        self.messages = messages
        self.done = anyio.Event()
        self.result: str | None = None
        self.error: BaseException | None = None


class Batcher:
    """Gathers requests that arrive within ``window_s`` and generates them together.

    The first caller to find no batch forming leads: it waits ``window_s``, takes up to
    ``max_batch`` waiting requests, runs ``run_batch`` on them in a worker thread (one
    batch at a time: the model is not shared between threads), hands out the results,
    and goes on while requests wait. The leader's work is shielded from cancellation so
    that the other callers always get an answer; a caller cancelled while waiting only
    loses its own result. An exception in ``run_batch`` is raised to every caller of
    that batch.
    """

    def __init__(self, run_batch: Callable[[Sequence[Messages]], list[str]], *, window_s: float = 0.02, max_batch: int = 8):
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        self._run_batch = run_batch
        self.window_s = window_s
        self.max_batch = max_batch
        self._waiting: list[_Pending] = []
        self._leading = False
        self.batch_sizes: list[int] = []  # sizes of the batches run, for tests and benchmarks

    async def submit(self, messages: Messages) -> str:
        item = _Pending(messages)
        self._waiting.append(item)
        if not self._leading:
            self._leading = True
            with anyio.CancelScope(shield=True):
                try:
                    await self._lead()
                finally:
                    self._leading = False
        await item.done.wait()
        if item.error is not None:
            raise GuideBackendError(f"generation failed: {type(item.error).__name__}: {item.error}") from item.error
        assert item.result is not None
        return item.result

    async def _lead(self) -> None:
        while self._waiting:
            if self.window_s > 0:
                await anyio.sleep(self.window_s)
            batch, self._waiting = self._waiting[: self.max_batch], self._waiting[self.max_batch :]
            self.batch_sizes.append(len(batch))
            try:
                results = await anyio.to_thread.run_sync(self._run_batch, [p.messages for p in batch])
                if len(results) != len(batch):
                    raise GuideBackendError(f"the backend returned {len(results)} replies for {len(batch)} requests")
            except Exception as exc:
                for p in batch:
                    p.error = exc
                    p.done.set()
                continue
            for p, text in zip(batch, results):
                p.result = text
                p.done.set()
