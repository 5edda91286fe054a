"""Anthropic's Messages API over httpx (no SDK needed)."""

from __future__ import annotations

import os
import time

import httpx

from ._http import post_json
from .base import Completion, GenerationSettings, Message, ProviderError, Usage
from .retry import with_retries

DEFAULT_BASE_URL = "https://api.anthropic.com"
API_VERSION = "2023-06-01"


class Anthropic:
    """``anthropic:<model>``. Key: the flag, else $ANTHROPIC_API_KEY (required).
    The Messages API takes no seed; a set seed is recorded but not sent."""

    def __init__(self, model: str, *, api_key: str | None = None, base_url: str | None = None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        if not model:
            raise ValueError("anthropic: give a model name, e.g. --task-llm anthropic:claude-sonnet-4-5")
        self.model = model
        self.name = f"anthropic:{model}"
        self.base_url = (base_url or os.environ.get("ANTHROPIC_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        self._api_key = api_key if api_key is not None else os.environ.get("ANTHROPIC_API_KEY")
        if not self._api_key:
            raise ValueError("anthropic: no API key; set ANTHROPIC_API_KEY or pass --api-key")
        self._transport = transport
        self._client: httpx.AsyncClient | None = None

    def describe(self) -> dict:
        return {"provider": "anthropic", "model": self.model, "base_url": self.base_url, "api_key_set": True}

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
        headers = {"x-api-key": self._api_key or "", "anthropic-version": API_VERSION}
        client = self._client
        started = time.perf_counter()
        data, attempts = await with_retries(
            lambda: post_json(client, f"{self.base_url}/v1/messages", payload, headers, self.name),
            settings, what=self.name,
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

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
