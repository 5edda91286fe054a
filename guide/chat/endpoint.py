"""``MODEL[@BASE_URL]``: the part of an API provider's spec after ``kind:``, read once for
every API provider (OpenAI-compatible, Anthropic, Ollama, llama.cpp)."""

from __future__ import annotations

import os


def split_model_url(kind: str, rest: str, *, default_base_url: str, base_url_env: str | None = None,
                    example: str) -> tuple[str, str]:
    """(model, base URL) from ``MODEL`` or ``MODEL@BASE_URL``. Without a URL: ``$base_url_env``,
    else ``default_base_url``. ValueError, with ``example``, when a part is missing or the URL has
    no scheme."""
    model, url = rest, ""
    for scheme in ("@http://", "@https://"):
        if scheme in rest:
            at = rest.index(scheme)
            model, url = rest[:at], rest[at + 1 :]
            break
    else:
        if "@" in rest:
            model, _, url = rest.rpartition("@")
    if not model:
        raise ValueError(f"{kind}: name the model, e.g. {example}")
    url = url or (os.environ.get(base_url_env) if base_url_env else None) or default_base_url
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"{kind}: base URL {url!r} must start with http:// or https://, e.g. {example}")
    return model, url.rstrip("/")


def key_from_env(*names: str) -> str | None:
    """The first of the variables ``names`` that is set and not empty."""
    for name in names:
        if os.environ.get(name):
            return os.environ[name]
    return None
