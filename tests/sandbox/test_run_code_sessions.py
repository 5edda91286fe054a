"""run_code through the MCP server: persistent sessions on docker, a clear refusal on local."""

from __future__ import annotations

import pytest
from mcp import Client
from sandbox_helpers import TEST_DOCKER, TEST_LIMITS, require_docker

from mcp_codesteer.server import build_server
from mcp_codesteer.settings import Settings

pytestmark = pytest.mark.anyio


async def test_a_session_on_the_local_sandbox_is_refused_with_what_to_do(tmp_path):
    async with Client(build_server(Settings(data_dir=tmp_path, sandbox="local"))) as client:
        result = await client.call_tool("run_code", {"code": "x = 1", "session": "notebook"})
    assert result.is_error and "need the docker sandbox" in result.content[0].text


@pytest.mark.docker
async def test_a_docker_session_keeps_variables_and_files_across_run_code_calls(tmp_path):
    require_docker()
    settings = Settings(data_dir=tmp_path, sandbox="docker", limits=TEST_LIMITS, docker=TEST_DOCKER)
    async with Client(build_server(settings)) as client:
        first = await client.call_tool(
            "run_code", {"code": "x = 41\nopen('note.txt', 'w').write('kept')", "session": "nb-1"}
        )
        second = await client.call_tool(
            "run_code", {"code": "print(x + 1, open('note.txt').read())", "session": "nb-1"}
        )
        fresh = await client.call_tool("run_code", {"code": "print('x' in globals())"})
    assert not first.is_error, first.content
    assert second.structured_content["stdout"] == "42 kept\n"
    assert second.structured_content["backend"] == "docker"
    assert fresh.structured_content["stdout"] == "False\n"
