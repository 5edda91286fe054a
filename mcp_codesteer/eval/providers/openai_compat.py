"""Any OpenAI-compatible chat completions endpoint: OpenAI, vLLM, SGLang, Ollama, llama.cpp."""

from __future__ import annotations

import os
import time

import httpx

from ._http import post_json
from .base import Completion, GenerationSettings, Message, ProviderError, Usage
from .retry import with_retries

DEFAULT_BASE_URL = "https://api.openai.com/v1"


class OpenAICompatible:
    """``openai:<model>``. Base URL: the flag, else $OPENAI_BASE_URL, else OpenAI's.
    Key: the flag, else $OPENAI_API_KEY; local servers may need none."""

    def __init__(self, model: str, *, base_url: str | None = None, api_key: str | None = None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        if not model:
            raise ValueError("openai: give a model name, e.g. --task-llm openai:gpt-4o")
        self.model = model
        self.name = f"openai:{model}"
        self.base_url = (base_url or os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        self._api_key = api_key if api_key is not None else os.environ.get("OPENAI_API_KEY")
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._timeout_s: float | None = None

    def _http(self, settings: GenerationSettings) -> httpx.AsyncClient:
        if self._client is None or self._timeout_s != settings.request_timeout_s:
            # one pooled client per timeout setting; connection reuse matters at high concurrency
            self._client = httpx.AsyncClient(timeout=settings.request_timeout_s, transport=self._transport,
                                             limits=httpx.Limits(max_connections=256, max_keepalive_connections=64))
            self._timeout_s = settings.request_timeout_s
        return self._client

    def describe(self) -> dict:
        return {"provider": "openai", "model": self.model, "base_url": self.base_url, "api_key_set": bool(self._api_key)}

    async def generate(self, messages: list[Message], settings: GenerationSettings) -> Completion:
        payload: dict = {
            "model": self.model,
            "messages": [m.model_dump() for m in messages],
            "temperature": settings.temperature,
            "max_tokens": settings.max_tokens,
        }
        if settings.seed is not None:
            payload["seed"] = settings.seed
        headers = {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}
        client = self._http(settings)
        url = f"{self.base_url}/chat/completions"
        started = time.perf_counter()
        data, attempts = await with_retries(
            lambda: post_json(client, url, payload, headers, self.name), settings, what=self.name
        )
        try:
            choice = data["choices"][0]
            text = choice["message"].get("content") or ""
        except (KeyError, IndexError, TypeError, AttributeError) as exc:
            raise ProviderError(f"{self.name}: no choices[0].message in the reply: {str(data)[:300]}") from exc
        usage = data.get("usage") or {}
        return Completion(
            text=text,
            usage=Usage(input_tokens=usage.get("prompt_tokens"), output_tokens=usage.get("completion_tokens")),
            model=str(data.get("model") or self.model),
            finish_reason=choice.get("finish_reason"),
            duration_s=time.perf_counter() - started,
            attempts=attempts,
        )

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
