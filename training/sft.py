"""Supervised fine-tuning of the guide on successful trajectories (TRL's SFTTrainer, LoRA by default).

The loss covers the guide's turns only: :func:`tokenize_conversation` writes each
conversation as the model meets it at inference (the prompt as the chat template
renders it with the generation prompt, then the reply), and labels every token that is
not part of a guide reply ``-100``. Every guide turn of a conversation is a target, so
one multi-round trajectory teaches every decision it holds ("multi-round SFT").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .card import write_card
from .config import SFTOptions, as_dict
from .data import load_rows
from .modeling import (
    is_adapter,
    load_model,
    load_tokenizer,
    lora_config,
    precision,
    require_training_stack,
    run_training,
    trainer_arguments,
)

IGNORE = -100


class TemplateError(ValueError):
    """The chat template does not render a conversation as prompt + reply (not prefix-stable)."""


def _render(tokenizer, messages: list[dict[str, str]], *, generation_prompt: bool) -> str:
    return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=generation_prompt)


def tokenize_conversation(tokenizer, messages: list[dict[str, str]], max_length: int | None = None) -> dict[str, list[int]]:
    """``input_ids`` and ``labels`` of one conversation; labels are -100 outside the guide's replies.

    The text is cut at each assistant turn: what the template renders for the turns
    before it (with the generation prompt) is context, what the turn adds is target. Each
    piece is tokenized on its own, as at inference, where the prompt is encoded and the
    reply generated after it. A conversation longer than ``max_length`` keeps its start.
    """
    input_ids: list[int] = []
    labels: list[int] = []
    done = ""
    for i, message in enumerate(messages):
        if message["role"] != "assistant":
            continue
        prompt = _render(tokenizer, messages[:i], generation_prompt=True)
        whole = _render(tokenizer, messages[: i + 1], generation_prompt=False)
        if not prompt.startswith(done) or not whole.startswith(prompt):
            raise TemplateError(
                "the chat template does not render a conversation as its prefix plus the new turn; "
                "SFT cannot tell the guide's replies from their context with it"
            )
        context = tokenizer(prompt[len(done):], add_special_tokens=False)["input_ids"]
        reply = tokenizer(whole[len(prompt):], add_special_tokens=False)["input_ids"]
        input_ids += context + reply
        labels += [IGNORE] * len(context) + reply
        done = whole
    if not input_ids:
        raise ValueError("a conversation without a guide turn has nothing to learn")
    if max_length is not None:
        input_ids, labels = input_ids[:max_length], labels[:max_length]
    return {"input_ids": input_ids, "labels": labels}


def build_dataset(tokenizer, rows: list[dict[str, Any]], max_length: int | None):
    from datasets import Dataset

    encoded = [tokenize_conversation(tokenizer, row["messages"], max_length) for row in rows]
    encoded = [e for e in encoded if any(label != IGNORE for label in e["labels"])]
    if not encoded:
        raise ValueError("no conversation has a guide turn within max_length")
    return Dataset.from_list(encoded)


def build_trainer(options: SFTOptions, rows: list[dict[str, Any]] | None = None):
    """The SFTTrainer for ``options`` (not yet trained): for tests and :func:`train`."""
    require_training_stack()
    from trl import SFTConfig, SFTTrainer

    if is_adapter(options.model):
        raise ValueError(f"{options.model} is a LoRA adapter: pass its base model as --model")
    rows = rows if rows is not None else load_rows(options.data, "sft")
    dtype_name = precision(options)
    tokenizer = load_tokenizer(options.model)
    model = load_model(options.model, dtype_name)
    dataset = build_dataset(tokenizer, rows, options.max_length)
    config = SFTConfig(**trainer_arguments(options, dtype_name))
    return SFTTrainer(
        model=model,
        args=config,
        train_dataset=dataset,
        processing_class=tokenizer,
        peft_config=None if options.full else lora_config(options),
    )


def train(options: SFTOptions) -> dict[str, Any]:
    """Train, save the adapter (or model), tokenizer and card to ``options.out``; the metrics."""
    return train_rows(options, load_rows(options.data, "sft"))


def train_rows(options: SFTOptions, rows: list[dict[str, Any]]) -> dict[str, Any]:
    trainer = build_trainer(options, rows)
    train_metrics, seconds = run_training(trainer, options.out, options.resume)
    out = Path(options.out)
    trainer.save_model(str(out))
    trainer.processing_class.save_pretrained(str(out))
    metrics = {**train_metrics, "train_seconds": round(seconds, 2), "examples": len(trainer.train_dataset)}
    write_card(out, stage="sft", base_model=options.model, options=as_dict(options), metrics=metrics,
               data=Path(options.data), lora=not options.full)
    return metrics
