"""ModelGuide: a model's reply becomes guidance, or the rules guide decides and that is recorded."""

from __future__ import annotations

import pytest

from checkers.types import AnswerCheck
from guide.codesteer_format import render_conversation
from guide.chat import MockModel
from guide.model_guide import ModelGuide
from guide.prompts import CODE_FIRST, question_with
from guide.types import Action, Guidance, Round, Trajectory


def scripted(*replies: str | Exception) -> MockModel:
    """A model named 'fake' whose replies (or failures) are given in advance."""
    pending = list(replies)

    def reply(messages):
        answer = pending.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    return MockModel(reply, name="fake")


class StubFallback:
    """Stands in for the rules guide: a fixed, recognisable decision."""

    name = "rules"

    def __init__(self):
        self.calls = 0

    async def next(self, trajectory):
        self.calls += 1
        action = Action.TEXT if not trajectory.rounds else Action.TERMINATE
        return Guidance(action=action, prompt="stub prompt", rationale="stub reason", source="rules", final_answer=None)

    async def aclose(self):
        pass


def _round(index: int, answer: str | None, verdict: str | None = None, guided: bool = True) -> Round:
    check = AnswerCheck(verdict=verdict, reason="r", method="task_constraints") if verdict else None
    guidance = Guidance(action=Action.REFINE, prompt="again", rationale="r") if guided else None
    return Round(index=index, response=f"answer {answer}", answer=answer, answer_check=check, guidance=guidance)


def _trajectory(*rounds: Round, max_rounds: int = 6) -> Trajectory:
    first = Guidance(action=Action.CODE, prompt=CODE_FIRST, rationale="r") if rounds else None
    return Trajectory(session_id="s", question="What is 6 * 7?", max_rounds=max_rounds, first=first, rounds=list(rounds))


async def _decide(trajectory: Trajectory, *replies: str | Exception) -> tuple[Guidance, MockModel, StubFallback]:
    model, fallback = scripted(*replies), StubFallback()
    guidance = await ModelGuide(model, fallback=fallback).next(trajectory)
    return guidance, model, fallback


@pytest.mark.anyio
async def test_the_model_is_shown_the_rendered_conversation_and_its_code_choice_is_followed():
    trajectory = _trajectory()
    guidance, model, fallback = await _decide(trajectory, "Search is needed. <<<Code>>>")
    assert [[m.model_dump() for m in request] for request in model.requests] == [render_conversation(trajectory)]
    assert model.settings_seen[0].temperature == 0.0  # greedy: the same trajectory, the same decision
    assert (guidance.action, guidance.source) == (Action.CODE, "fake")
    assert guidance.prompt == question_with(CODE_FIRST, trajectory.question)
    assert "Search is needed." in guidance.rationale
    assert fallback.calls == 0


@pytest.mark.anyio
async def test_free_guidance_after_a_round_is_passed_to_the_taskllm_as_refine():
    trajectory = _trajectory(_round(0, "41", "incorrect", guided=False))
    guidance, _, _ = await _decide(trajectory, "<<<Recheck the product: 6 * 7 is not 41.>>>")
    assert (guidance.action, guidance.prompt, guidance.source) == (Action.REFINE, "Recheck the product: 6 * 7 is not 41.", "fake")


@pytest.mark.anyio
async def test_free_guidance_as_the_first_choice_follows_the_question():
    trajectory = _trajectory()
    guidance, _, _ = await _decide(trajectory, "<<<Write a Python program that tries every order of the numbers.>>>")
    assert (guidance.action, guidance.source) == (Action.CODE, "fake")
    assert guidance.prompt == question_with("Write a Python program that tries every order of the numbers.", trajectory.question)


@pytest.mark.anyio
async def test_a_bare_mode_token_after_a_round_gives_that_modes_instruction_without_the_question():
    guidance, _, _ = await _decide(_trajectory(_round(0, "41", "incorrect", guided=False)), "<<<Code>>>")
    assert (guidance.action, guidance.prompt) == (Action.CODE, CODE_FIRST)


@pytest.mark.anyio
async def test_malformed_output_falls_back_to_the_rules_decision_and_says_so():
    guidance, _, fallback = await _decide(_trajectory(), "qz<<<Co de")
    assert fallback.calls == 1
    assert (guidance.action, guidance.prompt, guidance.source) == (Action.TEXT, "stub prompt", "fake+fallback")
    assert "malformed" in guidance.rationale and "stub reason" in guidance.rationale
    assert "qz<<<Co de" in guidance.rationale


@pytest.mark.anyio
async def test_a_model_failure_falls_back_instead_of_ending_the_session():
    guidance, _, fallback = await _decide(_trajectory(), ConnectionError("connection refused"))
    assert fallback.calls == 1
    assert guidance.source == "fake+fallback"
    assert "connection refused" in guidance.rationale


@pytest.mark.anyio
async def test_returning_before_the_taskllm_answered_is_overridden():
    guidance, _, fallback = await _decide(_trajectory(), "<<<Return Answer>>>")
    assert fallback.calls == 1
    assert guidance.source == "fake+fallback"
    assert "overridden" in guidance.rationale and "first choice must be code or text" in guidance.rationale


@pytest.mark.anyio
async def test_asking_for_more_code_with_no_rounds_left_is_overridden():
    trajectory = _trajectory(_round(0, "41", "incorrect"), _round(1, "40", "incorrect", guided=False), max_rounds=2)
    guidance, _, fallback = await _decide(trajectory, "<<<Code>>>")
    assert fallback.calls == 1
    assert guidance.action is Action.TERMINATE
    assert "no rounds left" in guidance.rationale


@pytest.mark.anyio
async def test_returning_when_the_last_response_gave_no_answer_is_overridden():
    guidance, _, _ = await _decide(_trajectory(_round(0, None, guided=False)), "<<<Return Answer>>>")
    assert guidance.source == "fake+fallback"
    assert "gave no answer" in guidance.rationale


@pytest.mark.anyio
async def test_return_answer_closes_with_the_last_answer():
    guidance, _, _ = await _decide(_trajectory(_round(0, "42", "correct", guided=False)), "<<<Return Answer>>>")
    assert (guidance.action, guidance.final_answer, guidance.source) == (Action.RETURN, "42", "fake")
    assert "42" in guidance.prompt


@pytest.mark.anyio
async def test_terminate_stands_by_the_answer_checked_correct_over_a_later_wrong_one():
    trajectory = _trajectory(_round(0, "42", "correct"), _round(1, "41", "incorrect", guided=False))
    guidance, _, _ = await _decide(trajectory, "<<<Terminate>>>")
    assert (guidance.action, guidance.final_answer) == (Action.TERMINATE, "42")


def test_the_default_fallback_is_the_rules_guide():
    from guide.rules import RulesGuide

    assert isinstance(ModelGuide(scripted()).fallback, RulesGuide)
