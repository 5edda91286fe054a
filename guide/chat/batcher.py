"""Gathering concurrent requests to a local model into batches."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Generic, TypeVar

import anyio

from .guard import check_model_request_allowed
from .options import ModelOptions
from .types import ChatMessage, Completion, GenerateSettings, ModelError, as_messages

Req = TypeVar("Req")
Res = TypeVar("Res")


class _Pending(Generic[Req, Res]):
    __slots__ = ("request", "key", "done", "result", "error")

    def __init__(self, request: Req, key: Hashable):
        self.request = request
        self.key = key
        self.done = anyio.Event()
        self.result: Res | None = None
        self.error: BaseException | None = None


class Batcher(Generic[Req, Res]):
    """Gathers requests that arrive within ``window_s`` and runs them together.

    The first caller to find no batch forming leads: it waits ``window_s``, takes up to
    ``max_batch`` waiting requests that share the first one's ``key`` (requests with
    different sampling settings are never mixed), runs ``run_batch`` on them in a worker
    thread (one batch at a time: the model is not shared between threads), hands out the
    results, and goes on while requests wait. The leader's work is shielded from
    cancellation so that the other callers always get an answer; a caller cancelled
    while waiting only loses its own result. An exception in ``run_batch`` is raised, as
    ModelError, to every caller of that batch.
    """

    def __init__(
        self,
        run_batch: Callable[[Sequence[Req]], list[Res]],
        *,
        window_s: float = 0.02,
        max_batch: int = 8,
        key: Callable[[Req], Hashable] | None = None,
    ):
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        self._run_batch = run_batch
        self._key = key or (lambda _request: None)
        self.window_s = window_s
        self.max_batch = max_batch
        self._waiting: list[_Pending[Req, Res]] = []
        self._leading = False
        self.batch_sizes: list[int] = []  # sizes of the batches run, for tests and benchmarks

    async def submit(self, request: Req) -> Res:
        item: _Pending[Req, Res] = _Pending(request, self._key(request))
        self._waiting.append(item)
        if not self._leading:
            self._leading = True
            with anyio.CancelScope(shield=True):
                try:
                    await self._lead()
                finally:
                    self._leading = False
        await item.done.wait()
        if item.error is not None:
            raise ModelError(f"generation failed: {type(item.error).__name__}: {item.error}") from item.error
        return item.result  # type: ignore[return-value]

    def _take(self) -> list[_Pending[Req, Res]]:
        key = self._waiting[0].key
        batch = [p for p in self._waiting if p.key == key][: self.max_batch]
        taken = {id(p) for p in batch}
        self._waiting = [p for p in self._waiting if id(p) not in taken]
        return batch

    async def _lead(self) -> None:
        while self._waiting:
            if self.window_s > 0:
                await anyio.sleep(self.window_s)
            batch = self._take()
            self.batch_sizes.append(len(batch))
            try:
                results = await anyio.to_thread.run_sync(self._run_batch, [p.request for p in batch])
                if len(results) != len(batch):
                    raise ModelError(f"the backend returned {len(results)} replies for {len(batch)} requests")
            except Exception as exc:
                for p in batch:
                    p.error = exc
                    p.done.set()
                continue
            for p, result in zip(batch, results):
                p.result = result
                p.done.set()


LocalRequest = tuple[list[dict[str, str]], GenerateSettings]


class BatchedLocalModel:
    """What the in-process providers (hf, vllm) share: each ``generate`` call becomes a
    (conversation, settings) request, and requests with equal settings are batched for
    the subclass's ``_generate_batch``, which runs in a worker thread."""

    name: str

    def _start_batching(self, options: ModelOptions) -> None:
        self.batcher: Batcher[LocalRequest, Completion] = Batcher(
            self._generate_batch,
            window_s=options.batch_window_s,
            max_batch=options.max_batch,
            key=lambda request: request[1].model_dump_json(),
        )

    def _generate_batch(self, batch: Sequence[LocalRequest]) -> list[Completion]:
        raise NotImplementedError

    async def generate(self, messages: Sequence[ChatMessage], settings: GenerateSettings | None = None) -> Completion:
        check_model_request_allowed(self.name)
        conversation = [m.model_dump() for m in as_messages(messages)]
        return await self.batcher.submit((conversation, settings or GenerateSettings()))
