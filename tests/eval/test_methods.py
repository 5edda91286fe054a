import json

import anyio
import pytest
from eval_fakes import fake_reply, inprocess_tools, program_for

from guide.chat import FunctionModel, GenerateSettings, MockModel
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
    assert parse_methods("all,chain_of_code")[-2:] == ["codesteer", "chain_of_code"]
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


SARCASM_QUESTION = (
    "How many of these sentences are sarcastic? 1. Oh great, another Monday. 2. I love sunny days. "
    "3. Wow, what a surprise, the train is late again. 4. The cake was delicious. Answer as <<<number>>>."
)
SEEN: list = []
SARCASM_PROGRAM = (
    "```python\nsentences = ['Oh great, another Monday.', 'I love sunny days.', "
    "'Wow, what a surprise, the train is late again.', 'The cake was delicious.']\n"
    "print(f'<<<{sum(1 for s in sentences if is_sarcastic(s))}>>>')\n```"
)


def _lmulator_model(conversation, settings=None) -> str:
    """A function model: writes the program, then acts as is_sarcastic when asked to."""
    SEEN.append(list(conversation))
    import json as _json
    import re as _re

    last = conversation[-1].content
    if "act as those functions" not in last:
        return SARCASM_PROGRAM
    template = _json.loads(_re.search(r"```json\n(.*?)```", last, _re.DOTALL).group(1))
    return "```json\n" + _json.dumps({k: ("great" in k or "Wow" in k) for k in template}) + "\n```"


@pytest.mark.anyio
async def test_chain_of_code_has_the_task_llm_emulate_the_calls_its_program_left_undefined(tmp_path):
    from mcp_codesteer.eval.methods import chain_of_code

    SEEN.clear()
    answer, ctx = await _run(chain_of_code, FunctionModel(_lmulator_model), tmp_path, SARCASM_QUESTION)
    assert answer.strip() == "<<<2>>>"
    assert len(SEEN) == 2 and "act as those functions" in SEEN[1][-1].content
    runs = [e for e in ctx.trace.events if e.kind == "tool"]
    assert [e.arguments.get("lmulate") for e in runs] == [True, True]
    assert runs[0].result["lmulate"]["status"] == "needs_values"
    final = runs[-1].result["lmulate"]
    assert final["status"] == "finished" and len(final["emulated"]) == 4
    assert all(c["source"] == "host" and c["emulated"] for c in final["emulated"])


@pytest.mark.anyio
async def test_chain_of_code_with_scripted_replies_and_without_a_program(tmp_path):
    from mcp_codesteer.eval.methods import chain_of_code

    keys = [
        "is_sarcastic('Oh great, another Monday.')", "is_sarcastic('I love sunny days.')",
        "is_sarcastic('Wow, what a surprise, the train is late again.')", "is_sarcastic('The cake was delicious.')",
    ]  # fmt: skip
    values = "```json\n" + json.dumps(dict(zip(keys, [True, False, True, True]))) + "\n```"
    answer, _ = await _run(chain_of_code, MockModel([SARCASM_PROGRAM, values]), tmp_path, SARCASM_QUESTION)
    assert answer.strip() == "<<<3>>>"
    answer, ctx = await _run(chain_of_code, MockModel(["It is <<<2>>>"]), tmp_path, SARCASM_QUESTION)
    assert answer == "It is <<<2>>>" and all(e.kind == "model" for e in ctx.trace.events)


@pytest.mark.anyio
async def test_chain_of_code_stops_at_the_round_limit_when_the_model_never_gives_values(tmp_path):
    from mcp_codesteer.eval.methods import chain_of_code

    llm = MockModel([SARCASM_PROGRAM, "I am not sure."], cycle=True)
    answer, ctx = await _run(chain_of_code, llm, tmp_path, SARCASM_QUESTION, max_rounds=3)
    assert ctx.trace.rounds == 3
    assert answer == "", "output computed from placeholders is no answer"
