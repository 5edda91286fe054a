"""What SFT and DPO share: loading the model and tokenizer, LoRA, precision, trainer arguments.

torch, transformers, peft and trl are imported inside the functions, so importing
``training`` stays cheap (the extra ``train`` holds them).
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path
from typing import Any

from .config import CommonOptions

INSTALL_HINT = "pip install torch 'mcp-codesteer[hf,train]'"
ADAPTER_CONFIG = "adapter_config.json"


def require_training_stack() -> None:
    missing = [m for m in ("torch", "transformers", "peft", "trl", "datasets") if importlib.util.find_spec(m) is None]
    if missing:
        raise ImportError(f"training needs {', '.join(missing)}: {INSTALL_HINT}")


def is_adapter(path: str | Path) -> bool:
    return (Path(path) / ADAPTER_CONFIG).exists()


def adapter_base(path: str | Path) -> str:
    import json

    return json.loads((Path(path) / ADAPTER_CONFIG).read_text())["base_model_name_or_path"]


def precision(options: CommonOptions) -> str:
    """'bf16', 'fp16' or 'fp32' for this machine."""
    import torch

    if options.precision != "auto":
        return options.precision
    if torch.cuda.is_available() and torch.cuda.is_bf16_supported():
        return "bf16"
    return "fp32"


def torch_dtype(name: str):
    import torch

    return {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}[name]


def load_tokenizer(path: str | Path):
    """The tokenizer, with a pad token; ValueError when it has no chat template (a guide needs one)."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(path))
    if tokenizer.chat_template is None:
        raise ValueError(
            f"the tokenizer of {path} has no chat template: start from an instruct/chat model "
            "(the guide is trained and served as a chat)"
        )
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def load_model(path: str | Path, dtype_name: str):
    from transformers import AutoModelForCausalLM

    return AutoModelForCausalLM.from_pretrained(str(path), dtype=torch_dtype(dtype_name))


def lora_config(options: CommonOptions):
    from peft import LoraConfig

    targets: Any = options.lora_targets
    if targets != "all-linear":
        targets = [t.strip() for t in targets.split(",") if t.strip()]
    return LoraConfig(
        r=options.lora_r,
        lora_alpha=options.lora_alpha,
        lora_dropout=options.lora_dropout,
        target_modules=targets,
        task_type="CAUSAL_LM",
    )


def trainer_arguments(options: CommonOptions, dtype_name: str) -> dict[str, Any]:
    """The transformers TrainingArguments fields both configs share."""
    return {
        "output_dir": str(options.out),
        "num_train_epochs": options.epochs,
        "max_steps": options.max_steps,
        "per_device_train_batch_size": options.batch_size,
        "gradient_accumulation_steps": options.grad_accum,
        "learning_rate": options.learning_rate,  # type: ignore[attr-defined]
        "warmup_steps": options.warmup,
        "lr_scheduler_type": "cosine",
        "save_strategy": "steps",
        "save_steps": options.save_steps,
        "save_total_limit": options.save_total_limit,
        "logging_steps": options.logging_steps,
        "seed": options.seed,
        "bf16": dtype_name == "bf16",
        "fp16": dtype_name == "fp16",
        _checkpointing_field(): options.gradient_checkpointing,
        "report_to": "none",
        "max_length": options.max_length,
        "dataloader_num_workers": 0,
        "dataloader_pin_memory": _cuda(),
    }


def _cuda() -> bool:
    import torch

    return torch.cuda.is_available()


def last_checkpoint(out: Path) -> str | None:
    from transformers.trainer_utils import get_last_checkpoint

    return get_last_checkpoint(str(out)) if Path(out).is_dir() else None


def run_training(trainer: Any, out: str | Path, resume: bool) -> tuple[dict[str, Any], float]:
    """Train (from the last checkpoint in ``out`` when ``resume``); the metrics and the seconds taken."""
    started = time.perf_counter()
    checkpoint = last_checkpoint(Path(out)) if resume else None
    result = trainer.train(resume_from_checkpoint=checkpoint)
    return dict(result.metrics), time.perf_counter() - started


def _checkpointing_field() -> str:
    """transformers 5 renamed gradient_checkpointing to activation_checkpointing (and warns on the old name)."""
    import dataclasses

    from transformers import TrainingArguments

    names = {f.name for f in dataclasses.fields(TrainingArguments)}
    return "activation_checkpointing" if "activation_checkpointing" in names else "gradient_checkpointing"
