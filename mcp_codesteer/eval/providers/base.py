"""What every TaskLLM provider speaks: chat messages in, one completion out."""

from __future__ import annotations

from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, Field

from guide.http_retry import ProviderError, RetryPolicy, TransientProviderError


class Message(BaseModel):
    role: Literal["system", "user", "assistant"]
    content: str


class Usage(BaseModel):
    """Token counts as the API reported them (None where it reported nothing)."""

    input_tokens: int | None = None
    output_tokens: int | None = None

    def __add__(self, other: "Usage") -> "Usage":
        def add(a: int | None, b: int | None) -> int | None:
            if a is None and b is None:
                return None
            return (a or 0) + (b or 0)

        return Usage(
            input_tokens=add(self.input_tokens, other.input_tokens),
            output_tokens=add(self.output_tokens, other.output_tokens),
        )


class Completion(BaseModel):
    text: str
    usage: Usage = Field(default_factory=Usage)
    model: str = ""
    finish_reason: str | None = None
    duration_s: float = 0.0
    attempts: int = Field(1, description="calls made, retries included")


class GenerationSettings(BaseModel):
    """How a TaskLLM is asked: the sampling knobs and the limits of one call.

    At ``max_retries`` the last transient error is raised as a ProviderError; a
    non-transient error (a bad request, a wrong key) is raised at once.
    """

    temperature: float = Field(0.0, ge=0.0, le=2.0)
    max_tokens: int = Field(4096, ge=1, description="largest completion asked for")
    seed: int | None = Field(None, description="sampling seed, sent where the API takes one")
    request_timeout_s: float = Field(300.0, gt=0, description="one HTTP request (or local generation) may take this long")
    max_retries: int = Field(6, ge=0, description="retries of a rate-limited or transiently failed call")
    backoff_initial_s: float = Field(1.0, ge=0, description="first wait before a retry; doubles each time")
    backoff_max_s: float = Field(60.0, ge=0, description="longest wait between two tries")

    @property
    def retry_policy(self) -> RetryPolicy:
        return RetryPolicy(
            max_retries=self.max_retries, backoff_initial_s=self.backoff_initial_s, backoff_max_s=self.backoff_max_s
        )


# The API providers share the guide's HTTP retry policy (guide.http_retry), errors included.
__all__ = ["Completion", "GenerationSettings", "Message", "ProviderError", "TaskLLM", "TransientProviderError", "Usage"]


@runtime_checkable
class TaskLLM(Protocol):
    """The model under test. ``generate`` gets the whole conversation so far."""

    name: str

    async def generate(self, messages: list[Message], settings: GenerationSettings) -> Completion: ...

    async def aclose(self) -> None: ...
