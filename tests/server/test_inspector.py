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


def test_the_inspector_drives_an_emulated_run_by_supplying_the_values_itself(tmp_path):
    """Path (c) as a host without sampling does it: run, read the pending calls, call again with values."""
    code = "items = ['apple', 'kale', 'plum']\nprint(sum(1 for x in items if is_fruit(x)))"
    common = ["--method", "tools/call", "--tool-name", "run_code", "--tool-arg", f"code={code}", "--tool-arg", "lmulate=true"]
    first = _inspect(tmp_path, *common)["structuredContent"]["lmulate"]
    assert first["status"] == "needs_values"
    assert sorted(first["next_emulated"]) == ["is_fruit('apple')", "is_fruit('kale')", "is_fruit('plum')"]
    values = {key: "kale" not in key for key in first["next_emulated"]}
    second = _inspect(tmp_path, *common, "--tool-arg", f"emulated={json.dumps(values)}")["structuredContent"]
    assert second["stdout"] == "2\n"
    assert second["lmulate"]["status"] == "finished"
    assert [c["source"] for c in second["lmulate"]["emulated"]] == ["host"] * 3
