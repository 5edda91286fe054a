"""Which answer a round gives, and which one a session ends with.

The round's answer comes from what ran: a program's output beats a guess in the prose,
the source of a failed program is never an answer, and at the round limit the session
ends with the best answer no check refuted, saying plainly when it is not verified.
"""

from __future__ import annotations

import pytest
from mcp import Client

from mcp_codesteer.server import build_server
from mcp_codesteer.settings import Settings
from symbench import get_task

pytestmark = pytest.mark.anyio


async def _step(client, sid: str, response: str) -> dict:
    return (await client.call_tool("steer_next", {"session_id": sid, "response": response})).structured_content


async def test_a_failed_programs_f_string_source_is_never_the_rounds_answer(client):
    sid = (await client.call_tool("steer_next", {"question": "Solve the Sudoku 123..."})).structured_content["session_id"]
    response = "Here is my solver.\n```python\ngrid = solve()\nprint(f'<<<{grid}>>>')\n```"
    result = await _step(client, sid, response)
    assert result["exit_code"] not in (0, None)
    assert result["answer"] is None


async def test_a_programs_computed_output_beats_a_guess_in_the_prose(client):
    sid = (await client.call_tool("steer_next", {"question": "Compute 99 * 101."})).structured_content["session_id"]
    response = "I guess <<<9998>>>, but let me compute it.\n```python\nprint(99 * 101)\n```"
    result = await _step(client, sid, response)
    assert result["answer"] == "9999"


async def test_a_prose_answer_counts_when_there_is_no_program(client):
    sid = (await client.call_tool("steer_next", {"question": "Is the sky blue?"})).structured_content["session_id"]
    result = await _step(client, sid, "Yes, it is. <<<Yes>>>")
    assert result["answer"] == "Yes"


async def test_at_the_round_limit_when_every_answer_failed_its_check_the_result_says_so(tmp_path):
    sample = get_task("game24").generate(3)
    settings = Settings(data_dir=tmp_path, sandbox="local", max_rounds=2)
    async with Client(build_server(settings)) as client:
        opened = await client.call_tool("steer_next", {"question": sample.question, "task": "game24"})
        sid = opened.structured_content["session_id"]
        first = await _step(client, sid, "```python\nprint(17)\n```")  # unreadable for Game 24: refuted
        assert first["answer_check"]["verdict"] == "incorrect"
        second = await _step(client, sid, "```python\nprint(18)\n```")
        assert second["done"] and second["action"] == "terminate"
        assert second["answer_check"]["verdict"] == "incorrect"
        assert second["verified"] is False
        assert "every answer given failed its check" in second["verification"]
        assert "not verified" in second["prompt"]


async def test_at_the_round_limit_the_result_says_an_unchecked_answer_is_not_verified(tmp_path):
    settings = Settings(data_dir=tmp_path, sandbox="local", max_rounds=2)
    async with Client(build_server(settings)) as client:
        opened = await client.call_tool("steer_next", {"question": "How many primes are below 100? Compute it."})
        sid = opened.structured_content["session_id"]
        await _step(client, sid, "```python\nprint(sum(1 for n in range(2, 100) if all(n % d for d in range(2, n))))\n```")
        last = await _step(client, sid, "```python\nprint(26)\n```")
        assert last["done"]
        assert last["final_answer"] in ("25", "26")
        assert last["verified"] is False and "no check confirmed" in last["verification"]


async def test_a_returned_answer_that_passed_its_check_is_verified(tmp_path):
    sample = get_task("game24").generate(3)
    settings = Settings(data_dir=tmp_path, sandbox="local")
    gold = get_task("game24").gold_answer(sample)
    async with Client(build_server(settings)) as client:
        opened = await client.call_tool("steer_next", {"question": sample.question, "task": "game24"})
        sid = opened.structured_content["session_id"]
        code = (
            "```python\nfrom itertools import permutations\n"
            f"for p in permutations([1]):\n    pass\nprint({gold!r})\n```"
        )
        result = await _step(client, sid, code)
        if not result["done"]:
            result = await _step(client, sid, code)
        assert result["done"] and result["verified"] is True
        assert "passed its check" in result["verification"]


def test_at_the_round_limit_an_unrefuted_answer_beats_a_later_refuted_one():
    from checkers import AnswerCheck
    from guide import Round, Trajectory
    from mcp_codesteer.steering import best_unrefuted
    from sandbox import ExecResult

    ran = ExecResult(stdout="", stderr="", exit_code=0, duration_s=0.1, backend="local")
    wrong = AnswerCheck(verdict="incorrect", reason="breaks rule 2", method="checker_code")
    trajectory = Trajectory(
        session_id="s",
        question="q",
        rounds=[
            Round(index=1, response="a", answer="41", execution=ran),
            Round(index=2, response="b", answer="42", execution=ran, answer_check=wrong),
        ],
    )
    answer, verified, why = best_unrefuted(trajectory)
    assert (answer, verified) == ("41", False)
    assert "no check refuted" in why


async def test_a_task_check_that_overruns_its_deadline_is_unverified_and_does_not_block_the_loop(tmp_path, monkeypatch):
    import threading

    import anyio
    import anyio.lowlevel

    import mcp_codesteer.steering as steering

    release = threading.Event()

    def stuck(task, question, answer):
        release.wait(10)
        raise AssertionError("the abandoned check should not be awaited")

    monkeypatch.setattr(steering, "check_with_task", stuck)
    settings = Settings(data_dir=tmp_path, sandbox="local", task_check_timeout_s=0.2)
    service = steering.CodeSteer(settings)
    await service.start()
    try:
        ticks = 0

        async def tick():
            nonlocal ticks
            while True:
                ticks += 1
                await anyio.lowlevel.checkpoint()

        async with anyio.create_task_group() as tg:
            tg.start_soon(tick)
            check = await service._task_check("game24", "q", "1+2")
            tg.cancel_scope.cancel()
        assert check.verdict == "unverified" and "did not finish within 0.2 s" in check.reason
        assert ticks >= 5  # the event loop kept running while the check was stuck
    finally:
        release.set()
        await service.aclose()
