"""Latency of one guidance step and generation speed of the transformers (hf) guide.

    python benchmarks/guide_latency.py [--steps 7] [--threads 1] [--skip-gpu]

CPU, always: the tiny test Llama (tests/guide/tinymodel.py, built on the spot). A
guidance step is the hf guide's ``next`` on a two-round trajectory (render, generate, parse,
fall back): median over ``--steps`` after a warm-up, with the tokens per second of the
generation itself. Baselines measured in the same run: the rules guide's step (what the
model costs on top of it) and four concurrent sessions generated one at a time versus
in one batch (what the batching queue buys).

CUDA, when available: a model of Llama-3-8B's shape with random weights, built locally
from its config (no download), in bfloat16: one guidance step is 100 generated tokens on
a 2,000-token context (the goal: under 1.5 s), alone and as a batch of four. Where CUDA
is absent this part is skipped with a message.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

import anyio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "guide"))

GPU_GOAL_S = 1.5
GPU_CONTEXT_TOKENS = 2000
GPU_NEW_TOKENS = 100


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _trajectory():
    from guide.types import Trajectory

    return Trajectory.model_validate_json((ROOT / "tests/guide/fixtures/trajectory_pending.json").read_text())


async def bench_cpu(steps: int, new_tokens: int) -> None:
    from tinymodel import build_tiny_model

    from guide.chat import ModelOptions
    from guide.registry import create_guide
    from guide.rules import RulesGuide

    trajectory = _trajectory()
    with tempfile.TemporaryDirectory(prefix="guide-bench-") as work:
        started = time.perf_counter()
        path = build_tiny_model(Path(work) / "tiny", max_new_tokens=new_tokens)
        built_s = time.perf_counter() - started
        guide = create_guide(f"hf:{path}", options=ModelOptions(batch_window_s=0), max_tokens=new_tokens)
        started = time.perf_counter()
        await guide.model.load()
        load_s = time.perf_counter() - started
        await guide.next(trajectory)  # warm-up
        guide.model.stats.clear()

        latencies = []
        for _ in range(steps):
            started = time.perf_counter()
            decided = await guide.next(trajectory)
            latencies.append(time.perf_counter() - started)
        stats = guide.model.stats
        rates = [s.new_tokens / s.seconds for s in stats if s.seconds > 0]

        rules = RulesGuide()
        rules_latencies = []
        for _ in range(max(steps, 50)):
            started = time.perf_counter()
            await rules.next(trajectory)
            rules_latencies.append(time.perf_counter() - started)

        sessions = 4
        sequential = []
        for _ in range(3):
            started = time.perf_counter()
            for _ in range(sessions):
                await guide.next(trajectory)
            sequential.append(time.perf_counter() - started)
        batched_guide = create_guide(f"hf:{path}", options=ModelOptions(batch_window_s=0.01, max_batch=sessions),
                                     max_tokens=new_tokens)
        await batched_guide.model.load()
        await batched_guide.next(trajectory)
        batched = []
        for _ in range(3):
            started = time.perf_counter()
            async with anyio.create_task_group() as tg:
                for _ in range(sessions):
                    tg.start_soon(batched_guide.next, trajectory)
            batched.append(time.perf_counter() - started)

    step_ms, rules_ms = 1000 * _median(latencies), 1000 * _median(rules_latencies)
    print("hf guide, tiny Llama (2 layers, hidden 64), CPU, float32")
    print(f"  build {built_s:.2f} s, load {load_s:.2f} s; context {stats[0].input_tokens} tokens, "
          f"{_median([s.new_tokens for s in stats]):.0f} new tokens per step; decision: {decided.source}")
    print(f"  guidance step, median of {steps}: {step_ms:.1f} ms   ({_median(rates):.0f} tokens/s)")
    print(f"  baseline rules guide step: {rules_ms:.3f} ms   -> the model adds {step_ms - rules_ms:.1f} ms "
          f"({step_ms / rules_ms:.0f}x)")
    seq_s, bat_s = _median(sequential), _median(batched)
    print(f"  {sessions} sessions: one at a time {1000 * seq_s:.0f} ms, batched {1000 * bat_s:.0f} ms "
          f"-> batching x{seq_s / bat_s:.2f}; batch sizes seen {sorted(set(batched_guide.model.batcher.batch_sizes))}")


def bench_gpu(steps: int) -> None:
    import torch

    if not torch.cuda.is_available():
        print("\nCUDA: skipped, no CUDA device here (torch.cuda.is_available() is False). "
              f"On a GPU machine this part times a Llama-3-8B-shaped model in bf16: {GPU_NEW_TOKENS} new tokens "
              f"on a {GPU_CONTEXT_TOKENS}-token context, goal < {GPU_GOAL_S} s.")
        return
    from transformers import LlamaConfig, LlamaForCausalLM

    # Llama-3-8B's published shape; the weights are random, so only speed means anything
    config = LlamaConfig(
        vocab_size=128256, hidden_size=4096, intermediate_size=14336, num_hidden_layers=32,
        num_attention_heads=32, num_key_value_heads=8, max_position_embeddings=8192,
        rope_theta=500000.0, rms_norm_eps=1e-5, tie_word_embeddings=False,
    )
    torch.manual_seed(0)
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.bfloat16)
    try:
        with torch.device("cuda"):
            model = LlamaForCausalLM(config).eval()
    finally:
        torch.set_default_dtype(previous)
    print(f"\nhf guide, Llama-3-8B shape, random weights, {torch.cuda.get_device_name()}, bfloat16")

    def step(batch: int) -> float:
        ids = torch.randint(0, config.vocab_size, (batch, GPU_CONTEXT_TOKENS), device="cuda")
        torch.cuda.synchronize()
        started = time.perf_counter()
        with torch.inference_mode():
            out = model.generate(
                input_ids=ids, attention_mask=torch.ones_like(ids), do_sample=False,
                min_new_tokens=GPU_NEW_TOKENS, max_new_tokens=GPU_NEW_TOKENS, pad_token_id=0,
            )
        torch.cuda.synchronize()
        assert out.shape[1] == GPU_CONTEXT_TOKENS + GPU_NEW_TOKENS
        return time.perf_counter() - started

    step(1)  # warm-up
    for batch in (1, 4):
        times = [step(batch) for _ in range(steps)]
        med = _median(times)
        verdict = "meets" if med < GPU_GOAL_S else "misses"
        print(f"  batch {batch}: guidance step median of {steps}: {med:.2f} s "
              f"({batch * GPU_NEW_TOKENS / med:.0f} tokens/s)  {verdict} the {GPU_GOAL_S} s goal")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=7, help="timed guidance steps per figure (median)")
    parser.add_argument("--new-tokens", type=int, default=64, help="tokens the tiny model generates per step at most")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads for the tiny model (0: torch's default)")
    parser.add_argument("--skip-gpu", action="store_true")
    args = parser.parse_args()
    logging.getLogger("guide").setLevel(logging.ERROR)  # the tiny model's every reply is malformed: no warning per step

    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} CPU thread(s)")
    anyio.run(bench_cpu, args.steps, args.new_tokens)
    if not args.skip_gpu:
        bench_gpu(args.steps)


if __name__ == "__main__":
    main()
