"""A real `mcp-codesteer serve --transport http` in a subprocess, for the tests that need one."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_http_server(env: dict[str, str], *, timeout_s: float = 60, stdout=subprocess.DEVNULL) -> tuple[subprocess.Popen, str]:
    """Start the server on a free loopback port and wait until it accepts connections; the
    process and its MCP URL. Fails the test with the server's stderr if it exits first."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mcp_codesteer.cli", "serve", "--transport", "http", "--port", str(port)],
        env=env,
        stdout=stdout,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, f"http://127.0.0.1:{port}/mcp"
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"server exited: {proc.stderr.read().decode()}")
            time.sleep(0.1)
    proc.kill()
    pytest.fail(f"the HTTP server did not start within {timeout_s:g} s")
