"""The LMulator's cost: milliseconds per emulated call beyond the model's own time.

    python benchmarks/lmulate_overhead.py [--sentences 10] [--reps 15] [--backends local,docker]

Program: count the sarcastic sentences among ``--sentences`` with ``is_sarcastic`` left
undefined. The emulator is a Python function (no model latency); its time is measured
and subtracted anyway. Per backend:

  plain       the same program with the judgements in a dict (one run): the baseline
  lookahead   run_code with lmulate as served (unanswered calls reported in batches)
  strict      one unanswered call per run (max_pending_per_run=1): N+1 runs

overhead per emulated call = (wall - emulator time - plain) / sentences, median of --reps.
"""

from __future__ import annotations

import argparse
import statistics
import time

import anyio

from sandbox.lmulate import LmulateLimits, Lmulator
from sandbox.types import DockerOptions, SandboxLimits


def sentences(n: int) -> list[str]:
    return [f"Oh great, meeting number {i} ran late." if i % 3 == 0 else f"Meeting {i} went fine." for i in range(n)]


def judge(sentence: str) -> bool:
    return sentence.startswith("Oh great")


def program(items: list[str], *, table: bool) -> str:
    lookup = f"_judged = {dict((s, judge(s)) for s in items)!r}\ndef is_sarcastic(s):\n    return _judged[s]\n"
    return (lookup if table else "") + (
        f"sentences = {items!r}\ncount = sum(1 for s in sentences if is_sarcastic(s))\nprint(f'<<<{{count}}>>>')\n"
    )


async def measure(box, n: int, reps: int) -> dict[str, list[float]]:
    items = sentences(n)
    expected = f"<<<{sum(map(judge, items))}>>>"

    async def emulate(call):
        return judge(call.args[0])

    out: dict[str, list[float]] = {"plain": [], "lookahead": [], "strict": []}
    runs: dict[str, int] = {}
    for _ in range(reps):
        start = time.perf_counter()
        plain = await box.run(program(items, table=True))
        t_plain = time.perf_counter() - start
        assert plain.stdout.strip() == expected, plain.summary()
        out["plain"].append(t_plain)
        for mode, per_run in (("lookahead", LmulateLimits().max_pending_per_run), ("strict", 1)):
            limits = LmulateLimits(max_pending_per_run=per_run, max_replays=n + 5, max_emulated_calls=max(64, n))
            start = time.perf_counter()
            result = await Lmulator(box, limits).run(program(items, table=False), emulator=emulate)
            wall = time.perf_counter() - start
            assert result.status == "finished" and result.execution.stdout.strip() == expected, result.message
            out[mode].append((wall - result.emulator_s - t_plain) / n)
            runs[mode] = result.runs
    out["runs"] = runs  # type: ignore[assignment]
    return out


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=10)
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--backends", default="local,docker")
    args = parser.parse_args()
    limits = SandboxLimits()
    print(f"{args.sentences} emulated calls per program, {args.reps} repetitions, medians")
    print(f"{'backend':8} {'plain run ms':>13} {'lookahead ms/call':>18} {'runs':>5} {'strict ms/call':>15} {'runs':>5}")
    for name in args.backends.split(","):
        if name == "local":
            from sandbox.local import LocalSandbox

            box = LocalSandbox(limits)
            await box.start()
        else:
            from sandbox.docker import DockerSandbox
            from sandbox.docker.availability import unavailable_reason_sync

            reason = await anyio.to_thread.run_sync(unavailable_reason_sync, DockerOptions())
            if reason:
                print(f"{name:8} skipped: {reason}")
                continue
            box = DockerSandbox(limits, DockerOptions(pool_size=4))
            await box.wait_warm()
        try:
            res = await measure(box, args.sentences, args.reps)
        finally:
            await box.aclose()
        med = {k: statistics.median(v) * 1000 for k, v in res.items() if k != "runs"}
        print(
            f"{name:8} {med['plain']:13.1f} {med['lookahead']:18.1f} {res['runs']['lookahead']:5d}"
            f" {med['strict']:15.1f} {res['runs']['strict']:5d}"
        )


if __name__ == "__main__":
    anyio.run(main)
