"""``openai:<base_url>#<model>``: a guide model behind an OpenAI-compatible endpoint.

This covers a vLLM server started by ``mcp-codesteer guide serve`` and any hosted
endpoint, GPT-4o included (the paper's setting with a prompted guide). The API key is
read from ``CODESTEER_GUIDE_API_KEY``, else ``OPENAI_API_KEY``; a local server needs
none. Requests time out and are retried on 429, 5xx and connection errors, honouring
``Retry-After``.
"""

from __future__ import annotations

import logging
import os
import random

import anyio
from pydantic import BaseModel, Field, SecretStr

from .codesteer_format import FormatLimits
from .model_guide import GuideBackendError, Messages, ModelGuide
from .types import Guide

log = logging.getLogger(__name__)

INSTALL_HINT = "pip install 'httpx>=0.27,<1'"
API_KEY_ENV = ("CODESTEER_GUIDE_API_KEY", "OPENAI_API_KEY")
_RETRY_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}


class OpenAIOptions(BaseModel):
    """How the OpenAI-compatible backend calls its endpoint."""

    api_key: SecretStr | None = Field(None, description="default: CODESTEER_GUIDE_API_KEY, else OPENAI_API_KEY, else none")
    timeout_s: float = Field(60.0, gt=0, description="one request is abandoned after this long (then retried)")
    connect_timeout_s: float = Field(10.0, gt=0)
    retries: int = Field(3, ge=0, description="retries after the first attempt; then the guide falls back to rules")
    backoff_s: float = Field(0.5, ge=0, description="first wait between attempts, doubled each time, with jitter")
    max_backoff_s: float = Field(20.0, ge=0, description="longest wait between attempts, Retry-After included")
    max_tokens: int = Field(512, ge=1, description="a reply is cut at this many tokens")
    temperature: float = Field(0.0, ge=0, le=2)


class OpenAIBackend:
    """Chat completions against ``{base_url}/chat/completions``."""

    name = "openai"

    def __init__(self, base_url: str, model: str, options: OpenAIOptions | None = None):
        try:
            import httpx
        except ImportError as exc:
            raise ImportError(f"the openai guide needs httpx: {INSTALL_HINT}") from exc
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"guide base URL {base_url!r} must start with http:// or https://, e.g. http://127.0.0.1:8000/v1")
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.options = options or OpenAIOptions()
        key = self.options.api_key.get_secret_value() if self.options.api_key else _key_from_env()
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        self._httpx = httpx
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            headers=headers,
            timeout=httpx.Timeout(self.options.timeout_s, connect=self.options.connect_timeout_s),
        )

    async def generate(self, messages: Messages) -> str:
        """One reply. Raises GuideBackendError once ``retries`` retries are spent, or at once
        on an error a retry cannot mend (4xx other than 408/409/425/429, a malformed body)."""
        body = {
            "model": self.model,
            "messages": messages,
            "max_tokens": self.options.max_tokens,
            "temperature": self.options.temperature,
        }
        attempts = self.options.retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                response = await self._client.post("/chat/completions", json=body)
            except self._httpx.TransportError as exc:  # connection refused, timeouts
                if last:
                    raise GuideBackendError(f"{self.base_url} unreachable after {attempts} attempts: {exc!r}") from exc
                await anyio.sleep(self._wait(attempt, None))
                continue
            if response.status_code in _RETRY_STATUS and not last:
                log.info("guide endpoint answered %s, retrying", response.status_code)
                await anyio.sleep(self._wait(attempt, response.headers.get("retry-after")))
                continue
            if response.status_code != 200:
                raise GuideBackendError(
                    f"{self.base_url} answered {response.status_code} after {attempt + 1} attempt(s): {response.text[:300]}"
                )
            return _content(response)
        raise AssertionError("unreachable")

    def _wait(self, attempt: int, retry_after: str | None) -> float:
        wait = self.options.backoff_s * (2**attempt) * (0.5 + random.random() / 2)
        if retry_after:
            try:
                wait = max(wait, float(retry_after))
            except ValueError:
                pass  # an HTTP date: keep our own backoff
        return min(wait, self.options.max_backoff_s)

    async def aclose(self) -> None:
        await self._client.aclose()


def _key_from_env() -> str | None:
    for name in API_KEY_ENV:
        if os.environ.get(name):
            return os.environ[name]
    return None


def _content(response) -> str:
    try:
        content = response.json()["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise GuideBackendError(f"the endpoint's reply is not a chat completion: {response.text[:300]}") from exc
    if not isinstance(content, str):
        raise GuideBackendError(f"the chat completion holds no text content: {response.text[:300]}")
    return content


class OpenAIGuide(ModelGuide):
    """The CodeSteer guide behind an OpenAI-compatible endpoint."""

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        options: OpenAIOptions | None = None,
        fallback: Guide | None = None,
        limits: FormatLimits | None = None,
    ):
        super().__init__(OpenAIBackend(base_url, model, options), fallback=fallback, limits=limits)
