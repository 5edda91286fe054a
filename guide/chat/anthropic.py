"""``anthropic:MODEL[@BASE_URL]``: Anthropic's Messages API over httpx (no SDK needed).

Key: the options' api_key, else ``$ANTHROPIC_API_KEY`` (required). System messages go
to the API's ``system`` field. The Messages API takes no seed (a set seed is not sent)
and needs ``max_tokens`` (:data:`DEFAULT_MAX_TOKENS` when the settings leave it open).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import httpx

from .endpoint import key_from_env, split_model_url
from .guard import check_model_request_allowed
from .http_retry import ProviderError, post_json, with_retries
from .options import ModelOptions
from .types import ChatMessage, Completion, GenerateSettings, Usage, as_messages

DEFAULT_BASE_URL = "https://api.anthropic.com"
API_VERSION = "2023-06-01"
DEFAULT_MAX_TOKENS = 4096
EXAMPLE = "anthropic:claude-sonnet-4-5"


class AnthropicModel:
    def __init__(self, model: str, base_url: str, *, api_key: str, options: ModelOptions | None = None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.model, self.base_url = model, base_url
        self.name = f"anthropic:{model}"
        self.options = options or ModelOptions()
        self._headers = {"x-api-key": api_key, "anthropic-version": API_VERSION}
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(self.options.timeout_s, connect=self.options.connect_timeout_s), transport=transport
        )

    def describe(self) -> dict:
        return {"provider": "anthropic", "model": self.model, "base_url": self.base_url, "api_key_set": True}

    async def generate(self, messages: Sequence[ChatMessage], settings: GenerateSettings | None = None) -> Completion:
        check_model_request_allowed(self.name)
        settings = settings or GenerateSettings()
        messages = as_messages(messages)
        system = "\n\n".join(m.content for m in messages if m.role == "system")
        payload: dict[str, Any] = {
            "model": self.model,
            "max_tokens": settings.max_tokens or DEFAULT_MAX_TOKENS,
            "messages": [{"role": m.role, "content": m.content} for m in messages if m.role != "system"],
        }
        if settings.temperature is not None:
            payload["temperature"] = settings.temperature
        if settings.stop:
            payload["stop_sequences"] = settings.stop
        if system:
            payload["system"] = system
        url = f"{self.base_url}/v1/messages"
        started = time.perf_counter()
        data, attempts = await with_retries(
            lambda: post_json(self._http, url, payload, self._headers, self.name), self.options.retry_policy
        )
        blocks = data.get("content")
        if not isinstance(blocks, list):
            raise ProviderError(f"{self.name}: no content list in the reply: {str(data)[:300]}")
        text = "".join(b.get("text", "") for b in blocks if isinstance(b, dict) and b.get("type") == "text")
        usage = data.get("usage") or {}
        return Completion(
            text=text,
            usage=Usage(input_tokens=usage.get("input_tokens") or 0, output_tokens=usage.get("output_tokens") or 0),
            duration_s=time.perf_counter() - started,
            model=str(data.get("model") or self.model),
            finish_reason=data.get("stop_reason"),
            attempts=attempts,
        )

    async def aclose(self) -> None:
        await self._http.aclose()


def make(rest: str, options: ModelOptions) -> AnthropicModel:
    model, url = split_model_url("anthropic", rest, default_base_url=DEFAULT_BASE_URL,
                                 base_url_env="ANTHROPIC_BASE_URL", example=EXAMPLE)
    key = options.key() or key_from_env("ANTHROPIC_API_KEY")
    if not key:
        raise ValueError("anthropic: no API key; set ANTHROPIC_API_KEY (or pass --api-key)")
    return AnthropicModel(model, url, api_key=key, options=options)
