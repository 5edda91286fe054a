"""The local backend: bubblewrap around the server's own interpreter, the fallback to docker.

Each run gets fresh namespaces (no network but its own loopback, its own PIDs, no host
files beyond the interpreter and its libraries, bound read-only), a size-limited tmpfs
as its working directory, a scrubbed environment, rlimits, a per-run cgroup where the
host allows one, and a wall-clock timeout that kills the whole process tree.

Without bubblewrap the code still runs (so the server stays usable), with the same
limits but no isolation, and every result says so.

What this backend cannot contain, compared with docker: CPU share (only a CPU-time
rlimit), and, where no cgroup can be created, the number of processes (a fork bomb is
cut only by the timeout) and the memory of several processes together (RLIMIT_AS is
per process).

When the server runs as root, the code never does: bubblewrap runs without a user
namespace (its sandbox user would map to host root) and execs the code through
``setpriv`` as a dedicated unprivileged host uid (``run_as_uid``, default RUN_AS_UID)
with no capabilities left; /proc/sys is read-only either way.
Every writable mount has a size: the work directory and /tmp (``tmpfs_mb`` each),
/dev/shm (``tmpfs_mb``); the root and /dev are read-only.
"""

from __future__ import annotations

import base64
import contextlib
import json
import math
import os
import shutil
import signal
import sys
import subprocess
import tempfile
import time
from pathlib import Path

import anyio
from anyio.abc import ByteReceiveStream, Process

from .cgroups import CgroupLayout, RunCgroup, detect_layout
from .files import check_input_files, mime_type_of
from .packages import INSTALL_HINT, SOLVER_PACKAGES, missing_locally
from .types import ExecFile, ExecResult, SandboxLimits, SessionsUnsupported

_BOOTSTRAP = Path(__file__).with_name("_bootstrap.py")
# The image's matplotlib backend, shared so figures are saved and named alike on both backends.
_MPL_BACKEND = Path(__file__).with_name("image") / "runtime" / "codesteer_mpl.py"
_MPL_DIR_IN_BOX = "/sandbox/mpl"
_INPUT_DIR_IN_BOX = "/sandbox/in"  # the caller's files, copied into the work directory before the program starts
_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "MPLBACKEND": "module://codesteer_mpl",
    "MPLCONFIGDIR": "/tmp",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONUNBUFFERED": "1",
    "PYTHONIOENCODING": "utf-8",
}
RUN_AS_UID = 65533
"""The host uid (and gid) model-written code runs as when the server is root: unused by
any account on a stock Debian, unprivileged, and never the server's own."""
FLOOD_FACTOR = 16
"""A run whose output passes this many times the output cap is killed early: the rest
would be discarded anyway, and waiting for the timeout only slows the caller."""


NO_CGROUP = (
    "no cgroup can be created here: the local sandbox cannot cap the number of processes or the "
    "total memory of a run; a fork bomb is stopped only by RLIMIT_NPROC or the timeout."
)
NOT_CAPPED = (
    "This run had no cgroup: its processes and their total memory were not capped (only per-process limits)."
)


def _interpreter_roots() -> list[str]:
    """Directories the interpreter needs, to bind read-only (a venv and its base)."""
    roots = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    roots.add(os.path.dirname(os.path.dirname(os.path.realpath(sys.executable))))
    return sorted(r for r in roots if not r.startswith("/usr"))


def _work_dir_in_box(roots: list[str]) -> str:
    """/work, unless the interpreter is bound inside it (a checkout under /work): the work
    directory must hold only what the program writes, not the host's folders."""
    for candidate in ("/work", "/sandbox/work"):
        if not any(r == candidate or r.startswith(candidate + "/") for r in roots):
            return candidate
    raise RuntimeError("no work directory for the local sandbox is free of the interpreter's folders")


