"""``openai:MODEL[@BASE_URL]``: any OpenAI-compatible chat completions endpoint (OpenAI,
a vLLM server started by ``mcp-codesteer guide serve``, SGLang, ...).

Without ``@BASE_URL``: ``$OPENAI_BASE_URL``, else OpenAI's. Key: the options' api_key,
else ``$OPENAI_API_KEY``; a local server needs none. Other named servers (``ollama:``,
``llamacpp:``) reuse :class:`OpenAICompatibleModel` with their own defaults.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import httpx

from .endpoint import key_from_env, split_model_url
from .guard import check_model_request_allowed
from .openai_client import ChatClient
from .options import ModelOptions
from .types import ChatMessage, Completion, GenerateSettings, Usage, as_messages

DEFAULT_BASE_URL = "https://api.openai.com/v1"
EXAMPLE = "openai:gpt-4o or openai:codesteer@http://127.0.0.1:8000/v1"
# connection reuse matters when an eval runs many samples at once
POOL_LIMITS = httpx.Limits(max_connections=256, max_keepalive_connections=64)


class OpenAICompatibleModel:
    """Chat completions at ``{base_url}/chat/completions``, retried as the options say."""

    def __init__(
        self,
        kind: str,
        model: str,
        base_url: str,
        *,
        api_key: str | None,
        options: ModelOptions | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.kind, self.model, self.base_url = kind, model, base_url
        self.name = f"{kind}:{model}"
        self.options = options or ModelOptions()
        self._api_key = api_key
        self._client = ChatClient(
            base_url,
            what=f"{self.name} at {base_url}",
            api_key=api_key,
            timeout=httpx.Timeout(self.options.timeout_s, connect=self.options.connect_timeout_s),
            limits=POOL_LIMITS,
            transport=transport,
        )

    def describe(self) -> dict:
        return {"provider": self.kind, "model": self.model, "base_url": self.base_url, "api_key_set": bool(self._api_key)}

    async def generate(self, messages: Sequence[ChatMessage], settings: GenerateSettings | None = None) -> Completion:
        """One reply. ProviderError once the retries are spent, or at once on an error a
        retry cannot mend (a 4xx other than 408/409/425/429, a reply that is not a chat completion)."""
        check_model_request_allowed(self.name)
        settings = settings or GenerateSettings()
        started = time.perf_counter()
        reply = await self._client.complete(
            model=self.model,
            messages=[m.model_dump() for m in as_messages(messages)],
            retry=self.options.retry_policy,
            max_tokens=settings.max_tokens,
            temperature=settings.temperature,
            stop=settings.stop,
            seed=settings.seed,
        )
        return Completion(
            text=reply.content or "",
            usage=Usage(input_tokens=reply.input_tokens or 0, output_tokens=reply.output_tokens or 0),
            duration_s=time.perf_counter() - started,
            model=reply.model or self.model,
            finish_reason=reply.finish_reason,
            attempts=reply.attempts,
        )

    async def aclose(self) -> None:
        await self._client.aclose()


def make(rest: str, options: ModelOptions) -> OpenAICompatibleModel:
    model, url = split_model_url("openai", rest, default_base_url=DEFAULT_BASE_URL, base_url_env="OPENAI_BASE_URL",
                                 example=EXAMPLE)
    return OpenAICompatibleModel("openai", model, url, api_key=options.key() or key_from_env("OPENAI_API_KEY"),
                                 options=options)
