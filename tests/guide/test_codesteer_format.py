"""The CodeSteer conversation format: rendering against golden files, and reading replies.

Golden files live in tests/guide/fixtures. After a deliberate change of the format,
rewrite them with ``CODESTEER_UPDATE_GOLDEN=1 pytest tests/guide/test_codesteer_format.py``
and read the diff before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from guide.codesteer_format import (
    FIRST_TURN_INSTRUCTION,
    FormatLimits,
    MalformedGuidance,
    parse_guidance,
    render_conversation,
    render_guidance,
)
from guide.prompts import CODE_FIRST, question_with
from guide.types import Action, Guidance, Trajectory

FIXTURES = Path(__file__).parent / "fixtures"


def _trajectory(name: str) -> Trajectory:
    return Trajectory.model_validate_json((FIXTURES / f"trajectory_{name}.json").read_text())


def _check_golden(name: str, messages: list[dict[str, str]]) -> None:
    golden = FIXTURES / f"conversation_{name}.json"
    if os.environ.get("CODESTEER_UPDATE_GOLDEN"):
        golden.write_text(json.dumps(messages, indent=2, ensure_ascii=False) + "\n")
    assert messages == json.loads(golden.read_text())


@pytest.mark.parametrize("name", ["pending", "finished"])
def test_rendered_conversation_matches_the_golden_file(name):
    _check_golden(name, render_conversation(_trajectory(name)))


def test_a_trajectory_waiting_for_guidance_ends_on_the_round_report():
    messages = render_conversation(_trajectory("pending"))
    assert [m["role"] for m in messages] == ["user", "assistant", "user", "assistant", "user"]
    last = messages[-1]["content"]
    assert last.startswith("The response from TaskLLM is: ```python")
    assert "NameError: name 'x' is not defined" in last
    assert "exit code 1" in last
    assert "The summary of generated code complexity is: search" in last
    assert last.endswith("<<<guidance prompt content>>>.")


def test_a_finished_trajectory_ends_on_the_guides_last_decision():
    messages = render_conversation(_trajectory("finished"))
    assert messages[-1] == {"role": "assistant", "content": "<<<Return Answer>>>"}
    assert [m["role"] for m in messages] == ["user", "assistant"] + ["user", "assistant"] * 3


def test_a_fresh_session_is_only_the_code_text_choice():
    trajectory = Trajectory(session_id="s", question="How many r are in strawberry?")
    assert render_conversation(trajectory) == [
        {"role": "user", "content": FIRST_TURN_INSTRUCTION + "How many r are in strawberry?"}
    ]


def test_the_first_choice_is_written_without_the_question_it_repeats():
    question = "How many r are in strawberry?"
    first = Guidance(action=Action.CODE, prompt=question_with(CODE_FIRST, question), rationale="r")
    trajectory = Trajectory(session_id="s", question=question, first=first)
    assert render_conversation(trajectory)[1] == {"role": "assistant", "content": "<<<Code>>>"}


def test_hard_coded_code_is_flagged_as_not_complex_enough():
    report = render_conversation(_trajectory("pending"))[2]["content"]
    assert "may not be complex enough to carry out symbolic computing" in report


def test_a_long_response_is_cut_in_the_middle_with_a_marker():
    trajectory = _trajectory("pending")
    trajectory.rounds[-1].response = "head " + "x" * 10_000 + " tail"
    content = render_conversation(trajectory, FormatLimits(response_chars=400))[-1]["content"]
    assert "head" in content and "tail" in content
    assert "characters cut]" in content
    assert len(content) < 2000


@pytest.mark.parametrize(
    "reply, action",
    [
        ("<<<Code>>>", Action.CODE),
        ("<<<Text>>>", Action.TEXT),
        ("<<<Return Answer>>>", Action.RETURN),
        ("<<<Terminate>>>", Action.TERMINATE),
        ("The check passed. <<< return_answer >>>", Action.RETURN),
        ("<<<code>>>", Action.CODE),
    ],
)
def test_each_control_token_maps_to_its_action(reply, action):
    assert parse_guidance(reply, first_turn=False).action is action


def test_free_guidance_in_a_round_means_refine_with_that_prompt():
    parsed = parse_guidance("The search misses division.\n<<<Try division too, and answer as <<<expr>>>.>>>", first_turn=False)
    assert parsed.action is Action.REFINE
    assert parsed.prompt == "Try division too, and answer as <<<expr>>>."
    assert parsed.reasoning == "The search misses division."


@pytest.mark.parametrize(
    "prompt, action",
    [
        ("<<<Write a Python program that enumerates the cases.>>>", Action.CODE),
        ("<<<Think about which letters repeat.>>>", Action.TEXT),
    ],
)
def test_free_guidance_as_the_first_choice_picks_the_mode_it_speaks_of(prompt, action):
    assert parse_guidance(prompt, first_turn=True).action is action


def test_a_mode_token_with_guidance_keeps_both():
    parsed = parse_guidance("<<<Text>>>\n<<<Count the letters one by one.>>>", first_turn=False)
    assert (parsed.action, parsed.prompt, parsed.token) == (Action.TEXT, "Count the letters one by one.", "<<<Text>>>")


@pytest.mark.parametrize(
    "reply",
    ["", "I think the TaskLLM should use code.", "<<<Code>>> or maybe <<<Text>>>", "<<<Write a program that", "<<<   >>>"],
)
def test_a_reply_without_one_clear_decision_is_malformed(reply):
    with pytest.raises(MalformedGuidance):
        parse_guidance(reply, first_turn=False)


@pytest.mark.parametrize(
    "guidance",
    [
        Guidance(action=Action.CODE, prompt=CODE_FIRST, rationale="r"),
        Guidance(action=Action.CODE, prompt="Search with itertools.product over the operators.", rationale="r"),
        Guidance(action=Action.TEXT, prompt="Reason in text.", rationale="r"),
        Guidance(action=Action.REFINE, prompt="Fix the NameError, then print the answer as <<<answer>>>.", rationale="r"),
        Guidance(action=Action.RETURN, prompt="closing", rationale="r", final_answer="3"),
        Guidance(action=Action.TERMINATE, prompt="closing", rationale="r", final_answer="3"),
    ],
)
def test_a_rendered_decision_reads_back_as_the_same_decision(guidance):
    parsed = parse_guidance(render_guidance(guidance), first_turn=False)
    assert parsed.action is guidance.action
    if guidance.action is Action.CODE and guidance.prompt == CODE_FIRST:
        assert parsed.prompt is None  # written as the bare token, the default prompt applies
    elif guidance.action in (Action.CODE, Action.TEXT, Action.REFINE):
        assert parsed.prompt == guidance.prompt
