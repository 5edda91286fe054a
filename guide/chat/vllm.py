"""``vllm:PATH``: a model run by vLLM inside this process (extra ``vllm``, a GPU).

For most set-ups a separate vLLM server (``mcp-codesteer guide serve``, reached with
``openai:NAME@http://127.0.0.1:8000/v1``) is the better choice: the MCP server stays
light and restarts fast. This provider suits one machine, one process. A LoRA adapter
(``lora`` option) is applied per request on top of the base model, never merged; prefix
caching is on, since consecutive requests of a conversation share their whole past.
"""

from __future__ import annotations

import importlib.util
import json
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .batcher import BatchedLocalModel, LocalRequest
from .options import ModelOptions
from .types import Completion, Usage

INSTALL_HINT = "pip install 'mcp-codesteer[vllm]'"
DEFAULT_MAX_TOKENS = 512


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


class VLLMModel(BatchedLocalModel):
    """Generates with ``vllm.LLM.chat``, several conversations per call."""

    def __init__(self, path: str, options: ModelOptions | None = None):
        if not path:
            raise ValueError("vllm: give a model directory or hub id, e.g. vllm:/models/guide")
        if importlib.util.find_spec("vllm") is None:
            raise ImportError(f"vllm:{path} needs vLLM (and a GPU): {INSTALL_HINT}")
        self.path = path
        self.name = f"vllm:{path}"
        self.options = options or ModelOptions()
        self._lock = threading.Lock()
        self._llm: Any = None
        self._lora_request: Any = None
        self._start_batching(self.options)

    def describe(self) -> dict:
        return {"provider": "vllm", "model": self.path, "lora": str(self.options.lora) if self.options.lora else None}

    def _ensure_loaded(self) -> None:
        with self._lock:
            if self._llm is not None:
                return
            from vllm import LLM

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
            self._llm = LLM(**kwargs)

    def _generate_batch(self, batch: Sequence[LocalRequest]) -> list[Completion]:
        from vllm import SamplingParams

        self._ensure_loaded()
        settings = batch[0][1]
        sampling = SamplingParams(
            temperature=settings.temperature or 0.0,
            max_tokens=settings.max_tokens or DEFAULT_MAX_TOKENS,
            stop=settings.stop,
            seed=settings.seed,
        )
        started = time.perf_counter()
        outputs = self._llm.chat([m for m, _ in batch], sampling, use_tqdm=False, lora_request=self._lora_request)
        seconds = time.perf_counter() - started
        return [
            Completion(
                text=out.outputs[0].text,
                usage=Usage(input_tokens=len(out.prompt_token_ids or []), output_tokens=len(out.outputs[0].token_ids)),
                duration_s=seconds,
                model=self.path,
                finish_reason=out.outputs[0].finish_reason,
            )
            for out in outputs
        ]

    async def aclose(self) -> None:
        self._llm = None


def make(rest: str, options: ModelOptions) -> VLLMModel:
    return VLLMModel(rest, options)
