"""An independent client: the MCP Inspector's CLI lists and calls the tools of `mcp-codesteer serve`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

INSPECTOR = os.environ.get("MCP_INSPECTOR") or shutil.which("mcp-inspector")

pytestmark = pytest.mark.skipif(
    not INSPECTOR or not os.path.exists(INSPECTOR),
    reason="the MCP Inspector CLI is not installed (scripts/test.sh installs it with npm)",
)


def _inspect(tmp_path, *args: str) -> dict:
    env = {**os.environ, "CODESTEER_DATA_DIR": str(tmp_path), "CODESTEER_SANDBOX": "local"}
    out = subprocess.run(
        [INSPECTOR, "--cli", sys.executable, "-m", "mcp_codesteer.cli", "serve", *args],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_the_inspector_lists_the_tools_and_the_prompt(tmp_path):
    tools = {t["name"] for t in _inspect(tmp_path, "--method", "tools/list")["tools"]}
    prompts = {p["name"] for p in _inspect(tmp_path, "--method", "prompts/list")["prompts"]}
    assert tools == {"steer_next", "run_code", "check_symbolic", "check_answer", "close_session"}
    assert prompts == {"solve_with_codesteer"}


@pytest.mark.parametrize(
    ("tool", "args", "field", "expected"),
    [
        ("steer_next", ["question=Compute 2**10"], "action", "code"),
        ("run_code", ["code=print(6*7)"], "stdout", "42\n"),
        ("check_symbolic", ["code=print(42)"], "verdict", "hard_coded"),
        ("check_answer", ["question=What is 2+2?", "answer=4"], "verdict", "unverified"),
    ],
)
def test_the_inspector_calls_each_tool_successfully(tmp_path, tool, args, field, expected):
    flags = [a for arg in args for a in ("--tool-arg", arg)]
    result = _inspect(tmp_path, "--method", "tools/call", "--tool-name", tool, *flags)
    assert not result.get("isError")
    assert result["structuredContent"][field] == expected
