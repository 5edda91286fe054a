"""Batching concurrent requests to a local model."""

from __future__ import annotations

import anyio
import pytest

from guide.chat import ModelError
from guide.chat.batcher import Batcher

pytestmark = pytest.mark.anyio


async def test_requests_arriving_together_are_generated_as_one_batch():
    seen_batches = []

    def run_batch(batch):
        seen_batches.append(len(batch))
        return [word.upper() for word in batch]

    batcher = Batcher(run_batch, window_s=0.05, max_batch=8)
    results = {}

    async def ask(word):
        results[word] = await batcher.submit(word)

    async with anyio.create_task_group() as tg:
        for word in ("one", "two", "three"):
            tg.start_soon(ask, word)
    assert results == {"one": "ONE", "two": "TWO", "three": "THREE"}
    assert seen_batches == [3]


async def test_requests_with_different_keys_are_never_mixed_in_one_batch():
    seen_batches = []

    def run_batch(batch):
        seen_batches.append(sorted(word for word, _ in batch))
        return [f"{word}@{temperature}" for word, temperature in batch]

    batcher = Batcher(run_batch, window_s=0.05, key=lambda request: request[1])
    results = {}

    async def ask(word, temperature):
        results[word] = await batcher.submit((word, temperature))

    async with anyio.create_task_group() as tg:
        for word, temperature in (("a", 0.0), ("b", 0.7), ("c", 0.0)):
            tg.start_soon(ask, word, temperature)
    assert results == {"a": "a@0.0", "b": "b@0.7", "c": "c@0.0"}
    assert sorted(seen_batches) == [["a", "c"], ["b"]]


async def test_a_failed_batch_raises_to_each_of_its_callers():
    def run_batch(batch):
        raise RuntimeError("out of memory")

    batcher = Batcher(run_batch, window_s=0.05)
    errors = {}

    async def ask(word):
        with pytest.raises(ModelError, match="out of memory") as info:
            await batcher.submit(word)
        errors[word] = info.value

    async with anyio.create_task_group() as tg:
        for word in ("one", "two"):
            tg.start_soon(ask, word)
    assert batcher.batch_sizes == [2]  # both callers were in the batch that failed
    assert set(errors) == {"one", "two"}
