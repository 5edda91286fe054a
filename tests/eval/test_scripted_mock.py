"""The scripted mock of examples/scripted-mock.json drives every method through a real
stdio server, answering by method and turn, so a user can see what each method does."""

from pathlib import Path

import pytest

from guide.chat import ChatMessage, MockModel, with_call_context
from mcp_codesteer.eval import execute_run, read_run
from mcp_codesteer.eval.records import METHODS, RunConfig, ServerSpec

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "scripted-mock.json"


@pytest.mark.anyio
async def test_a_script_answers_by_task_method_and_turn(tmp_path):
    script = tmp_path / "script.json"
    script.write_text('{"default": "D", "replies": {"game24": {"all_code": ["A1", "A2"]}, "*": {"codesteer": ["S"]}}}')
    model = MockModel.from_file(str(script))
    assistant = ChatMessage(role="assistant", content="A1")
    user = ChatMessage(role="user", content="q")
    with with_call_context(task="game24", method="all_code"):
        assert (await model.generate([user])).text == "A1"
        assert (await model.generate([user, assistant, user])).text == "A2"
        assert (await model.generate([user, assistant, user, assistant, user])).text == "A2"  # the last repeats
    with with_call_context(task="sudoku", method="codesteer"):
        assert (await model.generate([user])).text == "S"
    with with_call_context(task="sudoku", method="all_text"):
        assert (await model.generate([user])).text == "D"  # nothing matches
    assert (await model.generate([user])).text == "D"  # outside a sample


def test_a_malformed_script_is_refused_with_its_shape(tmp_path):
    script = tmp_path / "script.json"
    script.write_text('{"replies": {"*": {"*": "not a list"}}}')
    with pytest.raises(ValueError, match="a script is"):
        MockModel.from_file(str(script))


@pytest.mark.anyio
async def test_the_example_script_shows_each_method_at_work(tmp_path):
    config = RunConfig(tasks=["game24"], methods=list(METHODS), task_llm=f"mock:{EXAMPLE}", generated=1,
                       server=ServerSpec(sandbox="local", max_rounds=4))
    outcome = await execute_run(tmp_path / "run", config)
    assert outcome.written == len(METHODS)
    _, records = read_run(tmp_path / "run")
    by_method = {r.method: r for r in records}
    assert all(r.status == "ok" for r in records)
    assert by_method["only_question"].rounds == by_method["all_text"].rounds == 1
    feedback = by_method["code_feedback"]
    runs = [e for e in feedback.events if e.kind == "tool" and e.tool == "run_code"]
    # a crash fed back, a fixed program, then the answer without code ends the loop
    assert feedback.rounds == 3 and len(runs) == 2 and "ZeroDivisionError" in runs[0].result["stderr"]
    assert "<<<7>>>" in runs[1].result["stdout"] and feedback.final_answer.endswith("<<<7>>>")
    codesteer = by_method["codesteer"]
    steps = [e for e in codesteer.events if e.kind == "tool" and e.tool == "steer_next"]
    assert codesteer.rounds >= 2 and len(steps) >= 3  # the guide steered the text answer to code
