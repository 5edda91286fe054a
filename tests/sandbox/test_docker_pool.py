"""The warm pool's bookkeeping, with stand-in containers (no daemon needed)."""

import anyio
import pytest

from sandbox.docker.pool import WarmPool

pytestmark = pytest.mark.anyio


class FakeBox:
    made = 0

    def __init__(self):
        FakeBox.made += 1
        self.id = f"c{FakeBox.made}"
        self.destroyed = False

    async def destroy(self):
        self.destroyed = True


def launcher(boxes, fail_with=None, gate=None):
    async def launch(warm):
        if gate is not None:
            await gate.wait()
        if fail_with is not None:
            raise fail_with
        box = FakeBox()
        boxes.append(box)
        return box

    return launch


async def test_a_used_container_is_removed_and_replaced_never_handed_out_again():
    boxes = []
    pool = WarmPool(launcher(boxes), size=2, parallel_launches=2)
    pool.top_up()
    await pool.settle()
    assert pool.ready_count == 2
    first = await pool.acquire()
    pool.discard(first)
    await pool.settle()
    assert first.destroyed
    assert pool.ready_count == 2
    handed = {(await pool.acquire()).id for _ in range(4)}
    assert first.id not in handed and len(handed) == 4
    await pool.aclose()


async def test_callers_beyond_the_pool_each_get_a_container_of_their_own():
    boxes = []
    pool = WarmPool(launcher(boxes), size=1, parallel_launches=4)
    got = []

    async def take():
        got.append(await pool.acquire())

    async with anyio.create_task_group() as tg:
        for _ in range(5):
            tg.start_soon(take)
    assert len({b.id for b in got}) == 5
    await pool.aclose()
    assert all(b.destroyed for b in boxes if b not in got)


async def test_a_failed_launch_reaches_the_waiting_caller_with_its_reason():
    pool = WarmPool(launcher([], fail_with=RuntimeError("image gone")), size=0, parallel_launches=1)
    with pytest.raises(RuntimeError, match="image gone"):
        await pool.acquire()
    assert pool.last_error == "image gone"
    await pool.aclose()


async def test_closing_removes_ready_containers_and_fails_waiters():
    boxes = []
    gate = anyio.Event()
    pool = WarmPool(launcher(boxes, gate=gate), size=1, parallel_launches=1)
    errors = []

    async def wait_for_one():
        try:
            await pool.acquire()
        except RuntimeError as exc:
            errors.append(str(exc))

    async with anyio.create_task_group() as tg:
        tg.start_soon(wait_for_one)
        await anyio.wait_all_tasks_blocked()
        gate.set()
        await pool.aclose()
    assert errors and "closed" in errors[0]
    assert boxes and all(b.destroyed for b in boxes)
