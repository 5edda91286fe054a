import json

import httpx
import pytest

from mcp_codesteer.eval.providers import (
    GenerationSettings,
    Message,
    MockTaskLLM,
    ProviderError,
    TransientProviderError,
    resolve_task_llm,
)
from mcp_codesteer.eval.providers.anthropic import Anthropic
from mcp_codesteer.eval.providers.openai_compat import OpenAICompatible

FAST = GenerationSettings(max_retries=3, backoff_initial_s=0.0, backoff_max_s=0.0)


def _openai_reply(text: str, prompt_tokens: int = 11, completion_tokens: int = 7) -> httpx.Response:
    return httpx.Response(200, json={
        "model": "m", "choices": [{"message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens},
    })


@pytest.mark.anyio
async def test_openai_provider_sends_the_settings_and_reads_the_usage():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((str(request.url), request.headers.get("authorization"), json.loads(request.content)))
        return _openai_reply("<<<4>>>")

    llm = OpenAICompatible("qwen", base_url="http://fake/v1/", api_key="k1", transport=httpx.MockTransport(handler))
    settings = GenerationSettings(temperature=0.3, max_tokens=99, seed=5)
    completion = await llm.generate([Message(role="user", content="2+2?")], settings)
    await llm.aclose()
    url, auth, body = seen[0]
    assert url == "http://fake/v1/chat/completions" and auth == "Bearer k1"
    assert body == {"model": "qwen", "messages": [{"role": "user", "content": "2+2?"}],
                    "temperature": 0.3, "max_tokens": 99, "seed": 5}
    assert (completion.text, completion.usage.input_tokens, completion.usage.output_tokens) == ("<<<4>>>", 11, 7)


@pytest.mark.anyio
async def test_openai_provider_retries_a_rate_limit_then_succeeds():
    statuses = [429, 503]

    def handler(request: httpx.Request) -> httpx.Response:
        if statuses:
            return httpx.Response(statuses.pop(0), headers={"retry-after": "0"}, json={"error": "busy"})
        return _openai_reply("done")

    llm = OpenAICompatible("m", base_url="http://fake/v1", api_key="", transport=httpx.MockTransport(handler))
    completion = await llm.generate([Message(role="user", content="hi")], FAST)
    assert completion.text == "done" and completion.attempts == 3


@pytest.mark.anyio
async def test_openai_provider_reports_a_wrong_key_at_once_with_a_hint():
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(401, json={"error": "bad key"})

    llm = OpenAICompatible("m", base_url="http://fake/v1", api_key="wrong", transport=httpx.MockTransport(handler))
    with pytest.raises(ProviderError, match="API key") as info:
        await llm.generate([Message(role="user", content="hi")], FAST)
    assert not isinstance(info.value, TransientProviderError) and len(calls) == 1


@pytest.mark.anyio
async def test_anthropic_provider_moves_the_system_prompt_and_retries_overload():
    bodies = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append((request.headers.get("x-api-key"), json.loads(request.content)))
        if len(bodies) == 1:
            return httpx.Response(529, json={"type": "error"})
        return httpx.Response(200, json={
            "model": "claude-x", "stop_reason": "end_turn",
            "content": [{"type": "text", "text": "<<<"}, {"type": "text", "text": "7>>>"}],
            "usage": {"input_tokens": 20, "output_tokens": 3},
        })

    llm = Anthropic("claude-x", api_key="sk", base_url="http://fake", transport=httpx.MockTransport(handler))
    completion = await llm.generate(
        [Message(role="system", content="be brief"), Message(role="user", content="3+4?")], FAST
    )
    key, body = bodies[-1]
    assert key == "sk" and body["system"] == "be brief" and body["messages"] == [{"role": "user", "content": "3+4?"}]
    assert completion.text == "<<<7>>>" and completion.usage.input_tokens == 20 and completion.attempts == 2


def test_anthropic_provider_without_a_key_says_where_to_put_one(monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with pytest.raises(ValueError, match="ANTHROPIC_API_KEY"):
        Anthropic("claude-x")


@pytest.mark.anyio
async def test_mock_replays_its_script_records_the_conversation_and_stops_at_the_end():
    llm = MockTaskLLM(["one", "two"])
    first = await llm.generate([Message(role="user", content="q1")], FAST)
    second = await llm.generate([Message(role="user", content="q2")], FAST)
    assert (first.text, second.text) == ("one", "two")
    assert [c[-1].content for c in llm.calls] == ["q1", "q2"]
    with pytest.raises(ProviderError, match="scripted replies were used"):
        await llm.generate([Message(role="user", content="q3")], FAST)


def test_task_llm_strings_resolve_to_their_providers(tmp_path):
    script = tmp_path / "replies.json"
    script.write_text(json.dumps(["a", "b"]))
    assert resolve_task_llm("openai:gpt-x", base_url="http://h/v1", api_key="").name == "openai:gpt-x"
    assert resolve_task_llm(f"mock:{script}").name == "mock:replies.json"
    assert resolve_task_llm("hf:/models/tiny").name == "hf:/models/tiny"  # loads nothing until used
    with pytest.raises(ValueError, match="openai:<model>"):
        resolve_task_llm("gpt-4o")


def test_a_base_url_without_a_scheme_is_refused_when_the_provider_is_made():
    from mcp_codesteer.eval.providers.openai_compat import OpenAICompatible

    with pytest.raises(ValueError, match="must start with http:// or https://"):
        OpenAICompatible("gpt-4o", base_url="127.0.0.1:8000/v1", api_key="k")
