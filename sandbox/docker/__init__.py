"""The docker sandbox backend: hardened single-use containers from a warm pool.

Importing this package does not import the docker SDK; creating a client does.
"""

from .availability import docker_unavailable_reason
from .sandbox import DockerSandbox

__all__ = ["DockerSandbox", "docker_unavailable_reason"]
