"""``ollama:MODEL[@BASE_URL]``: a model served by Ollama, through its OpenAI-compatible API.

Default base URL ``http://127.0.0.1:11434/v1`` (else ``$OLLAMA_BASE_URL``); no key.
"""

from __future__ import annotations

from .endpoint import split_model_url
from .openai import OpenAICompatibleModel
from .options import ModelOptions

DEFAULT_BASE_URL = "http://127.0.0.1:11434/v1"


def make(rest: str, options: ModelOptions) -> OpenAICompatibleModel:
    model, url = split_model_url("ollama", rest, default_base_url=DEFAULT_BASE_URL, base_url_env="OLLAMA_BASE_URL",
                                 example="ollama:qwen2.5:7b")
    return OpenAICompatibleModel("ollama", model, url, api_key=options.key(), options=options)
