import anyio
import pytest
from eval_fakes import fake_reply, inprocess_tools, program_for

from guide.chat import GenerateSettings, MockModel
from mcp_codesteer.eval.methods import MethodContext, all_code, code_feedback, codesteer, only_question, parse_methods
from mcp_codesteer.eval.records import RunConfig
from mcp_codesteer.eval.runner import WorkItem, run_item

QUESTION = (
    "The initial total score is 0. Given a string consisting of letters A and B, scan from front to back:\n\n"
    "1. If there are two or more consecutive A's, add 1 to the total score.\n"
    "2. If there are two or more consecutive B's, add 2 to the total score.\n\n"
    "What is the total score of the string BBAAB?\nReturn your answer with the format <<<number>>>."
)


async def _run(method, llm, tmp_path, question: str = QUESTION, *, server: dict | None = None, **ctx_kw):
    """``method`` on ``question`` against the real server in process: (answer, context)."""
    async with inprocess_tools(tmp_path, **(server or {})) as tools:
        ctx = MethodContext(llm=llm, tools=tools, generation=GenerateSettings(), **ctx_kw)
        return await method(ctx, question), ctx


def test_methods_parse_from_a_comma_list_or_all_and_unknown_names_are_named():
    assert parse_methods("all") == ["only_question", "all_text", "all_code", "code_feedback", "codesteer"]
    assert parse_methods("codesteer, all-code") == ["codesteer", "all_code"]
    assert parse_methods("all,codesteer+checks")[-2:] == ["codesteer", "codesteer_checks"]
    with pytest.raises(ValueError, match="magic"):
        parse_methods("codesteer,magic")


@pytest.mark.anyio
async def test_only_question_sends_the_question_alone(tmp_path):
    llm = MockModel(["<<<3>>>"])
    answer, ctx = await _run(only_question, llm, tmp_path)
    assert answer == "<<<3>>>"
    assert [(m.role, m.content) for m in llm.requests[0]] == [("user", QUESTION)]
    assert [e.kind for e in ctx.trace.events] == ["model"]


@pytest.mark.anyio
async def test_all_code_runs_the_program_once_and_answers_with_what_it_printed(tmp_path):
    answer, ctx = await _run(all_code, MockModel([f"```python\n{program_for(QUESTION)}```"]), tmp_path)
    assert answer.strip() == "<<<3>>>"
    tool_events = [e for e in ctx.trace.events if e.kind == "tool"]
    assert [e.tool for e in tool_events] == ["run_code"] and tool_events[0].result["exit_code"] == 0


@pytest.mark.anyio
async def test_all_code_without_a_program_answers_with_the_response(tmp_path):
    answer, ctx = await _run(all_code, MockModel(["I think <<<4>>>"]), tmp_path)
    assert answer == "I think <<<4>>>"
    assert all(e.kind == "model" for e in ctx.trace.events)


@pytest.mark.anyio
async def test_code_feedback_shows_the_output_and_stops_when_the_model_answers_without_code(tmp_path):
    llm = MockModel(["```python\nprint(40 + 2)\n```", "So the answer is <<<42>>>"])
    answer, ctx = await _run(code_feedback, llm, tmp_path, "What is 40 + 2?", max_rounds=4)
    assert answer == "So the answer is <<<42>>>" and ctx.trace.rounds == 2
    feedback = llm.requests[1][-1].content
    assert "42" in feedback and llm.requests[1][-2].role == "assistant"


@pytest.mark.anyio
async def test_code_feedback_at_the_round_limit_answers_with_the_last_output(tmp_path):
    llm = MockModel(["```python\nprint('<<<1>>>')\n```", "```python\nprint('<<<2>>>')\n```"])
    answer, ctx = await _run(code_feedback, llm, tmp_path, "Count to two.", max_rounds=2)
    assert answer.strip() == "<<<2>>>" and ctx.trace.rounds == 2


@pytest.mark.anyio
async def test_codesteer_drives_steer_next_until_done_and_returns_the_final_answer(tmp_path):
    llm = MockModel(lambda messages: fake_reply([m.model_dump() for m in messages]))
    answer, ctx = await _run(codesteer, llm, tmp_path, server={"max_rounds": 4}, max_rounds=4,
                             task_name="statistical_counting")
    steer_calls = [e for e in ctx.trace.events if e.kind == "tool"]
    # As in the paper: the guide is not told the task, so no SymBench check speaks.
    assert all("task" not in e.arguments for e in steer_calls)
    assert all((e.result.get("answer_check") or {}).get("method") != "task_constraints" for e in steer_calls)
    assert steer_calls[-1].result["done"] is True
    assert all(e.arguments["session_id"] == ctx.trace.session_id for e in steer_calls[1:])
    assert len(steer_calls) == ctx.trace.rounds + 1
    assert answer == steer_calls[-1].result["final_answer"]


@pytest.mark.anyio
async def test_codesteer_checks_tells_steer_next_the_task_so_its_constraint_check_speaks(tmp_path):
    from mcp_codesteer.eval.methods import codesteer_checks
    from symbench import get_task

    sample = get_task("game24").generate(3)
    llm = MockModel(["```python\nprint('<<<1+2>>>')\n```"], cycle=True)
    answer, ctx = await _run(codesteer_checks, llm, tmp_path, sample.question, server={"max_rounds": 2}, max_rounds=2,
                             task_name="game24")
    steer_calls = [e for e in ctx.trace.events if e.kind == "tool"]
    assert all(e.arguments["task"] == "game24" for e in steer_calls)
    checks = [e.result["answer_check"] for e in steer_calls if e.result.get("answer_check")]
    assert checks and all(c["method"] == "task_constraints" and c["verdict"] == "incorrect" for c in checks)


class _Task:
    """A stand-in task: enough of symbench.Task for run_item."""

    name = "stand_in"

    @staticmethod
    def verify(sample, answer_text, mode):
        from symbench import Score

        return Score.correct() if "<<<3>>>" in answer_text else Score.incorrect("not 3")


class _Sample:
    id, question, source = "s1", QUESTION, "test"


async def _record(tmp_path, method: str, llm, **config):
    """One stand-in sample through ``run_item``, scored by the stand-in task."""
    run_config = RunConfig(tasks=["stand_in"], methods=[method], task_llm="mock", **config)
    async with inprocess_tools(tmp_path) as tools:
        return await run_item(WorkItem(_Task, _Sample, method), run_config, llm, tools)


@pytest.mark.anyio
async def test_a_sample_past_its_time_limit_is_recorded_as_timeout(tmp_path):
    async def never(messages):
        await anyio.Event().wait()

    record = await _record(tmp_path, "all_text", MockModel(never), sample_timeout_s=0.2)
    assert record.status == "timeout" and record.score.value == 0.0 and "time limit" in record.error


@pytest.mark.anyio
async def test_a_failing_model_is_recorded_as_an_error_and_scored_zero(tmp_path):
    record = await _record(tmp_path, "only_question", MockModel([]))
    assert record.status == "error" and "scripted replies" in record.error and not record.success
    assert record.events[0].error is not None


@pytest.mark.anyio
async def test_a_verified_answer_is_scored_by_the_task(tmp_path):
    record = await _record(tmp_path, "only_question", MockModel(["<<<3>>>"]))
    assert record.status == "ok" and record.success and record.rounds == 1
    assert record.usage.input_tokens > 0 and record.key == "stand_in/s1/only_question"
