"""Backends chosen by a short name: ``local``, ``docker``, or ``auto``.

Each backend's module is imported only when chosen, so the docker SDK is never loaded
for a server that runs the local backend.
"""

from __future__ import annotations

import logging

from .types import DockerOptions, Sandbox, SandboxLimits

log = logging.getLogger(__name__)

SANDBOX_NAMES = ("auto", "docker", "local")


def sandbox_names() -> tuple[str, ...]:
    return SANDBOX_NAMES


async def create_sandbox(
    name: str,
    limits: SandboxLimits | None = None,
    docker: DockerOptions | None = None,
) -> tuple[Sandbox, list[str]]:
    """The sandbox called ``name``, started, with the warnings a user should see.

    ``auto`` takes docker when a daemon answers and the image exists, and falls back to
    local otherwise (the reason is among the warnings). ``docker`` fails with a message
    naming the missing piece and the command that supplies it.
    """
    limits = limits or SandboxLimits()
    docker = docker or DockerOptions()
    warnings: list[str] = []
    if name not in SANDBOX_NAMES:
        raise ValueError(f"unknown sandbox {name!r}: choose one of {', '.join(SANDBOX_NAMES)}")
    if name in ("docker", "auto"):
        try:
            from .docker import DockerSandbox, docker_unavailable_reason
        except ImportError as exc:
            reason = f"the docker backend is not installed ({exc}); pip install 'mcp-codesteer[docker]'"
        else:
            reason = await docker_unavailable_reason(docker)
            if reason is None:
                box = DockerSandbox(limits, docker)
                await box.start()
                return box, warnings
        if name == "docker":
            raise RuntimeError(f"the docker sandbox cannot be used: {reason}")
        warnings.append(f"sandbox auto: docker unavailable ({reason}); using the local backend")
    from .local import LocalSandbox

    box = LocalSandbox(limits)
    await box.start()
    warnings.extend(box.warnings)
    for w in warnings:
        log.warning(w)
    return box, warnings
