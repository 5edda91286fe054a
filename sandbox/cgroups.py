"""Per-run control groups for the local backend: a process count and a memory ceiling.

rlimits alone cannot stop a fork bomb here (RLIMIT_NPROC counts per user, and the
sandbox user maps to the server's), so each run gets a cgroup with ``pids.max`` and a
memory limit when the host lets the server create one (root, or a delegated cgroup).
Where it cannot, runs go on without it and the backend says so in its warnings.
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

_ROOT = Path("/sys/fs/cgroup")
REMOVE_WITHIN_S = 5.0
"""How long a run's group removal is retried while the kernel tears its processes down."""


@dataclass(frozen=True)
class CgroupLayout:
    """Where new per-run groups go: one directory per controller (v1) or one (v2)."""

    dirs: tuple[Path, ...]
    version: int

    def describe(self) -> str:
        return f"cgroup v{self.version} ({', '.join(str(d) for d in self.dirs)})"


def _own_v1_path(controller: str) -> str | None:
    try:
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            if controller in controllers.split(","):
                return path
    except OSError:
        return None
    return None


def _writable_dir(path: Path) -> bool:
    probe = path / f"codesteer-probe-{uuid.uuid4().hex[:8]}"
    try:
        probe.mkdir()
    except OSError:
        return False
    with contextlib.suppress(OSError):
        probe.rmdir()
    return True


def detect_layout() -> CgroupLayout | None:
    """The place to create per-run groups, or None where the host allows none."""
    pids_v1 = _ROOT / "pids"
    if (pids_v1 / "cgroup.procs").exists():
        own_mem = _own_v1_path("memory")
        mem_v1 = _ROOT / "memory" / (own_mem or "/").lstrip("/")
        dirs = [pids_v1 / (_own_v1_path("pids") or "/").lstrip("/")]
        if (mem_v1 / "memory.limit_in_bytes").exists():
            dirs.append(mem_v1)
        dirs = [d for d in dirs if _writable_dir(d)]
        if dirs and dirs[0].is_relative_to(pids_v1):
            return CgroupLayout(tuple(dirs), 1)
    unified = _ROOT if (_ROOT / "cgroup.controllers").exists() else _ROOT / "unified"
    if (unified / "cgroup.controllers").exists():
        own = next((p for line in _read_lines("/proc/self/cgroup") if line.startswith("0::") for p in [line[3:]]), "/")
        base = unified / own.lstrip("/")
        enabled = _read(base / "cgroup.subtree_control").split()
        if "pids" in enabled and _writable_dir(base):
            return CgroupLayout((base,), 2)
    return None


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def _read_lines(path: str) -> list[str]:
    return _read(Path(path)).splitlines()


class RunCgroup:
    """One run's groups. ``procs_files`` are what the launcher writes its pid into."""

    def __init__(self, layout: CgroupLayout, *, pids: int, memory_bytes: int, prefix: str = "codesteer-run-") -> None:
        self.layout = layout
        self.name = f"{prefix}{uuid.uuid4().hex[:12]}"
        self.paths: list[Path] = []
        for parent in layout.dirs:
            path = parent / self.name
            path.mkdir()
            self.paths.append(path)
            self._set(path, "pids.max", str(pids))
            if layout.version == 1 and (path / "memory.limit_in_bytes").exists():
                self._set(path, "memory.limit_in_bytes", str(memory_bytes))
                self._set(path, "memory.memsw.limit_in_bytes", str(memory_bytes))
            elif layout.version == 2:
                self._set(path, "memory.max", str(memory_bytes))
                self._set(path, "memory.swap.max", "0")

    @staticmethod
    def _set(path: Path, name: str, value: str) -> None:
        target = path / name
        if target.exists():
            with contextlib.suppress(OSError):
                target.write_text(value)

    @property
    def procs_files(self) -> list[str]:
        return [str(p / "cgroup.procs") for p in self.paths]

    def hit_limits(self) -> list[str]:
        """Which limits stopped something during the run, in words."""
        notes = []
        for path in self.paths:
            events = _read(path / "pids.events")
            if "max" in events and any(ln.split()[-1] != "0" for ln in events.splitlines() if ln.startswith("max")):
                notes.append("The process limit was reached: creating more processes failed (fork bomb contained).")
            failcnt = _read(path / "memory.failcnt").strip()
            # v2 counts kills in memory.events; v1 in memory.oom_control (its failcnt can stay 0).
            oom = _read(path / "memory.events") + _read(path / "memory.oom_control")
            if (failcnt and failcnt != "0") or any(
                ln.startswith("oom_kill ") and ln.split()[-1] != "0" for ln in oom.splitlines()
            ):
                notes.append("The memory limit was reached: allocations failed or the process was killed.")
        return list(dict.fromkeys(notes))

    def kill_all(self) -> None:
        """SIGKILL whatever is still in the groups (processes that escaped the session)."""
        for path in self.paths:
            for pid in _read(path / "cgroup.procs").split():
                with contextlib.suppress(ProcessLookupError, ValueError, PermissionError):
                    os.kill(int(pid), 9)

    def remove(self, within_s: float = REMOVE_WITHIN_S) -> bool:
        """Kill what is left and remove the groups; False when one is still there.

        A group whose last process was just killed stays busy (EBUSY) until the kernel
        has torn the process down, so the removal is retried for up to ``within_s``."""
        deadline = time.monotonic() + within_s
        left = list(self.paths)
        while True:
            self.kill_all()
            for path in list(left):
                try:
                    path.rmdir()
                except FileNotFoundError:
                    pass
                except OSError:  # EBUSY while the kernel tears the processes down
                    continue
                left.remove(path)
            if not left or time.monotonic() >= deadline:
                return not left
            time.sleep(0.01)
