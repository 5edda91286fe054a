"""Guides chosen by a short string: ``rules`` (the default, no model) or any chat model
in the one format of :mod:`guide.chat` (``hf:PATH``, ``openai:MODEL@BASE_URL``,
``vllm:PATH``, ...), which then decides through :class:`guide.model_guide.ModelGuide`.

The guide owns its fallback: whatever the string, the guide returned here answers every
``next`` with a Guidance (a model-backed guide falls back to the rules guide and says so).
"""

from __future__ import annotations

import logging
import os

from pydantic import Field, SecretStr

from .chat import MODEL_SPEC_FORMS, PROVIDERS, ModelOptions, resolve_chat_model
from .types import Guide

log = logging.getLogger(__name__)

GUIDE_SPEC_HELP = (
    f"rules (default, no model) | {MODEL_SPEC_FORMS}; e.g. hf:/models/codesteer-guide, "
    "openai:codesteer@http://127.0.0.1:8000/v1 (what `mcp-codesteer guide serve` prints)"
)
class GuideModelOptions(ModelOptions):
    """A guide's provider gets less patience than a TaskLLM's: while its endpoint is down,
    every steering step waits for it before the rules guide decides."""

    timeout_s: float = Field(60.0, gt=0, description="one HTTP request may take this long (then it is retried)")
    max_retries: int = Field(3, ge=0, description="retries of a transiently failed call; then the rules guide decides")
    backoff_initial_s: float = Field(0.5, ge=0, description="first wait before a retry; doubles each time, with jitter")
    backoff_max_s: float = Field(20.0, ge=0, description="longest wait between two tries, Retry-After included")


GUIDE_MODEL_OPTIONS = GuideModelOptions()
GUIDE_API_KEY_ENV = "CODESTEER_GUIDE_API_KEY"
"""An API guide's key: this variable first, then the provider's own (OPENAI_API_KEY, ...)."""


def upgrade_guide_spec(spec: str) -> str:
    """The spec in today's format. The old ``openai:URL#MODEL`` form (before the chat layer)
    still works, with a deprecation warning; it means ``openai:MODEL@URL``."""
    kind, _, rest = spec.partition(":")
    if kind == "openai" and rest.startswith(("http://", "https://")):
        url, _, model = rest.partition("#")
        if not model:
            raise ValueError(f"guide {spec!r}: write openai:MODEL@BASE_URL, e.g. openai:codesteer@http://127.0.0.1:8000/v1")
        new = f"openai:{model}@{url}"
        log.warning("guide %r uses the old form openai:URL#MODEL; write %r instead", spec, new)
        return new
    return spec


def create_guide(spec: str, *, options: ModelOptions | None = None, max_tokens: int | None = None) -> Guide:
    """The guide named by ``spec``; ValueError with the accepted forms when it is malformed.

    ``options`` set up a model-backed guide's provider; ``max_tokens`` caps its replies
    (default :data:`guide.model_guide.GUIDE_MAX_TOKENS`)."""
    spec = spec.strip()
    if spec == "rules":
        from .rules import RulesGuide

        return RulesGuide()
    from .model_guide import GUIDE_SETTINGS, ModelGuide

    spec = upgrade_guide_spec(spec)
    if spec.partition(":")[0].lower() not in PROVIDERS:
        raise ValueError(f"unknown guide {spec!r}: write {GUIDE_SPEC_HELP}")
    options = options or GUIDE_MODEL_OPTIONS
    if options.api_key is None and os.environ.get(GUIDE_API_KEY_ENV):
        options = options.model_copy(update={"api_key": SecretStr(os.environ[GUIDE_API_KEY_ENV])})
    settings = GUIDE_SETTINGS if max_tokens is None else GUIDE_SETTINGS.model_copy(update={"max_tokens": max_tokens})
    return ModelGuide(resolve_chat_model(spec, options), settings=settings)
