"""Every tool, resource and the prompt through the SDK's in-memory client, in both protocol eras."""

from __future__ import annotations

import base64
import json

import pytest

pytestmark = pytest.mark.anyio


async def test_the_server_lists_its_tools_with_output_schemas(client):
    tools = {t.name: t for t in (await client.list_tools()).tools}
    assert set(tools) == {"steer_next", "run_code", "check_symbolic", "check_answer", "close_session"}
    for tool in tools.values():
        assert tool.output_schema is not None, tool.name
        assert tool.description
    assert "session_id" in tools["steer_next"].input_schema["properties"]


async def test_steer_next_opens_a_session_with_a_code_choice_for_a_numeric_question(client):
    result = await client.call_tool("steer_next", {"question": "What is the sum of all primes below 2000?"})
    assert not result.is_error
    data = result.structured_content
    assert data["action"] == "code"
    assert "python" in data["prompt"] and "primes below 2000" in data["prompt"]
    assert data["round"] == 0 and data["rounds_left"] == 6 and not data["done"]
    assert len(data["session_id"]) == 32


async def test_steer_next_opens_a_session_with_a_text_choice_for_a_language_question(client):
    result = await client.call_tool("steer_next", {"question": "Is a whale a mammal? Answer yes or no."})
    assert result.structured_content["action"] == "text"
    assert "Text first" in result.structured_content["rationale"]


async def test_steer_next_answers_a_trivial_program_with_guidance_to_search(client):
    opened = (await client.call_tool("steer_next", {"question": "Find x such that 3x + 7 = 22."})).structured_content
    result = await client.call_tool(
        "steer_next", {"session_id": opened["session_id"], "response": "```python\nprint('<<<5>>>')\n```"}
    )
    data = result.structured_content
    assert data["action"] == "code"
    assert data["symbolic"]["verdict"] == "hard_coded"
    assert "search" in data["prompt"].lower()
    assert "<<<5>>>" in data["execution"]


async def test_run_code_returns_output_exit_code_and_duration(client):
    result = await client.call_tool("run_code", {"code": "import sys\nprint(sum(range(10)))\nsys.exit(3)"})
    data = result.structured_content
    assert data["stdout"] == "45\n" and data["exit_code"] == 3
    assert data["duration_s"] > 0 and not data["timed_out"] and not data["truncated"]


async def test_run_code_feeds_stdin_to_the_program(client):
    result = await client.call_tool("run_code", {"code": "print(input()[::-1])", "stdin": "steer\n"})
    assert result.structured_content["stdout"] == "reets\n"


async def test_run_code_reports_a_timeout(client):
    result = await client.call_tool("run_code", {"code": "while True:\n    pass", "timeout_s": 1})
    data = result.structured_content
    assert data["timed_out"] and data["exit_code"] is None
    assert any("wall-clock limit" in n for n in data["notes"])


async def test_run_code_returns_a_matplotlib_figure_as_image_content(client):
    code = "import matplotlib.pyplot as plt\nplt.plot([1, 4, 9])\nplt.show()\nprint('plotted')"
    result = await client.call_tool("run_code", {"code": code, "timeout_s": 60})
    images = [c for c in result.content if c.type == "image"]
    assert result.structured_content["files"] == ["figure-1.png"]
    assert len(images) == 1 and images[0].mime_type == "image/png"
    assert base64.b64decode(images[0].data).startswith(b"\x89PNG")


async def test_run_code_returns_a_figure_left_open_and_does_not_duplicate_a_saved_one(client):
    code = (
        "import matplotlib.pyplot as plt\n"
        "plt.plot([1, 2, 3])\n"  # figure 1: left open
        "plt.figure()\n"
        "plt.bar([1, 2], [3, 4])\n"
        "plt.savefig('bars.png')\n"  # figure 2: saved by the program, and left open too
    )
    result = await client.call_tool("run_code", {"code": code, "timeout_s": 60})
    assert result.structured_content["files"] == ["bars.png", "figure-1.png"]
    assert len([c for c in result.content if c.type == "image"]) == 2


