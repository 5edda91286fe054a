"""How the eval client reaches the server's tools: an MCP client over stdio (a
``mcp-codesteer serve`` subprocess) or streamable HTTP (--server-url).

Methods see only the ToolCaller protocol, so they can be tested against any server
(the real one in process, a subprocess, or a URL).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any, Protocol, TextIO, runtime_checkable

from .records import ServerSpec

TOOL_CALL_TIMEOUT_S = 600.0
"""One tool call may take this long before the client gives up on it (the sample then
ends with status 'error'); the server's own sandbox limits are far lower."""


class ToolCallError(RuntimeError):
    """A tool answered with an error, or with no structured result."""


@runtime_checkable
class ToolCaller(Protocol):
    async def call(self, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
        """Call tool ``name``; its structured result. ToolCallError when the tool reports an error."""
        ...


def structured_result(result: Any, name: str) -> dict[str, Any]:
    """The structured content of a CallToolResult, falling back to JSON in its text content."""
    texts = [getattr(block, "text", "") for block in (result.content or []) if getattr(block, "type", "") == "text"]
    if result.is_error:
        raise ToolCallError(f"{name}: {' '.join(texts).strip() or 'the tool reported an error'}")
    content = result.structured_content
    if isinstance(content, dict):
        # tools returning a non-object type are wrapped as {"result": ...} by the SDK
        if set(content) == {"result"} and isinstance(content["result"], dict):
            return content["result"]
        return content
    for text in texts:
        try:
            decoded = json.loads(text)
        except ValueError:
            continue
        if isinstance(decoded, dict):
            return decoded
    raise ToolCallError(f"{name}: the server returned no structured result")


class McpToolCaller:
    """Calls tools through a connected ``mcp.Client``."""

    def __init__(self, client: Any, *, timeout_s: float = TOOL_CALL_TIMEOUT_S) -> None:
        self._client = client
        self._timeout_s = timeout_s

    async def call(self, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
        args = {k: v for k, v in arguments.items() if v is not None}
        result = await self._client.call_tool(name, args, read_timeout_seconds=self._timeout_s)
        return structured_result(result, name)


def server_command(spec: ServerSpec, data_dir: Path) -> list[str]:
    """The stdio server's command line: this interpreter's ``mcp-codesteer serve``."""
    return [
        sys.executable, "-m", "mcp_codesteer.cli", "serve",
        "--transport", "stdio",
        "--guide", spec.guide,
        "--sandbox", spec.sandbox,
        "--max-rounds", str(spec.max_rounds),
        "--data-dir", str(data_dir),
    ]


HTTP_TIMEOUT_S = 30.0
"""Connect, write and pool timeout of the client's requests to a --server-url server."""
HTTP_STREAM_READ_TIMEOUT_S = 300.0
"""How long a response stream from the server may stay silent."""


@asynccontextmanager
async def connect_server(
    spec: ServerSpec,
    *,
    data_dir: Path,
    errlog: TextIO | None = None,
    token: str | None = None,
    timeout_s: float = TOOL_CALL_TIMEOUT_S,
) -> AsyncIterator[McpToolCaller]:
    """Start (stdio) or reach (URL) the server and yield a ToolCaller for it.

    The stdio server's stderr goes to ``errlog`` (the run directory's server.log), so
    its logging does not tear through the progress display. ``token`` is sent as a
    bearer token to an HTTP server.
    """
    from mcp import Client, StdioServerParameters
    from mcp.client.stdio import stdio_client

    async with AsyncExitStack() as stack:
        transport: Any
        if spec.url and token:
            import httpx2  # the SDK's HTTP client; its docs ask for one of these to carry headers
            from mcp.client.streamable_http import streamable_http_client

            http = await stack.enter_async_context(httpx2.AsyncClient(
                headers={"Authorization": f"Bearer {token}"},
                # the SDK's own defaults: a response stream may stay open for minutes
                timeout=httpx2.Timeout(HTTP_TIMEOUT_S, read=HTTP_STREAM_READ_TIMEOUT_S),
            ))
            transport = streamable_http_client(spec.url, http_client=http)
        elif spec.url:
            transport = spec.url
        else:
            command = server_command(spec, data_dir)
            # The SDK passes only a few safe variables on; PYTHONPATH too, so the server runs the client's code.
            extra = {"PYTHONPATH": os.environ["PYTHONPATH"]} if os.environ.get("PYTHONPATH") else None
            transport = stdio_client(
                StdioServerParameters(command=command[0], args=command[1:], env=extra), errlog=errlog or sys.stderr
            )
        client = await stack.enter_async_context(Client(transport, read_timeout_seconds=timeout_s))
        yield McpToolCaller(client, timeout_s=timeout_s)
