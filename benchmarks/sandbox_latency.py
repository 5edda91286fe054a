"""Latency and throughput of run_code, per sandbox path, against a bare subprocess.

    python benchmarks/sandbox_latency.py [--runs 40] [--cold-runs 10] [--pool 4] [--concurrent 8] [--burst 48]

Paths, each timed on a trivial program (print(1)):
  bare      `python3 -c` as a subprocess: the baseline, measured in this run
  local     the local (bubblewrap) backend, called directly
  warm      the docker backend from a warm pool (the pool refilled between samples)
  cold      the docker backend with pool_size 0 (create, start, exec per run)
  mcp-*     run_code through the MCP server (in-memory client), local and warm docker
Then throughput: ``--concurrent`` callers sharing ``--burst`` runs, for the warm pool,
the cold path and the local backend; failures are counted, runs per second reported.

Goals (the issue): warm p50 at or below the bare subprocess; 8 concurrent callers
without a failure, the pool's sustained rate compared with the cold path's (creating
containers bounds a pool of single-use containers).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import anyio

from sandbox.types import DockerOptions, SandboxLimits

PROGRAM = "print(1)"
# CODESTEER_DOCKER__IMAGE measures another image (one built with `sandbox build --tag`).
IMAGE = os.environ.get("CODESTEER_DOCKER__IMAGE") or None


def _stats(samples: list[float]) -> tuple[float, float]:
    ms = sorted(s * 1000 for s in samples)
    return statistics.median(ms), ms[max(0, round(0.95 * len(ms)) - 1)]


async def _time(n: int, call, before=None) -> list[float]:
    out = []
    for _ in range(n):
        if before is not None:
            await before()
        start = time.perf_counter()
        await call()
        out.append(time.perf_counter() - start)
    return out


async def _bare(python: str = sys.executable) -> None:
    result = await anyio.run_process([python, "-c", PROGRAM])
    assert result.stdout.strip() == b"1"


def _check(result) -> None:
    if not result.ok or result.stdout.strip() != "1":
        raise RuntimeError(f"a benchmark run failed: {result.summary()}")


async def _burst(box, concurrent: int, total: int) -> tuple[float, int]:
    """``concurrent`` callers share ``total`` runs: (runs per second, failures)."""
    remaining = total
    failures = 0

    async def caller():
        nonlocal remaining, failures
        while remaining > 0:
            remaining -= 1
            try:
                _check(await box.run(PROGRAM))
            except Exception as exc:  # counted, reported: the goal is none
                failures += 1
                print(f"  failure: {exc}", file=sys.stderr)

    start = time.perf_counter()
    async with anyio.create_task_group() as tg:
        for _ in range(concurrent):
            tg.start_soon(caller)
    return total / (time.perf_counter() - start), failures


async def main(args: argparse.Namespace) -> None:
    from sandbox.docker import DockerSandbox, docker_unavailable_reason
    from sandbox.local import LocalSandbox

    limits = SandboxLimits()
    rows: list[tuple[str, list[float]]] = []
    rates: list[tuple[str, float, int]] = []

    rows.append(("bare python -c, server's (baseline)", await _time(args.runs, _bare)))
    if Path("/usr/bin/python3").exists() and Path(sys.executable).resolve() != Path("/usr/bin/python3").resolve():
        rows.append(("bare /usr/bin/python3 -c", await _time(args.runs, lambda: _bare("/usr/bin/python3"))))

    local = LocalSandbox(limits)
    await local.start()
    rows.append(("local backend", await _time(args.runs, lambda: _run(local))))
    rates.append(("local", *await _burst(local, args.concurrent, args.burst)))
    await local.aclose()

    reason = await docker_unavailable_reason(DockerOptions(image=IMAGE))
    if reason is not None:
        print(f"docker paths skipped: {reason}")
    else:
        warm = DockerSandbox(limits, DockerOptions(image=IMAGE, pool_size=args.pool))
        await warm.wait_warm()
        rows.append((f"docker warm pool (size {args.pool})", await _time(args.runs, lambda: _run(warm), warm.wait_warm)))
        await warm.wait_warm()
        rates.append((f"docker warm pool (size {args.pool})", *await _burst(warm, args.concurrent, args.burst)))
        await warm.aclose()

        cold = DockerSandbox(limits, DockerOptions(image=IMAGE, pool_size=0))
        await cold.start()
        rows.append(("docker cold (create+start+exec)", await _time(args.cold_runs, lambda: _run(cold))))
        rates.append(("docker cold (pool 0)", *await _burst(cold, args.concurrent, args.burst // 2)))
        await cold.aclose()

    rows.extend(await _mcp_rows(args, reason is None))

    base = _stats(rows[0][1])[0]
    print(f"\n{'path':<40}{'p50 ms':>9}{'p95 ms':>9}{'p50 / bare':>12}")
    for label, samples in rows:
        p50, p95 = _stats(samples)
        print(f"{label:<40}{p50:>9.1f}{p95:>9.1f}{p50 / base:>12.2f}")
    print(f"\n{args.concurrent} concurrent callers, {args.burst} runs (cold: {args.burst // 2}):")
    for label, rate, failures in rates:
        print(f"  {label:<38}{rate:>7.2f} runs/s   failures: {failures}")
    warm_rate = next((r for label, r, _ in rates if label.startswith("docker warm")), None)
    cold_rate = next((r for label, r, _ in rates if label.startswith("docker cold")), None)
    if warm_rate and cold_rate:
        print(f"  warm pool sustains {warm_rate / cold_rate:.2f}x the cold path's rate (container creation bound)")


async def _run(box) -> None:
    _check(await box.run(PROGRAM))


async def _mcp_rows(args: argparse.Namespace, with_docker: bool) -> list[tuple[str, list[float]]]:
    """run_code through the MCP server, in memory, as a host would call it."""
    try:
        from mcp import Client

        from mcp_codesteer.server import build_server
        from mcp_codesteer.settings import Settings
        from mcp_codesteer.steering import CodeSteer
    except ImportError as exc:
        print(f"MCP paths skipped: {exc}")
        return []
    rows = []
    backends = ["local"] + (["docker"] if with_docker else [])
    for backend in backends:
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(sandbox=backend, data_dir=Path(tmp), docker=DockerOptions(image=IMAGE, pool_size=args.pool))
            app = CodeSteer(settings)
            async with Client(build_server(settings, app=app)) as client:
                refill = getattr(app.sandbox, "wait_warm", None)

                async def call():
                    result = await client.call_tool("run_code", {"code": PROGRAM})
                    if result.structured_content.get("stdout", "").strip() != "1":
                        raise RuntimeError(f"run_code failed: {result.structured_content}")

                label = "MCP run_code, docker warm" if backend == "docker" else "MCP run_code, local"
                rows.append((label, await _time(args.runs, call, refill)))
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=40, help="samples per latency path")
    parser.add_argument("--cold-runs", type=int, default=10, help="samples of the cold docker path")
    parser.add_argument("--pool", type=int, default=4, help="warm pool size")
    parser.add_argument("--concurrent", type=int, default=8, help="concurrent callers in the throughput runs")
    parser.add_argument("--burst", type=int, default=48, help="runs shared by the concurrent callers")
    anyio.run(main, parser.parse_args())
