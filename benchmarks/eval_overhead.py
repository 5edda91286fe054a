"""The eval harness's own overhead per round, with a zero-latency mock TaskLLM.

    python benchmarks/eval_overhead.py [--samples 30] [--sandbox local]

Runs generated SymBench samples through a real ``mcp-codesteer serve`` subprocess (stdio):
- codesteer with text-only replies (no code to execute): every millisecond per round is
  harness + MCP + server steering overhead;
- all_code with a one-line program: wall time minus the sandbox's reported execution time.
Baseline measured in the same run: one bare MCP tool call (check_symbolic on a one-line
program), the floor any round pays. Goal: under 50 ms per round beyond code execution.
Also times the durable record append (write + fsync) per sample.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import anyio

from guide.chat import MockModel
from mcp_codesteer.eval.records import RunConfig, ServerSpec
from mcp_codesteer.eval.runlog import RunLog
from mcp_codesteer.eval.runner import new_header, plan, run_item
from mcp_codesteer.eval.tools import connect_server

GOAL_MS = 50.0
TASK = "string_insertion"


def _median_ms(values: list[float]) -> float:
    return 1000.0 * statistics.median(values)


async def main(samples: int, sandbox: str, rounds: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="eval-overhead-"))
    spec = ServerSpec(sandbox=sandbox, max_rounds=rounds)
    text_llm = MockModel(["Thinking it through in text. <<<ABC>>>"], cycle=True)
    code_llm = MockModel(["```python\nprint('<<<ABC>>>')\n```"], cycle=True)
    config = RunConfig(tasks=[TASK], methods=["codesteer", "all_code"], task_llm="mock", generated=samples,
                       server=spec, sample_timeout_s=120)
    items = plan(config)
    with open(work / "server.log", "w") as errlog:
        async with connect_server(spec, data_dir=work / "server", errlog=errlog) as tools:
            bare = []
            for _ in range(max(20, samples)):
                started = time.perf_counter()
                await tools.call("check_symbolic", {"code": "print(1)"})
                bare.append(time.perf_counter() - started)
            steer_per_round, code_overhead, exec_times, records = [], [], [], []
            for item in items:
                llm = text_llm if item.method == "codesteer" else code_llm
                record = await run_item(item, config, llm, tools)
                if record.status != "ok":
                    raise SystemExit(f"{item.key}: {record.status}: {record.error}")
                records.append(record)
                if item.method == "codesteer":
                    steer_per_round.append(record.wall_s / max(1, record.rounds))
                else:
                    executed = sum(e.result.get("duration_s", 0.0) for e in record.events
                                   if e.kind == "tool" and e.result)
                    exec_times.append(executed)
                    code_overhead.append(record.wall_s - executed)
    log = RunLog.create(work / "run", new_header(config, work / "run", text_llm, len(records)))
    appends = []
    for record in records:
        started = time.perf_counter()
        log.append(record)
        appends.append(time.perf_counter() - started)
    log.close()

    bare_ms = _median_ms(bare)
    steer_ms = _median_ms(steer_per_round)
    code_ms = _median_ms(code_overhead)
    rounds_used = statistics.median(r.rounds for r in records if r.method == "codesteer")
    print(f"samples: {samples} generated {TASK}, server sandbox {sandbox}, stdio transport, zero-latency mock model")
    print(f"baseline  bare MCP tool call (check_symbolic)      median {bare_ms:7.2f} ms")
    print(f"codesteer per round, no code (text replies, {rounds_used:g} rounds) median {steer_ms:7.2f} ms"
          f"   ratio to baseline {steer_ms / bare_ms:5.1f}x   to goal {steer_ms / GOAL_MS:5.2f}")
    print(f"all_code per sample beyond code execution         median {code_ms:7.2f} ms"
          f"   ratio to baseline {code_ms / bare_ms:5.1f}x   to goal {code_ms / GOAL_MS:5.2f}")
    print(f"          code execution itself (sandbox)          median {_median_ms(exec_times):7.2f} ms")
    print(f"record append (write + fsync) per sample           median {_median_ms(appends):7.2f} ms")
    verdict = "met" if max(steer_ms, code_ms) < GOAL_MS else "NOT met"
    print(f"goal (< {GOAL_MS:g} ms per round beyond code execution): {verdict}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--sandbox", choices=("local", "docker", "auto"), default="local")
    parser.add_argument("--rounds", type=int, default=6, help="server max rounds (codesteer rounds per sample)")
    args = parser.parse_args()
    anyio.run(main, args.samples, args.sandbox, args.rounds)
