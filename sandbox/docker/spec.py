"""What a sandbox container is allowed: the hardening, the limits, the labels.

Nothing of the host goes in: no mount, no host environment variable, no network.
"""

from __future__ import annotations

import os
import secrets
import socket
import uuid
from functools import lru_cache

from ..types import DockerOptions, SandboxLimits

INIT_USER = "10001:10001"  # PID 1 (codesteer-init in the image)
# The code runs as a uid of its own per container, drawn from this range: per-uid kernel
# counts (inotify instances, RLIMIT_NPROC) are then never shared between containers, and
# it is never PID 1's uid, so it cannot signal PID 1.
CODE_UID_BASE = 200_000
CODE_UID_SPAN = 1_000_000
WORK_DIR = "/tmp"
INIT_CMD = ["python3", "/opt/codesteer/init.py"]
SUPERVISOR_CMD = ["python3", "/opt/codesteer/supervisor.py"]

LABEL = "io.mcp-codesteer.sandbox"
OWNER_LABEL = "io.mcp-codesteer.owner"
INSTANCE_LABEL = "io.mcp-codesteer.instance"
# A label of its own (not part of the owner's), so servers that predate it still read
# the owner as before.
PIDNS_LABEL = "io.mcp-codesteer.pidns"

# The whole environment of the code: fixed here, never copied from the server's.
ENVIRONMENT = {
    "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "HOME": WORK_DIR,
    "LANG": "C.UTF-8",
    "PYTHONPATH": "/opt/codesteer",
    "PYTHONDONTWRITEBYTECODE": "1",
    "MPLBACKEND": "module://codesteer_mpl",
    # Writable copy of the image's font cache (/opt/codesteer/mpl), made by the supervisor.
    "MPLCONFIGDIR": f"{WORK_DIR}/.mpl",
    # One thread per numeric library: the pids limit counts threads.
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}


def code_user() -> str:
    """A fresh ``uid:gid`` for one container's code."""
    uid = CODE_UID_BASE + secrets.randbelow(CODE_UID_SPAN)
    return f"{uid}:{uid}"


def pid_namespace() -> str:
    """This process's PID namespace (its inode), or '?' where /proc cannot say."""
    try:
        return os.readlink("/proc/self/ns/pid").partition("[")[2].rstrip("]") or "?"
    except OSError:
        return "?"


@lru_cache(maxsize=1)
def owner_id() -> str:
    """host:pid:start-time of this server process: tells a live owner from a dead one,
    for a server in the same PID namespace (PIDNS_LABEL) on the same host."""
    return f"{socket.gethostname()}:{os.getpid()}:{process_start_time(os.getpid())}"


def process_start_time(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return "?"
    return stat.rsplit(b")", 1)[1].split()[19].decode()


def new_instance_id() -> str:
    return uuid.uuid4().hex[:12]


def create_kwargs(api, image: str, limits: SandboxLimits, options: DockerOptions, instance: str) -> dict:
    """Arguments of ``APIClient.create_container`` for one hardened sandbox container."""
    from docker.types import LogConfig, Ulimit

    file_bytes = limits.file_size_mb * 1024 * 1024
    host_config = api.create_host_config(
        network_mode="none",
        read_only=True,
        tmpfs={WORK_DIR: f"rw,nosuid,nodev,noexec,size={limits.tmpfs_mb}m,mode=1777"},
        # /dev/shm is a second tmpfs; it gets the work directory's size, and both are
        # charged to the container's memory limit.
        shm_size=f"{limits.tmpfs_mb}m",
        cap_drop=["ALL"],
        # The default seccomp profile applies as long as no seccomp option overrides it.
        security_opt=["no-new-privileges"],
        pids_limit=limits.pids,
        mem_limit=f"{limits.memory_mb}m",
        memswap_limit=f"{limits.memory_mb}m",
        nano_cpus=int(limits.cpus * 1e9),
        ulimits=[
            Ulimit(name="nofile", soft=limits.open_files, hard=limits.open_files),
            Ulimit(name="fsize", soft=file_bytes, hard=file_bytes),
            Ulimit(name="core", soft=0, hard=0),
        ],
        log_config=LogConfig(type="none"),
        ipc_mode="private",
        runtime=options.runtime,
    )
    return {
        "image": image,
        "command": INIT_CMD,
        "user": INIT_USER,
        "environment": dict(ENVIRONMENT),
        "working_dir": WORK_DIR,
        "hostname": "sandbox",
        "network_disabled": True,
        "labels": {LABEL: "1", OWNER_LABEL: owner_id(), INSTANCE_LABEL: instance, PIDNS_LABEL: pid_namespace()},
        "host_config": host_config,
    }


def supervisor_command(preload: list[str]) -> list[str]:
    return [*SUPERVISOR_CMD, ",".join(preload)]
