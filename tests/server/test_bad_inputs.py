"""Bad input gets a ToolError that says what was wrong and what to send instead; the server carries on."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.anyio

BAD_CALLS = [
    ("steer_next", {"question": "   "}, "question is empty"),
    ("steer_next", {"question": "x" * 60_000}, "over the limit"),
    ("steer_next", {"session_id": "no-such-session", "response": "hi"}, "unknown session_id"),
    ("steer_next", {"question": "q", "response": "an answer"}, "without session_id"),
    ("steer_next", {"question": "Add 2 and 3.", "task": "not_a_task"}, "unknown SymBench task"),
    ("run_code", {"code": ""}, "code is empty"),
    ("run_code", {"code": "#" * 300_000}, "over the limit"),
    ("run_code", {"code": "print(1)", "timeout_s": -1}, "out of range"),
    ("run_code", {"code": "print(1)", "timeout_s": 10_000}, "out of range"),
    ("run_code", {"code": "print(1)", "timeout_s": "soon"}, "'timeout_s' must be a number, not a string"),
    ("run_code", {"code": 123}, "'code' must be a string, not an integer"),
    ("run_code", {}, "'code' is required"),
    ("steer_next", {"question": ["a", "list"]}, "'question' must be a string, not a list"),
    ("check_answer", {"question": "2+2?"}, "'answer' is required"),
    ("check_symbolic", {"code": ""}, "code is empty"),
    ("check_answer", {"question": "", "answer": "4"}, "question is empty"),
    ("check_answer", {"question": "2+2?", "answer": " "}, "answer is empty"),
    ("check_answer", {"question": "2+2?", "answer": "4", "task": "nope"}, "unknown SymBench task"),
]


@pytest.mark.parametrize(("tool", "arguments", "message"), BAD_CALLS, ids=[f"{t}-{m}" for t, _, m in BAD_CALLS])
async def test_bad_input_is_a_tool_error_naming_the_problem(client, tool, arguments, message):
    result = await client.call_tool(tool, arguments)
    assert result.is_error
    assert message in result.content[0].text
    assert "pydantic" not in result.content[0].text and "Arguments" not in result.content[0].text
    healthy = await client.call_tool("run_code", {"code": "print('still fine')"})
    assert healthy.structured_content["stdout"] == "still fine\n"


async def test_a_session_id_without_a_response_is_refused_and_the_session_is_intact(client):
    opened = (await client.call_tool("steer_next", {"question": "Compute 6*7."})).structured_content
    refused = await client.call_tool("steer_next", {"session_id": opened["session_id"]})
    assert refused.is_error and "without a response" in refused.content[0].text
    step = await client.call_tool(
        "steer_next", {"session_id": opened["session_id"], "response": "```python\nprint(6*7)\n```"}
    )
    assert step.structured_content["round"] == 1


async def test_an_empty_response_does_not_consume_a_round(client):
    opened = (await client.call_tool("steer_next", {"question": "Compute 6*7."})).structured_content
    refused = await client.call_tool("steer_next", {"session_id": opened["session_id"], "response": ""})
    assert refused.is_error and "response is empty" in refused.content[0].text
    step = await client.call_tool("steer_next", {"session_id": opened["session_id"], "response": "<<<42>>>"})
    assert step.structured_content["round"] == 1


async def test_an_unknown_session_resource_is_an_error_not_a_crash(client):
    from mcp.shared.exceptions import MCPError

    with pytest.raises(MCPError, match="unknown session_id"):
        await client.read_resource("codesteer://sessions/does-not-exist")


async def test_the_prompt_refuses_an_empty_question(client):
    from mcp.shared.exceptions import MCPError

    with pytest.raises(MCPError):
        await client.get_prompt("solve_with_codesteer", {"question": " "})
