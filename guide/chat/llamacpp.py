"""``llamacpp:MODEL[@BASE_URL]``: a model served by llama.cpp's ``llama-server``, through
its OpenAI-compatible API. Default base URL ``http://127.0.0.1:8080/v1`` (else
``$LLAMACPP_BASE_URL``); the key, if the server was started with ``--api-key``, from the
options or ``$LLAMACPP_API_KEY``."""

from __future__ import annotations

from .endpoint import key_from_env, split_model_url
from .openai import OpenAICompatibleModel
from .options import ModelOptions

DEFAULT_BASE_URL = "http://127.0.0.1:8080/v1"


def make(rest: str, options: ModelOptions) -> OpenAICompatibleModel:
    model, url = split_model_url("llamacpp", rest, default_base_url=DEFAULT_BASE_URL, base_url_env="LLAMACPP_BASE_URL",
                                 example="llamacpp:qwen2.5-7b-instruct")
    return OpenAICompatibleModel("llamacpp", model, url, api_key=options.key() or key_from_env("LLAMACPP_API_KEY"),
                                 options=options)
