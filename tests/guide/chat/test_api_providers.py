"""The HTTP providers (openai, anthropic, and the named OpenAI-compatible servers) against
fake endpoints: what they send, what they read back, which failures they retry."""

from __future__ import annotations

import json

import httpx
import pytest
from fake_openai import FakeOpenAIServer, completion

from guide.chat import (
    ChatMessage,
    GenerateSettings,
    ModelOptions,
    ProviderError,
    TransientProviderError,
    resolve_chat_model,
)
from guide.chat.anthropic import AnthropicModel
from guide.chat.openai import OpenAICompatibleModel

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("real_model_requests")]

FAST = ModelOptions(max_retries=3, backoff_initial_s=0.0, backoff_max_s=0.0, timeout_s=5)
HI = [ChatMessage(role="user", content="hi")]


@pytest.fixture(autouse=True)
def no_ambient_endpoints(monkeypatch):
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "OLLAMA_BASE_URL",
                 "LLAMACPP_BASE_URL", "LLAMACPP_API_KEY"):
        monkeypatch.delenv(name, raising=False)


async def test_openai_sends_the_settings_given_and_reads_text_usage_and_timing():
    with FakeOpenAIServer([completion("<<<4>>>", prompt_tokens=11, completion_tokens=7)]) as fake:
        model = resolve_chat_model(f"openai:qwen@{fake.base_url}", FAST.model_copy(update={"api_key": None}))
        settings = GenerateSettings(temperature=0.3, max_tokens=99, seed=5, stop=["</s>"])
        done = await model.generate([ChatMessage(role="user", content="2+2?")], settings)
        await model.aclose()
    [request] = fake.requests
    assert request["path"] == "/v1/chat/completions" and "Authorization" not in request["headers"]
    assert request["body"] == {"model": "qwen", "messages": [{"role": "user", "content": "2+2?"}],
                               "temperature": 0.3, "max_tokens": 99, "seed": 5, "stop": ["</s>"]}
    assert (done.text, done.usage.input_tokens, done.usage.output_tokens, done.attempts) == ("<<<4>>>", 11, 7, 1)
    assert done.duration_s > 0 and model.name == "openai:qwen"


async def test_openai_leaves_unset_knobs_to_the_server_and_sends_the_key_from_the_environment(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    with FakeOpenAIServer([completion("ok")]) as fake:
        model = resolve_chat_model(f"openai:m@{fake.base_url}", FAST)
        await model.generate(HI)
        await model.aclose()
    assert fake.bodies == [{"model": "m", "messages": [{"role": "user", "content": "hi"}]}]
    assert fake.requests[0]["headers"]["Authorization"] == "Bearer sk-env"


async def test_openai_retries_a_rate_limit_then_succeeds_and_counts_the_attempts():
    with FakeOpenAIServer([(503, {}, {"error": "busy"}), completion("done")], fail_first=1) as fake:
        model = resolve_chat_model(f"openai:m@{fake.base_url}", FAST)
        done = await model.generate(HI)
        await model.aclose()
    assert done.text == "done" and done.attempts == 3 and fake.rate_limited == 1


async def test_openai_reports_a_wrong_key_at_once_with_a_hint():
    with FakeOpenAIServer([(401, {}, {"error": "bad key"})] * 3) as fake:
        model = resolve_chat_model(f"openai:m@{fake.base_url}", FAST)
        with pytest.raises(ProviderError, match="API key") as info:
            await model.generate(HI)
        await model.aclose()
    assert not isinstance(info.value, TransientProviderError) and len(fake.requests) == 1


async def test_anthropic_moves_the_system_prompt_sends_stop_sequences_and_retries_overload():
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

    model = AnthropicModel("claude-x", "http://fake", api_key="sk", options=FAST, transport=httpx.MockTransport(handler))
    done = await model.generate(
        [ChatMessage(role="system", content="be brief"), ChatMessage(role="user", content="3+4?")],
        GenerateSettings(stop=["\n\n"]),
    )
    key, body = bodies[-1]
    assert key == "sk" and body["system"] == "be brief" and body["messages"] == [{"role": "user", "content": "3+4?"}]
    assert body["stop_sequences"] == ["\n\n"] and body["max_tokens"] == 4096 and "temperature" not in body
    assert done.text == "<<<7>>>" and done.usage.input_tokens == 20 and done.attempts == 2


def test_anthropic_without_a_key_says_where_to_put_one():
    with pytest.raises(ValueError, match="ANTHROPIC_API_KEY"):
        resolve_chat_model("anthropic:claude-x")


def test_api_specs_name_the_model_and_the_endpoint_with_documented_defaults(monkeypatch):
    assert resolve_chat_model("openai:gpt-4o").base_url == "https://api.openai.com/v1"
    monkeypatch.setenv("OPENAI_BASE_URL", "http://proxy:9/v1")
    assert resolve_chat_model("openai:gpt-4o").base_url == "http://proxy:9/v1"
    spec = resolve_chat_model("openai:codesteer@http://127.0.0.1:8000/v1/")
    assert (spec.model, spec.base_url) == ("codesteer", "http://127.0.0.1:8000/v1")
    assert resolve_chat_model("anthropic:claude-x", ModelOptions(api_key="k")).base_url == "https://api.anthropic.com"


@pytest.mark.parametrize("spec", ["openai:gpt-4o@127.0.0.1:8000/v1", "openai:@http://h/v1", "openai:"])
def test_a_malformed_api_spec_is_refused_with_an_example(spec):
    with pytest.raises(ValueError, match=r"openai:gpt-4o|http://"):
        resolve_chat_model(spec)


async def test_ollama_is_an_openai_compatible_server_with_its_own_default_address():
    model = resolve_chat_model("ollama:qwen2.5:7b")
    assert isinstance(model, OpenAICompatibleModel)
    assert (model.name, model.model, model.base_url) == ("ollama:qwen2.5:7b", "qwen2.5:7b", "http://127.0.0.1:11434/v1")
    await model.aclose()
    with FakeOpenAIServer([completion("from ollama")]) as fake:
        model = resolve_chat_model(f"ollama:qwen2.5:7b@{fake.base_url}", FAST)
        assert (await model.generate(HI)).text == "from ollama"
        await model.aclose()
    assert fake.bodies[0]["model"] == "qwen2.5:7b"


async def test_llamacpp_is_an_openai_compatible_server_with_its_own_default_address_and_key(monkeypatch):
    assert resolve_chat_model("llamacpp:qwen").base_url == "http://127.0.0.1:8080/v1"
    monkeypatch.setenv("LLAMACPP_API_KEY", "sk-local")
    with FakeOpenAIServer([completion("from llama.cpp")]) as fake:
        model = resolve_chat_model(f"llamacpp:qwen@{fake.base_url}", FAST)
        assert (await model.generate(HI)).text == "from llama.cpp"
        await model.aclose()
    assert fake.requests[0]["headers"]["Authorization"] == "Bearer sk-local"
