"""``mcp-codesteer demo``: one steering session through the real server, with a scripted TaskLLM.

By default the TaskLLM replays three answers a careless model might give to a Game 24
question (a guess in text, a hand-made answer printed by code, then a real search), so
a newcomer sees the guide steer without any model or API key; ``--task-llm`` puts any
model string in its place (``ollama:qwen2.5:7b``, ``openai:gpt-4o``, ...). The server,
its sandbox, both checkers and the SymBench constraint check are the real ones.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from guide.chat import MODEL_SPEC_HELP
from sandbox import sandbox_names

DEMO_SEARCH = '''```python
from fractions import Fraction
from itertools import permutations, product

numbers = {numbers}

def expressions(items):
    # every way to combine the items with + - * / and parentheses, exactly
    if len(items) == 1:
        yield items[0]
        return
    for i in range(1, len(items)):
        for left in expressions(items[:i]):
            for right in expressions(items[i:]):
                yield (f"({{left[0]}}+{{right[0]}})", left[1] + right[1])
                yield (f"({{left[0]}}-{{right[0]}})", left[1] - right[1])
                yield (f"({{left[0]}}*{{right[0]}})", left[1] * right[1])
                if right[1] != 0:
                    yield (f"({{left[0]}}/{{right[0]}})", left[1] / right[1])

answer = next(
    text
    for order in permutations(numbers)
    for text, value in expressions([(str(n), Fraction(n)) for n in order])
    if value == 24
)
print(f"<<<{{answer}}>>>")
```'''


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=int, default=3, help="which Game 24 instance to solve")
    parser.add_argument("--sandbox", choices=sandbox_names(), default="auto")
    parser.add_argument("--task-llm", default=None, help=f"{MODEL_SPEC_HELP} (default: three scripted replies)")


def run(args: argparse.Namespace) -> int:
    import anyio

    try:
        return anyio.run(_demo, args.seed, args.sandbox, args.task_llm)
    except ValueError as exc:  # a malformed --task-llm
        print(f"mcp-codesteer demo: {exc}", file=sys.stderr)
        return 2


async def _demo(seed: int, sandbox: str, task_llm: str | None) -> int:
    from mcp import Client
    from rich.console import Console
    from rich.panel import Panel
    from rich.text import Text

    from guide.chat import ChatMessage, MockModel, aclose_model, resolve_chat_model
    from symbench import get_task

    from ..server import build_server
    from ..settings import Settings

    console = Console()
    sample = get_task("game24").generate(seed)
    model = resolve_chat_model(task_llm) if task_llm else MockModel([
        "Easy: 6 * 4 = 24. <<<6*4>>>",
        "```python\nprint('<<<(4+4)*3>>>')\n```",
        DEMO_SEARCH.format(numbers=sample.metadata["numbers"]),
    ])
    conversation: list[ChatMessage] = []
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), sandbox=sandbox)
        async with Client(build_server(settings)) as client:
            result = (await client.call_tool("steer_next", {"question": sample.question, "task": "game24"})).structured_content
            console.print(Panel(f"numbers {sample.metadata['numbers']}, target 24", title="Game 24"))
            console.print(f"[bold]guide[/] -> {result['action']}: {result['rationale']}")
            while not result["done"]:
                conversation.append(ChatMessage(role="user", content=result["prompt"]))
                reply = (await model.generate(conversation)).text
                conversation.append(ChatMessage(role="assistant", content=reply))
                console.print(Panel(Text(reply), title=f"TaskLLM, round {result['round'] + 1}", border_style="cyan"))
                result = (
                    await client.call_tool("steer_next", {"session_id": result["session_id"], "response": reply})
                ).structured_content
                if result["execution"]:
                    console.print(Text(f"sandbox: {result['execution'].strip()}", style="dim"))
                if result["symbolic"]:
                    console.print(f"[dim]check_symbolic: {result['symbolic']['verdict']} ({result['symbolic']['score']})[/]")
                if result["answer_check"]:
                    check = result["answer_check"]
                    console.print(f"[dim]check_answer: {check['verdict']}: {check['reason']}[/]")
                console.print(f"[bold]guide[/] -> {result['action']}: {result['rationale']}")
            config = await client.read_resource("codesteer://config")
    await aclose_model(model)
    verdict = get_task("game24").verify(sample, f"<<<{result['final_answer']}>>>", "strict")
    console.print(Panel(f"final answer {result['final_answer']}: {verdict.verdict}", border_style="green"))
    if '"isolated": false' in config.contents[0].text:
        console.print("[yellow]warning: code ran without a sandbox (install bubblewrap or docker)[/]")
    return 0 if verdict.verdict == "correct" else 1
