"""Steering a sarcasm-counting question with emulated calls, through the in-memory client:
a host with sampling, and a host without (the TaskLLM supplies the values)."""

from __future__ import annotations

import json
import re

import pytest
from mcp import Client
from sarcasm_sentences import SENTENCES, judge
from test_lmulate_tools import EXPECTED, QUESTION, SamplingHost, make_settings

from guide.chain_of_code import CHAIN_OF_CODE_HINT
from mcp_codesteer.server import build_server

pytestmark = pytest.mark.anyio

PROGRAM = f"""```python
sentences = {SENTENCES!r}
print(f"<<<{{sum(1 for s in sentences if is_sarcastic(s))}}>>>")
```"""


CHECK_PROGRAM = f"""Checking by counting one sentence at a time:
```python
count = 0
for sentence in {SENTENCES!r}:
    if is_sarcastic(sentence):
        count += 1
print(f"<<<{{count}}>>>")
```"""


def fill(template_prompt: str) -> str:
    """The TaskLLM's answer to the guide's request for values: the program and the filled json block."""
    template = json.loads(re.search(r"```json\n(.*?)```", template_prompt, re.DOTALL).group(1))
    values = {key: judge(eval(key[len("is_sarcastic(") : -1])) for key in template}
    return PROGRAM + "\n```json\n" + json.dumps(values) + "\n```"


async def test_a_host_without_sampling_solves_the_sarcasm_question_by_giving_the_values(tmp_path, mode):
    async with Client(build_server(make_settings(tmp_path)), mode=mode) as client:
        opened = (await client.call_tool("steer_next", {"question": QUESTION})).structured_content
        assert opened["action"] == "code" and CHAIN_OF_CODE_HINT in opened["prompt"]
        sid = opened["session_id"]
        step = (await client.call_tool("steer_next", {"session_id": sid, "response": PROGRAM})).structured_content
        assert step["action"] == "refine" and step["lmulate"]["status"] == "needs_values"
        assert step["exit_code"] is None, "an emulation round is not a crash"
        assert len(step["lmulate"]["pending"]) == len(SENTENCES)
        answers = [fill(step["prompt"])]
        for _ in range(3):
            step = (
                await client.call_tool("steer_next", {"session_id": sid, "response": answers[-1]})
            ).structured_content
            if step["done"]:
                break
            answers.append(CHECK_PROGRAM)  # a self-check; it reuses the values already given
        trajectory = json.loads((await client.read_resource(f"codesteer://sessions/{sid}")).contents[0].text)
    assert step["done"] and step["final_answer"] == str(EXPECTED), step
    emulated = trajectory["rounds"][-1]["emulation"]["emulated"]
    assert len(emulated) == len(SENTENCES) and {c["source"] for c in emulated} == {"host"}


async def test_a_host_with_sampling_has_the_calls_emulated_within_the_step(tmp_path):
    host = SamplingHost()
    async with Client(build_server(make_settings(tmp_path)), mode="legacy", sampling_callback=host) as client:
        sid = (await client.call_tool("steer_next", {"question": QUESTION})).structured_content["session_id"]
        step = (await client.call_tool("steer_next", {"session_id": sid, "response": PROGRAM})).structured_content
    assert step["lmulate"]["status"] == "finished"
    assert step["answer"] == str(EXPECTED)
    assert step["exit_code"] == 0 and "emulated by a language model" in step["execution"]
    assert len(host.prompts) == len(SENTENCES)
    assert QUESTION[:40] in host.prompts[0], "the emulator is told the question being solved"
