"""``hf:<path>``: a guide model run in-process with transformers (extra ``hf``).

The model is loaded once, on the first request (or on :meth:`HFBackend.load`), and
kept. Requests from concurrent sessions that arrive within a short window are generated
together as one left-padded batch (:class:`guide.model_guide.Batcher`). On CUDA the
model runs in bfloat16, on CPU in float32. Decoding is greedy, so a guide gives the same
decision for the same trajectory.
"""

from __future__ import annotations

import importlib.util
import inspect
import logging
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from .codesteer_format import FormatLimits
from .model_guide import Batcher, GuideBackendError, Messages, ModelGuide
from .types import Guide

log = logging.getLogger(__name__)

INSTALL_HINT = "pip install 'mcp-codesteer[hf]'"


class HFOptions(BaseModel):
    """How the transformers backend loads and runs the guide model."""

    device: str = Field("auto", description="'auto' (cuda when available, else cpu), 'cpu', 'cuda', 'cuda:1', ...")
    dtype: Literal["auto", "bfloat16", "float16", "float32"] = Field(
        "auto", description="'auto': bfloat16 on CUDA, float32 on CPU"
    )
    max_new_tokens: int | None = Field(
        None,
        ge=1,
        description="a reply is cut at this many tokens (a cut guidance is malformed and falls back); "
        "default the model's generation config's max_new_tokens, else 256",
    )
    max_input_tokens: int | None = Field(
        None, ge=16, description="longest conversation accepted; default the model's context minus max_new_tokens"
    )
    batch_window_s: float = Field(0.02, ge=0, description="how long the first request waits for others to batch with")
    max_batch: int = Field(8, ge=1, description="most requests generated together")


class GenerationStats(BaseModel):
    """One batch as it was generated, for benchmarks."""

    batch_size: int
    input_tokens: int = Field(description="longest prompt of the batch, in tokens")
    new_tokens: int = Field(description="tokens generated, summed over the batch")
    seconds: float


