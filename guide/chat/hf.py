"""``hf:PATH``: a transformers causal LM run in-process (extra ``hf``). The one
transformers loader of the project: the guide, the eval's TaskLLM and training's
synthesis all load and generate through :class:`HFModel`.

The model is loaded once, on the first request (or on :meth:`HFModel.load`), and kept.
Requests that arrive within ``batch_window_s`` of each other with the same sampling
settings are generated together as one left-padded batch. On CUDA the model runs in
bfloat16, on CPU in float32 (``dtype`` option). Temperature 0 or None decodes greedily;
above 0 it samples (seeded when the settings carry a seed).

The reply is cut at the first end-of-turn token and decoded *with* special tokens: a
guide tokenizer may hold its control tokens (<<<Code>>>, ...) as special tokens.
"""

from __future__ import annotations

import importlib.util
import inspect
import logging
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from .batcher import BatchedLocalModel, LocalRequest
from .guard import check_model_request_allowed
from .options import ModelOptions
from .types import Completion, ModelError, Usage

log = logging.getLogger(__name__)

INSTALL_HINT = "pip install 'mcp-codesteer[hf]'"
DEFAULT_MAX_NEW_TOKENS = 512
"""A reply is cut here when neither the settings nor the model's generation config say otherwise."""


class GenerationStats(BaseModel):
    """One batch as it was generated, for benchmarks."""

    batch_size: int
    input_tokens: int = Field(description="longest prompt of the batch, in tokens")
    new_tokens: int = Field(description="tokens generated, summed over the batch")
    seconds: float


