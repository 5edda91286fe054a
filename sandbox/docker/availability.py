"""Can the docker backend be used here, and if not, what fixes it."""

from __future__ import annotations

import anyio

from ..image import default_image_tag, image_recipe_state
from ..types import DockerOptions
from .connection import docker_host, make_client

BUILD_HINT = "mcp-codesteer sandbox build"


def image_of(options: DockerOptions) -> str:
    return options.image or default_image_tag()


def unavailable_reason_sync(options: DockerOptions) -> str | None:
    try:
        client = make_client()
    except ImportError as exc:
        return str(exc)
    except Exception as exc:  # the SDK reports a missing socket in several ways
        return f"no Docker daemon answers at {docker_host()} ({exc}); start dockerd (or run .ci/docker-setup.sh)"
    try:
        try:
            client.ping()
        except Exception as exc:
            return f"no Docker daemon answers at {docker_host()} ({exc}); start dockerd (or run .ci/docker-setup.sh)"
        tag = image_of(options)
        state = image_recipe_state(client, tag)
        if state == "missing":
            command = BUILD_HINT if options.image is None else f"{BUILD_HINT} --tag {tag}"
            return f"the sandbox image {tag} does not exist: build it with `{command}`"
        if state == "stale" and options.image is None:
            return f"the sandbox image {tag} was built from an older recipe: rebuild it with `{BUILD_HINT} --force`"
        if options.runtime:
            runtimes = client.info().get("Runtimes") or {}
            if options.runtime not in runtimes:
                return (
                    f"the container runtime {options.runtime!r} is not registered with the Docker daemon "
                    f"(it has: {', '.join(sorted(runtimes)) or 'none'}); see sandbox/docker/README.md"
                )
        return None
    finally:
        client.close()


async def docker_unavailable_reason(options: DockerOptions) -> str | None:
    """None when a daemon answers and the image exists (built from this recipe when the
    default tag is used); otherwise why not, naming the command that fixes it."""
    return await anyio.to_thread.run_sync(unavailable_reason_sync, options)
