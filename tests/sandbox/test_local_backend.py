"""The local backend's own behaviour (the hostile-code suite covers containment for every backend)."""

from __future__ import annotations

import os
import shutil

import pytest

from sandbox import SandboxLimits
from sandbox.local import RUN_AS_UID, LocalSandbox, _interpreter_roots, _work_dir_in_box

pytestmark = pytest.mark.anyio
needs_bwrap = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")


@needs_bwrap
async def test_output_past_the_cap_keeps_its_head_and_tail_and_is_flagged():
    box = LocalSandbox(SandboxLimits(output_bytes=1024))
    result = await box.run("print('head' + 'y' * 5000 + 'tail')")
    assert result.truncated and result.exit_code == 0
    head, marker, tail = result.stdout.partition("\n... [")
    assert head == "head" + "y" * 508 and tail.endswith("y" * 507 + "tail\n")
    assert marker and "bytes cut] ...\n" in tail
    assert any("stdout was cut to its first and last 512 bytes" in n for n in result.notes)


@needs_bwrap
async def test_the_code_runs_as_an_unprivileged_user_in_an_empty_work_directory():
    box = LocalSandbox()
    result = await box.run("import os\nprint(os.getuid(), os.getcwd(), os.listdir('.'), os.environ['HOME'])")
    uid, cwd, entries, home = result.stdout.strip().split(" ", 3)
    # As root the code runs as the dedicated host uid; otherwise as nobody in its own user namespace.
    assert int(uid) == (RUN_AS_UID if os.geteuid() == 0 else 65534)
    # /work, or /sandbox/work where the server's interpreter lives under /work (a checkout there)
    assert cwd == home == _work_dir_in_box(_interpreter_roots()) and entries == "[]"
    assert result.isolated and result.backend == "local"


@needs_bwrap
async def test_runs_do_not_see_each_others_files():
    box = LocalSandbox()
    await box.run("open('left_behind.txt', 'w').write('x')\nopen('/tmp/also.txt', 'w').write('y')")
    result = await box.run("import os\nprint(os.listdir('.'), 'also.txt' in os.listdir('/tmp'))")
    assert result.stdout.strip() == "[] False"


async def test_without_bubblewrap_the_code_still_runs_but_every_result_says_unisolated(monkeypatch):
    monkeypatch.setenv("CODESTEER_SECRET_FOR_TEST", "s3cr3t")
    box = LocalSandbox(use_bwrap=False)
    try:
        await box.start()
    except RuntimeError as exc:
        # As root the code must run as the dedicated uid; where that uid cannot reach the
        # interpreter (under a 0700 /root), the backend refuses instead of running as root.
        assert os.geteuid() == 0 and f"uid {RUN_AS_UID}" in str(exc)
        return
    assert any("UNISOLATED" in w for w in box.warnings)
    result = await box.run("import os\nprint(os.environ.get('CODESTEER_SECRET_FOR_TEST'))")
    assert result.stdout.strip() == "None"  # the environment is scrubbed even so
    assert not result.isolated and any("UNISOLATED" in n for n in result.notes)
    assert box.describe()["isolated"] is False


@needs_bwrap
async def test_the_code_runs_in_the_servers_own_environment_even_from_a_venv():
    import sys

    result = await LocalSandbox().run("import sys\nprint(sys.prefix)")
    assert result.stdout.strip() == sys.prefix  # a venv's site-packages (numpy, sympy) are visible


def test_the_work_directory_moves_aside_when_the_interpreter_lives_under_work():
    assert _work_dir_in_box(["/opt/venv", "/usr/local"]) == "/work"
    assert _work_dir_in_box(["/work/checkout/.venv"]) == "/sandbox/work"
    assert _work_dir_in_box(["/work"]) == "/sandbox/work"
    assert _work_dir_in_box(["/workspace/.venv"]) == "/work"
