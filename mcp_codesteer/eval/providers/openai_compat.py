"""Any OpenAI-compatible chat completions endpoint: OpenAI, vLLM, SGLang, Ollama, llama.cpp.

The wire format and the retries are the guide's :class:`guide.openai_client.ChatClient`."""

from __future__ import annotations

import time

import httpx

from guide.openai_client import ChatClient

from ._http import HTTPProvider
from .base import Completion, GenerationSettings, Message, Usage

DEFAULT_BASE_URL = "https://api.openai.com/v1"
# connection reuse matters at high concurrency
POOL_LIMITS = httpx.Limits(max_connections=256, max_keepalive_connections=64)


class OpenAICompatible(HTTPProvider):
    """``openai:<model>``. Base URL: the flag, else $OPENAI_BASE_URL, else OpenAI's.
    Key: the flag, else $OPENAI_API_KEY; local servers may need none."""

    kind = "openai"
    example_model = "gpt-4o"
    default_base_url = DEFAULT_BASE_URL
    base_url_env = "OPENAI_BASE_URL"
    api_key_env = "OPENAI_API_KEY"

    _timeout_s: float | None = None

    def _chat(self, settings: GenerationSettings) -> ChatClient:
        if self._client is None or self._timeout_s != settings.request_timeout_s:
            # one pooled client per timeout setting
            self._client = ChatClient(self.base_url, what=self.name, api_key=self._api_key,
                                      timeout=settings.request_timeout_s, limits=POOL_LIMITS, transport=self._transport)
            self._timeout_s = settings.request_timeout_s
        return self._client

    async def generate(self, messages: list[Message], settings: GenerationSettings) -> Completion:
        client = self._chat(settings)
        started = time.perf_counter()
        reply = await client.complete(
            model=self.model,
            messages=[m.model_dump() for m in messages],
            max_tokens=settings.max_tokens,
            temperature=settings.temperature,
            seed=settings.seed,
            retry=settings.retry_policy,
        )
        return Completion(
            text=reply.content or "",
            usage=Usage(input_tokens=reply.input_tokens, output_tokens=reply.output_tokens),
            model=reply.model or self.model,
            finish_reason=reply.finish_reason,
            duration_s=time.perf_counter() - started,
            attempts=reply.attempts,
        )