class LocalSandbox:
    """Runs code under bubblewrap; see the module docstring for what it does and does not contain."""

    name = "local"
    supports_sessions = False

    def __init__(
        self,
        limits: SandboxLimits | None = None,
        *,
        use_bwrap: bool = True,
        concurrency: int | None = None,
        run_as_uid: int = RUN_AS_UID,
    ):
        self.limits = limits or SandboxLimits()
        self._bwrap = shutil.which("bwrap") if use_bwrap else None
        # As root, bubblewrap mounts with root's rights (so an interpreter under a 0700
        # /root can still be bound) and the code is exec'd through setpriv as run_as_uid.
        self._drop: list[str] = []
        if os.geteuid() == 0:
            if run_as_uid == 0:
                raise ValueError("run_as_uid must not be 0: model-written code never runs as root")
            setpriv = shutil.which("setpriv")
            if setpriv is None:
                raise RuntimeError(
                    "the server runs as root and setpriv (util-linux) is missing, so the local sandbox cannot drop "
                    "to an unprivileged uid: install util-linux, run the server as a normal user, or use docker"
                )
            uid = str(run_as_uid)
            self._drop = [
                setpriv, "--reuid", uid, "--regid", uid, "--clear-groups",
                "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--",
            ]  # fmt: skip
        self.run_as_uid = run_as_uid if self._drop else os.geteuid()
        # Not realpath: a venv's python finds its site-packages through the path it was started by.
        self._python = sys.executable
        self._cgroups: CgroupLayout | None = None
        self._started = False
        self._slots = anyio.Semaphore(concurrency or max(2, (os.cpu_count() or 1) * 2))
        self.warnings: list[str] = []
        self._missing: list[str] = []
        # Names this instance's per-run cgroups, so a leak can be traced to its owner.
        self.cgroup_prefix = f"codesteer-run-{os.getpid()}-{id(self) & 0xFFFFFF:06x}-"

    @property
    def isolated(self) -> bool:
        return self._bwrap is not None

    async def start(self) -> None:
        if self._started:
            return
        self._started = True
        if self._bwrap is None:
            self.warnings.append(
                "bubblewrap (bwrap) is not installed: model-written code runs UNISOLATED on this host, with "
                "rlimits and a scrubbed environment only. Install it (Debian/Ubuntu: apt-get install bubblewrap) "
                "or use the docker sandbox."
            )
        self._missing = await anyio.to_thread.run_sync(missing_locally)
        if self._missing:
            self.warnings.append(
                f"the local sandbox lacks {', '.join(self._missing)}, which the steering prompts name: {INSTALL_HINT}"
            )
        self._cgroups = await anyio.to_thread.run_sync(detect_layout)
        if self._cgroups is None:
            self.warnings.append(NO_CGROUP)
        if self._drop:
            # The dedicated uid must be able to reach the interpreter: say so now, not per run.
            probe = await self._run("print(1)", 30.0, None, {})
            if probe.stdout.strip() != "1":
                self._started = False
                raise RuntimeError(
                    f"the local sandbox cannot run python as uid {self.run_as_uid}: {probe.summary(600)} "
                    "(the interpreter and its libraries must be readable by that uid)"
                )

    async def aclose(self) -> None:
        self._started = False

    async def close_session(self, handle: str, *, owner: str = "") -> bool:
        return False

    async def close_owner(self, owner: str) -> int:
        return 0

    def describe(self) -> dict:
        return {
            "backend": self.name,
            "isolated": self.isolated,
            "bubblewrap": self._bwrap,
            "interpreter": self._python,
            "host_uid_of_code": self.run_as_uid,
            "cgroups": self._cgroups.describe() if self._cgroups else None,
            "limits": self.limits.model_dump(),
            "packages": {"offered": list(SOLVER_PACKAGES.values()), "missing": self._missing},
            "warnings": self.warnings,
        }

    def _command(
        self, workdir: Path, main_py: Path, files_fd: int, limits_json: str, input_dir: Path | None = None
    ) -> list[str]:
        boot = ["-I", "/sandbox/boot.py", "/sandbox/main.py", limits_json, str(files_fd), _MPL_DIR_IN_BOX]
        if input_dir is not None:
            boot.append(_INPUT_DIR_IN_BOX)
        if self._bwrap is None:
            return [*self._drop, self._python, "-I", str(_BOOTSTRAP), str(main_py), limits_json, str(files_fd),
                    str(_MPL_BACKEND.parent), *([str(input_dir)] if input_dir is not None else [])]
        tmpfs = str(self.limits.tmpfs_mb * 1024 * 1024)
        work = _work_dir_in_box(_interpreter_roots())
        cmd = [self._bwrap, "--die-with-parent", "--new-session", "--hostname", "sandbox"]
        if self._drop:
            # No user namespace (its uid would map to host root): the sandbox keeps only
            # what setpriv needs to become run_as_uid, which then drops every capability.
            cmd += [
                "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
                "--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SETPCAP",
            ]  # fmt: skip
        else:
            cmd += ["--unshare-all", "--cap-drop", "ALL", "--uid", "65534", "--gid", "65534"]
        cmd += ["--ro-bind", "/usr", "/usr"]
        for top in ("/bin", "/sbin", "/lib", "/lib64", "/lib32"):
            if os.path.islink(top):
                cmd += ["--symlink", os.readlink(top), top]
            elif os.path.isdir(top):
                cmd += ["--ro-bind", top, top]
        cmd += [
            "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache",
            "--ro-bind-try", "/etc/localtime", "/etc/localtime",
            "--ro-bind-try", "/etc/fonts", "/etc/fonts",
            "--proc", "/proc",
            "--ro-bind-try", "/proc/sys", "/proc/sys",
            "--ro-bind-try", "/proc/sysrq-trigger", "/proc/sysrq-trigger",
            "--dev", "/dev",
            # a nested work directory's parents, world-searchable (bwrap as root makes them 0700)
            *[arg for parent in reversed(Path(work).parents) if str(parent) != "/"
              for arg in ("--perms", "0755", "--dir", str(parent))],
            "--perms", "1777", "--size", tmpfs, "--tmpfs", "/dev/shm",
            "--perms", "1777", "--size", tmpfs, "--tmpfs", work,
            "--perms", "1777", "--size", tmpfs, "--tmpfs", "/tmp",
        ]  # fmt: skip
        # After the tmpfs mounts, so an interpreter under /tmp (a venv there) is not hidden.
        # Parents made world-searchable first: bwrap run as root makes them 0700.
        made: set[str] = {"/", "/usr", "/tmp", work, *map(str, Path(work).parents)}
        for root in [*_interpreter_roots(), "/sandbox/boot.py", f"{_MPL_DIR_IN_BOX}/codesteer_mpl.py"]:
            for parent in reversed(Path(root).parents):
                if str(parent) not in made:
                    made.add(str(parent))
                    cmd += ["--perms", "0755", "--dir", str(parent)]
        for root in _interpreter_roots():
            cmd += ["--ro-bind", root, root]
        cmd += [
            "--ro-bind", str(_BOOTSTRAP), "/sandbox/boot.py",
            "--ro-bind", str(main_py), "/sandbox/main.py",
            "--ro-bind", str(_MPL_BACKEND), f"{_MPL_DIR_IN_BOX}/codesteer_mpl.py",
            *(["--ro-bind", str(input_dir), _INPUT_DIR_IN_BOX] if input_dir is not None else []),
            # Unsized tmpfs mounts bwrap makes itself: nothing may be written there.
            "--remount-ro", "/dev", "--remount-ro", "/",
            "--chdir", work, "--clearenv", "--setenv", "HOME", work,
        ]  # fmt: skip
        for key, value in _ENV.items():
            cmd += ["--setenv", key, value]
        return cmd + [*self._drop, self._python, *boot]

    async def run(
        self,
        code: str,
        *,
        timeout_s: float | None = None,
        stdin: str | None = None,
        files: dict[str, bytes] | None = None,
        session: str | None = None,
        owner: str = "",
    ) -> ExecResult:
        """Run ``code`` once in a fresh sandbox, with ``files`` (name -> bytes) in its work
        directory (``session`` raises SessionsUnsupported).

        The request is checked by ``limits.check_request``. At the wall-clock limit the
        whole process group is killed and ``timed_out`` set. Output past
        ``limits.output_bytes`` per stream is read and its middle dropped (the first and
        last halves kept, ``truncated``); past FLOOD_FACTOR times that, the run is killed
        early.
        """
        if session is not None:
            raise SessionsUnsupported(
                f"persistent sessions need the docker sandbox, and this server runs the {self.name} one: leave "
                "session out (each run starts fresh), or start the server with --sandbox docker"
            )
        timeout = self.limits.check_request(code, timeout_s, stdin)
        if not self._started:
            await self.start()
        if files:
            check_input_files(files, self.limits)
        async with self._slots:
            return await self._run(code, timeout, stdin, files or {})

    async def _run(self, code: str, timeout: float, stdin: str | None, files: dict[str, bytes]) -> ExecResult:
        limits_json = json.dumps(
            {
                "memory_bytes": self.limits.memory_mb * 1024 * 1024,
                "file_size_bytes": self.limits.file_size_mb * 1024 * 1024,
                "open_files": self.limits.open_files,
                "cpu_s": math.ceil(timeout) + 1,
                "max_files": self.limits.max_files,
                "max_file_bytes": self.limits.max_file_bytes,
                # RLIMIT_NPROC counts per uid of a user namespace: per run when the run has
                # its own (bwrap, not root), shared otherwise (one host uid); pids.max covers that.
                "nproc": self.limits.pids if self._bwrap and not self._drop else 0,
            }
        )
        with tempfile.TemporaryDirectory(prefix="codesteer-run-") as tmp:
            tmpdir = Path(tmp)
            main_py = tmpdir / "main.py"
            main_py.write_text(code, encoding="utf-8", errors="surrogateescape")
            workdir = tmpdir / "work"
            workdir.mkdir()
            if self._drop or self._bwrap is None:
                # Read (and, unisolated, written) by the run's own uid.
                tmpdir.chmod(0o711)
                main_py.chmod(0o644)
                if self._drop and self._bwrap is None:
                    os.chown(workdir, self.run_as_uid, self.run_as_uid)
            input_dir = None
            if files:
                input_dir = tmpdir / "in"
                input_dir.mkdir()
                for name, data in files.items():
                    (input_dir / name).write_bytes(data)
                    (input_dir / name).chmod(0o644)
                input_dir.chmod(0o755)
            cgroup = self._make_cgroup()
            read_fd, write_fd = os.pipe()
            cmd = self._command(workdir, main_py, write_fd, limits_json, input_dir)
            if cgroup is not None:
                # Join the groups before exec, so every descendant is counted from the start.
                joins = " ".join(f"echo $$ > {p} &&" for p in cgroup.procs_files)
                cmd = ["/bin/sh", "-c", f'{joins} exec "$@"', "sh", *cmd]
            env = None if self._bwrap else {**_ENV, "HOME": str(workdir), "MPLCONFIGDIR": str(workdir)}
            try:
                return await self._supervise(cmd, env, workdir, stdin, timeout, read_fd, write_fd, cgroup)
            finally:
                with contextlib.suppress(OSError):
                    os.close(read_fd)
                if cgroup is not None:
                    with anyio.CancelScope(shield=True):
                        await anyio.to_thread.run_sync(cgroup.remove)

    def _make_cgroup(self) -> RunCgroup | None:
        if self._cgroups is None:
            return None
        try:
            return RunCgroup(
                self._cgroups, pids=self.limits.pids, memory_bytes=self.limits.memory_mb * 1024 * 1024, prefix=self.cgroup_prefix
            )
        except OSError:
            return None

    async def _supervise(
        self,
        cmd: list[str],
        env: dict[str, str] | None,
        workdir: Path,
        stdin: str | None,
        timeout: float,
        read_fd: int,
        write_fd: int,
        cgroup: RunCgroup | None,
    ) -> ExecResult:
        cap = self.limits.output_bytes
        started = time.monotonic()
        out, err = _Capped(cap), _Capped(cap)
        files_raw = bytearray()
        timed_out = flooded = False
        try:
            proc = await anyio.open_process(
                cmd,
                stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=str(workdir),
                env=env or {},
                start_new_session=True,
                pass_fds=(write_fd,),
            )
        finally:
            os.close(write_fd)
        try:
            with anyio.move_on_after(timeout) as scope:
                async with anyio.create_task_group() as tg:
                    tg.start_soon(_drain, proc.stdout, out, lambda: self._flood(proc, out, err))
                    tg.start_soon(_drain, proc.stderr, err, lambda: self._flood(proc, out, err))
                    tg.start_soon(_read_fd, read_fd, files_raw, self._files_cap())
                    if stdin is not None and proc.stdin is not None:
                        tg.start_soon(_feed, proc.stdin, stdin.encode())
                    await proc.wait()
            timed_out = scope.cancelled_caught
            flooded = out.total + err.total > FLOOD_FACTOR * cap
        finally:
            _kill_group(proc)
            if cgroup is not None:
                cgroup.kill_all()
            with anyio.CancelScope(shield=True):
                await proc.wait()
        duration = time.monotonic() - started
        exit_code = None if timed_out else proc.returncode
        notes = self._notes(exit_code, timed_out, flooded, timeout, err.text(), cgroup)
        for name, stream in (("stdout", out), ("stderr", err)):
            if stream.truncated:
                notes.append(
                    f"{name} was cut to its first and last {self.limits.output_bytes // 2} bytes "
                    f"({stream.total - stream.cap} dropped in between): print less, e.g. only the answer."
                )
        files, file_notes = _parse_files(bytes(files_raw), self.limits.max_files)
        notes.extend(file_notes)
        return ExecResult(
            stdout=out.text(),
            stderr=err.text(),
            exit_code=exit_code,
            duration_s=round(duration, 4),
            timed_out=timed_out,
            truncated=out.truncated or err.truncated,
            backend=self.name,
            isolated=self.isolated,
            notes=notes,
            files=files,
        )

    def _files_cap(self) -> int:
        # base64 grows data by a third; the JSON around it is small
        return self.limits.max_files * (self.limits.max_file_bytes * 4 // 3 + 1024) + 1024

    def _flood(self, proc: Process, out: "_Capped", err: "_Capped") -> None:
        if out.total + err.total > FLOOD_FACTOR * self.limits.output_bytes:
            _kill_group(proc)

    def _notes(
        self, exit_code: int | None, timed_out: bool, flooded: bool, timeout: float, stderr: str, cgroup: RunCgroup | None
    ) -> list[str]:
        notes: list[str] = []
        if not self.isolated:
            notes.append("WARNING: this code ran UNISOLATED on the server's host (bubblewrap is not installed).")
        if timed_out:
            notes.append(
                f"Killed at the wall-clock limit of {timeout:g} s: an endless loop, a wait, or a search too slow "
                "for the limit. Bound the loop or search more cleverly."
            )
        if flooded:
            notes.append(
                f"Killed for flooding output (over {FLOOD_FACTOR} times the {self.limits.output_bytes}-byte cap): "
                "print less."
            )
        elif exit_code is not None and exit_code < 0:
            sig = -exit_code
            meaning = {
                signal.SIGKILL: "killed (SIGKILL), most likely at the memory limit",
                signal.SIGXCPU: "stopped at the CPU-time limit",
                signal.SIGXFSZ: f"stopped at the file-size limit of {self.limits.file_size_mb} MB",
                signal.SIGSEGV: "crashed (segmentation fault), possibly at the memory limit",
            }.get(sig, f"killed by signal {sig}")
            notes.append(f"The program was {meaning}.")
        if "MemoryError" in stderr:
            notes.append(f"The program ran out of memory (limit {self.limits.memory_mb} MB): use less memory.")
        if "No space left on device" in stderr or "File too large" in stderr:
            notes.append(
                f"Disk limit reached: the work directory holds {self.limits.tmpfs_mb} MB and one file at most "
                f"{self.limits.file_size_mb} MB."
            )
        if cgroup is not None:
            notes.extend(cgroup.hit_limits())
        else:
            notes.append(NOT_CAPPED)
        return notes


class _Capped:
    """Keeps the first and the last ``cap // 2`` bytes of a stream and counts the rest:
    an error at the end of a long output is what a model most needs to see."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.head = bytearray()
        self.tail = bytearray()
        self.total = 0

    def add(self, chunk: bytes) -> None:
        was_truncated = self.truncated
        self.total += len(chunk)
        if not self.truncated:
            self.head += chunk
            return
        if not was_truncated:  # the first overflow: the head's second half starts the tail
            joined = self.head + chunk
            self.head, self.tail = joined[: self.cap // 2], joined[self.cap // 2 :]
        else:
            self.tail += chunk
        del self.tail[: max(0, len(self.tail) - (self.cap - self.cap // 2))]

    @property
    def truncated(self) -> bool:
        return self.total > self.cap

    def text(self) -> str:
        if not self.truncated:
            return self.head.decode("utf-8", errors="replace")
        cut = self.total - len(self.head) - len(self.tail)
        return (
            self.head.decode("utf-8", errors="replace")
            + f"\n... [{cut} bytes cut] ...\n"
            + self.tail.decode("utf-8", errors="replace")
        )


async def _drain(stream: ByteReceiveStream | None, sink: _Capped, on_chunk) -> None:
    # Keep reading after the cap: a writer blocked on a full pipe would never exit.
    if stream is None:
        return
    with contextlib.suppress(anyio.EndOfStream, anyio.ClosedResourceError, anyio.BrokenResourceError):
        async for chunk in stream:
            sink.add(chunk)
            on_chunk()


async def _feed(stream, data: bytes) -> None:
    with contextlib.suppress(anyio.BrokenResourceError, anyio.ClosedResourceError, BrokenPipeError, OSError):
        await stream.send(data)
    with contextlib.suppress(Exception):
        await stream.aclose()


async def _read_fd(fd: int, sink: bytearray, limit: int) -> None:
    while True:
        await anyio.wait_readable(fd)
        chunk = os.read(fd, 65536)
        if not chunk:
            return
        if len(sink) < limit:
            sink += chunk


def _kill_group(proc: Process) -> None:
    # Not proc.kill(): Popen polls (and so reaps) before signalling, which leaves
    # asyncio's child watcher with an unknown pid and a made-up exit code.
    if proc.returncode is None:
        with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
            os.killpg(proc.pid, signal.SIGKILL)


def _parse_files(raw: bytes, max_files: int) -> tuple[list[ExecFile], list[str]]:
    """The figures and the notes on those left out, from the bootstrap's one JSON line.
    The line was written after the model's code ran, so it is validated, never trusted."""
    line = raw.split(b"\n", 1)[0]
    if not line:
        return [], []
    try:
        sent = json.loads(line)
        files = []
        for item in sent["files"][:max_files]:
            base64.b64decode(item["data_b64"], validate=True)
            name = os.path.basename(str(item["name"]))
            files.append(ExecFile(name=name, mime_type=mime_type_of(name), data_b64=item["data_b64"]))
        notes = [str(n)[:500] for n in sent.get("notes", [])[:4]]
        return files, notes
    except (ValueError, KeyError, TypeError, AttributeError):
        return [], []
