"""The options of ``train sft`` and ``train dpo``: dataclasses whose fields are the flags.

Each field's ``metadata["help"]`` is its flag's help; :func:`add_flags` turns a
dataclass into argparse flags (``learning_rate`` -> ``--learning-rate``) and
:func:`from_args` reads them back, so the command line, the Python API and the card
written next to the trained model all name the same fields.
"""

from __future__ import annotations

import argparse
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_type_hints


def _opt(default: Any, help_: str, **kw: Any) -> Any:
    return field(default=default, metadata={"help": help_, **kw})


@dataclass
class CommonOptions:
    data: Path = _opt(None, "the folder 'train data' wrote (or a .jsonl file of its rows)", required=True)
    out: Path = _opt(None, "output directory: the adapter (or model), tokenizer, card and checkpoints", required=True)
    full: bool = _opt(False, "full fine-tuning instead of LoRA")
    lora_r: int = _opt(16, "LoRA rank")
    lora_alpha: int = _opt(32, "LoRA alpha")
    lora_dropout: float = _opt(0.05, "LoRA dropout")
    lora_targets: str = _opt("all-linear", "modules LoRA adapts: 'all-linear' or comma-separated names")
    epochs: float = _opt(2.0, "passes over the data")
    max_steps: int = _opt(-1, "stop after this many optimizer steps (-1: run the epochs)")
    batch_size: int = _opt(1, "examples per device per step")
    grad_accum: int = _opt(8, "gradient accumulation steps")
    max_length: int = _opt(4096, "conversations are cut to this many tokens")
    warmup: float = _opt(0.03, "steps with a rising learning rate; below 1, a share of all steps")
    save_steps: int = _opt(200, "a checkpoint every this many steps (resume with --resume)")
    save_total_limit: int = _opt(2, "checkpoints kept")
    logging_steps: int = _opt(10, "log the loss every this many steps")
    seed: int = _opt(0, "random seed")
    precision: str = _opt("auto", "'auto' (bf16 on a GPU that has it, else fp32), 'bf16', 'fp16' or 'fp32'", choices=["auto", "bf16", "fp16", "fp32"])
    gradient_checkpointing: bool = _opt(False, "trade compute for memory (large models)")
    resume: bool = _opt(False, "continue from the last checkpoint in --out")


@dataclass
class SFTOptions(CommonOptions):
    model: str = _opt(None, "base model: a directory or a hub id (e.g. meta-llama/Meta-Llama-3-8B-Instruct)", required=True)
    learning_rate: float = _opt(2e-4, "peak learning rate (use about 1e-5 with --full)")


@dataclass
class DPOOptions(CommonOptions):
    sft: Path = _opt(None, "the 'train sft' output to start from (its adapter, or its full model)", required=True)
    learning_rate: float = _opt(5e-6, "peak learning rate")
    beta: float = _opt(0.1, "DPO beta: how far the policy may move from the SFT model")
    epochs: float = _opt(1.0, "passes over the pairs")


def add_flags(parser: argparse.ArgumentParser, cls: type) -> None:
    hints = get_type_hints(cls)
    for f in dataclasses.fields(cls):
        flag = "--" + f.name.replace("_", "-")
        kind = hints[f.name]
        meta = dict(f.metadata)
        help_ = meta.pop("help", "")
        if kind is bool:
            parser.add_argument(flag, action="store_true", default=f.default, help=help_)
            continue
        required = meta.pop("required", False)
        suffix = "" if required else f" (default {f.default})"
        parser.add_argument(flag, type=kind, default=None if required else f.default, required=required,
                            help=help_ + suffix, **meta)


def from_args(cls: type, args: argparse.Namespace):
    return cls(**{f.name: getattr(args, f.name) for f in dataclasses.fields(cls)})


def as_dict(options) -> dict[str, Any]:
    return {k: str(v) if isinstance(v, Path) else v for k, v in dataclasses.asdict(options).items()}
