"""Before a run: is the TaskLLM there, and does it take our key?

A run that cannot reach its model would otherwise retry every sample for minutes and
record nothing but connection errors. One short call settles it: a missing key, a
refused connection, a wrong URL or model, or a rejected key ends the command with one
line saying what to fix. A busy endpoint (rate limit, 5xx) counts as reachable: the
run's own retries deal with it. Models without an endpoint (the mock, local weights)
are not called.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlparse

import httpx

from guide.chat import ChatMessage, GenerateSettings, TransientProviderError, aclose_model

PING = [ChatMessage(role="user", content="Reply with the single word OK.")]
PING_TIMEOUT_S = 30.0
LOOPBACK = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}
KEY_VARIABLES = {"openai": "OPENAI_API_KEY", "anthropic": "ANTHROPIC_API_KEY"}


class PreflightError(ValueError):
    """The TaskLLM cannot be used as configured; the message says what to change."""


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:300]


def _chain(exc: BaseException | None):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


async def preflight(llm, make_ping_model: Callable[[], object]) -> None:
    """Raise PreflightError when ``llm`` is an API model that cannot answer; else return.

    ``make_ping_model`` builds the same model without retries and with a short timeout,
    for the one test call (the run's own model keeps its patience for the samples)."""
    describe = getattr(llm, "describe", None)
    info = describe() if callable(describe) else {}
    base_url = info.get("base_url")
    if not base_url:
        return
    name = getattr(llm, "name", "the TaskLLM")
    if not info.get("api_key_set") and (urlparse(base_url).hostname or "") not in LOOPBACK:
        variable = KEY_VARIABLES.get(str(info.get("provider")), "the provider's key variable")
        raise PreflightError(
            f"{name}: no API key: set {variable} or pass --api-key (an endpoint that needs none: --api-key none)"
        )
    ping_model = make_ping_model()
    try:
        await ping_model.generate(PING, GenerateSettings(max_tokens=16))
    except Exception as exc:
        chain = list(_chain(exc))
        if any(isinstance(e, httpx.TransportError) for e in chain):
            raise PreflightError(f"{name} at {base_url} cannot be reached: {_first_line(exc)}") from None
        if any(isinstance(e, TransientProviderError) for e in chain):
            return  # there, but busy: the run retries
        raise PreflightError(f"{name} at {base_url} refused a test call: {_first_line(exc)}") from None
    finally:
        await aclose_model(ping_model)
