"""The docker backend end to end: stdin, figures, isolation between runs, sessions,
orphan cleanup, and the messages that say how to fix a missing piece."""

import base64
import time

import pytest

from sandbox_helpers import TEST_DOCKER, TEST_LIMITS

from sandbox.types import DockerOptions

pytestmark = [pytest.mark.anyio, pytest.mark.docker]

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


async def test_stdin_reaches_the_program(docker_sandbox):
    result = await docker_sandbox.run("import sys\nprint(sys.stdin.read()[::-1])", stdin="abc")
    assert result.ok and result.stdout.strip() == "cba"


async def test_a_shown_figure_and_a_saved_figure_come_back_as_png(docker_sandbox):
    code = (
        "import matplotlib.pyplot as plt\n"
        "plt.plot([1, 2, 3])\nplt.show()\n"
        "plt.figure()\nplt.bar([1, 2], [3, 4])\nplt.savefig('bars.png')\n"
    )
    result = await docker_sandbox.run(code, timeout_s=10)
    assert result.ok, result.summary()
    names = sorted(f.name for f in result.files)
    assert names == ["bars.png", "figure-1.png"]
    for f in result.files:
        assert f.mime_type == "image/png"
        assert base64.b64decode(f.data_b64).startswith(PNG_MAGIC)


async def test_a_figure_left_open_comes_back_named_as_on_the_local_backend(docker_sandbox):
    code = "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.figure()\nplt.plot([3, 2])\nplt.savefig('mine.png')\n"
    result = await docker_sandbox.run(code, timeout_s=10)
    assert result.ok, result.summary()
    assert sorted(f.name for f in result.files) == ["figure-1.png", "mine.png"]


async def test_the_image_holds_every_promised_solver_package(docker_sandbox):
    from sandbox.packages import SOLVER_PACKAGES

    code = f"import importlib\nfor m in {sorted(SOLVER_PACKAGES)!r}:\n    importlib.import_module(m)\nprint('ok')\n"
    result = await docker_sandbox.run(code, timeout_s=TEST_LIMITS.max_timeout_s)
    assert result.ok and result.stdout.strip() == "ok", result.summary()


async def test_a_run_sees_no_file_of_an_earlier_run(docker_sandbox):
    marker = f"left-{time.monotonic_ns()}.txt"
    first = await docker_sandbox.run(f"open('{marker}', 'w').write('x')\nimport os\nprint(os.listdir('.'))")
    assert marker in first.stdout
    second = await docker_sandbox.run("import os\nprint(os.listdir('.'))")
    assert second.ok and marker not in second.stdout


async def test_a_session_keeps_variables_and_files_until_closed(docker_sandbox):
    handle = f"s{time.monotonic_ns()}"
    first = await docker_sandbox.run("x = 41\nopen('state.txt', 'w').write('kept')", session=handle)
    assert first.ok, first.summary()
    assert any("persist" in n for n in first.notes)
    second = await docker_sandbox.run("print(x + 1, open('state.txt').read())", session=handle)
    assert second.stdout.strip() == "42 kept", second.summary()
    assert await docker_sandbox.close_session(handle)
    assert not await docker_sandbox.close_session(handle)
    again = await docker_sandbox.run("print('x' in dir())", session=handle)
    assert again.stdout.strip() == "False"
    await docker_sandbox.close_session(handle)
    await docker_sandbox.settle()
    assert await docker_sandbox.stray_containers() == []


async def test_a_session_run_killed_at_the_time_limit_ends_the_session(docker_sandbox):
    handle = f"t{time.monotonic_ns()}"
    await docker_sandbox.run("y = 1", session=handle)
    result = await docker_sandbox.run("while True: pass", session=handle, timeout_s=1)
    assert result.timed_out
    assert any("ended" in n for n in result.notes), result.notes
    after = await docker_sandbox.run("print('y' in dir())", session=handle)
    assert after.stdout.strip() == "False"
    await docker_sandbox.close_session(handle)


async def test_an_invalid_session_handle_is_refused_with_what_to_send():
    from sandbox.docker.sessions import SessionStore

    with pytest.raises(ValueError, match="letters, digits"):
        SessionStore.check_handle("../../etc")


async def test_a_container_left_by_a_dead_server_is_removed_at_start(docker_sandbox):
    from sandbox.docker.cleanup import remove_orphans
    from sandbox.docker.spec import LABEL, OWNER_LABEL, PIDNS_LABEL, pid_namespace

    client = docker_sandbox._client
    import socket

    dead_owner = f"{socket.gethostname()}:999999999:0"
    orphan = client.api.create_container(
        "mcp-codesteer-sandbox:" + docker_sandbox.describe()["image"].split(":", 1)[1],
        command=["true"],
        labels={LABEL: "1", OWNER_LABEL: dead_owner, PIDNS_LABEL: pid_namespace()},
    )["Id"]
    assert remove_orphans(client, max_age_s=3600) >= 1
    assert not client.api.containers(all=True, filters={"id": orphan})


def test_a_missing_image_is_reported_with_the_command_that_builds_it():
    pytest.importorskip("docker")
    from sandbox_helpers import docker_missing_reason

    from sandbox.docker.availability import unavailable_reason_sync

    if docker_missing_reason() is not None:
        pytest.skip(f"needs a daemon: {docker_missing_reason()}")
    reason = unavailable_reason_sync(DockerOptions(image="mcp-codesteer-sandbox:no-such-tag"))
    assert reason is not None and "mcp-codesteer sandbox build" in reason


def test_a_runtime_the_daemon_lacks_is_reported_with_where_to_read_more():
    pytest.importorskip("docker")
    from sandbox_helpers import TEST_DOCKER, docker_missing_reason

    from sandbox.docker.availability import unavailable_reason_sync

    if docker_missing_reason() is not None:
        pytest.skip(f"needs a daemon: {docker_missing_reason()}")
    reason = unavailable_reason_sync(DockerOptions(image=TEST_DOCKER.image, runtime="no-such-runtime"))
    assert reason is not None and "README" in reason and "no-such-runtime" in reason
