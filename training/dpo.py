"""DPO of the guide on sibling guidance pairs (TRL's DPOTrainer), starting from the SFT output.

With a LoRA SFT output the SFT adapter itself is trained further; TRL keeps a frozen copy
of it as the reference (its "ref" adapter), so the reference is the SFT model, not the
bare base. With a fully fine-tuned SFT model, ``--full`` trains all of it against a frozen
copy; otherwise a new LoRA adapter is trained on top of it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .card import read_card, write_card
from .config import DPOOptions, as_dict
from .data import load_rows
from .modeling import (
    adapter_base,
    is_adapter,
    load_model,
    load_tokenizer,
    lora_config,
    precision,
    require_training_stack,
    run_training,
    trainer_arguments,
)

PAIR_COLUMNS = ("prompt", "chosen", "rejected")


def build_trainer(options: DPOOptions, rows: list[dict[str, Any]] | None = None):
    """The DPOTrainer for ``options`` (not yet trained)."""
    require_training_stack()
    from datasets import Dataset
    from peft import PeftModel
    from trl import DPOConfig, DPOTrainer

    rows = rows if rows is not None else load_rows(options.data, "dpo")
    if not rows:
        raise ValueError(f"no preference pairs in {options.data}: synthesize with --branches 2 or more, or lower --min-margin")
    dtype_name = precision(options)
    sft = Path(options.sft)
    tokenizer = load_tokenizer(sft)
    peft_config = None
    if is_adapter(sft):
        base = load_model(adapter_base(sft), dtype_name)
        model = PeftModel.from_pretrained(base, str(sft), is_trainable=True)
    else:
        model = load_model(sft, dtype_name)
        peft_config = None if options.full else lora_config(options)
    dataset = Dataset.from_list([{k: row[k] for k in PAIR_COLUMNS} for row in rows])
    args = trainer_arguments(options, dtype_name)
    config = DPOConfig(**args, beta=options.beta)
    return DPOTrainer(model=model, args=config, train_dataset=dataset, processing_class=tokenizer, peft_config=peft_config)


def base_of(sft: Path) -> str:
    card = read_card(sft)
    if card:
        return card["base_model"]
    return adapter_base(sft) if is_adapter(sft) else str(sft)


def train(options: DPOOptions) -> dict[str, Any]:
    """Train, save the adapter (or model), tokenizer and card to ``options.out``; the metrics."""
    return train_rows(options, load_rows(options.data, "dpo"))


def train_rows(options: DPOOptions, rows: list[dict[str, Any]]) -> dict[str, Any]:
    trainer = build_trainer(options, rows)
    train_metrics, seconds = run_training(trainer, options.out, options.resume)
    out = Path(options.out)
    model = trainer.model
    # TRL added a frozen "ref" adapter for the reference; only the trained one is the output
    if hasattr(model, "peft_config") and "ref" in model.peft_config:
        model.save_pretrained(str(out), selected_adapters=["default"])
    else:
        trainer.save_model(str(out))
    trainer.processing_class.save_pretrained(str(out))
    metrics = {**train_metrics, "train_seconds": round(seconds, 2), "pairs": len(rows)}
    write_card(out, stage="dpo", base_model=base_of(Path(options.sft)), options=as_dict(options), metrics=metrics,
               data=Path(options.data), lora=is_adapter(options.sft) or not options.full, parent=str(options.sft))
    return metrics
