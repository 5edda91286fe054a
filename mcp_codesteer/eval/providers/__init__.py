"""TaskLLM providers, chosen by a short string: ``openai:<model>``, ``anthropic:<model>``,
``hf:<path>``, ``mock`` / ``mock:FILE``. Each imports what it needs only when chosen."""

from __future__ import annotations

from .base import Completion, GenerationSettings, Message, ProviderError, TaskLLM, TransientProviderError, Usage
from .mock import MockTaskLLM

PROVIDERS = ("openai", "anthropic", "hf", "mock")


def resolve_task_llm(spec: str, *, base_url: str | None = None, api_key: str | None = None) -> TaskLLM:
    """The provider a ``--task-llm`` string names; ValueError saying what to write otherwise."""
    spec = spec.strip()
    kind, _, rest = spec.partition(":")
    kind = kind.lower()
    if kind == "openai":
        from .openai_compat import OpenAICompatible

        return OpenAICompatible(rest, base_url=base_url, api_key=api_key)
    if kind == "anthropic":
        from .anthropic import Anthropic

        return Anthropic(rest, api_key=api_key, base_url=base_url)
    if kind == "hf":
        from .hf import HuggingFaceLocal

        return HuggingFaceLocal(rest)
    if kind == "mock":
        return MockTaskLLM.from_spec(rest)
    raise ValueError(
        f"unknown TaskLLM {spec!r}: write openai:<model>, anthropic:<model>, hf:<path> or mock[:FILE]"
    )


__all__ = [
    "Completion",
    "GenerationSettings",
    "Message",
    "MockTaskLLM",
    "PROVIDERS",
    "ProviderError",
    "TaskLLM",
    "TransientProviderError",
    "Usage",
    "resolve_task_llm",
]
