"""Anthropic's Messages API over httpx (no SDK needed), with the guide's retry policy."""

from __future__ import annotations

import time

import httpx

from guide.http_retry import post_json, with_retries

from ._http import HTTPProvider
from .base import Completion, GenerationSettings, Message, ProviderError, Usage

DEFAULT_BASE_URL = "https://api.anthropic.com"
API_VERSION = "2023-06-01"


class Anthropic(HTTPProvider):
    """``anthropic:<model>``. Key: the flag, else $ANTHROPIC_API_KEY (required).
    The Messages API takes no seed; a set seed is recorded but not sent."""

    kind = "anthropic"
    example_model = "claude-sonnet-4-5"
    default_base_url = DEFAULT_BASE_URL
    base_url_env = "ANTHROPIC_BASE_URL"
    api_key_env = "ANTHROPIC_API_KEY"

    def __init__(self, model: str, *, api_key: str | None = None, base_url: str | None = None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        super().__init__(model, base_url=base_url, api_key=api_key, transport=transport)
        if not self._api_key:
            raise ValueError("anthropic: no API key; set ANTHROPIC_API_KEY or pass --api-key")

    async def generate(self, messages: list[Message], settings: GenerationSettings) -> Completion:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=settings.request_timeout_s, transport=self._transport)
        system = "\n\n".join(m.content for m in messages if m.role == "system")
        payload: dict = {
            "model": self.model,
            "max_tokens": settings.max_tokens,
            "temperature": settings.temperature,
            "messages": [{"role": m.role, "content": m.content} for m in messages if m.role != "system"],
        }
        if system:
            payload["system"] = system
        headers = {"x-api-key": self._api_key, "anthropic-version": API_VERSION}
        client, url = self._client, f"{self.base_url}/v1/messages"
        started = time.perf_counter()
        data, attempts = await with_retries(
            lambda: post_json(client, url, payload, headers, self.name), settings.retry_policy
        )
        blocks = data.get("content")
        if not isinstance(blocks, list):
            raise ProviderError(f"{self.name}: no content list in the reply: {str(data)[:300]}")
        text = "".join(b.get("text", "") for b in blocks if isinstance(b, dict) and b.get("type") == "text")
        usage = data.get("usage") or {}
        return Completion(
            text=text,
            usage=Usage(input_tokens=usage.get("input_tokens"), output_tokens=usage.get("output_tokens")),
            model=str(data.get("model") or self.model),
            finish_reason=data.get("stop_reason"),
            duration_s=time.perf_counter() - started,
            attempts=attempts,
        )