async def test_run_code_tracebacks_quote_the_failing_source_line(client):
    code = "def half(x):\n    return x / 0\n\nhalf(4)\n"
    data = (await client.call_tool("run_code", {"code": code})).structured_content
    assert data["exit_code"] == 1
    assert 'File "main.py", line 2, in half' in data["stderr"]
    assert "return x / 0" in data["stderr"] and "ZeroDivisionError" in data["stderr"]


@pytest.mark.parametrize("settings", [{"output_chars": 1000}], indirect=True)
async def test_run_code_cuts_long_output_for_the_caller_keeping_head_and_tail(client):
    code = "print('START' + 'x' * 5000 + 'END')"
    data = (await client.call_tool("run_code", {"code": code})).structured_content
    assert data["truncated"]
    assert data["stdout"].startswith("START") and data["stdout"].rstrip().endswith("END")
    assert len(data["stdout"]) < 1200
    assert any("first and last 500" in n for n in data["notes"])


async def test_the_run_code_description_names_the_solver_packages_and_the_output_cap(client):
    tools = {t.name: t for t in (await client.list_tools()).tools}
    description = tools["run_code"].description
    for package in ("numpy", "sympy", "scipy", "networkx", "z3", "python-constraint", "matplotlib"):
        assert package in description
    assert "8000 characters" in description and "left open" in description


async def test_check_symbolic_scores_brute_force_above_a_printed_literal(client):
    brute = (
        "from itertools import permutations\n"
        "for p in permutations(range(1, 6)):\n"
        "    if p[0] + p[1] == 9 and p[2] * p[3] == 6:\n"
        "        print(p)\n"
    )
    searched = (await client.call_tool("check_symbolic", {"code": brute})).structured_content
    literal = (await client.call_tool("check_symbolic", {"code": "print(42)"})).structured_content
    assert searched["verdict"] == "search" and literal["verdict"] == "hard_coded"
    assert searched["score"] > literal["score"]
    assert searched["advice"] and literal["advice"]


async def test_check_symbolic_reports_a_syntax_error_with_its_line(client):
    data = (await client.call_tool("check_symbolic", {"code": "x = 1\nfor i in\n    print(i)"})).structured_content
    assert data["verdict"] == "syntax_error" and data["line"] == 2


async def test_check_answer_runs_checker_code_that_accepts_a_right_answer(client):
    checker = "x = int(ANSWER)\nassert 3 * x + 7 == 22, 'equation fails'\nprint('CORRECT')"
    data = (
        await client.call_tool("check_answer", {"question": "3x + 7 = 22", "answer": "<<<5>>>", "checker_code": checker})
    ).structured_content
    assert data["verdict"] == "correct" and data["method"] == "checker_code"


async def test_check_answer_reports_the_reason_a_checker_prints_for_a_wrong_answer(client):
    checker = "x = int(ANSWER)\nprint('CORRECT' if 3 * x + 7 == 22 else f'INCORRECT: 3*{x}+7 is {3*x+7}, not 22')"
    data = (
        await client.call_tool("check_answer", {"question": "3x + 7 = 22", "answer": "4", "checker_code": checker})
    ).structured_content
    assert data["verdict"] == "incorrect" and data["reason"] == "3*4+7 is 19, not 22"


async def test_check_answer_without_checker_or_task_is_unverified_with_instructions(client):
    data = (await client.call_tool("check_answer", {"question": "What is 2+2?", "answer": "4"})).structured_content
    assert data["verdict"] == "unverified" and data["method"] == "none"
    assert "checker_code" in data["instructions"] and "ANSWER" in data["instructions"]


async def test_check_answer_uses_the_game24_constraint_check_of_a_symbench_task(client):
    from symbench import get_task

    sample = get_task("game24").generate(7)
    good = (
        await client.call_tool("check_answer", {"question": sample.question, "answer": sample.gold, "task": "game24"})
    ).structured_content
    bad = (
        await client.call_tool("check_answer", {"question": sample.question, "answer": "1+1", "task": "game24"})
    ).structured_content
    assert good["verdict"] == "correct" and good["method"] == "task_constraints"
    assert bad["verdict"] == "incorrect" and bad["reason"]


