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
        handle = first.structured_content["session"]
        second = await client.call_tool(
            "run_code", {"code": "print(x + 1, open('note.txt').read())", "session": handle}
        )
        same_name = await client.call_tool("run_code", {"code": "print('x' in globals())", "session": "nb-1"})
        fresh = await client.call_tool("run_code", {"code": "print('x' in globals())"})
    assert not first.is_error, first.content
    assert handle.startswith("nb-1.") and len(handle) > len("nb-1.") + 20
    assert any(handle in note for note in first.structured_content["notes"])
    assert second.structured_content["session"] == handle
    assert same_name.structured_content["stdout"] == "False\n", "a plain name reached an existing session"
    assert same_name.structured_content["session"] != handle
    assert second.structured_content["stdout"] == "42 kept\n"
    assert second.structured_content["backend"] == "docker"
    assert fresh.structured_content["stdout"] == "False\n"


async def test_closing_a_session_on_the_local_sandbox_says_there_are_none(tmp_path):
    async with Client(build_server(Settings(data_dir=tmp_path, sandbox="local"))) as client:
        listed = await client.read_resource("codesteer://run_code/sessions")
        result = await client.call_tool("close_session", {"session": "notebook"})
    import json

    assert json.loads(listed.contents[0].text)["supported"] is False
    assert result.is_error and "need the docker sandbox" in result.content[0].text


@pytest.mark.docker
async def test_a_docker_session_is_listed_and_closed_through_the_server(tmp_path):
    import json

    require_docker()
    settings = Settings(data_dir=tmp_path, sandbox="docker", limits=TEST_LIMITS, docker=TEST_DOCKER)
    async with Client(build_server(settings)) as client:
        opened = await client.call_tool("run_code", {"code": "x = 1", "session": "nb-list"})
        handle = opened.structured_content["session"]
        listed = json.loads((await client.read_resource("codesteer://run_code/sessions")).contents[0].text)
        by_name = (await client.call_tool("close_session", {"session": "nb-list"})).structured_content
        closed = (await client.call_tool("close_session", {"session": handle})).structured_content
        again = (await client.call_tool("close_session", {"session": handle})).structured_content
        after = json.loads((await client.read_resource("codesteer://run_code/sessions")).contents[0].text)
        fresh = await client.call_tool("run_code", {"code": "print('x' in globals())", "session": handle})
        await client.call_tool("close_session", {"session": handle})
    # Counted, never listed by handle: a handle is what lets a client reach its session.
    assert listed["supported"] and listed["sessions"]["open"] == 1 and handle not in json.dumps(listed)
    assert by_name["closed"] is False, "the plain name must not reach the session"
    assert closed == {"session": handle, "closed": True} and again["closed"] is False
    assert after["sessions"]["open"] == 0
    assert fresh.structured_content["stdout"] == "False\n"  # a new session under the old handle starts empty
