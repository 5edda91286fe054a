"""`mcp-codesteer demo`: one steering session through the real server, scripted or with a model string."""

from __future__ import annotations

import re

from mcp_codesteer.cli import main


def test_the_scripted_demo_steers_to_a_verified_answer(capsys):
    assert main(["demo", "--sandbox", "local"]) == 0
    assert re.search(r"final answer \S+: correct", capsys.readouterr().out)


def test_the_demo_takes_any_model_string_for_its_taskllm(tmp_path, capsys):
    replies = tmp_path / "replies.json"
    replies.write_text('["I give up. <<<1+1>>>"]')  # a wrong answer, every round
    assert main(["demo", "--sandbox", "local", "--task-llm", f"mock:{replies}"]) == 1  # not verified correct
    assert "I give up." in capsys.readouterr().out


def test_a_malformed_model_string_is_refused_with_the_forms_and_exit_2(capsys):
    assert main(["demo", "--task-llm", "gpt-4o"]) == 2
    assert "openai:MODEL[@BASE_URL]" in capsys.readouterr().err
