"""What the API providers share: the model, the endpoint and key (flag, else environment),
and the lifetime of their HTTP client. The HTTP retry policy itself is the guide's
(guide.http_retry), so TaskLLM and guide calls fail and retry alike."""

from __future__ import annotations

import os
from typing import Any, ClassVar

import httpx


class HTTPProvider:
    """Base of the ``<kind>:<model>`` API providers."""

    kind: ClassVar[str]
    example_model: ClassVar[str]
    default_base_url: ClassVar[str]
    base_url_env: ClassVar[str]
    api_key_env: ClassVar[str]

    def __init__(self, model: str, *, base_url: str | None = None, api_key: str | None = None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        if not model:
            raise ValueError(f"{self.kind}: give a model name, e.g. --task-llm {self.kind}:{self.example_model}")
        self.model = model
        self.name = f"{self.kind}:{model}"
        self.base_url = (base_url or os.environ.get(self.base_url_env) or self.default_base_url).rstrip("/")
        if not self.base_url.startswith(("http://", "https://")):
            raise ValueError(
                f"{self.kind}: base URL {self.base_url!r} must start with http:// or https://, "
                f"e.g. --base-url http://127.0.0.1:8000/v1"
            )
        self._api_key = api_key if api_key is not None else os.environ.get(self.api_key_env)
        self._transport = transport
        self._client: Any = None  # made on the first call; anything with ``aclose``

    def describe(self) -> dict:
        return {"provider": self.kind, "model": self.model, "base_url": self.base_url, "api_key_set": bool(self._api_key)}

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
