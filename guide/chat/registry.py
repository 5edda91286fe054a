"""Chat models chosen by one string, the same in every command, setting and config file.

``KIND:REST``; each provider is one module with a ``make(rest, options)`` function and
one :func:`register` line below, naming its form and an example (reused in help texts,
errors and the README). Modules are imported only when their kind is asked for, so a
heavy SDK or torch is loaded by the runs that use it and no others.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from .options import ModelOptions
from .types import ChatModel


@dataclass(frozen=True)
class Provider:
    kind: str
    form: str = ""  # how the spec is written, e.g. "openai:MODEL[@BASE_URL]"
    example: str = ""  # one working spec
    summary: str = ""
    factory: str = ""  # "module:function", the function make(rest: str, options: ModelOptions) -> ChatModel


PROVIDERS: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    PROVIDERS[provider.kind] = provider


register(Provider("hf", "hf:PATH", "hf:/models/Qwen2.5-7B-Instruct", "transformers, in-process", "guide.chat.hf:make"))
register(Provider("vllm", "vllm:PATH", "vllm:/models/guide", "vLLM, in-process (GPU)", "guide.chat.vllm:make"))
register(Provider("openai", "openai:MODEL[@BASE_URL]", "openai:codesteer@http://127.0.0.1:8000/v1",
                  "any OpenAI-compatible endpoint (default https://api.openai.com/v1)", "guide.chat.openai:make"))
register(Provider("anthropic", "anthropic:MODEL[@BASE_URL]", "anthropic:claude-sonnet-4-5", "Anthropic's Messages API",
                  "guide.chat.anthropic:make"))
register(Provider("ollama", "ollama:MODEL[@BASE_URL]", "ollama:qwen2.5:7b", "an Ollama server (default 127.0.0.1:11434)",
                  "guide.chat.ollama:make"))
register(Provider("llamacpp", "llamacpp:MODEL[@BASE_URL]", "llamacpp:qwen2.5-7b-instruct",
                  "llama.cpp's llama-server (default 127.0.0.1:8080)", "guide.chat.llamacpp:make"))
register(Provider("mock", "mock[:FILE]", "mock:replies.json", "replays a JSON list of replies (tests, dry runs)",
                  "guide.chat.testing:make_mock"))
register(Provider("function", "function:MODULE:CALLABLE", "function:mypkg.models:reply",
                  "a Python function fn(messages, settings) -> str", "guide.chat.testing:make_function"))

MODEL_SPEC_FORMS = " | ".join(p.form for p in PROVIDERS.values())
MODEL_SPEC_HELP = (
    f"a chat model: {MODEL_SPEC_FORMS}; e.g. "
    + ", ".join(p.example for p in PROVIDERS.values() if p.kind in ("openai", "anthropic", "hf"))
)


def resolve_chat_model(spec: str, options: ModelOptions | None = None) -> ChatModel:
    """The chat model ``spec`` names; ValueError listing the accepted forms when it names none.

    Nothing is loaded or called here: weights load and connections open on the first request.
    """
    spec = spec.strip()
    kind, _, rest = spec.partition(":")
    provider = PROVIDERS.get(kind.lower())
    if provider is None:
        forms = " | ".join(p.form for p in PROVIDERS.values())  # providers registered since import included
        raise ValueError(f"unknown model {spec!r}: write {forms}")
    module, _, function = provider.factory.partition(":")
    return getattr(importlib.import_module(module), function)(rest, options or ModelOptions())
