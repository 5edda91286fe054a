"""Training throughput of the guide: tokens per second of an SFT step with TRL + peft.

    python benchmarks/train_throughput.py [--steps 12] [--batch-size 4] [--skip-gpu]

CPU, always: the tiny test Llama (tests/guide/tinymodel.py, built on the spot), LoRA SFT
through ``training.sft`` (TRL's SFTTrainer) on copies of one CodeSteer conversation, so
every step sees the same number of tokens. Median tokens/s over the steps after a
warm-up. Baseline in the same run: a bare PyTorch loop (forward, backward, AdamW) on the
same batches with full fine-tuning, i.e. what the trainer machinery and LoRA cost or save.

CUDA, when available: a model of Llama-3-8B's shape with random weights, built from its
config (no download), in bfloat16 with LoRA (r=16, all linear layers), 2,048-token
sequences; median tokens/s. Where CUDA is absent this part is skipped with a message.
Never part of CI.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "guide"))

LLAMA3_8B = dict(vocab_size=128256, hidden_size=4096, intermediate_size=14336, num_hidden_layers=32,
                 num_attention_heads=32, num_key_value_heads=8, max_position_embeddings=8192, rope_theta=500000.0)
GPU_SEQ_TOKENS = 2048


def conversation() -> list[dict[str, str]]:
    from guide.codesteer_format import CODE_TOKEN, RETURN_TOKEN, render_first_turn, render_round
    from guide.types import Round
    from sandbox.types import ExecResult

    question = "Use numbers and basic arithmetic operations (+ - * /) to obtain 24: 4 7 8 8"
    code = "```python\nfrom itertools import permutations\nprint(24)\n```"
    round_ = Round(index=1, response=f"I search every expression.\n{code}", code=code, answer="24",
                   execution=ExecResult(exit_code=0, stdout="<<<(7-(8/8))*4>>>\n", stderr="", duration_s=0.1, backend="local"))
    return [
        {"role": "user", "content": render_first_turn(question)},
        {"role": "assistant", "content": CODE_TOKEN},
        {"role": "user", "content": render_round(round_)},
        {"role": "assistant", "content": RETURN_TOKEN},
    ]


class StepTimer:
    """A TrainerCallback recording the wall time of every optimizer step."""

    def __init__(self):
        from transformers import TrainerCallback

        timer = self

        class _Callback(TrainerCallback):
            def on_step_begin(self, args, state, control, **kw):
                timer._start = time.perf_counter()

            def on_step_end(self, args, state, control, **kw):
                timer.seconds.append(time.perf_counter() - timer._start)

        self.seconds: list[float] = []
        self._start = 0.0
        self.callback = _Callback()


def bench_cpu(steps: int, batch_size: int) -> None:
    import torch
    from tinymodel import build_tiny_model

    from training import sft
    from training.config import SFTOptions
    from training.modeling import load_tokenizer

    with tempfile.TemporaryDirectory(prefix="train-bench-") as work:
        base = build_tiny_model(Path(work) / "tiny")
        rows = [{"messages": conversation()} for _ in range(batch_size * (steps + 1))]
        tokens = len(sft.tokenize_conversation(load_tokenizer(base), rows[0]["messages"])["input_ids"])
        options = SFTOptions(model=str(base), data=Path(work), out=Path(work) / "out", max_steps=steps + 1,
                             batch_size=batch_size, grad_accum=1, logging_steps=1000, save_steps=100000, warmup=0)
        trainer = sft.build_trainer(options, rows)
        from transformers.trainer_callback import ProgressCallback

        trainer.remove_callback(ProgressCallback)
        timer = StepTimer()
        trainer.add_callback(timer.callback)
        trainer.train()
        lora = [batch_size * tokens / s for s in timer.seconds[1:]]

        # baseline: a bare loop, full fine-tuning, same batches
        from transformers import AutoModelForCausalLM

        model = AutoModelForCausalLM.from_pretrained(str(base), dtype=torch.float32).train()
        optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
        encoded = sft.tokenize_conversation(load_tokenizer(base), rows[0]["messages"])
        ids = torch.tensor([encoded["input_ids"]] * batch_size)
        labels = torch.tensor([encoded["labels"]] * batch_size)
        bare = []
        for step in range(steps + 1):
            started = time.perf_counter()
            loss = model(input_ids=ids, labels=labels).loss
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            if step:
                bare.append(batch_size * tokens / (time.perf_counter() - started))
    med, base_med = statistics.median(lora), statistics.median(bare)
    print(f"cpu ({torch.get_num_threads()} threads), tiny Llama, {tokens}-token conversations, batch {batch_size}, {steps} steps:")
    print(f"  TRL SFTTrainer + LoRA     median {med:9.0f} tokens/s  (min {min(lora):.0f}, max {max(lora):.0f})")
    print(f"  bare torch loop, full FT  median {base_med:9.0f} tokens/s  (baseline)")
    print(f"  ratio trainer/baseline    {med / base_med:.2f}")


def bench_gpu(steps: int) -> None:
    import torch

    if not torch.cuda.is_available():
        print("gpu: skipped, CUDA is not available on this machine (run on a machine with an NVIDIA GPU)")
        return
    from peft import LoraConfig, get_peft_model
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    config = LlamaConfig(**LLAMA3_8B)
    with torch.device("cuda"):
        model = LlamaForCausalLM(config).to(torch.bfloat16)
    model = get_peft_model(model, LoraConfig(r=16, lora_alpha=32, target_modules="all-linear", task_type="CAUSAL_LM"))
    model.gradient_checkpointing_enable()
    model.enable_input_require_grads()
    model.train()
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4)
    ids = torch.randint(0, config.vocab_size, (1, GPU_SEQ_TOKENS), device="cuda")
    rates = []
    for step in range(steps + 1):
        torch.cuda.synchronize()
        started = time.perf_counter()
        loss = model(input_ids=ids, labels=ids).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        torch.cuda.synchronize()
        if step:
            rates.append(GPU_SEQ_TOKENS / (time.perf_counter() - started))
    print(f"gpu ({torch.cuda.get_device_name()}), Llama-3-8B shape, random weights, bf16, LoRA r=16, "
          f"{GPU_SEQ_TOKENS}-token sequences, {steps} steps:")
    print(f"  median {statistics.median(rates):.0f} tokens/s  (peak memory {torch.cuda.max_memory_allocated() / 2**30:.1f} GiB)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--gpu-steps", type=int, default=8)
    parser.add_argument("--skip-gpu", action="store_true")
    args = parser.parse_args()
    import logging
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    logging.disable(logging.WARNING)
    bench_cpu(args.steps, args.batch_size)
    if not args.skip_gpu:
        bench_gpu(args.gpu_steps)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
