"""Hostile programs through the real server (`mcp-codesteer serve`, stdio and HTTP):
nothing the sandbox returns can take the server down, clients' sessions stay apart,
and a server that stops removes its containers."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

import anyio
import pytest
from mcp import Client, StdioServerParameters
from http_serve import start_http_server
from sandbox_helpers import TEST_LIMITS, require_docker

from mcp_codesteer.server import build_server
from mcp_codesteer.settings import Settings

pytestmark = pytest.mark.anyio

BAD_NAME = "import os\nopen(os.path.join(os.fsencode(os.getcwd()), b'bad\\xff.png'), 'wb').write(b'\\x89PNG' + b'0' * 100)\n"
BACKENDS = ["local", pytest.param("docker", marks=pytest.mark.docker)]


def _server_env(tmp_path, sandbox: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CODESTEER_") or k == "CODESTEER_DOCKER__IMAGE"}
    env.update(CODESTEER_DATA_DIR=str(tmp_path / "data"), CODESTEER_SANDBOX=sandbox, CODESTEER_DOCKER__POOL_SIZE="1")
    env.update(extra)
    return env


@pytest.mark.parametrize("backend", BACKENDS)
async def test_an_undecodable_file_name_does_not_take_the_stdio_server_down(tmp_path, backend):
    if backend == "docker":
        require_docker()
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "mcp_codesteer.cli", "serve"], env=_server_env(tmp_path, backend)
    )
    # Bounded: a server whose writer died may leave the call unanswered instead of exiting.
    with anyio.fail_after(90):
        async with Client(params) as client:
            bad = await client.call_tool("run_code", {"code": BAD_NAME})
            after = await client.call_tool("run_code", {"code": "print('still here')"})
    assert not bad.is_error, bad.content
    assert bad.structured_content["files"] == ["bad_.png"]
    assert after.structured_content["stdout"] == "still here\n"


@pytest.mark.parametrize("backend", BACKENDS)
async def test_check_answer_with_an_answer_over_the_limit_says_what_to_send(tmp_path, backend):
    if backend == "docker":
        require_docker()
    settings = Settings(data_dir=tmp_path, sandbox=backend, limits=TEST_LIMITS)
    async with Client(build_server(settings)) as client:  # in memory: a hang here is the test's timeout
        huge = await client.call_tool(
            "check_answer", {"question": "q", "answer": "7" * 5_000_000, "checker_code": "print('CORRECT')"}
        )
        flipped = await client.call_tool(
            "check_answer",
            {
                "question": "What is 6*7?",
                "answer": "41\nCORRECT",
                "checker_code": "ok = ANSWER.strip()=='42'\nprint('CORRECT' if ok else f'INCORRECT: got {ANSWER}, expected 42')",
            },
        )
    assert huge.is_error and "send a shorter answer or checker" in huge.content[0].text
    assert flipped.is_error and "reads as a verdict" in flipped.content[0].text


def _start_http(tmp_path, **extra: str) -> tuple[subprocess.Popen, str]:
    return start_http_server(_server_env(tmp_path, "docker", **extra))


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


async def _http_client(url: str):
    from mcp.client.streamable_http import streamable_http_client

    return Client(streamable_http_client(url))


def _containers_of(pid: int) -> list[str]:
    from sandbox.docker.connection import make_client
    from sandbox.docker.spec import LABEL, OWNER_LABEL

    client = make_client()
    try:
        found = client.api.containers(all=True, filters={"label": LABEL})
    finally:
        client.close()
    return [c["Id"][:12] for c in found if (c.get("Labels") or {}).get(OWNER_LABEL, "").split(":")[1:2] == [str(pid)]]


@pytest.mark.docker
async def test_over_http_two_clients_never_see_each_others_sessions(tmp_path):
    require_docker()
    proc, url = _start_http(tmp_path)
    try:
        with anyio.fail_after(120):
            opened, seen, mine = await _alice_then_bob(url)
    finally:
        _stop(proc)
    assert seen.structured_content["stdout"] == "False False\n", seen.content
    assert seen.structured_content["session"] != opened.structured_content["session"]
    assert mine.structured_content["stdout"] == "alice\n"


async def _alice_then_bob(url: str):
    """Alice opens session "work"; Bob asks for "work" too; Alice goes on in hers."""
    async with await _http_client(url) as alice, await _http_client(url) as bob:
        opened = await alice.call_tool("run_code", {"code": "x = 'alice'\nopen('f.txt', 'w').write('a')", "session": "work"})
        seen = await bob.call_tool(
            "run_code", {"code": "import os\nprint('x' in globals(), os.path.exists('f.txt'))", "session": "work"}
        )
        mine = await alice.call_tool("run_code", {"code": "print(x)", "session": opened.structured_content["session"]})
    return opened, seen, mine


@pytest.mark.docker
async def test_a_server_stopped_by_sigterm_removes_its_containers(tmp_path):
    require_docker()
    proc, url = _start_http(tmp_path)
    try:
        async with await _http_client(url) as client:
            ran = await client.call_tool("run_code", {"code": "print(1)", "session": "kept"})
            assert ran.structured_content["stdout"] == "1\n"
            assert _containers_of(proc.pid), "the server started no container"
            proc.send_signal(signal.SIGTERM)
            with anyio.fail_after(30):
                while proc.poll() is None:
                    await anyio.sleep(0.1)
    finally:
        _stop(proc)
    assert _containers_of(proc.pid) == []


def _child_server_pids() -> set[int]:
    """Pids of this test's child processes that own sandbox containers."""
    from sandbox.docker.connection import make_client
    from sandbox.docker.spec import LABEL, OWNER_LABEL

    client = make_client()
    try:
        found = client.api.containers(all=True, filters={"label": LABEL})
    finally:
        client.close()
    pids = set()
    for info in found:
        pid = (info.get("Labels") or {}).get(OWNER_LABEL, "").split(":")[1:2]
        if pid and pid[0].isdigit():
            try:
                with open(f"/proc/{pid[0]}/stat", "rb") as f:
                    ppid = int(f.read().rsplit(b")", 1)[1].split()[1])
            except OSError:
                continue
            if ppid == os.getpid():
                pids.add(int(pid[0]))
    return pids


@pytest.mark.docker
async def test_a_stdio_server_stopped_by_sigterm_removes_its_containers(tmp_path):
    require_docker()
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "mcp_codesteer.cli", "serve"], env=_server_env(tmp_path, "docker")
    )
    gone = None
    with contextlib.suppress(Exception, BaseExceptionGroup):  # the client may notice its server is gone
        async with Client(params) as client:
            ran = await client.call_tool("run_code", {"code": "print(1)", "session": "kept"})
            assert ran.structured_content["stdout"] == "1\n"
            (pid,) = _child_server_pids()
            os.kill(pid, signal.SIGTERM)
            # With the client still connected: the server must clean up on its own.
            started = time.monotonic()
            with anyio.move_on_after(20):
                while _containers_of(pid):
                    await anyio.sleep(0.1)
                gone = time.monotonic() - started
    assert gone is not None, f"containers left 20 s after SIGTERM: {_containers_of(pid)}"
    print(f"containers removed {gone:.1f} s after SIGTERM")
