"""Server-side overhead of steer_next (rules guide, code execution excluded) and of check_symbolic.

    python benchmarks/server_overhead.py [--rounds 200]

Code execution is excluded by a sandbox that answers at once with a fixed result, so
what is measured is the server's own work: parsing, both checkers, the guide, the
SQLite session store. The baseline, measured in the same run, is an MCP tool that
echoes its argument, called through the same in-memory client: the figures beyond it
are what CodeSteer adds. Medians and p95 over many calls; goal: under 5 ms each.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import anyio
from mcp import Client
from mcp.server.mcpserver import MCPServer

from checkers import analyze_code
from mcp_codesteer.server import build_server
from mcp_codesteer.settings import Settings
from mcp_codesteer.steering import CodeSteer
from sandbox import ExecResult, SandboxLimits

PROGRAM = '''```python
from itertools import permutations
best = None
for order in permutations(range(6)):
    cost = sum(abs(a - b) * (i + 1) for i, (a, b) in enumerate(zip(order, order[1:])))
    if best is None or cost < best[0]:
        best = (cost, order)
print(f"<<<{best[1]}>>>")
```'''
ROUNDS_PER_SESSION = 5  # the sixth would terminate the session
QUESTION = "Order the six stations 0..5 to minimise the weighted travel cost described below. " * 4


class InstantSandbox:
    """Answers every run at once: the benchmark measures the server, not the code."""

    name = "instant"
    limits = SandboxLimits()

    async def start(self) -> None: ...

    async def aclose(self) -> None: ...

    def describe(self) -> dict:
        return {"backend": self.name}

    def __init__(self) -> None:
        self.calls = 0

    async def run(self, code: str, *, timeout_s: float | None = None, stdin: str | None = None) -> ExecResult:
        # A new answer each run, so no two rounds agree and every session runs its full length.
        self.calls += 1
        return ExecResult(stdout=f"<<<{self.calls}>>>\n", exit_code=0, duration_s=0.0, backend=self.name)


def _stats(samples: list[float]) -> tuple[float, float]:
    ms = sorted(s * 1000 for s in samples)
    return statistics.median(ms), ms[int(0.95 * (len(ms) - 1))]


async def _time(n: int, call) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        await call()
        out.append(time.perf_counter() - start)
    return out


async def _time_sessions(n: int, open_session, step) -> list[float]:
    """Time ``n`` steps in sessions of ROUNDS_PER_SESSION rounds (the trajectory grows as in real use)."""
    out: list[float] = []
    sid = None
    for i in range(n):
        if i % ROUNDS_PER_SESSION == 0:
            opened = await open_session()
            sid = opened["session_id"] if isinstance(opened, dict) else opened.session_id
        start = time.perf_counter()
        await step(sid)
        out.append(time.perf_counter() - start)
    return out


async def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp))
        app = CodeSteer(settings, sandbox=InstantSandbox())
        await app.start()
        step_direct = await _time_sessions(rounds, lambda: app.open(QUESTION), lambda sid: app.step(sid, PROGRAM))
        code = PROGRAM.split("```python\n")[1].split("```")[0]
        symbolic_direct = await _time(rounds, lambda: anyio.to_thread.run_sync(analyze_code, code))

        echo = MCPServer("echo")

        @echo.tool()
        def echo_tool(text: str) -> str:
            return text

        async with Client(echo) as client:
            baseline = await _time(rounds, lambda: client.call_tool("echo_tool", {"text": code}))
        async with Client(build_server(settings, app=app)) as client:

            async def open_session():
                return (await client.call_tool("steer_next", {"question": QUESTION})).structured_content

            step_mcp = await _time_sessions(
                rounds,
                open_session,
                lambda sid: client.call_tool("steer_next", {"session_id": sid, "response": PROGRAM}),
            )
            symbolic_mcp = await _time(rounds, lambda: client.call_tool("check_symbolic", {"code": code}))
        await app.aclose()

    base_med, base_p95 = _stats(baseline)
    print(f"{'what':<44}{'median ms':>11}{'p95 ms':>9}{'x baseline':>12}")
    print(f"{'baseline: MCP echo tool (in-memory client)':<44}{base_med:>11.3f}{base_p95:>9.3f}{1.0:>12.2f}")
    rows = [
        ("steer_next server-side (service, no MCP)", step_direct),
        ("check_symbolic server-side (no MCP)", symbolic_direct),
        ("steer_next through MCP", step_mcp),
        ("check_symbolic through MCP", symbolic_mcp),
    ]
    for label, samples in rows:
        med, p95 = _stats(samples)
        print(f"{label:<44}{med:>11.3f}{p95:>9.3f}{med / base_med:>12.2f}")
    over_step = _stats(step_mcp)[0] - base_med
    over_sym = _stats(symbolic_mcp)[0] - base_med
    print(f"\nsteer_next beyond the MCP baseline: {over_step:.3f} ms (goal < 5 ms)")
    print(f"check_symbolic beyond the MCP baseline: {over_sym:.3f} ms (goal < 5 ms)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=200)
    anyio.run(main, parser.parse_args().rounds)
