"""The docker backend: every run in a fresh, hardened, pre-started container."""

from __future__ import annotations

import asyncio
import time

import anyio

from ..files import check_input_files
from ..packages import SOLVER_PACKAGES
from ..types import DockerOptions, ExecResult, SandboxLimits
from .availability import image_of, unavailable_reason_sync
from .cleanup import remove_instance, remove_orphans
from .connection import docker_host, make_client
from .container import Launcher
from .pool import WarmPool
from .sessions import Session, SessionStore
from .spec import create_kwargs, new_instance_id

# What a warm interpreter has imported before its program arrives.
PRELOAD = ["numpy", "sympy"]
# Launches under way at once; creating containers is the pool's bottleneck.
PARALLEL_LAUNCHES = 4


class DockerSandbox:
    """Runs each program in its own container from a warm pool (``options.pool_size``).

    ``run(..., session=handle)`` instead keeps one container per handle, so variables
    and files persist across that session's runs (see ``sessions.py`` for its ends).
    """

    name = "docker"
    supports_sessions = True

    def __init__(self, limits: SandboxLimits | None = None, options: DockerOptions | None = None) -> None:
        self.limits = limits or SandboxLimits()
        self.options = options or DockerOptions()
        self.instance = new_instance_id()
        self._client = None
        self._pool: WarmPool | None = None
        self._sessions: SessionStore | None = None
        self._reaper: asyncio.Task | None = None
        self._start_lock = anyio.Lock()
        self._closed = False
        self.orphans_removed = 0

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Check the daemon and the image, remove containers a crashed server left, and
        start filling the pool. Raises RuntimeError naming the fix when docker is unusable."""
        async with self._start_lock:
            if self._pool is not None:
                return
            if self._closed:
                raise RuntimeError("this docker sandbox was closed; create a new one")
            reason = await anyio.to_thread.run_sync(unavailable_reason_sync, self.options)
            if reason is not None:
                raise RuntimeError(f"the docker sandbox cannot be used: {reason}")
            self._client = await anyio.to_thread.run_sync(make_client)
            self.orphans_removed = await anyio.to_thread.run_sync(
                remove_orphans, self._client, self.options.session_lifetime_s
            )
            # A cold pool (size 0) skips the preload: nobody waits for it in advance.
            preload = PRELOAD if self.options.pool_size > 0 else []
            launcher = Launcher(
                self._client,
                create_kwargs(self._client.api, image_of(self.options), self.limits, self.options, self.instance),
                preload,
            )
            self._pool = WarmPool(launcher.launch, self.options.pool_size, PARALLEL_LAUNCHES)
            self._sessions = SessionStore(self._pool.acquire, self.options)
            self._pool.top_up()
            self._reaper = asyncio.get_running_loop().create_task(self._reap_sessions())

    async def wait_warm(self, timeout_s: float = 120.0) -> None:
        """Wait until the pool holds ``pool_size`` ready containers (benchmarks, tests)."""
        await self.start()
        assert self._pool is not None
        with anyio.fail_after(timeout_s):
            while self._pool.ready_count < self._pool.size:
                if self._pool.last_error:
                    raise RuntimeError(self._pool.last_error)
                await anyio.sleep(0.05)

    async def aclose(self) -> None:
        """Remove every container of this sandbox: pooled, in use, and sessions'."""
        self._closed = True
        if self._reaper is not None:
            self._reaper.cancel()
        if self._sessions is not None:
            for session in self._sessions.pop_all():
                await session.box.destroy()
        if self._pool is not None:
            await self._pool.aclose()
        if self._client is not None:
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(remove_instance, self._client, self.instance)
                await anyio.to_thread.run_sync(self._client.close)
        self._pool = None

    # ------------------------------------------------------------------ runs

    def _timeout(self, timeout_s: float | None, notes: list[str]) -> float:
        if timeout_s is None:
            return self.limits.timeout_s
        if timeout_s <= 0:
            raise ValueError(f"timeout_s must be positive, got {timeout_s}: send a number of seconds > 0")
        if timeout_s > self.limits.max_timeout_s:
            notes.append(f"The time limit asked for ({timeout_s} s) was lowered to the maximum, {self.limits.max_timeout_s} s.")
            return self.limits.max_timeout_s
        return timeout_s

    def _check_code(self, code: str) -> None:
        size = len(code.encode("utf-8", errors="replace"))
        if size > self.limits.max_code_bytes:
            raise ValueError(
                f"the program is {size} bytes, over the limit of {self.limits.max_code_bytes}: send a shorter program"
            )

    async def run(
        self,
        code: str,
        *,
        timeout_s: float | None = None,
        stdin: str | None = None,
        session: str | None = None,
        files: dict[str, bytes] | None = None,
    ) -> ExecResult:
        """Run ``code`` in a fresh container (or in session ``session``'s container).

        At the time limit the program and everything it started are killed with
        SIGKILL; output past ``limits.output_bytes`` per stream loses its middle; ``files``
        (name -> bytes, checked by sandbox.files) are written into the work directory first;
        files past the file limits are left out of the result; each of these is said in ``notes``.
        """
        self._check_code(code)
        if files:
            check_input_files(files, self.limits)
        notes: list[str] = []
        timeout = self._timeout(timeout_s, notes)
        await self.start()
        assert self._pool is not None and self._sessions is not None
        if session is not None:
            result = await self._run_in_session(session, code, stdin, timeout, files)
        else:
            box = await self._pool.acquire()
            try:
                result = await box.run(code, stdin=stdin, timeout_s=timeout, limits=self.limits, keep=False, files=files)
            finally:
                self._pool.discard(box)
        result.notes[:0] = notes
        return result

    async def _run_in_session(
        self, handle: str, code: str, stdin: str | None, timeout: float, files: dict[str, bytes] | None = None
    ) -> ExecResult:
        assert self._sessions is not None
        for gone in self._sessions.expired():
            await gone.box.destroy()
        session, new = await self._sessions.open(handle)
        async with session.lock:
            if session.box.closed:
                raise ValueError(f"session {handle!r} was closed while this run waited: run again to start a new one")
            result = await session.box.run(code, stdin=stdin, timeout_s=timeout, limits=self.limits, keep=True, files=files)
            session.runs += 1
            session.last_used = time.monotonic()
            if new:
                result.notes.insert(
                    0,
                    f"Session {handle!r} started: variables and files persist across runs with this handle; it ends "
                    f"after {self.options.session_idle_s:.0f} s idle or {self.options.session_lifetime_s:.0f} s in all.",
                )
            if result.timed_out or (result.exit_code is None and not _kernel_restarted(result)):
                # The container may hold a killed or wedged interpreter: end the session.
                self._sessions.pop(handle)
                await session.box.destroy()
                result.notes.append(f"Session {handle!r} was ended; its variables and files are gone.")
        return result

    def list_sessions(self) -> dict[str, dict]:
        """The live sessions: handle -> runs, age_s, idle_s (expired ones are dropped at the next run or reap)."""
        return self._sessions.describe() if self._sessions else {}

    async def close_session(self, handle: str) -> bool:
        """End session ``handle`` and remove its container; False when no such session."""
        assert self._sessions is not None or self._pool is None
        if self._sessions is None:
            return False
        SessionStore.check_handle(handle)
        session: Session | None = self._sessions.pop(handle)
        if session is None:
            return False
        async with session.lock:
            await session.box.destroy()
        return True

    async def _reap_sessions(self) -> None:
        period = max(1.0, min(30.0, self.options.session_idle_s / 4))
        while True:
            await asyncio.sleep(period)
            if self._sessions is not None:
                for gone in self._sessions.expired():
                    await gone.box.destroy()

    async def settle(self) -> None:
        """Wait for the pool's background launches and removals to finish."""
        if self._pool is not None:
            await self._pool.settle()

    async def stray_containers(self) -> list[str]:
        """Containers of this sandbox that are neither waiting in the pool nor a live
        session's: after ``settle()`` there should be none."""
        if self._client is None or self._pool is None or self._sessions is None:
            return []
        from .spec import INSTANCE_LABEL

        expected = self._pool.ready_ids | {s.box.id for s in self._sessions._sessions.values()}
        found = await anyio.to_thread.run_sync(
            lambda: self._client.api.containers(all=True, filters={"label": f"{INSTANCE_LABEL}={self.instance}"})
        )
        return [c["Id"][:12] for c in found if c["Id"] not in expected]

    # ------------------------------------------------------------------ description

    def describe(self) -> dict:
        return {
            "backend": "docker",
            "isolated": True,
            "daemon": docker_host(),
            "image": image_of(self.options),
            "runtime": self.options.runtime or "daemon default (runc)",
            # the image build imports every one of them (sandbox/image/Dockerfile)
            "packages": {"offered": list(SOLVER_PACKAGES.values()), "missing": []},
            "pool_size": self.options.pool_size,
            "pool_ready": self._pool.ready_count if self._pool else 0,
            "sessions": self._sessions.describe() if self._sessions else {},
            "isolation": [
                "one fresh container per run (never reused)",
                "no network (--network none)",
                "read-only root, tmpfs work directory /tmp",
                "all capabilities dropped, no-new-privileges, default seccomp profile",
                "code runs as uid 10002, PID 1 as uid 10001",
                "nothing of the host mounted, no host environment passed",
            ],
            "limits": {
                **self.limits.model_dump(),
                "max_files": self.limits.max_files,
                "max_file_bytes": self.limits.max_file_bytes,
            },
        }


def _kernel_restarted(result: ExecResult) -> bool:
    return any("interpreter ended" in note for note in result.notes)
