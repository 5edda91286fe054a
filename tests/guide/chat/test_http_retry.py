"""The retry policy every model API call shares (every HTTP chat-model provider)."""

from __future__ import annotations

import random

import pytest

from guide.chat.http_retry import ProviderError, RetryPolicy, TransientProviderError, backoff_delay, with_retries


@pytest.mark.anyio
async def test_retries_give_up_after_the_limit_naming_the_attempts():
    waits = []

    async def failing():
        raise TransientProviderError("overloaded")

    async def record_sleep(seconds: float) -> None:
        waits.append(seconds)

    policy = RetryPolicy(max_retries=2, backoff_initial_s=1.0, backoff_max_s=60.0)
    with pytest.raises(ProviderError, match="after 3 attempts"):
        await with_retries(failing, policy, sleep=record_sleep, rng=random.Random(0))
    assert len(waits) == 2 and waits[1] > waits[0]


def test_backoff_honours_retry_after_but_never_the_cap():
    policy = RetryPolicy(backoff_initial_s=1.0, backoff_max_s=10.0)
    rng = random.Random(0)
    assert backoff_delay(1, policy, 3.0, rng) == 3.0
    assert backoff_delay(1, policy, 300.0, rng) == 10.0
    assert backoff_delay(10, policy, None, rng) == 10.0
