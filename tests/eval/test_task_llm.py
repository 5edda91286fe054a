"""The eval's TaskLLM is a chat model named by the one model string; the deprecated
--base-url (and the endpoint an old run recorded) still reach the spec."""

from __future__ import annotations

import pytest

from mcp_codesteer.eval.records import GenerationSettings, RunConfig
from mcp_codesteer.eval.runner import resolve_task_llm


def _config(task_llm: str, **generation) -> RunConfig:
    return RunConfig(tasks=["game24"], methods=["all_text"], task_llm=task_llm,
                     generation=GenerationSettings(**generation))


def test_the_url_in_the_model_string_wins_and_a_base_url_fills_in_only_where_it_names_none():
    assert resolve_task_llm(_config("openai:m@http://a:1/v1"), base_url="http://b:2/v1").base_url == "http://a:1/v1"
    assert resolve_task_llm(_config("openai:m"), base_url="http://b:2/v1").base_url == "http://b:2/v1"
    assert resolve_task_llm(_config("mock"), base_url="http://b:2/v1").name == "mock"  # no endpoint to fill


def test_the_run_settings_become_the_providers_patience_and_each_calls_sampling():
    config = _config("openai:m@http://a:1/v1", request_timeout_s=12, max_retries=2, temperature=0.4, seed=9)
    model = resolve_task_llm(config, api_key="sk-flag")
    assert (model.options.timeout_s, model.options.max_retries, model.options.key()) == (12, 2, "sk-flag")
    per_call = config.generation.per_call()
    assert (per_call.temperature, per_call.max_tokens, per_call.seed) == (0.4, 4096, 9)


def test_an_unknown_task_llm_lists_the_model_string_forms():
    with pytest.raises(ValueError, match=r"hf:PATH .* openai:MODEL\[@BASE_URL\]"):
        resolve_task_llm(_config("gpt-4o"))
