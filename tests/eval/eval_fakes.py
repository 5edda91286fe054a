"""Test doubles for the eval client: a scripted 'model' that writes correct programs for three
SymBench tasks (computed here from the question text, never from a task's generator or
verifier), a fake OpenAI-compatible HTTP server that serves it on 127.0.0.1, and the real
server in process as a ToolCaller."""

from __future__ import annotations

import json
import re
import threading
import time
from contextlib import asynccontextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

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


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        # a client killed mid-request (the SIGKILL test) leaves a broken pipe: expected here
        pass


class FakeOpenAIServer:
    """A chat-completions endpoint on 127.0.0.1 answering with ``fake_reply``.

    ``delay_s`` per reply; ``fail_first`` requests answered 429 (Retry-After: 0) first,
    so the client's retry path runs. Records every request body in ``requests``.
    """

    def __init__(self, *, delay_s: float = 0.0, fail_first: int = 0, text_correct: bool = False) -> None:
        self.delay_s = delay_s
        self.fail_left = fail_first
        self.text_correct = text_correct
        self.requests: list[dict] = []
        self.rate_limited = 0
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                with outer._lock:
                    outer.requests.append(body)
                    fail = outer.fail_left > 0
                    if fail:
                        outer.fail_left -= 1
                        outer.rate_limited += 1
                if not self.path.endswith("/chat/completions"):
                    self._send(404, {"error": {"message": f"no route {self.path}"}})
                    return
                if fail:
                    self._send(429, {"error": {"message": "rate limited"}}, {"Retry-After": "0"})
                    return
                if outer.delay_s:
                    time.sleep(outer.delay_s)
                text = fake_reply(body["messages"], text_correct=outer.text_correct)
                prompt_chars = sum(len(m["content"]) for m in body["messages"])
                self._send(200, {
                    "id": "chatcmpl-fake", "object": "chat.completion", "model": body.get("model", "fake"),
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": prompt_chars // 4, "completion_tokens": len(text) // 4,
                              "total_tokens": prompt_chars // 4 + len(text) // 4},
                })

            def _send(self, status: int, payload: dict, headers: dict | None = None) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

        self._httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> "FakeOpenAIServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


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
