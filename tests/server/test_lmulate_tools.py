"""run_code with lmulate through the SDK's in-memory client: the host's model emulates
through MCP sampling (both protocol eras), or through the tool result (no sampling)."""

from __future__ import annotations

import json
import re

import pytest
from mcp import Client, types

from mcp_codesteer.server import build_server
from mcp_codesteer.settings import Settings
from sarcasm_sentences import SENTENCES, judge

pytestmark = pytest.mark.anyio


def make_settings(tmp_path, **overrides) -> Settings:
    return Settings(data_dir=tmp_path / "data", sandbox="local", **overrides)


QUESTION = "How many of these sentences are sarcastic: " + " | ".join(SENTENCES)
PROGRAM = f'''
"""Count the sarcastic sentences."""
sentences = {SENTENCES!r}
count = 0
for s in sentences:
    if is_sarcastic(s):  # a judgement, left to the LMulator
        count += 1
print(f"<<<{{count}}>>>")
'''
EXPECTED = sum(judge(s) for s in SENTENCES)


def call_of(prompt: str) -> str:
    """The sentence in an emulation prompt's call line."""
    match = re.search(r"The call to emulate:\n\s+is_sarcastic\((.*)\)\n", prompt)
    assert match, prompt
    return eval(match.group(1))  # the key is a Python literal written by the server


class SamplingHost:
    """A host whose model answers sampling requests with the judge above."""

    def __init__(self) -> None:
        self.prompts: list[str] = []

    async def __call__(self, context, params: types.CreateMessageRequestParams):
        prompt = params.messages[0].content.text
        self.prompts.append(prompt)
        value = judge(call_of(prompt))
        return types.CreateMessageResult(
            role="assistant", content=types.TextContent(type="text", text=f"<<<{json.dumps(value)}>>>"), model="judge"
        )


async def test_a_host_with_sampling_counts_the_sarcastic_sentences_through_run_code(tmp_path, mode):
    host = SamplingHost()
    async with Client(build_server(make_settings(tmp_path)), mode=mode, sampling_callback=host) as client:
        result = await client.call_tool("run_code", {"code": PROGRAM, "lmulate": True})
    data = result.structured_content
    assert not result.is_error, data
    assert data["stdout"].strip() == f"<<<{EXPECTED}>>>"
    lm = data["lmulate"]
    assert lm["status"] == "finished"
    assert len(lm["emulated"]) == len(SENTENCES)
    assert {c["source"] for c in lm["emulated"]} == {"sampling"}
    assert all(c["emulated"] is True for c in lm["emulated"])
    assert sorted(call_of(p) for p in host.prompts) == sorted(SENTENCES), "each distinct call is asked once"
    assert "Count the sarcastic sentences" in host.prompts[0], "the prompt carries the program's context"


async def test_a_host_without_sampling_emulates_through_the_tool_result(tmp_path, mode):
    async with Client(build_server(make_settings(tmp_path)), mode=mode) as client:
        first = (await client.call_tool("run_code", {"code": PROGRAM, "lmulate": True})).structured_content
        lm = first["lmulate"]
        assert lm["status"] == "needs_values"
        assert "emulated" in lm["prompt"] and "next_emulated" in lm["prompt"]
        assert sorted(c["args"][0] for c in lm["pending"]) == sorted(SENTENCES)
        values = {key: judge(call_of(f"The call to emulate:\n    {key}\n")) for key in lm["next_emulated"]}
        second = (
            await client.call_tool("run_code", {"code": PROGRAM, "lmulate": True, "emulated": values})
        ).structured_content
    assert second["stdout"].strip() == f"<<<{EXPECTED}>>>"
    assert second["lmulate"]["status"] == "finished"
    assert {c["source"] for c in second["lmulate"]["emulated"]} == {"host"}


async def test_emulated_keys_may_be_written_with_either_quotes_and_json_literals(tmp_path):
    code = "print(is_fruit('apple'), is_fruit(\"kale\"), rank(['b', 'a'], desc=True))"
    emulated = {'is_fruit("apple")': True, "is_fruit( 'kale' )": False, 'rank(["b", "a"], desc=true)': ["a", "b"]}
    async with Client(build_server(make_settings(tmp_path))) as client:
        data = (await client.call_tool("run_code", {"code": code, "emulated": emulated})).structured_content
    assert data["stdout"].strip() == "True False ['a', 'b']"
    assert data["lmulate"]["status"] == "finished"


