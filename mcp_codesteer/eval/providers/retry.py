"""Retries with exponential backoff for transient provider errors."""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

import anyio

from .base import GenerationSettings, ProviderError, TransientProviderError

T = TypeVar("T")

Sleep = Callable[[float], Awaitable[None]]


def backoff_delay(attempt: int, settings: GenerationSettings, retry_after_s: float | None, rng: random.Random) -> float:
    """Wait before retry number ``attempt`` (1-based): the server's Retry-After when it
    gave one, else initial * 2^(attempt-1) with +-25% jitter; never above backoff_max_s."""
    if retry_after_s is not None and retry_after_s >= 0:
        return min(retry_after_s, settings.backoff_max_s)
    base = settings.backoff_initial_s * (2 ** (attempt - 1))
    return min(base * rng.uniform(0.75, 1.25), settings.backoff_max_s)


async def with_retries(
    call: Callable[[], Awaitable[T]],
    settings: GenerationSettings,
    *,
    what: str,
    sleep: Sleep = anyio.sleep,
    rng: random.Random | None = None,
) -> tuple[T, int]:
    """Run ``call`` until it succeeds; returns (result, attempts).

    TransientProviderError is retried up to ``settings.max_retries`` times; after the last
    it is raised as ProviderError naming ``what`` and the attempts made. Other errors
    propagate at once.
    """
    rng = rng or random.Random()
    attempt = 0
    while True:
        attempt += 1
        try:
            return await call(), attempt
        except TransientProviderError as exc:
            if attempt > settings.max_retries:
                raise ProviderError(f"{what}: still failing after {attempt} attempts: {exc}") from exc
            await sleep(backoff_delay(attempt, settings, exc.retry_after_s, rng))
