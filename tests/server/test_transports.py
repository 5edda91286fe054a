"""The real command: `mcp-codesteer serve` over stdio, and over streamable HTTP with its guards."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pytest
from http_serve import start_http_server
from mcp import Client, StdioServerParameters

pytestmark = pytest.mark.anyio


def _server_env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CODESTEER_")}
    env["CODESTEER_DATA_DIR"] = str(tmp_path / "data")
    env["CODESTEER_SANDBOX"] = "local"
    return env


async def test_serve_over_stdio_lists_and_calls_the_tools(tmp_path):
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "mcp_codesteer.cli", "serve"], env=_server_env(tmp_path)
    )
    async with Client(params) as client:
        names = {t.name for t in (await client.list_tools()).tools}
        assert names == {"steer_next", "run_code", "check_symbolic", "check_answer", "close_session"}
        opened = (await client.call_tool("steer_next", {"question": "Compute 2**20."})).structured_content
        step = (
            await client.call_tool(
                "steer_next", {"session_id": opened["session_id"], "response": "```python\nprint(2**20)\n```"}
            )
        ).structured_content
        assert step["execution"].startswith("stdout:\n1048576")
        ran = (await client.call_tool("run_code", {"code": "print('over stdio')"})).structured_content
        assert ran["stdout"] == "over stdio\n"


@pytest.fixture
def http_server(tmp_path):
    env = _server_env(tmp_path)
    env["CODESTEER_AUTH_TOKEN"] = "test-token-123"
    proc, url = start_http_server(env, timeout_s=30, stdout=subprocess.PIPE)
    yield url
    proc.terminate()
    try:
        _, stderr = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, stderr = proc.communicate()
    # stdout stays clean: logs (uvicorn's included) go to stderr.
    assert proc.stdout is not None


INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
}
HEADERS = {"content-type": "application/json", "accept": "application/json, text/event-stream"}


async def test_http_refuses_a_request_without_the_bearer_token(http_server):
    async with httpx.AsyncClient() as http:
        missing = await http.post(http_server, json=INIT, headers=HEADERS)
        wrong = await http.post(http_server, json=INIT, headers={**HEADERS, "authorization": "Bearer nope"})
    assert missing.status_code == 401 and wrong.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer")


async def test_http_refuses_a_foreign_origin_even_with_the_token(http_server):
    headers = {**HEADERS, "authorization": "Bearer test-token-123", "origin": "http://evil.example"}
    async with httpx.AsyncClient() as http:
        response = await http.post(http_server, json=INIT, headers=headers)
    assert response.status_code == 403


async def test_http_serves_the_tools_to_a_client_with_the_token(http_server):
    import httpx2

    async with httpx2.AsyncClient(headers={"authorization": "Bearer test-token-123"}, timeout=30) as http:
        from mcp.client.streamable_http import streamable_http_client

        async with Client(streamable_http_client(http_server, http_client=http)) as client:
            result = await client.call_tool("check_symbolic", {"code": "import sympy\nprint(sympy.solve('x-1'))"})
    assert result.structured_content["verdict"] == "symbolic"


def test_serve_with_a_backend_that_cannot_start_says_why_and_exits_2(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "mcp_codesteer.cli", "serve", "--guide", "no-such-guide"],
        env=_server_env(tmp_path), stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert out.returncode == 2
    assert "cannot start: unknown guide 'no-such-guide'" in out.stderr
    assert "Traceback" not in out.stderr and out.stdout == ""


async def test_the_eval_client_reaches_a_token_guarded_http_server_with_its_token(http_server, tmp_path):
    from mcp_codesteer.eval.records import ServerSpec
    from mcp_codesteer.eval.tools import connect_server

    async with connect_server(ServerSpec(url=http_server), data_dir=tmp_path, token="test-token-123") as tools:
        result = await tools.call("check_symbolic", {"code": "print(max(range(10)))"})
    assert result["verdict"]
