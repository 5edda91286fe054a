"""A warm pool of single-use containers.

``size`` containers wait, started and with their interpreter warm. A run takes one,
and a replacement is launched in the background at once; a caller who finds the pool
empty gets the next container to come up (one more is launched for each waiting
caller, without the preload, so a burst is served at the rate containers start). Containers are never returned to the pool: a used one is removed.

Background work (launches, removals) runs as asyncio tasks owned by the pool rather
than in an anyio task group: a task group would have to stay open from ``start`` to
``aclose``, which callers (a server's lifespan, tests, benchmarks) may call from
different tasks. Everything else is anyio.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable

import anyio

from .container import SandboxContainer

log = logging.getLogger(__name__)


class _Waiter:
    """One caller waiting for a container: given one, or the launch error, once."""

    def __init__(self) -> None:
        self._event = anyio.Event()
        self.box: SandboxContainer | None = None
        self.error: BaseException | None = None
        self.abandoned = False

    @property
    def open(self) -> bool:
        return not self._event.is_set() and not self.abandoned

    def deliver(self, box: SandboxContainer) -> None:
        self.box = box
        self._event.set()

    def fail(self, error: BaseException) -> None:
        self.error = error
        self._event.set()

    async def wait(self) -> SandboxContainer:
        await self._event.wait()
        if self.error is not None:
            raise self.error
        assert self.box is not None
        return self.box


class WarmPool:
    def __init__(
        self,
        launch: Callable[[bool], Awaitable[SandboxContainer]],
        size: int,
        parallel_launches: int,
    ) -> None:
        self._launch = launch
        self.size = size
        self._launch_slots = anyio.Semaphore(max(1, parallel_launches))
        self._ready: deque[SandboxContainer] = deque()
        self._waiters: deque[_Waiter] = deque()
        self._launching = 0
        self._tasks: set[asyncio.Task] = set()
        self._closed = False
        self.last_error: str | None = None
        self.launched = 0

    @property
    def ready_count(self) -> int:
        return len(self._ready)

    def spawn(self, coro) -> None:
        """Run ``coro`` in the background, owned by the pool (settle and aclose wait for it)."""
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def top_up(self) -> None:
        """Launch containers until ready + launching covers the pool and every waiter."""
        while not self._closed and len(self._ready) + self._launching < self.size + len(self._waiters):
            self._launching += 1
            # With callers waiting, a quick launch (no preloaded modules) serves them
            # sooner; an idle refill takes the time to preload.
            self.spawn(self._launch_one(warm=not self._waiters))

    async def _launch_one(self, warm: bool) -> None:
        try:
            async with self._launch_slots:
                box = await self._launch(warm)
        except Exception as exc:
            self._launching -= 1
            self.last_error = str(exc)
            log.warning("sandbox container launch failed: %s", exc)
            # Tell one waiter rather than retrying in a loop against a broken daemon;
            # the next acquire tries again.
            waiter = self._next_waiter()
            if waiter is not None:
                waiter.fail(exc)
            return
        except anyio.get_cancelled_exc_class():
            self._launching -= 1
            raise
        self._launching -= 1
        self.launched += 1
        self.last_error = None
        waiter = self._next_waiter()
        if self._closed:
            await box.destroy()
        elif waiter is not None:
            waiter.deliver(box)
        else:
            self._ready.append(box)

    def _next_waiter(self) -> _Waiter | None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if waiter.open:
                return waiter
        return None

    async def acquire(self) -> SandboxContainer:
        """A fresh warm container for one run; waits for one when none is ready.
        Raises the launch error when the container meant for this caller fails."""
        if self._closed:
            raise RuntimeError("the docker sandbox is closed")
        if self._ready:
            box = self._ready.popleft()
            self.top_up()
            return box
        waiter = _Waiter()
        self._waiters.append(waiter)
        self.top_up()
        try:
            return await waiter.wait()
        except BaseException:
            waiter.abandoned = True
            if waiter.box is not None and not self._closed:
                # Cancelled after a container was handed over: keep it for the next caller.
                self._ready.append(waiter.box)
            elif waiter.box is not None:
                self.spawn(waiter.box.destroy())
            raise
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)

    @property
    def ready_ids(self) -> set[str]:
        return {box.id for box in self._ready}

    async def settle(self) -> None:
        """Wait until no launch or removal is under way."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def discard(self, box: SandboxContainer) -> None:
        """Remove a used container in the background."""
        self.spawn(box.destroy())

    async def aclose(self, wait_s: float = 30.0) -> None:
        """Stop launching, fail waiters, remove every container the pool holds or is
        launching (waiting up to ``wait_s`` for launches under way)."""
        self._closed = True
        while self._waiters:
            waiter = self._waiters.popleft()
            if waiter.open:
                waiter.fail(RuntimeError("the docker sandbox was closed"))
        while self._ready:
            self.spawn(self._ready.popleft().destroy())
        with anyio.move_on_after(wait_s):
            while self._tasks:
                await asyncio.gather(*list(self._tasks), return_exceptions=True)
