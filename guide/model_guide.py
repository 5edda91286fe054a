"""A guide backed by any chat model: render, generate, parse, check, fall back.

The chat model (:mod:`guide.chat`: transformers in-process, an OpenAI-compatible
endpoint, vLLM in-process, a mock) only turns a conversation into text.
:class:`ModelGuide` does the rest: it renders the trajectory in the CodeSteer format,
asks the model, reads the control tokens, checks that the decision is one the loop can
take, and falls back to the rules guide whenever the model's reply cannot be used, so
that a model never crashes a session. Every fallback is recorded in ``Guidance.source``
(``'<provider>+fallback'``) and in the rationale, which says what the model did wrong.
"""

from __future__ import annotations

import logging

from . import prompts
from .chat import ChatModel, GenerateSettings, aclose_model, as_messages
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

GUIDE_MAX_TOKENS = 512
"""A guide's reply is cut at this many tokens by default (a cut guidance is malformed and falls back)."""
GUIDE_SETTINGS = GenerateSettings(temperature=0.0, max_tokens=GUIDE_MAX_TOKENS)
"""Greedy, so a guide gives the same decision for the same trajectory."""


class ModelGuide:
    """A Guide backed by a chat model, with the rules guide as the safety net.

    ``fallback`` decides whenever the model cannot: the model failed, the reply was
    malformed, or it made a decision the loop cannot take (anything but code or text
    as the first choice; code, text or refine with no rounds left; return when the last
    response gave no answer). The rules guide is used when no fallback is given.
    ``next`` never raises for the model's sake.
    """

    def __init__(
        self,
        model: ChatModel,
        *,
        fallback: Guide | None = None,
        limits: FormatLimits | None = None,
        settings: GenerateSettings | None = None,
    ):
        self.model = model
        # the provider's kind ('hf', 'openai', ...) names the guide in Guidance.source
        self.name = model.name.partition(":")[0]
        self.limits = limits or FormatLimits()
        self.settings = settings or GUIDE_SETTINGS
        self._fallback = fallback

    @property
    def fallback(self) -> Guide:
        if self._fallback is None:
            self._fallback = RulesGuide()
        return self._fallback

    async def next(self, trajectory: Trajectory) -> Guidance:
        first_turn = not trajectory.rounds
        try:
            completion = await self.model.generate(as_messages(render_conversation(trajectory, self.limits)), self.settings)
        except Exception as exc:  # a guide outage must not end the session
            log.warning("%s guide failed, the rules guide decides: %s", self.name, exc)
            return await self._fall_back(trajectory, f"the {self.name} guide failed ({type(exc).__name__}: {exc})")
        reply = completion.text
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
        await aclose_model(self.model)
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
