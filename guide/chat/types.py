"""What every chat model speaks: messages in, one completion (text, usage, timing) out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, Field, field_validator


class ChatMessage(BaseModel):
    """One turn of a conversation."""

    role: Literal["system", "user", "assistant"]
    content: str


class GenerateSettings(BaseModel):
    """How one call samples. ``None`` leaves a knob to the provider (or the model's own default).

    ``temperature`` 0 (or None on a local model) decodes greedily. ``stop`` strings end the
    reply and are not part of it. ``seed`` is sent where the API takes one.
    """

    temperature: float | None = Field(None, ge=0.0, le=2.0)
    max_tokens: int | None = Field(None, ge=1, description="longest reply, in tokens")
    stop: list[str] | None = None
    seed: int | None = None


class Usage(BaseModel):
    """Tokens of one call (0 where the provider reported none)."""

    input_tokens: int = 0
    output_tokens: int = 0

    @field_validator("input_tokens", "output_tokens", mode="before")
    @classmethod
    def _unreported_is_zero(cls, value: object) -> object:
        # eval logs written before the chat layer hold null where a provider reported nothing
        return 0 if value is None else value

    def __add__(self, other: "Usage") -> "Usage":
        return Usage(
            input_tokens=self.input_tokens + other.input_tokens, output_tokens=self.output_tokens + other.output_tokens
        )


class Completion(BaseModel):
    """One reply with what it cost."""

    text: str
    usage: Usage = Field(default_factory=Usage)
    duration_s: float = 0.0
    model: str = ""
    finish_reason: str | None = Field(None, description="as the provider said: 'stop', 'length', ...")
    attempts: int = Field(1, description="calls made, retries included")


@runtime_checkable
class ChatModel(Protocol):
    """A language model behind one call. ``name`` is the spec string it was made from
    (``openai:gpt-4o``, ``hf:/models/guide``, ``mock``)."""

    name: str

    async def generate(self, messages: Sequence[ChatMessage], settings: GenerateSettings | None = None) -> Completion: ...


class ModelError(RuntimeError):
    """A model could not produce a reply (unreachable, refused the request, ran out of script)."""


class ProviderError(ModelError):
    """A call that cannot succeed as sent (or failed after every retry)."""


class TransientProviderError(ProviderError):
    """A call worth retrying: rate limit, overload, 5xx, connection trouble."""

    def __init__(self, message: str, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


def as_messages(messages: Sequence[ChatMessage | dict]) -> list[ChatMessage]:
    """``messages`` as ChatMessage objects (dicts with role and content are accepted)."""
    return [m if isinstance(m, ChatMessage) else ChatMessage.model_validate(m) for m in messages]


async def aclose_model(model: object) -> None:
    """Release what ``model`` holds (HTTP pools, weights), if it holds anything."""
    close = getattr(model, "aclose", None)
    if close is not None:
        await close()
