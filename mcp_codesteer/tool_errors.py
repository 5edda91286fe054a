"""Arguments of the wrong type or shape, told in words a model can act on.

The SDK reports a failed argument validation with pydantic's own message (the
arguments model's internal name, error codes, a documentation URL). ``CodeSteerServer``
replaces it with one sentence per argument: which one, what it must be, and what came.
"""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError
from pydantic import ValidationError

_EXPECTED = {
    "string": "a string",
    "float": "a number",
    "int": "an integer",
    "bool": "true or false",
    "dict": "an object",
    "list": "a list",
}


def _type_name(value: Any) -> str:
    return {str: "a string", int: "an integer", float: "a number", bool: "a boolean", list: "a list",
            dict: "an object", type(None): "null"}.get(type(value), type(value).__name__)


def _one(error: dict) -> str:
    where = ".".join(str(part) for part in error.get("loc", ())) or "the arguments"
    kind = error.get("type", "")
    if kind == "missing":
        return f"'{where}' is required"
    if kind == "extra_forbidden":
        return f"'{where}' is not an argument of this tool"
    for prefix, expected in _EXPECTED.items():
        if kind.startswith(prefix):
            return f"'{where}' must be {expected}, not {_type_name(error.get('input'))}"
    return f"'{where}': {error.get('msg', 'invalid value').rstrip('.')}"


def explain_validation_error(tool: str, exc: ValidationError) -> str:
    """One line: what was wrong with each argument, and what to send instead."""
    problems = "; ".join(_one(e) for e in exc.errors(include_url=False))
    return f"{tool}: {problems}. Send the arguments with the types of the tool's input schema."


class CodeSteerServer(MCPServer):
    """MCPServer whose argument errors read as sentences (see the module docstring)."""

    async def call_tool(self, name: str, arguments: dict[str, Any], context=None):
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            if isinstance(exc, UnexpectedToolError) or not isinstance(exc.__cause__, ValidationError):
                raise
            raise ToolError(explain_validation_error(name, exc.__cause__)) from exc.__cause__
