"""``openai:<base_url>#<model>``: a guide model behind an OpenAI-compatible endpoint.

This covers a vLLM server started by ``mcp-codesteer guide serve`` and any hosted
endpoint, GPT-4o included (the paper's setting with a prompted guide). The API key is
read from ``CODESTEER_GUIDE_API_KEY``, else ``OPENAI_API_KEY``; a local server needs
none. Requests go through :class:`guide.openai_client.ChatClient`: they time out, and
are retried on 408/409/425/429, 5xx, 529 and connection errors, honouring
``Retry-After``.
"""

from __future__ import annotations

import os

from pydantic import BaseModel, Field, SecretStr

from .codesteer_format import FormatLimits
from .model_guide import GuideBackendError, Messages, ModelGuide
from .types import Guide

INSTALL_HINT = "pip install 'httpx>=0.27,<1'"
API_KEY_ENV = ("CODESTEER_GUIDE_API_KEY", "OPENAI_API_KEY")

try:
    import httpx

    from .http_retry import ProviderError, RetryPolicy
    from .openai_client import ChatClient
except ImportError as exc:  # httpx is a core dependency: only a broken install lands here
    raise ImportError(f"the openai guide needs httpx: {INSTALL_HINT}") from exc


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
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"guide base URL {base_url!r} must start with http:// or https://, e.g. http://127.0.0.1:8000/v1")
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.options = options or OpenAIOptions()
        key = self.options.api_key.get_secret_value() if self.options.api_key else _key_from_env()
        self._retry = RetryPolicy(
            max_retries=self.options.retries,
            backoff_initial_s=self.options.backoff_s,
            backoff_max_s=self.options.max_backoff_s,
        )
        self._client = ChatClient(
            self.base_url,
            what=self.base_url,
            api_key=key,
            timeout=httpx.Timeout(self.options.timeout_s, connect=self.options.connect_timeout_s),
        )

    async def generate(self, messages: Messages) -> str:
        """One reply. Raises GuideBackendError once ``retries`` retries are spent, or at once
        on an error a retry cannot mend (a 4xx other than 408/409/425/429, a reply that is
        not a chat completion or holds no text)."""
        try:
            reply = await self._client.complete(
                model=self.model,
                messages=messages,
                max_tokens=self.options.max_tokens,
                temperature=self.options.temperature,
                retry=self._retry,
            )
        except ProviderError as exc:
            raise GuideBackendError(str(exc)) from exc
        if reply.content is None:
            raise GuideBackendError(f"{self.base_url}: the chat completion holds no text content")
        return reply.content

    async def aclose(self) -> None:
        await self._client.aclose()


def _key_from_env() -> str | None:
    for name in API_KEY_ENV:
        if os.environ.get(name):
            return os.environ[name]
    return None


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
