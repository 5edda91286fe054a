"""Sandboxes for the tests: ``sandbox`` runs a test against each backend.

The docker backend is skipped, with the reason, where no daemon answers or the image
is missing; under CI=true it must be there, so its absence fails instead.
"""

from __future__ import annotations

import pytest
from sandbox_helpers import TEST_DOCKER, TEST_LIMITS, LmulatingSandbox, require_docker


@pytest.fixture(scope="session")
def anyio_backend():
    # Session scope lets the sandboxes (and their warm pools) live across tests.
    return "asyncio"


@pytest.fixture(scope="session")
async def docker_sandbox(anyio_backend):
    require_docker()
    from sandbox.docker import DockerSandbox

    box = DockerSandbox(TEST_LIMITS, TEST_DOCKER)
    await box.wait_warm()
    yield box
    await box.aclose()


@pytest.fixture(scope="session")
async def local_sandbox(anyio_backend):
    try:
        from sandbox.local import LocalSandbox
    except ImportError as exc:
        pytest.skip(f"the local backend (sandbox/local.py) is not available: {exc}")
    box = LocalSandbox(TEST_LIMITS)
    try:
        await box.start()
    except RuntimeError as exc:
        pytest.skip(f"the local backend cannot start here: {exc}")
    yield box
    await box.aclose()


@pytest.fixture(
    params=[
        "local",
        pytest.param("docker", marks=pytest.mark.docker),
        "local+lmulate",
        pytest.param("docker+lmulate", marks=pytest.mark.docker),
    ]
)
def sandbox(request):
    """Each backend in turn, plain and with every run replayed by the LMulator."""
    backend, _, lmulate = request.param.partition("+")
    box = request.getfixturevalue(f"{backend}_sandbox")
    return LmulatingSandbox(box) if lmulate else box