class HFBackend:
    """Generates guide replies with a transformers causal LM."""

    name = "hf"

    def __init__(self, path: str, options: HFOptions | None = None):
        if importlib.util.find_spec("transformers") is None or importlib.util.find_spec("torch") is None:
            raise ImportError(f"the hf guide needs torch and transformers: {INSTALL_HINT}")
        local = Path(path).expanduser()
        if path.startswith(("/", ".", "~")) and not local.exists():
            raise ValueError(
                f"guide hf:{path}: no model there; pass the directory a model was saved to (config.json, weights, tokenizer)"
            )
        self.path = str(local) if path.startswith("~") else path
        self.options = options or HFOptions()
        self._load_lock = threading.Lock()
        self._model: Any = None
        self._tokenizer: Any = None
        self._device: Any = None
        self._eos_ids: list[int] = []
        self._max_new_tokens = 256
        self._chat_kwargs: dict[str, Any] = {}
        self.stats: list[GenerationStats] = []
        self.batcher = Batcher(self._generate_batch, window_s=self.options.batch_window_s, max_batch=self.options.max_batch)

    async def load(self) -> None:
        """Load the model now rather than on the first request."""
        import anyio

        await anyio.to_thread.run_sync(self._ensure_loaded)

    async def generate(self, messages: Messages) -> str:
        return await self.batcher.submit(messages)

    async def aclose(self) -> None:
        self._model = None
        self._tokenizer = None

    def _ensure_loaded(self) -> None:
        with self._load_lock:
            if self._model is not None:
                return
            import torch
            import transformers
            from transformers import AutoModelForCausalLM, AutoTokenizer

            device = self.options.device
            if device == "auto":
                device = "cuda" if torch.cuda.is_available() else "cpu"
            dtype_name = self.options.dtype
            if dtype_name == "auto":
                dtype_name = "bfloat16" if device.startswith("cuda") else "float32"
            # transformers renamed torch_dtype to dtype in 4.56 and warns on the old name
            major, minor = (int(x) for x in transformers.__version__.split(".")[:2])
            dtype_kw = "dtype" if (major, minor) >= (4, 56) else "torch_dtype"
            started = time.perf_counter()
            tokenizer = AutoTokenizer.from_pretrained(self.path)
            model = AutoModelForCausalLM.from_pretrained(self.path, **{dtype_kw: getattr(torch, dtype_name)})
            model.to(device).eval()
            if tokenizer.chat_template is None:
                raise GuideBackendError(f"the tokenizer at {self.path} has no chat template; a guide model needs one")
            if tokenizer.pad_token_id is None:
                tokenizer.pad_token = tokenizer.eos_token
            eos = model.generation_config.eos_token_id
            eos_ids = [eos] if isinstance(eos, int) else list(eos or [])
            if tokenizer.eos_token_id is not None and tokenizer.eos_token_id not in eos_ids:
                eos_ids.append(tokenizer.eos_token_id)
            # TaskLLM text may contain a chat template's control strings; where transformers
            # can, encode them as plain text so they cannot end a turn early
            if "sanitize_control_tokens" in inspect.signature(tokenizer.apply_chat_template).parameters:
                self._chat_kwargs = {"sanitize_control_tokens": True}
            self._max_new_tokens = self.options.max_new_tokens or model.generation_config.max_new_tokens or 256
            self._tokenizer, self._device, self._eos_ids = tokenizer, torch.device(device), eos_ids
            self._model = model
            log.info("hf guide %s loaded on %s (%s) in %.1f s", self.path, device, dtype_name, time.perf_counter() - started)

    def _max_input_tokens(self) -> int:
        if self.options.max_input_tokens is not None:
            return self.options.max_input_tokens
        context = getattr(self._model.config, "max_position_embeddings", None) or 8192
        return max(16, context - self._max_new_tokens)

    def _generate_batch(self, batch: Sequence[Messages]) -> list[str]:
        """Generate one left-padded batch. Raises GuideBackendError, naming the limit, when a
        conversation is longer than ``max_input_tokens``; the guide then falls back."""
        import torch

        self._ensure_loaded()
        tok, model = self._tokenizer, self._model
        encoded = [
            list(tok.apply_chat_template(m, add_generation_prompt=True, tokenize=True, return_dict=False, **self._chat_kwargs))
            for m in batch
        ]
        limit = self._max_input_tokens()
        width = max(len(ids) for ids in encoded)
        if width > limit:
            raise GuideBackendError(
                f"the conversation is {width} tokens, over the guide's limit of {limit} (max_input_tokens); "
                "lower the format limits or use a model with a longer context"
            )
        input_ids = torch.full((len(encoded), width), tok.pad_token_id, dtype=torch.long)
        attention = torch.zeros((len(encoded), width), dtype=torch.long)
        for row, ids in enumerate(encoded):
            input_ids[row, width - len(ids) :] = torch.tensor(ids, dtype=torch.long)
            attention[row, width - len(ids) :] = 1
        started = time.perf_counter()
        with torch.inference_mode():
            out = model.generate(
                input_ids=input_ids.to(self._device),
                attention_mask=attention.to(self._device),
                max_new_tokens=self._max_new_tokens,
                do_sample=False,
                pad_token_id=tok.pad_token_id,
                eos_token_id=self._eos_ids,
            )
        seconds = time.perf_counter() - started
        replies, new_tokens = [], 0
        for row in out[:, width:].tolist():
            ids = self._until_eos(row)
            new_tokens += len(ids)
            replies.append(tok.decode(ids, skip_special_tokens=False))
        self.stats.append(GenerationStats(batch_size=len(batch), input_tokens=width, new_tokens=new_tokens, seconds=seconds))
        return replies

    def _until_eos(self, ids: list[int]) -> list[int]:
        """The generated ids up to the first end-of-turn, without padding.

        Special tokens are kept in the decoded text on purpose: a guide tokenizer may
        hold the control tokens (<<<Code>>>, ...) as special tokens.
        """
        for i, token in enumerate(ids):
            if token in self._eos_ids:
                ids = ids[:i]
                break
        return [t for t in ids if t != self._tokenizer.pad_token_id]


class HFGuide(ModelGuide):
    """The CodeSteer guide run with transformers; see :class:`HFOptions` for the knobs."""

    def __init__(
        self,
        path: str,
        *,
        options: HFOptions | None = None,
        fallback: Guide | None = None,
        limits: FormatLimits | None = None,
    ):
        super().__init__(HFBackend(path, options), fallback=fallback, limits=limits)
