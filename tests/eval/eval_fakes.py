"""Test doubles for the eval client: a scripted 'model' that writes correct programs for three
SymBench tasks (computed here from the question text, never from a task's generator or
verifier), the suite's fake OpenAI-compatible server serving it on 127.0.0.1, and the real
server in process as a ToolCaller."""

from __future__ import annotations

import re
from contextlib import asynccontextmanager
from pathlib import Path

from fake_openai import FakeOpenAIServer, completion

TASKS = ["statistical_counting", "string_insertion", "matrix_transformation"]

# Each solver: a regex-driven parser of the question and the source of a solve() function.
# The same source runs here (for the text answers) and inside the programs the fake writes.
COUNTING_SOURCE = '''
def solve(text, points):
    total, i = 0, 0
    while i < len(text):
        j = i
        while j < len(text) and text[j] == text[i]:
            j += 1
        if j - i >= 2:
            total += points.get(text[i], 0)
        i = j
    return total
'''

INSERTION_SOURCE = '''
def solve(text, rules):
    out = []
    for i, ch in enumerate(text):
        out.append(ch)
        for pattern, insert in rules:
            start = i - len(pattern) + 1
            if start >= 0 and text[start:i + 1] == pattern:
                out.append(insert)
    return "".join(out)
'''

ROTATE_SOURCE = '''
def solve(rows):
    turned = [list(col) for col in zip(*rows[::-1])]
    return ",".join(cell for row in turned for cell in row)
'''


def _parse(question: str):
    """(source, args) for a question of one of the three tasks, else None."""
    m = re.search(r"total score of the string ([A-Z]+)\?", question)
    if m:
        points = {letter: int(n) for letter, n in re.findall(r"consecutive ([A-Z])'s, add (\d+)", question)}
        return COUNTING_SOURCE, (m.group(1), points)
    m = re.search(r"Given the string ([A-E]+), what will the string be", question)
    if m:
        rules = re.findall(r"substring ([A-E]+) in the string, insert the character ([A-E])", question)
        return INSERTION_SOURCE, (m.group(1), rules)
    m = re.search(r"If the matrix is\s*\n(.*?)\.\s*\nWhat is the result", question, re.DOTALL)
    if m:
        rows = [line.split() for line in m.group(1).strip().splitlines()]
        return ROTATE_SOURCE, (rows,)
    return None


def answer_for(question: str) -> str | None:
    parsed = _parse(question)
    if parsed is None:
        return None
    source, args = parsed
    scope: dict = {}
    exec(source, scope)  # our own solver source, defined above
    return str(scope["solve"](*args))


def program_for(question: str) -> str | None:
    parsed = _parse(question)
    if parsed is None:
        return None
    source, args = parsed
    return f"{source.strip()}\n\nanswer = solve(*{args!r})\nprint('<<<' + str(answer) + '>>>')\n"


def _wants_code(prompt: str) -> bool:
    low = prompt.lower()
    return "no code is needed" not in low and any(w in low for w in ("python", "program", "code"))


def wrong(answer: str) -> str:
    """A plausible wrong answer: what a model reasoning badly in text writes."""
    if answer.lstrip("-").isdigit():
        return str(int(answer) + 1)
    return answer[::-1] + "X"


def fake_reply(conversation: list[dict], *, text_correct: bool = False) -> str:
    """What the fake model answers to a chat conversation (dicts with role and content).

    Asked for code: a correct program computing the answer. Shown its program's output:
    the answer that output printed. Otherwise (text): the right answer when
    ``text_correct``, else a wrong one, so the methods that use code score higher.
    """
    users = [m["content"] for m in conversation if m["role"] == "user"]
    question, last = users[0], users[-1]
    answer = answer_for(question)
    if answer is None:
        return "I do not know. <<<unknown>>>"
    printed = re.findall(r"<<<(.*?)>>>", last)
    if printed and "your program was run" in last.lower():
        return f"The program printed the answer. <<<{printed[0]}>>>"
    if _wants_code(last):
        return f"Here is a program.\n```python\n{program_for(question)}```"
    return f"Reasoning it through, the answer is <<<{answer if text_correct else wrong(answer)}>>>"


def symbench_fake_server(*, delay_s: float = 0.0, fail_first: int = 0, text_correct: bool = False) -> FakeOpenAIServer:
    """The suite's fake OpenAI server (tests/fake_openai.py) answering with ``fake_reply``,
    with usage counted from the characters sent and written."""

    def respond(body: dict):
        text = fake_reply(body["messages"], text_correct=text_correct)
        prompt_chars = sum(len(m["content"]) for m in body["messages"])
        return completion(text, model=body.get("model", "fake"), prompt_tokens=prompt_chars // 4,
                          completion_tokens=len(text) // 4)

    return FakeOpenAIServer(respond, delay_s=delay_s, fail_first=fail_first)


@asynccontextmanager
async def inprocess_tools(data_dir: Path, **settings):
    """The real MCP server, in process (through the SDK's client), as a ToolCaller."""
    from mcp import Client

    from mcp_codesteer.eval.tools import McpToolCaller
    from mcp_codesteer.server import build_server
    from mcp_codesteer.settings import Settings

    settings.setdefault("sandbox", "local")
    async with Client(build_server(Settings(data_dir=data_dir, **settings))) as client:
        yield McpToolCaller(client)
