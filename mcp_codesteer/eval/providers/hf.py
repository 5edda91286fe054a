"""A local transformers model as the TaskLLM (``hf:<path or hub id>``)."""

from __future__ import annotations

import threading
import time
from typing import Any

import anyio

from .base import Completion, GenerationSettings, Message, ProviderError, Usage

INSTALL_HINT = "the hf TaskLLM needs transformers and torch: pip install 'mcp-codesteer[hf]' torch"


class HuggingFaceLocal:
    """Loads the model on first use, generates in a worker thread, one generation at a
    time (a single model instance is not safe to share between threads)."""

    def __init__(self, path: str, *, device_map: str = "auto") -> None:
        if not path:
            raise ValueError("hf: give a model path or hub id, e.g. --task-llm hf:/models/Qwen2.5-7B-Instruct")
        self.path = path
        self.name = f"hf:{path}"
        self._device_map = device_map
        self._model: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def describe(self) -> dict:
        return {"provider": "hf", "model": self.path}

    def _load(self) -> None:
        try:
            import torch  # noqa: F401
            from transformers import AutoModelForCausalLM, AutoTokenizer
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ProviderError(f"{INSTALL_HINT} ({exc})") from exc
        self._tokenizer = AutoTokenizer.from_pretrained(self.path)
        self._model = AutoModelForCausalLM.from_pretrained(self.path, torch_dtype="auto", device_map=self._device_map)
        self._model.eval()

    def _generate_blocking(self, messages: list[Message], settings: GenerationSettings) -> Completion:
        import torch

        with self._lock:
            if self._model is None:
                self._load()
            started = time.perf_counter()
            inputs = self._tokenizer.apply_chat_template(
                [m.model_dump() for m in messages], add_generation_prompt=True, return_tensors="pt", return_dict=True
            ).to(self._model.device)
            kwargs: dict[str, Any] = {"max_new_tokens": settings.max_tokens}
            if settings.temperature > 0:
                kwargs.update(do_sample=True, temperature=settings.temperature)
                if settings.seed is not None:
                    torch.manual_seed(settings.seed)
            else:
                kwargs.update(do_sample=False)
            with torch.inference_mode():
                output = self._model.generate(**inputs, **kwargs)
            prompt_len = inputs["input_ids"].shape[1]
            new_tokens = output[0][prompt_len:]
            text = self._tokenizer.decode(new_tokens, skip_special_tokens=True)
            return Completion(
                text=text,
                usage=Usage(input_tokens=int(prompt_len), output_tokens=int(new_tokens.shape[0])),
                model=self.path,
                finish_reason="length" if new_tokens.shape[0] >= settings.max_tokens else "stop",
                duration_s=time.perf_counter() - started,
            )

    async def generate(self, messages: list[Message], settings: GenerationSettings) -> Completion:
        return await anyio.to_thread.run_sync(self._generate_blocking, messages, settings)

    async def aclose(self) -> None:
        self._model = None
        self._tokenizer = None
