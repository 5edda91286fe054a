"""Removing sandbox containers that nobody owns any more (a server that crashed)."""

from __future__ import annotations

import logging
import os
import socket
import time

from .container import remove_container
from .spec import INSTANCE_LABEL, LABEL, OWNER_LABEL, PIDNS_LABEL, owner_id, pid_namespace, process_start_time

log = logging.getLogger(__name__)

# A container of another host is only removed past this age: it may be a live server's.
FOREIGN_GRACE_S = 600.0


def _owner_alive(owner: str, pidns: str) -> bool:
    host, _, rest = owner.partition(":")
    pid, _, started = rest.partition(":")
    ours = pid_namespace()
    if host != socket.gethostname() or pidns != ours or ours == "?" or not pid.isdigit():
        # Another host, or another PID namespace (a server in a container that shares the
        # host name), or an owner that did not say: our /proc says nothing about that
        # pid. The age rule decides.
        return True
    if not os.path.exists(f"/proc/{pid}"):
        return False
    return process_start_time(int(pid)) == started


def remove_orphans(client, max_age_s: float) -> int:
    """Remove labelled containers whose server process is gone (same host and PID
    namespace), or that are older than ``max_age_s`` + FOREIGN_GRACE_S (any other
    owner). Returns how many."""
    removed = 0
    for info in client.api.containers(all=True, filters={"label": LABEL}):
        labels = info.get("Labels") or {}
        owner = labels.get(OWNER_LABEL, "")
        if owner == owner_id():
            continue
        age = time.time() - float(info.get("Created") or 0)
        if not _owner_alive(owner, labels.get(PIDNS_LABEL, "")) or age > max_age_s + FOREIGN_GRACE_S:
            remove_container(client, info["Id"])
            removed += 1
    if removed:
        log.info("removed %d sandbox container(s) left behind by a stopped server", removed)
    return removed


def remove_instance(client, instance: str) -> int:
    """Remove every container of one DockerSandbox instance (its last sweep on close)."""
    found = client.api.containers(all=True, filters={"label": f"{INSTANCE_LABEL}={instance}"})
    for info in found:
        remove_container(client, info["Id"])
    return len(found)
