"""Guides chosen by a short string.

- ``rules``: the deterministic policy (default, no model).
- ``hf:/path/to/model``: a transformers model loaded in-process (extra ``hf``).
- ``openai:http://127.0.0.1:8000/v1#model``: any OpenAI-compatible endpoint (a vLLM server).
- ``vllm:/path/to/model``: vLLM in-process (extra ``vllm``).

Model-backed guides import their heavy dependencies only when chosen.
"""

from __future__ import annotations

from .types import Guide


def create_guide(spec: str) -> Guide:
    """The guide named by ``spec``; ValueError with the accepted forms when it is malformed."""
    spec = spec.strip()
    kind, _, rest = spec.partition(":")
    if spec == "rules":
        from .rules import RulesGuide

        return RulesGuide()
    if kind == "hf" and rest:
        from .hf import HFGuide

        return HFGuide(rest)
    if kind == "openai" and rest:
        from .openai_compat import OpenAIGuide

        base_url, _, model = rest.partition("#")
        if not model:
            raise ValueError(f"guide {spec!r}: name the model after '#', e.g. openai:http://127.0.0.1:8000/v1#codesteer")
        return OpenAIGuide(base_url, model)
    if kind == "vllm" and rest:
        from .vllm_inproc import VLLMGuide

        return VLLMGuide(rest)
    raise ValueError(
        f"unknown guide {spec!r}: use 'rules', 'hf:/path/to/model', "
        "'openai:http://host:port/v1#model' or 'vllm:/path/to/model'"
    )
