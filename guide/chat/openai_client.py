"""One retrying client for OpenAI-compatible chat completions (OpenAI, vLLM, SGLang,
Ollama, llama.cpp, ...): the request body, the auth header, the retries
(:mod:`guide.chat.http_retry`) and the reading of the reply live here once."""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import BaseModel

from .http_retry import ProviderError, RetryPolicy, post_json, with_retries


class ChatReply(BaseModel):
    """The parts of a chat completion its callers use."""

    content: str | None
    model: str | None = None
    finish_reason: str | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    attempts: int = 1


class ChatClient:
    """POSTs to ``{base_url}/chat/completions`` over one pooled httpx client.

    ``what`` names the endpoint in every error message. The API key, when given, is
    sent as a bearer token; a local server needs none.
    """

    def __init__(
        self,
        base_url: str,
        *,
        what: str,
        api_key: str | None = None,
        timeout: float | httpx.Timeout,
        limits: httpx.Limits | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.url = f"{base_url.rstrip('/')}/chat/completions"
        self.what = what
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.AsyncClient(
            timeout=timeout, transport=transport, **({"limits": limits} if limits is not None else {})
        )

    async def complete(
        self,
        *,
        model: str,
        messages: list[dict[str, str]],
        retry: RetryPolicy,
        max_tokens: int | None = None,
        temperature: float | None = None,
        stop: list[str] | None = None,
        seed: int | None = None,
    ) -> ChatReply:
        """One chat completion; knobs left None are not sent (the server's defaults apply).
        Transient failures are retried as ``retry`` says (then ProviderError, naming the
        attempts); any other failure raises ProviderError at once."""
        body: dict[str, Any] = {"model": model, "messages": messages}
        for name, value in (("temperature", temperature), ("max_tokens", max_tokens), ("stop", stop), ("seed", seed)):
            if value is not None:
                body[name] = value
        data, attempts = await with_retries(
            lambda: post_json(self._http, self.url, body, self._headers, self.what), retry
        )
        return _read_reply(data, attempts, self.what)

    async def aclose(self) -> None:
        await self._http.aclose()


def _read_reply(data: dict, attempts: int, what: str) -> ChatReply:
    try:
        choice = data["choices"][0]
        content = choice["message"].get("content")
    except (KeyError, IndexError, TypeError, AttributeError) as exc:
        raise ProviderError(f"{what}: the reply is not a chat completion (no choices[0].message): {str(data)[:300]}") from exc
    if content is not None and not isinstance(content, str):
        raise ProviderError(f"{what}: the chat completion holds no text content: {str(data)[:300]}")
    usage = data.get("usage") or {}
    return ChatReply(
        content=content,
        model=str(data["model"]) if data.get("model") else None,
        finish_reason=choice.get("finish_reason"),
        input_tokens=usage.get("prompt_tokens"),
        output_tokens=usage.get("completion_tokens"),
        attempts=attempts,
    )
