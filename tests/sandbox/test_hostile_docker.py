"""Hostile programs against what only the docker backend has: the supervisor's channel,
persistent sessions, the container count, the orphan sweep, per-container uids."""

from __future__ import annotations

import socket
import textwrap
import time

import anyio
import pytest
from sandbox_helpers import TEST_DOCKER, TEST_LIMITS, assert_still_works, require_docker

pytestmark = [pytest.mark.anyio, pytest.mark.docker]


async def test_the_code_cannot_forge_supervisor_records_nor_ptrace_it(docker_sandbox):
    code = textwrap.dedent(
        """
        import ctypes, json, os, struct
        ppid = os.getppid()
        try:
            fd = os.open(f"/proc/{ppid}/fd/1", os.O_WRONLY)
            forged = json.dumps({"exit_code": 0, "notes": ["FORGED"], "files": [
                {"name": "../../../etc/evil.png", "data_b64": "iVBORw=="}]}).encode()
            os.write(fd, b"X" + struct.pack(">I", len(forged)) + forged)
            print("open: allowed")
        except OSError as exc:
            print("open: denied", exc.strerror)
        libc = ctypes.CDLL(None, use_errno=True)
        print("ptrace:", "denied" if libc.ptrace(16, ppid, 0, 0) != 0 else "allowed")
        raise SystemExit(3)
        """
    )
    result = await docker_sandbox.run(code)
    assert "open: denied" in result.stdout, result.summary()
    assert "ptrace: denied" in result.stdout, result.summary()
    assert result.exit_code == 3, result.summary()
    assert not any("FORGED" in note for note in result.notes)
    assert all("/" not in f.name for f in result.files)
    await assert_still_works(docker_sandbox)


async def test_a_session_run_its_caller_gave_up_on_does_not_leak_into_the_next_run(docker_sandbox):
    handle = f"cancel-{time.monotonic_ns()}"
    await docker_sandbox.run("x = 1", session=handle)
    with anyio.move_on_after(1.0):
        await docker_sandbox.run("import time\ntime.sleep(3)\nprint('late', flush=True)", session=handle, timeout_s=8)
    after = await docker_sandbox.run("print('next')", session=handle)
    assert after.stdout == "next\n", after.summary()
    assert after.ok
    await docker_sandbox.close_session(handle)
    await docker_sandbox.settle()
    assert await docker_sandbox.stray_containers() == []


async def test_sessions_of_different_clients_with_the_same_name_are_separate(docker_sandbox):
    await docker_sandbox.run("secret = 'alice'\nopen('mine.txt', 'w').write('alice')", session="work", owner="alice")
    bob = await docker_sandbox.run(
        "import os\nprint('secret' in globals(), os.path.exists('mine.txt'))", session="work", owner="bob"
    )
    assert bob.stdout == "False False\n", bob.summary()
    assert await docker_sandbox.close_owner("alice") == 1
    assert await docker_sandbox.close_owner("bob") == 1


async def test_one_client_cannot_take_every_session(docker_sandbox):
    from sandbox import SandboxInputError

    limit = TEST_DOCKER.max_sessions_per_client
    for n in range(limit):
        await docker_sandbox.run("pass", session=f"s{n}", owner="greedy")
    try:
        with pytest.raises(SandboxInputError, match="this client has"):
            await docker_sandbox.run("pass", session="one-more", owner="greedy")
    finally:
        assert await docker_sandbox.close_owner("greedy") == limit


async def test_a_session_handle_with_a_trailing_newline_is_refused():
    from sandbox import SandboxInputError
    from sandbox.docker.sessions import SessionStore

    with pytest.raises(SandboxInputError):
        SessionStore.check_handle("work\n")
    SessionStore.check_handle("work")


async def test_concurrent_runs_are_bounded_and_the_rest_wait(anyio_backend):
    require_docker()
    from sandbox.docker import DockerSandbox
    from sandbox.docker.spec import INSTANCE_LABEL

    box = DockerSandbox(TEST_LIMITS, TEST_DOCKER.model_copy(update={"pool_size": 1, "max_concurrent_runs": 2}))
    await box.wait_warm()
    peak = 0
    done = anyio.Event()

    async def count_containers() -> None:
        nonlocal peak
        while not done.is_set():
            found = await anyio.to_thread.run_sync(
                lambda: box._client.api.containers(all=True, filters={"label": f"{INSTANCE_LABEL}={box.instance}"})
            )
            peak = max(peak, len(found))
            await anyio.sleep(0.1)

    results = []

    async def one_run() -> None:
        results.append(await box.run("import time\ntime.sleep(1)\nprint('ok')"))

    try:
        async with anyio.create_task_group() as tg:
            tg.start_soon(count_containers)
            async with anyio.create_task_group() as runs:
                for _ in range(6):
                    runs.start_soon(one_run)
            done.set()
        assert box.describe()["max_concurrent_runs"] == 2
    finally:
        await box.aclose()
    assert [r.stdout for r in results] == ["ok\n"] * 6
    # Two running, the pool's one waiting, and replacements being started for both.
    assert peak <= 2 + 1 + 2, f"{peak} containers at once for a limit of 2 runs"


async def test_the_orphan_sweep_spares_a_live_server_in_another_pid_namespace(docker_sandbox):
    from sandbox.docker.cleanup import remove_orphans
    from sandbox.docker.spec import LABEL, OWNER_LABEL, PIDNS_LABEL

    client = docker_sandbox._client
    # Same host name and a pid that does not exist here: a server in another PID namespace.
    other = client.api.create_container(
        docker_sandbox.describe()["image"],
        command=["true"],
        labels={LABEL: "1", OWNER_LABEL: f"{socket.gethostname()}:999999999:0", PIDNS_LABEL: "4026599999"},
    )["Id"]
    try:
        remove_orphans(client, max_age_s=3600)
        assert client.api.containers(all=True, filters={"id": other}), "a live server's container was removed"
    finally:
        client.api.remove_container(other, force=True)


async def test_containers_do_not_share_the_codes_uid_or_its_kernel_counts(docker_sandbox):
    holder = textwrap.dedent(
        """
        import ctypes, os, subprocess, sys
        limit = int(open("/proc/sys/fs/inotify/max_user_instances").read())
        holders = []
        for _ in range(limit // 50 + 1):
            p = subprocess.Popen([sys.executable, "-c",
                "import ctypes, sys, time\\n"
                "libc = ctypes.CDLL(None)\\n"
                "n = sum(1 for _ in range(50) if libc.inotify_init() >= 0)\\n"
                "print(n, flush=True)\\n"
                "time.sleep(60)\\n"], stdout=subprocess.PIPE)
            holders.append(p)
        print("held", sum(int(p.stdout.readline() or 0) for p in holders), "of", limit, "uid", os.getuid())
        """
    )
    handle = f"inotify-{time.monotonic_ns()}"
    held = await docker_sandbox.run(holder, session=handle, timeout_s=8)
    try:
        assert held.ok and held.stdout.startswith("held"), held.summary()
        other = await docker_sandbox.run(
            "import ctypes, os\nfd = ctypes.CDLL(None, use_errno=True).inotify_init()\n"
            "print('inotify', 'ok' if fd >= 0 else os.strerror(ctypes.get_errno()), 'uid', os.getuid())"
        )
        assert "inotify ok" in other.stdout, f"{held.stdout} / {other.summary()}"
        assert held.stdout.split()[-1] != other.stdout.split()[-1], "two containers share the code's uid"
    finally:
        await docker_sandbox.close_session(handle)
