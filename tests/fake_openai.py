"""The one fake OpenAI-compatible server of the test suite: a real HTTP server on 127.0.0.1.

``FakeOpenAIServer(respond)`` answers ``POST .../chat/completions``: ``respond`` is a list
of scripted answers (used in order) or a function of the request body; an answer is
``(status, headers, body)`` with a dict or str body (:func:`completion` makes a 200).
``fail_first`` requests are answered 429 with ``Retry-After: 0`` before any of that, so a
client's retry path runs; ``delay_s`` slows every reply. Every request is recorded in
``requests`` as ``{"path", "headers", "body"}``. It serves from construction until
``close()`` (or the end of a ``with`` block).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Answer = tuple[int, dict[str, str], "dict[str, Any] | str"]


def completion(text: str, *, model: str = "fake", prompt_tokens: int = 11, completion_tokens: int = 7) -> Answer:
    """A 200 chat completion holding ``text``, with usage."""
    return 200, {}, {
        "id": "chatcmpl-fake", "object": "chat.completion", "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens},
    }


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # a client that hung up is not a test failure
        pass


class FakeOpenAIServer:
    def __init__(
        self,
        respond: Sequence[Answer] | Callable[[dict], Answer],
        *,
        fail_first: int = 0,
        delay_s: float = 0.0,
    ) -> None:
        self._script = None if callable(respond) else list(respond)
        self._respond = respond if callable(respond) else None
        self.fail_left = fail_first
        self.delay_s = delay_s
        self.requests: list[dict[str, Any]] = []
        self.rate_limited = 0
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                with outer._lock:
                    outer.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                    fail = outer.fail_left > 0
                    if fail:
                        outer.fail_left -= 1
                        outer.rate_limited += 1
                if not self.path.endswith("/chat/completions"):
                    self._send(404, {}, {"error": {"message": f"no route {self.path}"}})
                elif fail:
                    self._send(429, {"Retry-After": "0"}, {"error": {"message": "rate limited"}})
                else:
                    if outer.delay_s:
                        time.sleep(outer.delay_s)  # a slow model, in the server's own thread
                    self._send(*outer._answer(body))

            def _send(self, status: int, headers: dict[str, str], payload: dict | str) -> None:
                data = (payload if isinstance(payload, str) else json.dumps(payload)).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        self._httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()

    def _answer(self, body: dict) -> Answer:
        if self._respond is not None:
            return self._respond(body)
        with self._lock:
            if not self._script:
                return 500, {}, {"error": {"message": "the fake server's script is used up"}}
            return self._script.pop(0)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    @property
    def bodies(self) -> list[dict]:
        return [r["body"] for r in self.requests]

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "FakeOpenAIServer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
