"""HTTP details the API providers share: which failures are worth a retry."""

from __future__ import annotations

from email.utils import parsedate_to_datetime
from datetime import datetime, timezone
from typing import Any

import httpx

from .base import ProviderError, TransientProviderError

# 408 timeout, 409 conflict (some gateways), 425 too early, 429 rate limit, 5xx, 529 overloaded
RETRYABLE_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504, 529})


def retry_after_s(response: httpx.Response) -> float | None:
    """The server's Retry-After (seconds or an HTTP date), or retry-after-ms; None if absent."""
    ms = response.headers.get("retry-after-ms")
    if ms:
        try:
            return float(ms) / 1000.0
        except ValueError:
            pass
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def raise_for_status(response: httpx.Response, what: str) -> None:
    """Raise TransientProviderError for retryable statuses, ProviderError for other failures."""
    if response.status_code < 400:
        return
    detail = response.text[:500]
    message = f"{what}: HTTP {response.status_code}: {detail}"
    if response.status_code in RETRYABLE_STATUS:
        raise TransientProviderError(message, retry_after_s(response))
    if response.status_code in (401, 403):
        message += " (check the API key: flag, or the provider's environment variable)"
    elif response.status_code == 404:
        message += " (check the base URL and the model name)"
    raise ProviderError(message)


async def post_json(client: httpx.AsyncClient, url: str, payload: dict[str, Any], headers: dict[str, str], what: str) -> dict:
    """POST and decode JSON; connection trouble and timeouts become TransientProviderError."""
    try:
        response = await client.post(url, json=payload, headers=headers)
    except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
        raise TransientProviderError(f"{what}: {type(exc).__name__}: {exc}") from exc
    raise_for_status(response, what)
    try:
        data = response.json()
    except ValueError as exc:
        raise TransientProviderError(f"{what}: the reply was not JSON: {response.text[:200]!r}") from exc
    if not isinstance(data, dict):
        raise ProviderError(f"{what}: expected a JSON object, got {type(data).__name__}")
    return data
