"""The card written next to a trained guide: base model, data, hyperparameters, metrics.

``README.md`` is for people (and the Hub); ``codesteer_training.json`` holds the same
facts for programs (the DPO stage reads the SFT card to find the base model).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

CARD_JSON = "codesteer_training.json"


def _data_stats(data: Path) -> dict | None:
    stats = (data if data.is_dir() else data.parent) / "stats.json"
    if stats.exists():
        try:
            return json.loads(stats.read_text(encoding="utf-8"))
        except ValueError:
            return None
    return None


def write_card(out: Path, *, stage: str, base_model: str, options: dict[str, Any], metrics: dict[str, Any],
               data: Path, lora: bool, parent: str | None = None) -> None:
    stats = _data_stats(Path(data))
    facts = {
        "stage": stage,
        "base_model": base_model,
        "starts_from": parent,
        "method": "LoRA" if lora else "full fine-tuning",
        "data": str(data),
        "data_stats": {k: stats[k] for k in ("conversations", "guide_turns", "pairs", "trees") if k in stats} if stats else None,
        "hyperparameters": options,
        "metrics": metrics,
        "written": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    (out / CARD_JSON).write_text(json.dumps(facts, indent=2, default=str), encoding="utf-8")
    rows = "\n".join(f"| `{k}` | `{v}` |" for k, v in options.items())
    mrows = "\n".join(f"| {k} | {v} |" for k, v in metrics.items())
    serve = f"mcp-codesteer serve --guide hf:{out}"
    vllm = f"mcp-codesteer guide serve {base_model} --lora {out}" if lora else f"mcp-codesteer guide serve {out}"
    text = f"""---
base_model: {base_model}
library_name: {"peft" if lora else "transformers"}
tags: [codesteer, mcp-codesteer, trl, {stage}]
---

# CodeSteer guide ({stage.upper()}, {facts["method"]})

A guide model for [mcp-codesteer](https://github.com/): it reads a steering session in the CodeSteer
format (guide/codesteer_format.py) and answers `<<<Code>>>`, `<<<Text>>>`, `<<<Return Answer>>>`,
`<<<Terminate>>>` or guidance inside `<<<...>>>`.

- base model: `{base_model}`
- starts from: `{parent or base_model}`
- trained with: TRL {stage.upper()}, {facts["method"]}
- data: `{data}`{f" ({stats.get('conversations')} conversations, {stats.get('guide_turns')} guide turns, {stats.get('pairs')} preference pairs)" if stats else ""}

Serve it: `{serve}` (transformers, in-process) or `{vllm}` (vLLM).

## Hyperparameters

| option | value |
|---|---|
{rows}

## Metrics

| metric | value |
|---|---|
{mrows}
"""
    (out / "README.md").write_text(text, encoding="utf-8")


def read_card(path: Path) -> dict[str, Any] | None:
    card = Path(path) / CARD_JSON
    return json.loads(card.read_text(encoding="utf-8")) if card.exists() else None
