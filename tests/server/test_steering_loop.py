"""A whole steering session driven by a scripted TaskLLM, and the round limit."""

from __future__ import annotations

import pytest

from guide.chat import ChatMessage, MockModel
from symbench import get_task

pytestmark = pytest.mark.anyio

SEARCH_24 = '''```python
from itertools import permutations, product
from fractions import Fraction

numbers = {numbers}
ops = "+-*/"

def value(expr):
    try:
        return eval(expr, {{"__builtins__": {{}}}}, {{"F": Fraction}})
    except ZeroDivisionError:
        return None

found = None
for a, b, c, d in permutations(numbers):
    for o1, o2, o3 in product(ops, repeat=3):
        for expr in (
            f"((F({{a}}){{o1}}F({{b}})){{o2}}F({{c}})){{o3}}F({{d}})",
            f"(F({{a}}){{o1}}(F({{b}}){{o2}}F({{c}}))){{o3}}F({{d}})",
            f"(F({{a}}){{o1}}F({{b}})){{o2}}(F({{c}}){{o3}}F({{d}}))",
            f"F({{a}}){{o1}}((F({{b}}){{o2}}F({{c}})){{o3}}F({{d}}))",
            f"F({{a}}){{o1}}(F({{b}}){{o2}}(F({{c}}){{o3}}F({{d}})))",
        ):
            if value(expr) == 24:
                found = expr.replace("F(", "(")
                break
        if found:
            break
    if found:
        break
print(f"<<<{{found}}>>>")
```'''


async def test_a_scripted_session_goes_text_then_code_then_search_then_returns(client):
    sample = get_task("game24").generate(3)
    script = [
        "Four numbers, easy: 6 times 4 is 24. <<<6*4>>>",  # a text answer that breaks the rules
        "```python\nprint('<<<(4+4)*3>>>')\n```",  # lazy code: a hand-made answer printed
        SEARCH_24.format(numbers=sample.metadata["numbers"]),  # a real search
    ]
    llm = MockModel(script)
    opened = (await client.call_tool("steer_next", {"question": sample.question, "task": "game24"})).structured_content
    assert opened["action"] == "text"  # Table 1: GPT-4o scores 23% in text, 11% in code on Game 24

    conversation = [ChatMessage(role="user", content=opened["prompt"])]
    steps = []
    result = opened
    while not result["done"]:
        reply = (await llm.generate(conversation)).text
        conversation.append(ChatMessage(role="assistant", content=reply))
        result = (
            await client.call_tool("steer_next", {"session_id": opened["session_id"], "response": reply})
        ).structured_content
        steps.append(result)
        conversation.append(ChatMessage(role="user", content=result["prompt"]))

    assert [s["action"] for s in steps] == ["code", "code", "return"]
    text_round, lazy_round, search_round = steps
    assert text_round["answer_check"]["verdict"] == "incorrect"
    assert "text" in text_round["rationale"].lower()
    assert lazy_round["symbolic"]["verdict"] == "hard_coded"
    assert "search" in lazy_round["prompt"].lower()
    assert search_round["symbolic"]["verdict"] == "search"
    assert search_round["answer_check"]["verdict"] == "correct"
    assert search_round["done"] and search_round["final_answer"] == search_round["answer"]
    assert get_task("game24").verify(sample, f"<<<{search_round['final_answer']}>>>", "strict").verdict == "correct"
    # The TaskLLM was sent exactly the guide's prompts, in order.
    assert len(llm.requests) == 3
    assert "Switch to code" in llm.requests[1][-1].content
    assert "does not compute the answer" in llm.requests[2][-1].content


async def test_the_round_limit_terminates_with_the_best_answer_so_far(tmp_path):
    from mcp import Client

    from mcp_codesteer.server import build_server
    from mcp_codesteer.settings import Settings

    settings = Settings(data_dir=tmp_path, sandbox="local", max_rounds=3)
    async with Client(build_server(settings)) as client:
        sid = (await client.call_tool("steer_next", {"question": "How many primes are below 100?"})).structured_content[
            "session_id"
        ]
        answers = ["```python\nprint(sum(1 for n in range(2, 100) if all(n % d for d in range(2, n))))\n```",
                   "```python\nraise ValueError('oops')\n```",
                   "```python\nimport sys\nsys.exit(2)\n```"]  # fmt: skip
        results = []
        for response in answers:
            results.append(
                (await client.call_tool("steer_next", {"session_id": sid, "response": response})).structured_content
            )
        last = results[-1]
        assert [r["rounds_left"] for r in results] == [2, 1, 0]
        assert last["action"] == "terminate" and last["done"]
        assert last["final_answer"] == "25"  # the only round whose program ran cleanly
        again = await client.call_tool("steer_next", {"session_id": sid, "response": "one more"})
        assert again.is_error and "finished" in again.content[0].text


async def test_two_agreeing_code_rounds_return_without_a_task_check(client):
    sid = (await client.call_tool("steer_next", {"question": "Compute the sum of squares of 1..20."})).structured_content[
        "session_id"
    ]
    code = "```python\nprint(f'<<<{sum(i * i for i in range(1, 21))}>>>')\n```"
    first = (await client.call_tool("steer_next", {"session_id": sid, "response": code})).structured_content
    assert first["action"] == "refine" and "verify" in first["prompt"].lower()
    other = "```python\ntotal = 0\nfor i in range(1, 21):\n    total += i ** 2\nprint(total)\n```"
    second = (await client.call_tool("steer_next", {"session_id": sid, "response": other})).structured_content
    assert second["action"] == "return" and second["final_answer"] == "2870"
    assert "agree" in second["rationale"]


async def test_a_crashing_program_is_fed_back_with_its_error(client):
    sid = (await client.call_tool("steer_next", {"question": "Solve 2x = 10 for x."})).structured_content["session_id"]
    data = (
        await client.call_tool("steer_next", {"session_id": sid, "response": "```python\nprint(undefined_name)\n```"})
    ).structured_content
    assert data["action"] == "refine" and data["exit_code"] == 1
    assert "NameError" in data["prompt"] and "Fix the error" in data["prompt"]


async def test_concurrent_responses_to_one_session_are_recorded_one_after_the_other(client):
    import anyio

    sid = (await client.call_tool("steer_next", {"question": "Compute 99 * 101."})).structured_content["session_id"]
    rounds = []

    async def send(text):
        result = await client.call_tool("steer_next", {"session_id": sid, "response": text})
        rounds.append(result.structured_content["round"])

    async with anyio.create_task_group() as tg:
        for text in ("<<<9999>>>", "<<<9998>>>", "<<<9997>>>"):
            tg.start_soon(send, text)
    assert sorted(rounds) == [1, 2, 3]
