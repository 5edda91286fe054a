import anyio
import pytest
from eval_fakes import fake_reply, inprocess_tools, program_for

from mcp_codesteer.eval.methods import MethodContext, all_code, code_feedback, codesteer, only_question, parse_methods
from mcp_codesteer.eval.providers import GenerationSettings, MockTaskLLM
from mcp_codesteer.eval.records import RunConfig
from mcp_codesteer.eval.runner import WorkItem, run_item

QUESTION = (
    "The initial total score is 0. Given a string consisting of letters A and B, scan from front to back:\n\n"
    "1. If there are two or more consecutive A's, add 1 to the total score.\n"
    "2. If there are two or more consecutive B's, add 2 to the total score.\n\n"
    "What is the total score of the string BBAAB?\nReturn your answer with the format <<<number>>>."
)


def _ctx(llm, tools, **kw) -> MethodContext:
    return MethodContext(llm=llm, tools=tools, generation=GenerationSettings(), **kw)


def test_methods_parse_from_a_comma_list_or_all_and_unknown_names_are_named():
    assert parse_methods("all") == ["only_question", "all_text", "all_code", "code_feedback", "codesteer"]
    assert parse_methods("codesteer, all-code") == ["codesteer", "all_code"]
    with pytest.raises(ValueError, match="magic"):
        parse_methods("codesteer,magic")


@pytest.mark.anyio
async def test_only_question_sends_the_question_alone(tmp_path):
    llm = MockTaskLLM(["<<<3>>>"])
    async with inprocess_tools(tmp_path) as tools:
        ctx = _ctx(llm, tools)
        assert await only_question(ctx, QUESTION) == "<<<3>>>"
    assert [(m.role, m.content) for m in llm.calls[0]] == [("user", QUESTION)]
    assert [e.kind for e in ctx.trace.events] == ["model"]


@pytest.mark.anyio
async def test_all_code_runs_the_program_once_and_answers_with_what_it_printed(tmp_path):
    llm = MockTaskLLM([f"```python\n{program_for(QUESTION)}```"])
    async with inprocess_tools(tmp_path) as tools:
        ctx = _ctx(llm, tools)
        answer = await all_code(ctx, QUESTION)
    assert answer.strip() == "<<<3>>>"
    tool_events = [e for e in ctx.trace.events if e.kind == "tool"]
    assert [e.tool for e in tool_events] == ["run_code"] and tool_events[0].result["exit_code"] == 0


@pytest.mark.anyio
async def test_all_code_without_a_program_answers_with_the_response(tmp_path):
    llm = MockTaskLLM(["I think <<<4>>>"])
    async with inprocess_tools(tmp_path) as tools:
        ctx = _ctx(llm, tools)
        assert await all_code(ctx, QUESTION) == "I think <<<4>>>"
    assert all(e.kind == "model" for e in ctx.trace.events)


@pytest.mark.anyio
async def test_code_feedback_shows_the_output_and_stops_when_the_model_answers_without_code(tmp_path):
    llm = MockTaskLLM(["```python\nprint(40 + 2)\n```", "So the answer is <<<42>>>"])
    async with inprocess_tools(tmp_path) as tools:
        ctx = _ctx(llm, tools, max_rounds=4)
        answer = await code_feedback(ctx, "What is 40 + 2?")
    assert answer == "So the answer is <<<42>>>" and ctx.trace.rounds == 2
    feedback = llm.calls[1][-1].content
    assert "42" in feedback and llm.calls[1][-2].role == "assistant"


@pytest.mark.anyio
async def test_code_feedback_at_the_round_limit_answers_with_the_last_output(tmp_path):
    llm = MockTaskLLM(["```python\nprint('<<<1>>>')\n```", "```python\nprint('<<<2>>>')\n```"])
    async with inprocess_tools(tmp_path) as tools:
        ctx = _ctx(llm, tools, max_rounds=2)
        answer = await code_feedback(ctx, "Count to two.")
    assert answer.strip() == "<<<2>>>" and ctx.trace.rounds == 2


@pytest.mark.anyio
async def test_codesteer_drives_steer_next_until_done_and_returns_the_final_answer(tmp_path):
    llm = MockTaskLLM(lambda messages: fake_reply([m.model_dump() for m in messages]))
    async with inprocess_tools(tmp_path, max_rounds=4) as tools:
        ctx = _ctx(llm, tools, max_rounds=4, task_name="statistical_counting")
        answer = await codesteer(ctx, QUESTION)
    steer_calls = [e for e in ctx.trace.events if e.kind == "tool"]
    assert steer_calls[0].arguments == {"question": QUESTION, "task": "statistical_counting"}
    assert steer_calls[-1].result["done"] is True
    assert all(e.arguments["session_id"] == ctx.trace.session_id for e in steer_calls[1:])
    assert len(steer_calls) == ctx.trace.rounds + 1
    assert answer == steer_calls[-1].result["final_answer"]


class _Task:
    """A stand-in task: enough of symbench.Task for run_item."""

    name = "stand_in"

    @staticmethod
    def verify(sample, answer_text, mode):
        from symbench import Score

        return Score.correct() if "<<<3>>>" in answer_text else Score.incorrect("not 3")


class _Sample:
    id, question, source = "s1", QUESTION, "test"


@pytest.mark.anyio
async def test_a_sample_past_its_time_limit_is_recorded_as_timeout(tmp_path):
    async def never(messages):
        await anyio.Event().wait()

    config = RunConfig(tasks=["stand_in"], methods=["all_text"], task_llm="mock", sample_timeout_s=0.2)
    async with inprocess_tools(tmp_path) as tools:
        record = await run_item(WorkItem(_Task, _Sample, "all_text"), config, MockTaskLLM(never), tools)
    assert record.status == "timeout" and record.score.value == 0.0 and "time limit" in record.error


@pytest.mark.anyio
async def test_a_failing_model_is_recorded_as_an_error_and_scored_zero(tmp_path):
    config = RunConfig(tasks=["stand_in"], methods=["only_question"], task_llm="mock")
    async with inprocess_tools(tmp_path) as tools:
        record = await run_item(WorkItem(_Task, _Sample, "only_question"), config, MockTaskLLM([]), tools)
    assert record.status == "error" and "scripted replies" in record.error and not record.success
    assert record.events[0].error is not None


@pytest.mark.anyio
async def test_a_verified_answer_is_scored_by_the_task(tmp_path):
    config = RunConfig(tasks=["stand_in"], methods=["only_question"], task_llm="mock")
    async with inprocess_tools(tmp_path) as tools:
        record = await run_item(WorkItem(_Task, _Sample, "only_question"), config, MockTaskLLM(["<<<3>>>"]), tools)
    assert record.status == "ok" and record.success and record.rounds == 1
    assert record.usage.input_tokens > 0 and record.key == "stand_in/s1/only_question"