class HFModel(BatchedLocalModel):
    """A transformers chat model; see :class:`guide.chat.options.ModelOptions` for device,
    dtype, ``max_input_tokens`` and the batching knobs."""

    def __init__(self, path: str, options: ModelOptions | None = None):
        if not path:
            raise ValueError("hf: give a model directory or hub id, e.g. hf:/models/Qwen2.5-7B-Instruct")
        if importlib.util.find_spec("transformers") is None or importlib.util.find_spec("torch") is None:
            raise ImportError(f"hf:{path} needs torch and transformers: {INSTALL_HINT}")
        local = Path(path).expanduser()
        if path.startswith(("/", ".", "~")) and not local.exists():
            raise ValueError(
                f"hf:{path}: no model there; pass the directory a model was saved to (config.json, weights, tokenizer)"
            )
        self.path = str(local) if path.startswith("~") else path
        self.name = f"hf:{path}"
        self.options = options or ModelOptions()
        self._load_lock = threading.Lock()
        self._model: Any = None
        self._tokenizer: Any = None
        self._device: Any = None
        self._eos_ids: list[int] = []
        self._default_max_new = DEFAULT_MAX_NEW_TOKENS
        self._chat_kwargs: dict[str, Any] = {}
        self.stats: list[GenerationStats] = []
        self._start_batching(self.options)

    def describe(self) -> dict:
        return {"provider": "hf", "model": self.path}

    async def load(self) -> None:
        """Load the model now rather than on the first request."""
        import anyio

        check_model_request_allowed(self.name)
        await anyio.to_thread.run_sync(self._ensure_loaded)

    async def aclose(self) -> None:
        self._model = None
        self._tokenizer = None

    def _ensure_loaded(self) -> None:
        with self._load_lock:
            if self._model is not None:
                return
            import torch
            from transformers import AutoModelForCausalLM, AutoTokenizer

            device = self.options.device
            if device == "auto":
                device = "cuda" if torch.cuda.is_available() else "cpu"
            dtype_name = self.options.dtype
            if dtype_name == "auto":
                dtype_name = "bfloat16" if device.startswith("cuda") else "float32"
            started = time.perf_counter()
            tokenizer = AutoTokenizer.from_pretrained(self.path)
            model = AutoModelForCausalLM.from_pretrained(self.path, dtype=getattr(torch, dtype_name))
            model.to(device).eval()
            if tokenizer.chat_template is None:
                raise ModelError(f"the tokenizer at {self.path} has no chat template; a chat model needs one")
            if tokenizer.pad_token_id is None:
                tokenizer.pad_token = tokenizer.eos_token
            eos = model.generation_config.eos_token_id
            eos_ids = [eos] if isinstance(eos, int) else list(eos or [])
            if tokenizer.eos_token_id is not None and tokenizer.eos_token_id not in eos_ids:
                eos_ids.append(tokenizer.eos_token_id)
            # conversation text (a TaskLLM's reply) may contain a chat template's control
            # strings; where transformers can, encode them as plain text so they cannot end a turn early
            if "sanitize_control_tokens" in inspect.signature(tokenizer.apply_chat_template).parameters:
                self._chat_kwargs = {"sanitize_control_tokens": True}
            self._default_max_new = model.generation_config.max_new_tokens or DEFAULT_MAX_NEW_TOKENS
            self._tokenizer, self._device, self._eos_ids = tokenizer, torch.device(device), eos_ids
            self._model = model
            log.info("%s loaded on %s (%s) in %.1f s", self.name, device, dtype_name, time.perf_counter() - started)

    def _max_input_tokens(self, max_new: int) -> int:
        if self.options.max_input_tokens is not None:
            return self.options.max_input_tokens
        context = getattr(self._model.config, "max_position_embeddings", None) or 8192
        return max(16, context - max_new)

    def _generate_batch(self, batch: Sequence[LocalRequest]) -> list[Completion]:
        """Generate one left-padded batch (all requests share their settings). Raises
        ModelError, naming the limit, when a conversation is longer than ``max_input_tokens``."""
        import torch

        self._ensure_loaded()
        tok, model = self._tokenizer, self._model
        settings = batch[0][1]
        max_new = settings.max_tokens or self._default_max_new
        encoded = [
            list(tok.apply_chat_template(m, add_generation_prompt=True, tokenize=True, return_dict=False, **self._chat_kwargs))
            for m, _ in batch
        ]
        limit = self._max_input_tokens(max_new)
        width = max(len(ids) for ids in encoded)
        if width > limit:
            raise ModelError(
                f"the conversation is {width} tokens, over {self.name}'s limit of {limit} (max_input_tokens); "
                "shorten the conversation or use a model with a longer context"
            )
        input_ids = torch.full((len(encoded), width), tok.pad_token_id, dtype=torch.long)
        attention = torch.zeros((len(encoded), width), dtype=torch.long)
        for row, ids in enumerate(encoded):
            input_ids[row, width - len(ids) :] = torch.tensor(ids, dtype=torch.long)
            attention[row, width - len(ids) :] = 1
        kwargs: dict[str, Any] = {"max_new_tokens": max_new, "do_sample": False}
        if settings.temperature:
            kwargs.update(do_sample=True, temperature=settings.temperature)
            if settings.seed is not None:
                torch.manual_seed(settings.seed)
        if settings.stop:
            kwargs.update(stop_strings=settings.stop, tokenizer=tok)
        started = time.perf_counter()
        with torch.inference_mode():
            out = model.generate(
                input_ids=input_ids.to(self._device),
                attention_mask=attention.to(self._device),
                pad_token_id=tok.pad_token_id,
                eos_token_id=self._eos_ids,
                **kwargs,
            )
        seconds = time.perf_counter() - started
        completions, new_tokens = [], 0
        for ids_in, row in zip(encoded, out[:, width:].tolist()):
            ids, ended = self._until_eos(row)
            new_tokens += len(ids)
            text, stopped = _cut_at_stop(tok.decode(ids, skip_special_tokens=False), settings.stop)
            completions.append(
                Completion(
                    text=text,
                    usage=Usage(input_tokens=len(ids_in), output_tokens=len(ids)),
                    duration_s=seconds,
                    model=self.path,
                    finish_reason="stop" if ended or stopped else "length",
                )
            )
        self.stats.append(GenerationStats(batch_size=len(batch), input_tokens=width, new_tokens=new_tokens, seconds=seconds))
        return completions

    def _until_eos(self, ids: list[int]) -> tuple[list[int], bool]:
        """The generated ids up to the first end-of-turn, without padding; whether it ended there."""
        ended = False
        for i, token in enumerate(ids):
            if token in self._eos_ids:
                ids, ended = ids[:i], True
                break
        return [t for t in ids if t != self._tokenizer.pad_token_id], ended


def _cut_at_stop(text: str, stop: list[str] | None) -> tuple[str, bool]:
    """``text`` up to the first stop string (which is dropped), and whether one was found."""
    cuts = [text.index(s) for s in stop or [] if s and s in text]
    return (text[: min(cuts)], True) if cuts else (text, False)


def make(rest: str, options: ModelOptions) -> HFModel:
    return HFModel(rest, options)
