"""The Docker daemon: a docker SDK client for control calls (run in worker threads), and
an async hijacked connection for the attached stream of one exec.

The exec stream is opened by hand (an HTTP upgrade over the daemon's socket) rather
than through the SDK, whose raw socket can lose bytes buffered while it read the
response headers, and which can only be read by blocking a thread.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from urllib.parse import urlparse

import anyio
from anyio.abc import ByteStream

DEFAULT_HOST = "unix:///var/run/docker.sock"
CONTROL_TIMEOUT_S = 30
MAX_HEADER_BYTES = 16384

INSTALL_HINT = "the docker backend needs the docker SDK: pip install 'mcp-codesteer[docker]'"


def docker_host() -> str:
    return os.environ.get("DOCKER_HOST") or DEFAULT_HOST


def make_client():
    """A docker SDK client from the environment (DOCKER_HOST), with room for concurrent calls."""
    try:
        import docker
    except ImportError as exc:
        raise ImportError(f"{INSTALL_HINT} ({exc})") from exc
    return docker.from_env(timeout=CONTROL_TIMEOUT_S, max_pool_size=64)


@dataclass
class ExecStream:
    """The attached stdin/stdout of one exec: bytes already read come first."""

    stream: ByteStream
    pending: bytes = b""

    async def receive(self) -> bytes:
        """Next bytes from the daemon; b'' at end of stream."""
        if self.pending:
            data, self.pending = self.pending, b""
            return data
        try:
            return await self.stream.receive()
        except (anyio.EndOfStream, anyio.BrokenResourceError, anyio.ClosedResourceError):
            return b""

    async def send(self, data: bytes) -> None:
        await self.stream.send(data)

    async def aclose(self) -> None:
        # Closing, never leaving it open unread, is what keeps dockerd from wedging
        # on a container whose output nobody drains.
        await self.stream.aclose()


async def _connect() -> ByteStream:
    url = urlparse(docker_host())
    if url.scheme == "unix":
        return await anyio.connect_unix(url.path)
    if url.scheme in ("tcp", "http") and not os.environ.get("DOCKER_TLS_VERIFY"):
        return await anyio.connect_tcp(url.hostname or "127.0.0.1", url.port or 2375)
    raise RuntimeError(
        f"DOCKER_HOST={docker_host()} is not supported by the docker sandbox: use a unix socket "
        "(unix:///var/run/docker.sock) or plain tcp://host:port"
    )


async def attach_exec(api_version: str, exec_id: str) -> ExecStream:
    """Start exec ``exec_id`` with stdin, stdout and stderr attached, and return its stream."""
    body = json.dumps({"Detach": False, "Tty": False}).encode()
    request = (
        f"POST /v{api_version}/exec/{exec_id}/start HTTP/1.1\r\n"
        "Host: docker\r\nContent-Type: application/json\r\n"
        "Connection: Upgrade\r\nUpgrade: tcp\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    stream = await _connect()
    try:
        await stream.send(request)
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = await stream.receive()
            head += chunk
            if len(head) > MAX_HEADER_BYTES:
                raise RuntimeError("the Docker daemon sent an oversized response to exec start")
        head, _, rest = head.partition(b"\r\n\r\n")
        status_line = head.split(b"\r\n", 1)[0].decode(errors="replace")
        parts = status_line.split(" ", 2)
        if len(parts) < 2 or parts[1] not in ("101", "200"):
            raise RuntimeError(f"the Docker daemon refused to start the exec: {status_line} {rest[:500]!r}")
        return ExecStream(stream, rest)
    except BaseException:
        await stream.aclose()
        raise
