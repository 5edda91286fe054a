"""One sandbox container: created hardened, its supervisor started and warm, used for
one run (or one session) and then removed.

A container never serves two callers: a process daemonised during an exec survives the
exec (the Engine API cannot kill an exec), so the only sure end of a run's processes
is the end of its container.
"""

from __future__ import annotations

import base64
import json
import struct
import time
from dataclasses import dataclass, field

import anyio

from ..files import mime_type_of
from ..types import ExecFile, ExecResult, SandboxLimits
from .connection import ExecStream, attach_exec
from .reader import SupervisorReader
from .spec import WORK_DIR, code_user, supervisor_command

READY_TIMEOUT_S = 120.0
# Time the supervisor gets past the run's own limit to kill, drain and report.
BACKSTOP_GRACE_S = 5.0


class LaunchError(RuntimeError):
    """A container could not be created or its supervisor did not come up."""


@dataclass
class Launcher:
    """Everything needed to create containers: the client and the create arguments."""

    client: object
    create_kwargs: dict
    preload: list[str]

    async def launch(self, warm: bool = True) -> SandboxContainer:
        """Create, start and warm one container (``warm``: with the preload imported).
        At READY_TIMEOUT_S it is removed and LaunchError raised."""
        api = self.client.api
        container_id = None
        try:
            container_id = await anyio.to_thread.run_sync(self._create_and_start)
            exec_id = await anyio.to_thread.run_sync(self._exec_create, container_id, warm)
            stream = await attach_exec(api._version, exec_id)
            box = SandboxContainer(self.client, container_id, stream)
            with anyio.fail_after(READY_TIMEOUT_S):
                await box.wait_ready()
            return box
        except BaseException as exc:
            if container_id is not None:
                with anyio.CancelScope(shield=True):
                    await anyio.to_thread.run_sync(remove_container, self.client, container_id)
            if isinstance(exc, Exception) and not isinstance(exc, LaunchError):
                raise LaunchError(f"starting a sandbox container failed: {exc}") from exc
            raise

    def _create_and_start(self) -> str:
        api = self.client.api
        container_id = api.create_container(**self.create_kwargs)["Id"]
        try:
            api.start(container_id)
        except Exception:
            remove_container(self.client, container_id)
            raise
        return container_id

    def _exec_create(self, container_id: str, warm: bool) -> str:
        api = self.client.api
        return api.exec_create(
            container_id,
            supervisor_command(self.preload if warm else []),
            stdin=True,
            stdout=True,
            stderr=True,
            user=code_user(),
            workdir=WORK_DIR,
        )["Id"]


def remove_container(client, container_id: str) -> None:
    """Kill (SIGKILL) and remove; a container already gone is fine."""
    import docker.errors

    try:
        client.api.remove_container(container_id, force=True, v=True)
    except docker.errors.NotFound:
        pass
    except docker.errors.APIError as exc:
        if "already in progress" not in str(exc):
            raise


@dataclass
class SandboxContainer:
    client: object
    id: str
    stream: ExecStream
    created: float = field(default_factory=time.monotonic)
    reader: SupervisorReader | None = None
    closed: bool = False
    runs: int = 0

    async def wait_ready(self) -> None:
        self.reader = SupervisorReader(output_cap=1024, record_cap=65536)
        while self.reader.ready is None:
            data = await self.stream.receive()
            if not data:
                detail = bytes(self.reader.supervisor_stderr.data).decode(errors="replace").strip()
                raise LaunchError(f"the sandbox supervisor exited before it was ready: {detail or 'no message'}")
            self.reader.feed(data)

    async def run(
        self,
        code: str,
        *,
        stdin: str | None,
        timeout_s: float,
        limits: SandboxLimits,
        keep: bool,
        files: dict[str, bytes] | None = None,
    ) -> ExecResult:
        """Send one program and read until its end record.

        The supervisor kills the program at ``timeout_s``; should it not report within
        BACKSTOP_GRACE_S after that, the container is killed here (SIGKILL) and the result
        says so. Output past ``limits.output_bytes`` is read and dropped.
        """
        self.runs += 1
        request = {
            "run": self.runs,
            "code": code,
            "stdin": stdin,
            "keep": keep,
            "timeout_s": timeout_s,
            "output_bytes": limits.output_bytes,
            "memory_mb": limits.memory_mb,
            "max_files": limits.max_files,
            "max_file_bytes": limits.max_file_bytes,
            "files": [{"name": n, "data_b64": base64.b64encode(d).decode()} for n, d in (files or {}).items()],
        }
        files_cap = limits.max_files * (limits.max_file_bytes * 4 // 3 + 1024) + 65536
        reader = self.reader or SupervisorReader(limits.output_bytes, files_cap)
        reader.record_cap = files_cap
        reader.reset_run(limits.output_bytes, self.runs)
        payload = json.dumps(request).encode()
        started = time.monotonic()
        backstop = False
        with anyio.move_on_after(timeout_s + BACKSTOP_GRACE_S) as scope:
            await self.stream.send(struct.pack(">I", len(payload)) + payload)
            while reader.end is None:
                data = await self.stream.receive()
                if not data:
                    break
                reader.feed(data)
        if scope.cancelled_caught:
            backstop = True
        return _result(reader, time.monotonic() - started, backstop, timeout_s, limits)

    async def destroy(self) -> None:
        """Close the stream, then kill and remove the container (never leaves a reader
        stopped on an open stream)."""
        if self.closed:
            return
        self.closed = True
        with anyio.CancelScope(shield=True):
            await self.stream.aclose()
            await anyio.to_thread.run_sync(remove_container, self.client, self.id)


def _decode(capped) -> str:
    return bytes(capped.data).decode("utf-8", errors="replace")


def _result(reader: SupervisorReader, elapsed: float, backstop: bool, timeout_s: float, limits) -> ExecResult:
    end = reader.end
    notes: list[str] = []
    truncated = bool(reader.stdout.dropped or reader.stderr.dropped)
    if end is None:
        if backstop:
            notes.append(
                f"The program was killed at the time limit of {timeout_s} s (its container was removed with SIGKILL)."
            )
        else:
            detail = _decode(reader.supervisor_stderr).strip()
            notes.append(
                "The sandbox's supervisor ended before reporting how the program finished"
                + (f" ({detail[:300]})" if detail else "")
                + "; the program may have killed it. Nothing of this run survives."
            )
        return ExecResult(
            stdout=_decode(reader.stdout),
            stderr=_decode(reader.stderr),
            exit_code=None,
            duration_s=elapsed,
            timed_out=backstop,
            truncated=truncated,
            backend="docker",
            notes=notes,
        )
    notes.extend(str(n) for n in end.get("notes", []))
    if reader.malformed:
        notes.append("Part of the sandbox's report was malformed or too large and was dropped.")
    files = []
    for item in end.get("files", []):
        try:
            base64.b64decode(item["data_b64"], validate=True)
        except (KeyError, ValueError):
            continue
        name = str(item["name"])
        files.append(ExecFile(name=name, mime_type=mime_type_of(name), data_b64=item["data_b64"]))
    exit_code = end.get("exit_code")
    return ExecResult(
        stdout=_decode(reader.stdout),
        stderr=_decode(reader.stderr),
        exit_code=exit_code if isinstance(exit_code, int) else None,
        duration_s=float(end.get("duration_s", elapsed)),
        timed_out=bool(end.get("timed_out")),
        truncated=truncated or bool(end.get("truncated")),
        backend="docker",
        notes=notes,
        files=files,
    )
