"""How a provider is set up (endpoint patience, where local weights run), apart from how
one call samples (:class:`guide.chat.GenerateSettings`). One model for every provider;
each reads the fields that concern it and ignores the rest."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr


class RetryPolicy(BaseModel):
    """How often, and how patiently, a transiently failed call is tried again."""

    max_retries: int = Field(6, ge=0, description="retries after the first attempt")
    backoff_initial_s: float = Field(1.0, ge=0, description="first wait before a retry; doubles each time")
    backoff_max_s: float = Field(60.0, ge=0, description="longest wait between two tries, Retry-After included")


class ModelOptions(BaseModel):
    # API providers (openai, anthropic, ollama, llamacpp)
    api_key: SecretStr | None = Field(None, description="default: the provider's own variable (OPENAI_API_KEY, ...)")
    timeout_s: float = Field(300.0, gt=0, description="one HTTP request may take this long (then it is retried)")
    connect_timeout_s: float = Field(10.0, gt=0)
    max_retries: int = Field(6, ge=0, description="retries of a rate-limited or transiently failed call")
    backoff_initial_s: float = Field(1.0, ge=0, description="first wait before a retry; doubles each time, with jitter")
    backoff_max_s: float = Field(60.0, ge=0, description="longest wait between two tries, Retry-After included")
    # local weights (hf, vllm)
    device: str = Field("auto", description="hf: 'auto' (cuda when available, else cpu), 'cpu', 'cuda', 'cuda:1', ...")
    dtype: Literal["auto", "bfloat16", "float16", "float32"] = Field(
        "auto", description="'auto': bfloat16 on CUDA, float32 on CPU (hf); the model's own (vllm)"
    )
    max_input_tokens: int | None = Field(
        None, ge=16, description="hf: longest conversation accepted; default the model's context minus the reply"
    )
    batch_window_s: float = Field(0.02, ge=0, description="how long the first request waits for others to batch with")
    max_batch: int = Field(8, ge=1, description="most requests generated together")
    lora: Path | None = Field(None, description="vllm: a LoRA adapter served on top of the base model without merging")
    gpu_memory_utilization: float = Field(0.85, gt=0, le=1, description="vllm: share of GPU memory it may take")
    max_model_len: int | None = Field(None, ge=256, description="vllm: context length; default the model's own")

    @property
    def retry_policy(self) -> RetryPolicy:
        return RetryPolicy(
            max_retries=self.max_retries, backoff_initial_s=self.backoff_initial_s, backoff_max_s=self.backoff_max_s
        )

    def key(self) -> str | None:
        return self.api_key.get_secret_value() if self.api_key else None
