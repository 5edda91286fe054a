"""The shipped test doubles (MockModel, FunctionModel), the spec registry, and the switch
that forbids real model requests."""

from __future__ import annotations

import json
import sys
import types

import pytest

from guide.chat import (
    MODEL_SPEC_HELP,
    PROVIDERS,
    Provider,
    ChatMessage,
    ChatModel,
    FunctionModel,
    GenerateSettings,
    MockModel,
    ModelError,
    ModelRequestsForbidden,
    allow_model_requests,
    forbid_model_requests,
    model_requests_forbidden,
    resolve_chat_model,
)

pytestmark = pytest.mark.anyio


def _user(text: str) -> list[ChatMessage]:
    return [ChatMessage(role="user", content=text)]


async def test_mock_replays_its_script_records_requests_and_settings_and_stops_at_the_end():
    model = MockModel(["one", "two"])
    first = await model.generate(_user("q1"), GenerateSettings(temperature=0.5))
    second = await model.generate(_user("q2"))
    assert (first.text, second.text) == ("one", "two")
    assert [r[-1].content for r in model.requests] == ["q1", "q2"]
    assert model.settings_seen[0].temperature == 0.5
    assert first.usage.input_tokens >= 0 and first.usage.output_tokens > 0 and first.model == "mock"
    with pytest.raises(ModelError, match="scripted replies were used"):
        await model.generate(_user("q3"))


async def test_mock_with_a_callable_answers_from_the_conversation_it_is_sent():
    model = MockModel(lambda messages: messages[-1].content.upper())
    assert (await model.generate(_user("shout"))).text == "SHOUT"
    assert isinstance(model, ChatModel)


async def test_function_model_gets_messages_and_settings_applies_stop_strings_and_may_be_async():
    async def fn(messages, settings):
        return f"{messages[-1].content} at {settings.temperature}. END and more"

    model = FunctionModel(fn)
    done = await model.generate(_user("hello"), GenerateSettings(temperature=0.2, stop=[" END"]))
    assert done.text == "hello at 0.2."
    assert model.name.startswith("function:")


async def test_function_model_refuses_a_reply_that_is_not_text():
    with pytest.raises(ModelError, match="returned int"):
        await FunctionModel(lambda messages, settings: 42).generate(_user("x"))


async def test_mock_and_function_specs_resolve_from_a_file_and_an_import_path(tmp_path):
    script = tmp_path / "replies.json"
    script.write_text(json.dumps(["a", "b"]))
    mock = resolve_chat_model(f"mock:{script}")
    assert mock.name == "mock:replies.json"
    assert [(await mock.generate(_user("q"))).text for _ in range(3)] == ["a", "b", "a"]  # a file's script cycles
    function = resolve_chat_model("function:json:dumps")
    assert function.name == "function:json:dumps"
    with pytest.raises(ValueError, match="non-empty JSON list"):
        script.write_text("[]")
        resolve_chat_model(f"mock:{script}")
    with pytest.raises(ValueError, match="a script is"):  # an object is a script by task and method, not an empty one
        script.write_text("{}")
        resolve_chat_model(f"mock:{script}")


def test_an_unknown_spec_lists_every_registered_form():
    with pytest.raises(ValueError) as info:
        resolve_chat_model("gpt-4o")
    for provider in PROVIDERS.values():
        assert provider.form in str(info.value)
        assert provider.form in MODEL_SPEC_HELP


def test_local_specs_load_nothing_until_used(tmp_path):
    pytest.importorskip("transformers")
    model = resolve_chat_model("hf:some-org/some-model")
    assert model.name == "hf:some-org/some-model" and model._model is None
    with pytest.raises(ValueError, match="no model there"):
        resolve_chat_model(f"hf:{tmp_path / 'missing'}")


async def test_real_requests_are_refused_while_forbidden_and_mocks_still_answer():
    assert model_requests_forbidden()  # tests/conftest.py turned it on for the whole suite
    model = resolve_chat_model("openai:gpt-4o@http://127.0.0.1:9/v1")
    with pytest.raises(ModelRequestsForbidden, match="allow_model_requests"):
        await model.generate(_user("hi"))
    assert (await MockModel(["fine"]).generate(_user("hi"))).text == "fine"
    await model.aclose()


def test_the_switch_is_a_setter_and_a_context_manager_that_restores_the_state():
    before = model_requests_forbidden()
    with allow_model_requests():
        assert not model_requests_forbidden()
        with forbid_model_requests():
            assert model_requests_forbidden()
        assert not model_requests_forbidden()
    assert model_requests_forbidden() == before
    forbid_model_requests(False)
    try:
        assert not model_requests_forbidden()
    finally:
        forbid_model_requests(before)


def test_the_readme_documents_every_registered_provider_with_its_example():
    from pathlib import Path

    readme = (Path(__file__).parents[3] / "README.md").read_text()
    for provider in PROVIDERS.values():
        assert f"`{provider.form}`" in readme and provider.example in readme, provider.kind


async def test_a_provider_registered_by_a_user_resolves_and_is_named_in_errors(monkeypatch):
    module = types.ModuleType("echo_provider")
    module.make = lambda rest, options: FunctionModel(lambda messages, settings: rest + messages[-1].content)
    monkeypatch.setitem(sys.modules, "echo_provider", module)
    monkeypatch.setitem(PROVIDERS, "echo", Provider("echo", "echo:PREFIX", "echo:>", "repeats", "echo_provider:make"))
    assert (await resolve_chat_model("echo:>").generate(_user("hi"))).text == ">hi"
    with pytest.raises(ValueError, match=r"echo:PREFIX"):
        resolve_chat_model("nope:x")
