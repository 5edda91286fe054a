"""Calling a model API over HTTP: which failures are worth a retry, and retrying them.

The errors (:class:`ProviderError`, :class:`TransientProviderError`) and the policy
(:class:`RetryPolicy`) are defined without httpx, so importing ``guide.chat`` stays cheap.

One policy for every chat-model provider that talks HTTP (:mod:`guide.chat.openai`,
:mod:`guide.chat.anthropic` and the named OpenAI-compatible servers), whoever calls
them: the guide, the eval client's TaskLLM, training.

- Worth a retry (:class:`TransientProviderError`): 408, 409, 425, 429, 5xx and 529
  (overloaded); a timeout, a dropped connection, a refused connection; a reply that is
  not JSON (a proxy's error page).
- Not worth one (:class:`ProviderError`, raised at once): any other 4xx (a bad request,
  a wrong key, an unknown model), a JSON reply of the wrong shape.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import anyio
import httpx

from .options import RetryPolicy
from .types import ProviderError, TransientProviderError

__all__ = ["ProviderError", "RetryPolicy", "TransientProviderError", "post_json", "with_retries"]

log = logging.getLogger(__name__)

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]

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
    message = f"{what}: HTTP {response.status_code}: {response.text[:500]}"
    if response.status_code in RETRYABLE_STATUS:
        raise TransientProviderError(message, retry_after_s(response))
    if response.status_code in (401, 403):
        message += " (check the API key: flag, or the provider's environment variable)"
    elif response.status_code == 404:
        message += " (check the base URL and the model name)"
    raise ProviderError(message)


async def post_json(
    client: httpx.AsyncClient, url: str, payload: dict[str, Any], headers: dict[str, str], what: str
) -> dict:
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


def backoff_delay(attempt: int, policy: RetryPolicy, retry_after: float | None, rng: random.Random) -> float:
    """Wait before retry number ``attempt`` (1-based): the server's Retry-After when it
    gave one, else initial * 2^(attempt-1) with +-25% jitter; never above backoff_max_s."""
    if retry_after is not None and retry_after >= 0:
        return min(retry_after, policy.backoff_max_s)
    base = policy.backoff_initial_s * (2 ** (attempt - 1))
    return min(base * rng.uniform(0.75, 1.25), policy.backoff_max_s)


async def with_retries(
    call: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    *,
    sleep: Sleep = anyio.sleep,
    rng: random.Random | None = None,
) -> tuple[T, int]:
    """Run ``call`` until it succeeds; returns (result, attempts).

    TransientProviderError is retried up to ``policy.max_retries`` times; after the last
    it is raised as ProviderError with the attempts made (the error already names the
    call). Other errors
    propagate at once.
    """
    rng = rng or random.Random()
    attempt = 0
    while True:
        attempt += 1
        try:
            return await call(), attempt
        except TransientProviderError as exc:
            if attempt > policy.max_retries:
                raise ProviderError(f"{exc} (still failing after {attempt} attempts)") from exc
            delay = backoff_delay(attempt, policy, exc.retry_after_s, rng)
            log.info("%s; retry %d of %d in %.1f s", exc, attempt, policy.max_retries, delay)
            await sleep(delay)
