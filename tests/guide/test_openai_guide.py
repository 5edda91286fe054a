"""The OpenAI-compatible guide against a real HTTP server on 127.0.0.1 that answers from a script."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

pytest.importorskip("httpx", reason="the openai guide needs httpx: pip install 'httpx>=0.27,<1'")

from guide.codesteer_format import render_conversation  # noqa: E402
from guide.openai_compat import OpenAIGuide, OpenAIOptions  # noqa: E402
from guide.registry import create_guide  # noqa: E402
from guide.types import Action, Trajectory  # noqa: E402

pytestmark = pytest.mark.anyio
FAST = OpenAIOptions(backoff_s=0, retries=2, timeout_s=5)


def completion(content: str) -> tuple[int, dict, str]:
    message = {"role": "assistant", "content": content}
    body = {"id": "x", "object": "chat.completion", "choices": [{"index": 0, "message": message}]}
    return 200, {}, json.dumps(body)


class FakeEndpoint:
    """Answers POST /v1/chat/completions with scripted (status, headers, body) and records each request."""

    def __init__(self, *answers: tuple[int, dict, str]):
        self.answers = list(answers)
        self.requests: list[dict] = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("content-length", 0))
                endpoint.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": json.loads(self.rfile.read(length))}
                )
                status, headers, body = endpoint.answers.pop(0)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body.encode())))
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def endpoint_factory():
    made: list[FakeEndpoint] = []

    def make(*answers):
        made.append(FakeEndpoint(*answers))
        return made[-1]

    yield make
    for e in made:
        e.close()


@pytest.fixture(autouse=True)
def no_ambient_keys(monkeypatch):
    monkeypatch.delenv("CODESTEER_GUIDE_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


def _fresh() -> Trajectory:
    return Trajectory(session_id="s", question="Use 4 7 8 8 to make 24.")


async def _ask(endpoint: FakeEndpoint, options: OpenAIOptions = FAST):
    guide = OpenAIGuide(endpoint.url, "codesteer", options=options)
    try:
        return await guide.next(_fresh())
    finally:
        await guide.aclose()


async def test_scripted_guidance_from_the_endpoint_is_followed(endpoint_factory, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai")
    monkeypatch.setenv("CODESTEER_GUIDE_API_KEY", "sk-guide")
    endpoint = endpoint_factory(completion("A search settles it. <<<Code>>>"))
    guidance = await _ask(endpoint)
    assert (guidance.action, guidance.source) == (Action.CODE, "openai")
    [request] = endpoint.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["Authorization"] == "Bearer sk-guide"  # the guide's own key wins
    assert request["body"]["model"] == "codesteer"
    assert request["body"]["messages"] == render_conversation(_fresh())
    assert request["body"]["temperature"] == 0.0


async def test_openai_api_key_is_used_when_no_guide_key_is_set_and_none_is_sent_without_keys(endpoint_factory, monkeypatch):
    endpoint = endpoint_factory(completion("<<<Text>>>"), completion("<<<Text>>>"))
    await _ask(endpoint)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai")
    await _ask(endpoint)
    assert "Authorization" not in endpoint.requests[0]["headers"]
    assert endpoint.requests[1]["headers"]["Authorization"] == "Bearer sk-openai"


async def test_a_429_is_retried_and_the_next_answer_used(endpoint_factory):
    endpoint = endpoint_factory((429, {"retry-after": "0"}, '{"error": "slow down"}'), completion("<<<Text>>>"))
    guidance = await _ask(endpoint)
    assert (guidance.action, guidance.source) == (Action.TEXT, "openai")
    assert len(endpoint.requests) == 2


async def test_server_errors_past_the_retries_fall_back_to_the_rules_guide(endpoint_factory):
    endpoint = endpoint_factory(*[(503, {}, '{"error": "overloaded"}')] * 3)
    guidance = await _ask(endpoint)
    assert len(endpoint.requests) == 3  # the first attempt and two retries
    assert guidance.source == "openai+fallback"
    assert "503" in guidance.rationale


async def test_a_client_error_is_not_retried(endpoint_factory):
    endpoint = endpoint_factory((400, {}, '{"error": "model codesteer does not exist"}'))
    guidance = await _ask(endpoint)
    assert len(endpoint.requests) == 1
    assert guidance.source == "openai+fallback"
    assert "does not exist" in guidance.rationale


async def test_a_malformed_answer_falls_back_and_is_recorded(endpoint_factory):
    endpoint = endpoint_factory(completion("I would probably go with a program here."))
    guidance = await _ask(endpoint)
    assert guidance.source == "openai+fallback"
    assert "malformed" in guidance.rationale
    assert guidance.action in (Action.CODE, Action.TEXT)


async def test_a_body_that_is_not_a_chat_completion_falls_back(endpoint_factory):
    endpoint = endpoint_factory((200, {}, '{"choices": []}'))
    guidance = await _ask(endpoint)
    assert guidance.source == "openai+fallback"
    assert "not a chat completion" in guidance.rationale


async def test_an_unreachable_endpoint_falls_back_instead_of_failing():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again before the request: nothing listens there
    guide = OpenAIGuide(f"http://127.0.0.1:{port}/v1", "codesteer", options=OpenAIOptions(retries=1, backoff_s=0))
    guidance = await guide.next(_fresh())
    await guide.aclose()
    assert guidance.source == "openai+fallback"
    assert "(still failing after 2 attempts)" in guidance.rationale and "ConnectError" in guidance.rationale


async def test_the_registry_string_reaches_the_endpoint(endpoint_factory):
    endpoint = endpoint_factory(completion("<<<Code>>>"))
    guide = create_guide(f"openai:{endpoint.url}#my-guide")
    try:
        assert (await guide.next(_fresh())).source == "openai"
    finally:
        await guide.aclose()
    assert endpoint.requests[0]["body"]["model"] == "my-guide"


def test_a_base_url_without_a_scheme_is_refused_with_an_example():
    with pytest.raises(ValueError, match="http://127.0.0.1:8000/v1"):
        OpenAIGuide("127.0.0.1:8000/v1", "codesteer")
