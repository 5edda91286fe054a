"""Limits and checks shared by the sandbox tests."""

from __future__ import annotations

import os

import pytest

from sandbox.types import DockerOptions, SandboxLimits

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# Small limits keep the hostile tests fast; each test asks for what it probes.
TEST_LIMITS = SandboxLimits(
    timeout_s=5.0,
    max_timeout_s=10.0,
    memory_mb=256,
    output_bytes=4096,
    file_size_mb=8,
    tmpfs_mb=32,
    open_files=64,
    pids=32,
)
# CODESTEER_DOCKER__IMAGE picks another image tag, as it does for the server (a changed recipe built under its own tag).
TEST_DOCKER = DockerOptions(
    image=os.environ.get("CODESTEER_DOCKER__IMAGE") or None,
    pool_size=2,
    session_idle_s=60,
    session_lifetime_s=300,
    max_sessions=3,
    max_sessions_per_client=2,
)


def docker_missing_reason() -> str | None:
    try:
        from sandbox.docker.availability import unavailable_reason_sync
    except ImportError as exc:
        return f"the docker backend cannot be imported: {exc}"
    return unavailable_reason_sync(TEST_DOCKER)


def require_docker() -> None:
    """Skip (or, under CI=true, fail) when the docker backend cannot run here."""
    reason = docker_missing_reason()
    if reason is None:
        return
    if IN_CI:
        pytest.fail(f"CI=true but the docker sandbox is unavailable: {reason} (run .ci/docker-setup.sh)")
    pytest.skip(f"docker sandbox unavailable: {reason}")


async def assert_still_works(box) -> None:
    """The run after a hostile one is normal."""
    result = await box.run("print(6 * 7)")
    assert result.ok, result.summary()
    assert result.stdout.strip() == "42"


async def assert_nothing_left(box) -> None:
    """No container of the sandbox is left behind (docker; local runs hold none)."""
    if box.name != "docker":
        return
    await box.settle()
    assert await box.stray_containers() == []


class LmulatingSandbox:
    """A backend whose every run goes through the LMulator's replay: the program first
    makes one semantic call, so each run is a look-ahead run plus a replay, both with
    the program's full (hostile) behaviour. Everything else is the wrapped backend's."""

    PROBE = "__lm_ready = is_ready('go')\n"

    def __init__(self, inner) -> None:
        self.inner = inner
        self.asked: list[str] = []

    def __getattr__(self, name):
        return getattr(self.inner, name)

    async def run(self, code: str, *, timeout_s: float | None = None, stdin: str | None = None, files=None):
        from sandbox.lmulate import Lmulator

        async def ready(call):
            self.asked.append(call.key)
            return True

        result = await Lmulator(self.inner).run(
            self.PROBE + code, timeout_s=timeout_s, stdin=stdin, files=files, emulator=ready
        )
        assert result.status == "finished", (result.status, result.message, result.execution.summary())
        assert result.runs == 2 and result.emulated[0].key == "is_ready('go')", result
        return result.execution
