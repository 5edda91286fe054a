"""The OpenAI-compatible guide against a real HTTP server on 127.0.0.1 that answers from a script."""

from __future__ import annotations

import socket

import pytest

pytest.importorskip("httpx", reason="the openai guide needs httpx: pip install 'httpx>=0.27,<1'")

from fake_openai import FakeOpenAIServer, completion  # noqa: E402

from guide.chat import ModelOptions  # noqa: E402
from guide.chat.openai import OpenAICompatibleModel  # noqa: E402
from guide.codesteer_format import render_conversation  # noqa: E402
from guide.model_guide import ModelGuide  # noqa: E402
from guide.registry import create_guide  # noqa: E402
from guide.types import Action, Trajectory  # noqa: E402

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("real_model_requests")]
FAST = ModelOptions(backoff_initial_s=0, max_retries=2, timeout_s=5)


@pytest.fixture
def endpoint_factory():
    made: list[FakeOpenAIServer] = []

    def make(*answers):
        made.append(FakeOpenAIServer(answers))
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


async def _ask(endpoint: FakeOpenAIServer, options: ModelOptions = FAST):
    guide = create_guide(f"openai:codesteer@{endpoint.base_url}", options=options)
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
    assert (request["body"]["temperature"], request["body"]["max_tokens"]) == (0.0, 512)


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
    guide = ModelGuide(OpenAICompatibleModel("openai", "codesteer", f"http://127.0.0.1:{port}/v1", api_key=None,
                                             options=ModelOptions(max_retries=1, backoff_initial_s=0)))
    guidance = await guide.next(_fresh())
    await guide.aclose()
    assert guidance.source == "openai+fallback"
    assert "(still failing after 2 attempts)" in guidance.rationale and "ConnectError" in guidance.rationale


async def test_the_old_url_hash_model_string_still_reaches_the_endpoint_with_a_deprecation_warning(endpoint_factory, caplog):
    endpoint = endpoint_factory(completion("<<<Code>>>"))
    guide = create_guide(f"openai:{endpoint.base_url}#my-guide")
    try:
        assert (await guide.next(_fresh())).source == "openai"
    finally:
        await guide.aclose()
    assert endpoint.requests[0]["body"]["model"] == "my-guide"
    assert f"openai:my-guide@{endpoint.base_url}" in caplog.text


def test_a_base_url_without_a_scheme_is_refused_with_an_example():
    with pytest.raises(ValueError, match="http://127.0.0.1:8000/v1"):
        create_guide("openai:codesteer@127.0.0.1:8000/v1")
