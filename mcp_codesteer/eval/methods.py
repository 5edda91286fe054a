"""The methods a run compares, all driven through the server's tools.

- only_question: the question alone, one turn.
- all_text: the question with an instruction to reason in text only, one turn.
- all_code: the question with an instruction to answer with one program; the program
  is run once with run_code and what it printed is the answer.
- code_feedback: as all_code, then each run's output is fed back (no guide) until the
  model answers without code or the rounds run out.
- codesteer: the guide in the loop: steer_next -> TaskLLM -> steer_next ... until done,
  with exactly what the paper's guide had: the symbolic checker, the execution output and
  the TaskLLM's own self-check programs. steer_next is not told the task.
- codesteer_checks: as codesteer, but steer_next is told the SymBench task, so the task's
  steering-time constraint check (Sudoku rules, Game 24 arithmetic, plan simulation; never
  the gold) also speaks. The paper's guide had no such check, so it is its own column.
- chain_of_code: Chain of Code (Li et al., 2024): one program in which judgements are
  left as calls to functions nobody wrote; run_code(lmulate=true) runs it, and the
  TaskLLM itself emulates the calls the server reports as pending (the LMulator), until
  the program finishes or the rounds run out.

None of them sees a gold answer; scoring happens later, in the runner.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from checkers import extract_python as extract_code
from guide import ANSWER_FORMAT, cap_text
from guide.chat import ChatMessage as Message
from guide.chat import ChatModel, GenerateSettings, Usage
from .records import METHODS, PAPER_METHODS, ModelEvent, ToolEvent
from .tools import ToolCaller, ToolCallError


TEXT_INSTRUCTION = (
    "Solve this by reasoning step by step in text. Do not write or use any code. " + ANSWER_FORMAT
)
CODE_INSTRUCTION = (
    "Solve this by writing one complete Python program in a ```python block. The program must compute the "
    "answer (do not hard-code it) and print the final answer in the form <<<answer>>>. Reply with the program only."
)
FEEDBACK_TEMPLATE = (
    "Your program was run.\n{execution}\n\n"
    "If this output answers the question correctly, reply with the final answer only, in the form <<<answer>>>, "
    "without code. Otherwise, reply with a corrected complete program in a ```python block."
)

CHAIN_OF_CODE_INSTRUCTION = (
    "Solve this by writing one complete Python program in a ```python block. Compute in code everything that "
    "can be computed. For each step that needs judgement or world knowledge instead (is this sentence sarcastic? "
    "is this object a fruit?), call a function that you do NOT define, with a name saying what it decides, e.g. "
    "is_sarcastic(sentence): a language model will supply what each such call returns. Print the final answer "
    "in the form <<<answer>>>. Reply with the program only."
)
EMULATE_TEMPLATE = (
    "Your program was run. It called functions that nobody wrote, and you are to act as those functions: decide "
    "what each call below returns, using judgement and world knowledge.\n{calls}\n\n"
    "Reply with one ```json block: this object with each null replaced by the call's return value as JSON "
    "(true/false, a number, a string, a list):\n```json\n{template}\n```"
)

FEEDBACK_CHARS = 2000
"""Each output stream quoted back to the model in code_feedback is cut to this many characters."""

STEER_SLACK_CALLS = 2
"""steer_next calls allowed beyond max_rounds + 1 before the client stops a session that never ends."""


class MethodError(RuntimeError):
    """The method could not finish (a tool failed, the server never said done)."""


@dataclass
class Trace:
    """What happened during one sample: every model turn and tool call, with times and tokens."""

    started: float = field(default_factory=time.perf_counter)
    events: list[ModelEvent | ToolEvent] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    model_s: float = 0.0
    tool_s: float = 0.0
    rounds: int = 0
    session_id: str | None = None

    def now(self) -> float:
        return time.perf_counter() - self.started


@dataclass
class MethodContext:
    llm: ChatModel
    tools: ToolCaller
    generation: GenerateSettings
    max_rounds: int = 6
    code_timeout_s: float | None = None
    task_name: str | None = None
    trace: Trace = field(default_factory=Trace)

    async def ask(self, messages: list[Message]) -> str:
        """One TaskLLM turn on the conversation so far; recorded as a ModelEvent."""
        trace = self.trace
        trace.rounds += 1
        at = trace.now()
        event = ModelEvent(round=trace.rounds, at_s=at, duration_s=0.0, prompt=messages[-1].content)
        trace.events.append(event)
        try:
            completion = await self.llm.generate(messages, self.generation)
        except Exception as exc:
            event.error = f"{type(exc).__name__}: {exc}"
            raise
        finally:
            event.duration_s = trace.now() - at
            trace.model_s += event.duration_s
        event.response = completion.text
        event.usage = completion.usage
        event.finish_reason = completion.finish_reason
        event.attempts = completion.attempts
        trace.usage = trace.usage + completion.usage
        return completion.text

    async def tool(self, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
        """One tool call through the server; recorded as a ToolEvent."""
        trace = self.trace
        at = trace.now()
        event = ToolEvent(round=trace.rounds, at_s=at, duration_s=0.0, tool=name,
                          arguments={k: v for k, v in arguments.items() if v is not None})
        trace.events.append(event)
        try:
            result = await self.tools.call(name, arguments)
        except Exception as exc:
            event.is_error = True
            event.error = f"{type(exc).__name__}: {exc}"
            raise
        finally:
            event.duration_s = trace.now() - at
            trace.tool_s += event.duration_s
        event.result = result
        return result

    async def run_code(self, code: str) -> dict[str, Any]:
        return await self.tool("run_code", {"code": code, "timeout_s": self.code_timeout_s})


def describe_execution(result: dict[str, Any]) -> str:
    """A run_code result in words for the model (code_feedback's feedback)."""
    parts = []
    if result.get("timed_out"):
        parts.append("The run was stopped at the time limit.")
    elif result.get("exit_code") not in (0, None):
        parts.append(f"The run failed with exit code {result.get('exit_code')}.")
    stdout, stderr = result.get("stdout") or "", result.get("stderr") or ""
    if stdout.strip():
        parts.append("It printed:\n" + cap_text(stdout, FEEDBACK_CHARS))
    if stderr.strip():
        parts.append("Errors:\n" + cap_text(stderr, FEEDBACK_CHARS))
    if not stdout.strip() and not stderr.strip():
        parts.append("It printed nothing.")
    return "\n".join(parts)


async def only_question(ctx: MethodContext, question: str) -> str:
    return await ctx.ask([Message(role="user", content=question)])


async def all_text(ctx: MethodContext, question: str) -> str:
    return await ctx.ask([Message(role="user", content=f"{question}\n\n{TEXT_INSTRUCTION}")])


async def all_code(ctx: MethodContext, question: str) -> str:
    """The program's printed output is the answer; without a program, the response is."""
    response = await ctx.ask([Message(role="user", content=f"{question}\n\n{CODE_INSTRUCTION}")])
    code = extract_code(response)
    if code is None:
        return response
    result = await ctx.run_code(code)
    return result.get("stdout") or ""


async def code_feedback(ctx: MethodContext, question: str) -> str:
    """Rounds of code and execution feedback, no guide. Ends when the model answers
    without code (that answer is final) or at max_rounds (the last output is final)."""
    messages = [Message(role="user", content=f"{question}\n\n{CODE_INSTRUCTION}")]
    last_output: str | None = None
    response = ""
    for round_no in range(1, ctx.max_rounds + 1):
        response = await ctx.ask(messages)
        code = extract_code(response)
        if code is None:
            return response
        result = await ctx.run_code(code)
        last_output = result.get("stdout") or ""
        if round_no == ctx.max_rounds:
            break
        messages += [
            Message(role="assistant", content=response),
            Message(role="user", content=FEEDBACK_TEMPLATE.format(execution=describe_execution(result))),
        ]
    return last_output if last_output is not None else response


async def codesteer(ctx: MethodContext, question: str) -> str:
    """The CodeSteer loop through steer_next, as in the paper: no task hint, so no SymBench
    constraint check; the server's final_answer is the answer."""
    return await _steer(ctx, question, task=None)


async def codesteer_checks(ctx: MethodContext, question: str) -> str:
    """The CodeSteer loop with the SymBench task named, so the task's constraint check runs too."""
    return await _steer(ctx, question, task=ctx.task_name)


async def _steer(ctx: MethodContext, question: str, *, task: str | None) -> str:
    result = await ctx.tool("steer_next", {"question": question, "task": task})
    session_id = result.get("session_id")
    ctx.trace.session_id = session_id
    messages: list[Message] = []
    response = ""
    calls = 1
    while not result.get("done"):
        if calls > ctx.max_rounds + 1 + STEER_SLACK_CALLS:
            raise MethodError(f"steer_next did not finish after {calls} calls (session {session_id})")
        prompt = result.get("prompt") or ""
        messages.append(Message(role="user", content=prompt))
        response = await ctx.ask(messages)
        messages.append(Message(role="assistant", content=response))
        result = await ctx.tool(
            "steer_next",
            {"question": question, "session_id": session_id, "response": response, "task": task},
        )
        calls += 1
    final = result.get("final_answer")
    return final if final is not None else response


_JSON_BLOCK = re.compile(r"```(?:json)?[ \t]*\n(.*?)```", re.DOTALL | re.IGNORECASE)


def _values_from_reply(reply: str) -> dict[str, Any]:
    """The object in the reply's last ```json block (or the reply itself); {} when none."""
    for text in [*reversed(_JSON_BLOCK.findall(reply)), reply.strip()]:
        try:
            data = json.loads(text)
        except ValueError:
            continue
        if isinstance(data, dict):
            return data
    return {}


async def chain_of_code(ctx: MethodContext, question: str) -> str:
    """Chain of Code through run_code(lmulate=true), with the TaskLLM as the LMulator.
    The answer is what the program printed once every call had a value; without a
    program, the response; at max_rounds (model turns) with calls still pending, none."""
    messages = [Message(role="user", content=f"{question}\n\n{CHAIN_OF_CODE_INSTRUCTION}")]
    response = await ctx.ask(messages)
    code = extract_code(response)
    if code is None:
        return response
    messages.append(Message(role="assistant", content=response))
    emulated: dict[str, Any] = {}
    while True:
        args = {"code": code, "timeout_s": ctx.code_timeout_s, "lmulate": True, "emulated": emulated or None}
        result = await ctx.tool("run_code", args)
        lmulate = result.get("lmulate") or {}
        pending = lmulate.get("pending") or []
        status = lmulate.get("status")
        if status not in ("needs_values", "error") or not pending or ctx.trace.rounds >= ctx.max_rounds:
            # A run that still met calls without values printed placeholder-driven output: no answer.
            return (result.get("stdout") or "") if status in ("finished", "limit", None) else ""
        template = lmulate.get("next_emulated") or {c["key"]: None for c in pending}
        calls = "\n".join(f"- {c['key']}  (line {c.get('line')}: {c.get('line_text') or ''})" for c in pending)
        messages.append(
            Message(role="user", content=EMULATE_TEMPLATE.format(calls=calls, template=json.dumps(template, indent=1)))
        )
        reply = await ctx.ask(messages)
        messages.append(Message(role="assistant", content=reply))
        values = _values_from_reply(reply)
        emulated |= {k: v for k, v in values.items() if k in template and v is not None}


MethodFn = Callable[[MethodContext, str], Awaitable[str]]

METHOD_FUNCTIONS: dict[str, MethodFn] = {
    "only_question": only_question,
    "all_text": all_text,
    "all_code": all_code,
    "code_feedback": code_feedback,
    "codesteer": codesteer,
    "codesteer_checks": codesteer_checks,
    "chain_of_code": chain_of_code,
}
assert tuple(METHOD_FUNCTIONS) == METHODS

METHOD_TITLES = {
    "only_question": "Only question",
    "all_text": "All text",
    "all_code": "All code",
    "code_feedback": "Code + feedback",
    "codesteer": "CodeSteer",
    "codesteer_checks": "CodeSteer+checks",
    "chain_of_code": "Chain of Code",
}

METHOD_FEEDBACK = {
    "only_question": "none: one turn with the question alone",
    "all_text": "none: one turn, told to reason in text",
    "all_code": "none: one program, run once; what it prints is the answer",
    "code_feedback": "the execution output of each program, no guide",
    "codesteer": (
        "the guide's steering with what the paper's guide had: symbolic checker, execution output, the TaskLLM's own "
        "self-check programs; no task hint, no SymBench constraint check"
    ),
    "codesteer_checks": (
        "as codesteer, plus the SymBench task's steering-time constraint check (rules of the question, never the gold; "
        "tasks where a check would have to solve the question have none)"
    ),
    "chain_of_code": (
        "the LMulator: the program's calls of functions nobody wrote are listed back and the TaskLLM supplies their "
        "values, until the program finishes; no guide"
    ),
}
"""What the TaskLLM got back in each method; recorded in the run's header and shown in the report."""
assert tuple(METHOD_FEEDBACK) == METHODS


def parse_methods(text: str) -> list[str]:
    """``--methods``: comma-separated names (dashes and ``codesteer+checks`` allowed); 'all' is
    the paper's five methods and may be combined (``all,codesteer+checks``)."""
    names = [n.strip().lower().replace("-", "_").replace("+", "_") for n in text.split(",") if n.strip()]
    if not names:
        return list(PAPER_METHODS)
    expanded = [m for n in names for m in (PAPER_METHODS if n == "all" else (n,))]
    unknown = [n for n in expanded if n not in METHOD_FUNCTIONS]
    if unknown:
        raise ValueError(
            f"unknown method(s) {', '.join(unknown)}; choose from {', '.join(METHODS)}, or 'all' (the paper's five)"
        )
    return list(dict.fromkeys(expanded))


__all__ = ["METHOD_FEEDBACK", "METHOD_FUNCTIONS", "METHOD_TITLES", "MethodContext", "MethodError", "ToolCallError", "Trace", "parse_methods"]
