"""The docker backend: every run in a fresh, hardened, pre-started container."""

from __future__ import annotations

import asyncio
import logging
import os
import time

import anyio

from .. import exit_cleanup
from ..files import check_input_files
from ..packages import SOLVER_PACKAGES
from ..types import DockerOptions, ExecResult, SandboxInputError, SandboxLimits
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

log = logging.getLogger(__name__)


def default_concurrent_runs(limits: SandboxLimits) -> int:
    """Runs at once when ``max_concurrent_runs`` is not set: two per CPU, and no more
    than half the host's memory can hold at ``memory_mb`` each."""
    cpus = os.cpu_count() or 1
    try:
        total_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (1024 * 1024)
    except (ValueError, OSError):
        total_mb = 4096
    return max(1, min(2 * cpus, total_mb // 2 // limits.memory_mb))


class DockerSandbox:
    """Runs each program in its own container from a warm pool (``options.pool_size``).

    ``run(..., session=handle, owner=...)`` instead keeps one container per owner and
    handle, so variables and files persist across that session's runs (see
    ``sessions.py`` for its ends). At most ``max_concurrent_runs`` runs execute at once;
    the rest wait their turn, so containers alive are at most that plus ``pool_size``
    plus the sessions'. Every container of this instance is removed on ``aclose`` and,
    should the process exit without it, by an atexit hook.
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
        # An endless loop cannot be a pool task (settle waits for those); kept as an
        # asyncio task for the same reason the pool's are (see pool.py).
        self._reaper: asyncio.Task | None = None
        self._start_lock = anyio.Lock()
        self._closed = False
        self.orphans_removed = 0
        self.max_concurrent_runs = self.options.max_concurrent_runs or default_concurrent_runs(self.limits)
        self._run_slots = anyio.Semaphore(self.max_concurrent_runs)

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
            exit_cleanup.register(self._remove_all_sync)

    def _remove_all_sync(self) -> None:
        """Last resort at exit (a server stopped without aclose): see exit_cleanup.py."""
        if self._client is None:
            return
        removed = remove_instance(self._client, self.instance)
        if removed:
            log.info("removed %d sandbox container(s) at exit", removed)

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
        exit_cleanup.unregister(self._remove_all_sync)
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

    async def run(
        self,
        code: str,
        *,
        timeout_s: float | None = None,
        stdin: str | None = None,
        session: str | None = None,
        files: dict[str, bytes] | None = None,
        owner: str = "",
    ) -> ExecResult:
        """Run ``code`` in a fresh container (or in ``owner``'s session ``session``).

        The request is checked by ``limits.check_request`` (SandboxInputError). A run
        waits while ``max_concurrent_runs`` others execute. At the time limit the program
        and everything it started are killed with SIGKILL; output past
        ``limits.output_bytes`` per stream loses its middle; ``files`` (name -> bytes,
        checked by sandbox.files) are written into the work directory first; files past
        the file limits are left out of the result; each of these is said in ``notes``.
        """
        timeout = self.limits.check_request(code, timeout_s, stdin)
        if files:
            check_input_files(files, self.limits)
        if session is not None:
            SessionStore.check_handle(session)
        await self.start()
        assert self._pool is not None and self._sessions is not None
        async with self._run_slots:
            if session is not None:
                return await self._run_in_session(session, owner, code, stdin, timeout, files)
            box = await self._pool.acquire()
            try:
                return await box.run(code, stdin=stdin, timeout_s=timeout, limits=self.limits, keep=False, files=files)
            finally:
                self._pool.discard(box)

    async def _run_in_session(
        self, handle: str, owner: str, code: str, stdin: str | None, timeout: float, files: dict[str, bytes] | None = None
    ) -> ExecResult:
        assert self._sessions is not None
        for gone in self._sessions.expired():
            await gone.box.destroy()
        session, new = await self._sessions.open(handle, owner)
        async with session.lock:
            if session.box.closed:
                raise SandboxInputError(f"session {handle!r} was closed while this run waited: run again to start a new one")
            try:
                result = await session.box.run(
                    code, stdin=stdin, timeout_s=timeout, limits=self.limits, keep=True, files=files
                )
            except BaseException:
                # The caller gave up (or the stream broke) with the program perhaps still
                # running: its output would reach the next run. End the session instead.
                self._sessions.pop(handle, owner)
                await session.box.destroy()
                raise
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
                self._sessions.pop(handle, owner)
                await session.box.destroy()
                result.notes.append(f"Session {handle!r} was ended; its variables and files are gone.")
        return result

    def list_sessions(self) -> dict:
        """How many sessions live, for how many clients, the oldest's age: never their
        handles, which are what lets a client reach a session (sandbox/session_handles.py)."""
        return self._sessions.describe() if self._sessions is not None else {}

    async def close_session(self, handle: str, *, owner: str = "") -> bool:
        """End ``owner``'s session ``handle`` and remove its container; False when none."""
        SessionStore.check_handle(handle)
        if self._sessions is None:
            return False
        session: Session | None = self._sessions.pop(handle, owner)
        if session is None:
            return False
        async with session.lock:
            await session.box.destroy()
        return True

    async def close_owner(self, owner: str) -> int:
        """End every session of ``owner`` (a client that went away)."""
        if self._sessions is None:
            return 0
        sessions = self._sessions.pop_owner(owner)
        for session in sessions:
            await session.box.destroy()
        return len(sessions)

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

        expected = self._pool.ready_ids | self._sessions.container_ids
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
            "max_concurrent_runs": self.max_concurrent_runs,
            "runs_executing": self.max_concurrent_runs - int(self._run_slots.value),
            "runs_waiting": self._run_slots.statistics().tasks_waiting,
            "max_sessions": self.options.max_sessions,
            "max_sessions_per_client": self.options.max_sessions_per_client,
            "sessions": self._sessions.describe() if self._sessions is not None else {},
            "isolation": [
                "one fresh container per run (never reused)",
                "no network (--network none)",
                "read-only root, tmpfs work directory /tmp",
                "all capabilities dropped, no-new-privileges, default seccomp profile",
                "code runs as its own uid per container (never shared), PID 1 as uid 10001; the supervisor "
                "is not dumpable, so the code cannot ptrace it nor write to its descriptors",
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