async def test_the_prompt_tells_the_host_model_how_to_drive_the_loop(client):
    prompts = (await client.list_prompts()).prompts
    assert [p.name for p in prompts] == ["solve_with_codesteer"]
    result = await client.get_prompt("solve_with_codesteer", {"question": "Arrange 8 queens."})
    text = result.messages[0].content.text
    assert "Arrange 8 queens." in text
    for tool in ("steer_next", "session_id", "done", "final_answer"):
        assert tool in text


async def test_the_config_resource_shows_backends_without_secrets(tmp_path, mode):
    from mcp import Client

    from mcp_codesteer.server import build_server
    from mcp_codesteer.settings import Settings

    settings = Settings(data_dir=tmp_path, sandbox="local", auth_token="very-secret-token")
    async with Client(build_server(settings), mode=mode) as client:
        text = (await client.read_resource("codesteer://config")).contents[0].text
    config = json.loads(text)
    assert config["guide"] == "rules"
    assert config["sandbox"]["backend"] in ("local", "docker")
    assert config["settings"]["auth_token_set"] is True
    assert "very-secret-token" not in text


async def test_the_session_resource_holds_the_trajectory(client):
    opened = (await client.call_tool("steer_next", {"question": "Compute 17 * 23 * 31."})).structured_content
    await client.call_tool(
        "steer_next", {"session_id": opened["session_id"], "response": "```python\nprint(17 * 23 * 31)\n```"}
    )
    trajectory = json.loads(
        (await client.read_resource(f"codesteer://sessions/{opened['session_id']}")).contents[0].text
    )
    assert trajectory["question"] == "Compute 17 * 23 * 31."
    assert trajectory["first"]["action"] == "code"
    assert len(trajectory["rounds"]) == 1
    only = trajectory["rounds"][0]
    assert only["execution"]["stdout"] == "12121\n" and only["answer"] == "12121"
    assert only["guidance"]["rationale"]


async def test_check_answer_with_a_task_that_cannot_read_the_question_is_unverified_not_incorrect(client):
    data = (
        await client.call_tool(
            "check_answer", {"question": "What is the capital of France?", "answer": "Paris", "task": "game24"}
        )
    ).structured_content
    assert data["verdict"] == "unverified" and "could not read this question" in data["reason"]


async def test_start_up_warnings_reach_codesteer_config_but_not_every_steer_result(settings):
    from mcp import Client

    from mcp_codesteer.server import build_server
    from mcp_codesteer.steering import CodeSteer
    from sandbox.local import LocalSandbox

    app = CodeSteer(settings, sandbox=LocalSandbox(use_bwrap=False))
    async with Client(build_server(settings, app=app)) as client:
        opened = (await client.call_tool("steer_next", {"question": "What is 6 * 7?"})).structured_content
        config = json.loads((await client.read_resource("codesteer://config")).contents[0].text)
    assert any("UNISOLATED" in w for w in config["warnings"])
    assert opened["warnings"] == []


async def test_run_code_takes_files_in_and_returns_written_files_as_embedded_resources(client):
    code = (
        "rows = open('in.csv').read().splitlines()\n"
        "open('out.json', 'w').write('{\"rows\": %d}' % len(rows))\n"
        "open('raw.bin', 'wb').write(open('key.bin', 'rb').read()[::-1])\n"
    )
    result = await client.call_tool(
        "run_code", {"code": code, "files": {"in.csv": "a\nb\nc\n", "key.bin": "base64:" + base64.b64encode(b"\x01\x02").decode()}}
    )
    assert not result.is_error and result.structured_content["files"] == ["out.json", "raw.bin"]
    resources = {c.resource.uri: c.resource for c in result.content if c.type == "resource"}
    assert resources["sandbox://run/out.json"].text == '{"rows": 3}'
    assert base64.b64decode(resources["sandbox://run/raw.bin"].blob) == b"\x02\x01"


async def test_run_code_refuses_a_file_name_that_leaves_the_work_directory(client):
    result = await client.call_tool("run_code", {"code": "print(1)", "files": {"../escape.txt": "x"}})
    assert result.is_error and "is not allowed" in result.content[0].text
