"""Scripted models for synthesis tests: a TaskLLM that is right in code and wrong in text,
and a function guide that alternates its replies so that branches differ."""

from __future__ import annotations

from guide.codesteer_format import CODE_TOKEN, RETURN_TOKEN, TEXT_TOKEN
from guide.prompts import CODE_FIRST
from guide.chat import ChatMessage, FunctionModel, GenerateSettings, MockModel

REFINE = "<<<Check the answer once more with a program that tests it.>>>"


def task_llm(golds: dict[str, str]) -> MockModel:
    """Answers with a program printing the gold when first told to write code, with a wrong
    text answer otherwise. The test computes the golds; the model never sees them."""

    def respond(messages) -> str:
        first = messages[0].content
        gold = next((g for q, g in golds.items() if first.startswith(q.strip())), None)
        if gold is None:
            raise AssertionError(f"the TaskLLM was sent a question the test did not plan: {first[:80]!r}")
        if CODE_FIRST in first:
            return f"I compute it.\n```python\nprint({gold!r})\n```"
        return "Reasoning in text, I get <<<0>>>."

    return MockModel(respond, name="scripted")


class FunctionGuide:
    """The sampling guide's function: code/text at the first decision, then return or
    refine, alternating call by call; always return from the second round on."""

    def __init__(self) -> None:
        self.calls = 0
        self.seen: list[list[ChatMessage]] = []
        self.model = FunctionModel(self, name="function:guide")

    def __call__(self, messages: list[ChatMessage], settings: GenerateSettings) -> str:
        self.calls += 1
        self.seen.append(messages)
        decided = sum(1 for m in messages if m.role == "assistant")
        if decided == 0:
            reply = CODE_TOKEN if self.calls % 2 else TEXT_TOKEN
        elif decided == 1:
            reply = RETURN_TOKEN if self.calls % 2 else REFINE
        else:
            reply = RETURN_TOKEN
        return reply


async def slow_text_reply(messages: list[ChatMessage], settings: GenerateSettings) -> str:
    """``function:scripted:slow_text_reply``: a TaskLLM slow enough to be killed mid-run."""
    import anyio

    await anyio.sleep(0.1)
    return "Reasoning in text, I get <<<0>>>."


def text_then_return(messages: list[ChatMessage], settings: GenerateSettings) -> str:
    """``function:scripted:text_then_return``: a guide that answers in text and returns the first answer."""
    return TEXT_TOKEN if not any(m.role == "assistant" for m in messages) else RETURN_TOKEN


def pooling_solver(messages: list[ChatMessage], settings: GenerateSettings) -> str:
    """``function:scripted:pooling_solver``: prints the gold of a generated pooling question
    (seeds 0-9), which the test knows and the server never sees."""
    import symbench

    task = symbench.get_task("pooling")
    golds = {s.question.strip(): task.gold_answer(s) for s in (task.generate(seed) for seed in range(10))}
    question = next(q for q in golds if q in messages[0].content)
    return f"I compute it.\n```python\nprint({golds[question]!r})\n```"