@pytest.mark.parametrize(
    ("emulated", "says"),
    [
        ({"import os": 1}, "not a function call"),
        ({"f(x)": 1}, "literal"),
        ({"f(1)": None}, "null"),
        ({"f(1)": "x" * 10_000}, "over the limit"),
    ],
)
async def test_unusable_emulated_values_are_refused_with_what_to_send(tmp_path, emulated, says):
    async with Client(build_server(make_settings(tmp_path))) as client:
        result = await client.call_tool("run_code", {"code": "print(f(1))", "emulated": emulated})
    assert result.is_error
    assert says in result.content[0].text


async def test_lmulate_refuses_a_persistent_session(tmp_path):
    async with Client(build_server(make_settings(tmp_path))) as client:
        result = await client.call_tool("run_code", {"code": "print(f(1))", "lmulate": True, "session": "s"})
    assert result.is_error and "leave session out" in result.content[0].text


async def test_run_code_without_lmulate_keeps_its_result_shape(client):
    data = (await client.call_tool("run_code", {"code": "print(1)"})).structured_content
    assert "lmulate" not in data
    assert data["stdout"] == "1\n"


async def test_without_lmulate_an_undefined_function_is_a_plain_name_error(client):
    data = (await client.call_tool("run_code", {"code": "print(is_fruit('apple'))"})).structured_content
    assert data["exit_code"] == 1 and "NameError" in data["stderr"]


def emulate_reply(messages, settings) -> str:
    """``--lmulator function:test_lmulate_tools:emulate_reply``: the judge as a function model."""
    EMULATOR_PROMPTS.append(messages[-1].content)
    return f"<<<{json.dumps(judge(call_of(messages[-1].content)))}>>>"


EMULATOR_PROMPTS: list[str] = []


async def test_a_configured_lmulator_model_emulates_when_the_client_cannot_sample(tmp_path, mode):
    EMULATOR_PROMPTS.clear()
    settings = make_settings(tmp_path, lmulator="function:test_lmulate_tools:emulate_reply")
    async with Client(build_server(settings), mode=mode) as client:
        data = (await client.call_tool("run_code", {"code": PROGRAM, "lmulate": True})).structured_content
    assert data["stdout"].strip() == f"<<<{EXPECTED}>>>"
    assert {c["source"] for c in data["lmulate"]["emulated"]} == {"model:function:test_lmulate_tools:emulate_reply"}
    assert len(EMULATOR_PROMPTS) == len(SENTENCES)


async def test_sampling_comes_before_a_configured_model(tmp_path, mode):
    EMULATOR_PROMPTS.clear()
    host = SamplingHost()
    settings = make_settings(tmp_path, lmulator="function:test_lmulate_tools:emulate_reply")
    async with Client(build_server(settings), mode=mode, sampling_callback=host) as client:
        data = (await client.call_tool("run_code", {"code": PROGRAM, "lmulate": True})).structured_content
    assert {c["source"] for c in data["lmulate"]["emulated"]} == {"sampling"}
    assert EMULATOR_PROMPTS == [] and len(host.prompts) == len(SENTENCES)


def test_an_unknown_lmulator_spec_stops_the_server_with_the_accepted_forms(tmp_path):
    from mcp_codesteer.cli import main

    assert main(["serve", "--lmulator", "nonsense:x", "--data-dir", str(tmp_path), "--sandbox", "local"]) == 2


async def test_an_emulated_run_reads_the_files_sent_with_it_in_every_replay(tmp_path):
    code = "words = open('words.txt').read().split()\nprint(sum(1 for w in words if is_fruit(w)))\n"
    async with Client(build_server(make_settings(tmp_path))) as client:
        first = (
            await client.call_tool("run_code", {"code": code, "lmulate": True, "files": {"words.txt": "apple kale plum"}})
        ).structured_content
        values = {key: "kale" not in key for key in first["lmulate"]["next_emulated"]}
        second = (
            await client.call_tool(
                "run_code", {"code": code, "emulated": values, "files": {"words.txt": "apple kale plum"}}
            )
        ).structured_content
    assert sorted(first["lmulate"]["next_emulated"]) == ["is_fruit('apple')", "is_fruit('kale')", "is_fruit('plum')"]
    assert second["stdout"] == "2\n" and second["lmulate"]["status"] == "finished"
