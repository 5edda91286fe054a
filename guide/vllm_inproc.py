"""``vllm:<path>``: the guide model run by vLLM inside the server process (extra ``vllm``).

For most set-ups ``mcp-codesteer guide serve`` (a separate vLLM server, reached with
``openai:...``) is the better choice: the MCP server stays light and restarts fast.
This backend suits one machine, one process. A LoRA adapter is applied per request on
top of the base model, never merged; prefix caching is on, since consecutive guidance
requests of a session share their whole past conversation.
"""

from __future__ import annotations

import importlib.util
import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from .codesteer_format import FormatLimits
from .model_guide import Batcher, Messages, ModelGuide
from .types import Guide

INSTALL_HINT = "pip install 'mcp-codesteer[vllm]'"


class VLLMOptions(BaseModel):
    """How vLLM loads and runs the guide model."""

    lora: Path | None = Field(None, description="a LoRA adapter directory, served on top of the base model without merging")
    max_new_tokens: int = Field(256, ge=1, description="a reply is cut at this many tokens (a cut guidance falls back)")
    max_model_len: int | None = Field(None, ge=256, description="context length; default the model's own")
    gpu_memory_utilization: float = Field(0.85, gt=0, le=1, description="share of GPU memory vLLM may take")
    dtype: str = Field("auto", description="vLLM dtype: auto, bfloat16, float16")
    batch_window_s: float = Field(0.02, ge=0, description="how long the first request waits for others to batch with")
    max_batch: int = Field(32, ge=1, description="most requests handed to vLLM at once")


def lora_rank(adapter: Path) -> int | None:
    """The rank ``r`` of a PEFT LoRA adapter, read from its adapter_config.json."""
    config = adapter / "adapter_config.json"
    if not config.is_file():
        return None
    return int(json.loads(config.read_text()).get("r") or 0) or None


def max_lora_rank_for(rank: int | None) -> int | None:
    """vLLM's --max-lora-rank to serve an adapter of ``rank`` (vLLM's default, 16, when None)."""
    if rank is None or rank <= 16:
        return None
    for allowed in (32, 64, 128, 256, 320, 512):
        if rank <= allowed:
            return allowed
    raise ValueError(f"LoRA rank {rank} is over vLLM's largest supported rank (512)")


class VLLMBackend:
    """Generates guide replies with ``vllm.LLM.chat``, several conversations per call."""

    name = "vllm"

    def __init__(self, path: str, options: VLLMOptions | None = None):
        if importlib.util.find_spec("vllm") is None:
            raise ImportError(f"the vllm guide needs vLLM (and a GPU): {INSTALL_HINT}")
        self.path = path
        self.options = options or VLLMOptions()
        self._lock = threading.Lock()
        self._llm: Any = None
        self._sampling: Any = None
        self._lora_request: Any = None
        self.batcher = Batcher(self._generate_batch, window_s=self.options.batch_window_s, max_batch=self.options.max_batch)

    def _ensure_loaded(self) -> None:
        with self._lock:
            if self._llm is not None:
                return
            from vllm import LLM, SamplingParams

            kwargs: dict[str, Any] = {
                "model": self.path,
                "dtype": self.options.dtype,
                "enable_prefix_caching": True,
                "gpu_memory_utilization": self.options.gpu_memory_utilization,
            }
            if self.options.max_model_len:
                kwargs["max_model_len"] = self.options.max_model_len
            if self.options.lora is not None:
                from vllm.lora.request import LoRARequest

                kwargs["enable_lora"] = True
                rank = max_lora_rank_for(lora_rank(self.options.lora))
                if rank:
                    kwargs["max_lora_rank"] = rank
                self._lora_request = LoRARequest("codesteer", 1, str(self.options.lora))
            self._sampling = SamplingParams(temperature=0.0, max_tokens=self.options.max_new_tokens)
            self._llm = LLM(**kwargs)

    def _generate_batch(self, batch: Sequence[Messages]) -> list[str]:
        self._ensure_loaded()
        outputs = self._llm.chat(list(batch), self._sampling, use_tqdm=False, lora_request=self._lora_request)
        return [out.outputs[0].text for out in outputs]

    async def generate(self, messages: Messages) -> str:
        return await self.batcher.submit(messages)

    async def aclose(self) -> None:
        self._llm = None


class VLLMGuide(ModelGuide):
    """The CodeSteer guide run by vLLM in-process."""

    def __init__(
        self,
        path: str,
        *,
        options: VLLMOptions | None = None,
        fallback: Guide | None = None,
        limits: FormatLimits | None = None,
    ):
        super().__init__(VLLMBackend(path, options), fallback=fallback, limits=limits)
