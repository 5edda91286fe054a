"""Hostile programs against what only the local backend has: per-run cgroups."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from sandbox_helpers import TEST_LIMITS, assert_still_works

pytestmark = pytest.mark.anyio


def _needs_cgroups(box) -> None:
    if box._cgroups is None:
        pytest.skip("no cgroup can be created here (run as root, or with a delegated cgroup)")


async def test_memory_spread_over_processes_is_stopped_and_said_on_every_cgroup_version(local_sandbox):
    _needs_cgroups(local_sandbox)
    # Each process stays under the per-process limit; together they pass the cgroup's.
    share = TEST_LIMITS.memory_mb // 2
    code = textwrap.dedent(
        f"""
        import os
        children = []
        for _ in range(3):
            pid = os.fork()
            if pid == 0:
                held = b"x" * ({share} << 20)
                os.read(os.open("/dev/zero", os.O_RDONLY), 1)
                import time
                time.sleep(30)
                os._exit(0)
            children.append(pid)
        held = b"y" * ({share} << 20)
        for pid in children:
            _, status = os.waitpid(pid, 0)
            print("killed" if os.WIFSIGNALED(status) else "finished")
        """
    )
    result = await local_sandbox.run(code, timeout_s=8)
    # The OOM killer picks its victim: the parent (the run fails) or children (the parent sees them killed).
    assert not result.ok or "killed" in result.stdout.split(), result.summary()
    assert "finished" not in result.stdout.split()  # no process lived out its 30 s holding its share
    assert any("memory limit" in note for note in result.notes), result.summary()
    await assert_still_works(local_sandbox)


def _run_groups(box) -> list[Path]:
    prefix = getattr(box, "cgroup_prefix", "codesteer-run-")
    return [p for d in box._cgroups.dirs for p in d.glob(f"{prefix}*")]


async def test_no_run_leaves_its_cgroup_behind(local_sandbox):
    _needs_cgroups(local_sandbox)
    before = set(_run_groups(local_sandbox))
    for _ in range(6):
        await local_sandbox.run("print(1)")
    for _ in range(4):
        await local_sandbox.run("import subprocess, sys\nsubprocess.Popen([sys.executable, '-c', 'while 1: pass'])\nwhile 1: pass", timeout_s=0.5)
    left = set(_run_groups(local_sandbox)) - before
    assert left == set(), f"{len(left)} run cgroups were left behind"


async def test_a_run_without_a_cgroup_says_that_nothing_capped_its_processes(monkeypatch):
    from sandbox.local import LocalSandbox

    box = LocalSandbox(TEST_LIMITS)
    await box.start()
    monkeypatch.setattr(box, "_cgroups", None)
    result = await box.run("print(1)")
    assert result.ok
    assert any("not capped" in note for note in result.notes), result.notes
