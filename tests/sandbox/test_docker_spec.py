"""The container spec: every hardening item of the issue is asked of the daemon."""

import pytest

from sandbox.types import DockerOptions, SandboxLimits

docker = pytest.importorskip("docker", reason="the docker SDK is not installed (pip install 'mcp-codesteer[docker]')")

from sandbox.docker.spec import CODE_UID_BASE, ENVIRONMENT, INIT_USER, LABEL, code_user, create_kwargs


@pytest.fixture
def kwargs():
    api = docker.APIClient(base_url="unix:///nonexistent.sock", version="1.41")
    limits = SandboxLimits(memory_mb=300, pids=40, cpus=0.5, open_files=100, file_size_mb=3, tmpfs_mb=20)
    return create_kwargs(api, "img:tag", limits, DockerOptions(runtime="runsc"), "inst")


def test_the_container_has_no_network_no_writable_root_and_no_capabilities(kwargs):
    host = kwargs["host_config"]
    assert host["NetworkMode"] == "none" and kwargs["network_disabled"]
    assert host["ReadonlyRootfs"] is True
    assert host["CapDrop"] == ["ALL"] and not host.get("CapAdd")
    assert host["SecurityOpt"] == ["no-new-privileges"]
    assert not host.get("Binds") and not host.get("Mounts") and not host.get("Privileged")


def test_the_limits_of_the_settings_become_the_containers_limits(kwargs):
    host = kwargs["host_config"]
    assert host["Memory"] == 300 * 1024 * 1024 and host["MemorySwap"] == 300 * 1024 * 1024
    assert host["PidsLimit"] == 40
    assert host["NanoCpus"] == 500_000_000
    assert "size=20m" in host["Tmpfs"]["/tmp"] and "noexec" in host["Tmpfs"]["/tmp"]
    assert host["ShmSize"] == 20 * 1024 * 1024
    ulimits = {u["Name"]: u["Hard"] for u in host["Ulimits"]}
    assert ulimits["nofile"] == 100 and ulimits["fsize"] == 3 * 1024 * 1024
    assert host["Runtime"] == "runsc"


def test_pid_one_and_the_code_run_as_different_unprivileged_users(kwargs):
    users = {code_user() for _ in range(20)}
    assert kwargs["user"] == INIT_USER and INIT_USER not in users
    assert not INIT_USER.startswith("0") and all(int(u.split(":")[0]) >= CODE_UID_BASE for u in users)
    assert len(users) > 1, "containers share the code's uid"


def test_no_host_environment_variable_reaches_the_container(kwargs, monkeypatch):
    monkeypatch.setenv("CODESTEER_SECRET_FOR_SPEC", "s3cret")
    env = kwargs["environment"]
    assert "CODESTEER_SECRET_FOR_SPEC" not in env
    assert env == ENVIRONMENT, "the environment is the fixed one of spec.py, nothing added"
    assert kwargs["labels"][LABEL] == "1"
