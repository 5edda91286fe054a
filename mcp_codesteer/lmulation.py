"""Who emulates the semantic calls of a ``run_code(..., lmulate=true)`` program, and the
shape of the answer.

In order:

(a) the host's own model through MCP sampling, when the client declares it: mid-call
    ``sampling/createMessage`` requests on handshake-era connections, or, on
    2026-07-28 connections (no server-initiated requests mid-call), an
    ``InputRequiredResult`` asking for one completion per pending call, whose answers
    come back on the client's automatic retry together with the sealed request state;
(b) a model configured with ``--lmulator SPEC`` (the project's chat-model layer);
(c) the host model itself, through the result: the pending calls are listed with a
    prompt, and the host calls again with ``emulated={"key": value, ...}``.

The server keeps no state between calls: path (c) sends every value again, and path
(a)'s state rides the framework-sealed ``request_state``. Values from the caller are
untrusted input: keys must parse as calls, sizes and counts are bounded.
"""

from __future__ import annotations

import hashlib
import json
import re
import warnings
from collections.abc import Awaitable, Callable
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from sandbox.lmulate import (
    CallKeyError,
    EmulatedCall,
    Emulator,
    LmulateLimits,
    LmulateResult,
    SemanticCall,
    call_context,
    call_key,
    emulation_prompt,
    parse_call_key,
    parse_emulated_value,
)


AskText = Callable[[str], Awaitable[str]]
"""One prompt in, the model's reply text out."""

EMULATION_MAX_TOKENS = 256
"""Tokens asked for one emulated value (a judgement, a short string or list)."""

HOST_INSTRUCTIONS = (
    "The program calls functions nobody wrote ({names}), and no model on the server side could emulate them "
    "(the client offers no sampling and no --lmulator is configured), so you are the emulator. Decide what each "
    "pending call returns, using judgement and world knowledge, then call run_code again with the same code, "
    "lmulate=true and emulated set to `lmulate.next_emulated` with every null replaced by the call's JSON value "
    "(keep the values already there: the server keeps no state between calls)."
)


class HostValueError(ValueError):
    """``emulated`` from the caller is not usable; the message says what to send."""


class LmulateSummary(BaseModel):
    """What an emulated execution did, beside the usual run_code fields."""

    status: Literal["finished", "needs_values", "limit", "error"] = Field(
        description="finished: the output is the program's; needs_values: send values for `pending`; "
        "limit/error: stopped, see message"
    )
    emulated: list[EmulatedCall] = Field(
        default_factory=list, description="every value a model supplied (guessed, not computed), with who supplied it"
    )
    pending: list[SemanticCall] = Field(default_factory=list, description="calls waiting for a value")
    runs: int = Field(0, description="times the program was run (replays)")
    message: str = ""
    prompt: str | None = Field(None, description="what to do next, when values are needed from you")
    next_emulated: dict[str, Any] | None = Field(
        None, description="the `emulated` argument to send next: known values, and null for each pending call"
    )


def summarise(result: LmulateResult, *, host_prompt: bool = True) -> LmulateSummary:
    """The result for a tool's output; ``host_prompt`` adds run_code's instructions for
    path (c) (steering has its own, in the guide's prompt)."""
    summary = LmulateSummary(
        status=result.status,
        emulated=result.emulated,
        pending=result.pending,
        runs=result.runs,
        message=result.message,
    )
    if result.status == "needs_values" or (result.status == "error" and result.pending):
        if host_prompt:
            summary.prompt = HOST_INSTRUCTIONS.format(names=", ".join(sorted({c.name for c in result.pending})))
        summary.next_emulated = {c.key: c.value for c in result.emulated} | {c.key: None for c in result.pending}
    return summary


def host_memo(emulated: dict[str, Any] | None, limits: LmulateLimits) -> list[EmulatedCall]:
    """The caller's ``emulated`` values as memo entries (source ``host``), validated."""
    if not emulated:
        return []
    if not isinstance(emulated, dict):
        raise HostValueError('emulated must be an object mapping call keys to values, e.g. {"is_fruit(\'apple\')": true}')
    if len(emulated) > limits.max_emulated_calls:
        raise HostValueError(
            f"emulated holds {len(emulated)} values, over the limit of {limits.max_emulated_calls}: send only the "
            "values of calls the program makes"
        )
    memo: dict[str, EmulatedCall] = {}
    for raw_key, value in emulated.items():
        try:
            name, args, kwargs = parse_call_key(str(raw_key))
        except CallKeyError as exc:
            raise HostValueError(
                f"emulated key {exc}: use the keys listed in lmulate.pending (or lmulate.next_emulated) unchanged"
            ) from None
        if value is None:
            raise HostValueError(f"emulated[{raw_key!r}] is null: replace every null with the call's value")
        try:
            size = len(json.dumps(value, allow_nan=False))
        except (TypeError, ValueError):
            raise HostValueError(f"emulated[{raw_key!r}] is not a JSON value") from None
        if size > limits.max_value_chars:
            raise HostValueError(
                f"emulated[{raw_key!r}] is {size} characters as JSON, over the limit of {limits.max_value_chars}"
            )
        key = call_key(name, args, kwargs)
        memo[key] = EmulatedCall(key=key, name=name, args=args, kwargs=kwargs, value=value, source="host")
    return list(memo.values())


def text_emulator(ask: AskText, code: str, *, question: str | None, max_value_chars: int) -> Emulator:
    """An emulator that asks ``ask`` with :func:`emulation_prompt` and reads the reply."""

    async def emulate(call: SemanticCall) -> Any:
        reply = await ask(emulation_prompt(call, call_context(code, call.line), question))
        return parse_emulated_value(reply, max_chars=max_value_chars)

    return emulate


# (a) MCP sampling ------------------------------------------------------------------------------


def client_can_sample(ctx: Any) -> bool:
    try:
        caps = ctx.client_capabilities
    except Exception:  # no request context (called outside a request)
        return False
    return caps is not None and caps.sampling is not None


def sampling_is_deferred(ctx: Any) -> bool:
    """True where server-initiated requests cannot be sent mid-call (2026-07-28 and later)."""
    from mcp_types.version import is_version_at_least

    version = ctx.protocol_version or ""
    try:
        return is_version_at_least(version, "2026-07-28")
    except ValueError:
        return False


def sampling_params(prompt: str) -> Any:
    from mcp import types

    return types.CreateMessageRequestParams(
        messages=[types.SamplingMessage(role="user", content=types.TextContent(type="text", text=prompt))],
        max_tokens=EMULATION_MAX_TOKENS,
        temperature=0.0,
        system_prompt="You emulate Python functions that nobody wrote. Answer with the value only, inside <<< >>>.",
    )


def reply_text(result: Any) -> str:
    """The text of a CreateMessageResult (or its dict form); empty when it holds none."""
    from mcp import types

    if isinstance(result, dict):
        try:
            result = types.CreateMessageResult.model_validate(result)
        except ValidationError:
            return ""
    content = getattr(result, "content", None)
    blocks = content if isinstance(content, list) else [content]
    return "".join(getattr(b, "text", "") or "" for b in blocks if getattr(b, "type", None) == "text")


def inline_sampler(ctx: Any) -> AskText:
    """Asks the client's model mid-call (handshake-era connections)."""

    async def ask(prompt: str) -> str:
        params = sampling_params(prompt)
        with warnings.catch_warnings():  # deprecated only from 2026-07-28, which takes the deferred path instead
            warnings.simplefilter("ignore")
            result = await ctx.session.create_message(
                params.messages,
                max_tokens=params.max_tokens,
                temperature=params.temperature,
                system_prompt=params.system_prompt,
                related_request_id=ctx.request_id,
            )
        return reply_text(result)

    return ask


class DeferredState(BaseModel):
    """What rides the sealed request_state between rounds of the 2026-07-28 flow."""

    v: Literal[1] = 1
    bind: str = Field(max_length=64, description="hash of the call's code, stdin and emulated")
    runs: int = Field(0, ge=0)
    memo: list[EmulatedCall] = Field(default_factory=list)
    asked: dict[str, SemanticCall] = Field(default_factory=dict, description="input request id -> call")


def binding(code: str, stdin: str | None, emulated: dict | None) -> str:
    payload = json.dumps([code, stdin, emulated], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def deferred_requests(result: LmulateResult, code: str, question: str | None, bind: str) -> Any:
    """The InputRequiredResult asking the client's model for every pending call at once."""
    from mcp import types

    asked = {f"lm{i}": call for i, call in enumerate(result.pending)}
    requests = {
        rid: types.CreateMessageRequest(params=sampling_params(emulation_prompt(call, call_context(code, call.line), question)))
        for rid, call in asked.items()
    }
    state = DeferredState(bind=bind, runs=result.runs, memo=result.emulated, asked=asked)
    return types.InputRequiredResult(input_requests=requests, request_state=state.model_dump_json())


def resume_deferred(ctx: Any, bind: str, limits: LmulateLimits) -> tuple[list[EmulatedCall], int] | None:
    """The memo and run count carried by a retry, with the client's answers added; None on
    a first round. ValueError when the state or an answer is unusable."""
    raw = ctx.request_state
    if raw is None:
        return None
    try:
        state = DeferredState.model_validate_json(raw)
    except ValidationError:
        raise ValueError("the request_state of this retry is not one this server issued") from None
    if state.bind != bind:
        raise ValueError("the request_state belongs to a different program: call run_code again without it")
    responses = ctx.input_responses or {}
    memo = {c.key: c for c in state.memo}
    for rid, call in state.asked.items():
        if rid not in responses:
            raise ValueError(f"the client sent no answer for the sampling request {rid}")
        value = parse_emulated_value(reply_text(responses[rid]), max_chars=limits.max_value_chars)
        memo[call.key] = EmulatedCall(**call.model_dump(), value=value, source="sampling")
    return list(memo.values()), state.runs


# (b) a configured model --------------------------------------------------------------------------


def model_asker(model: Any) -> AskText:
    """A chat model of the project's model layer (``guide.chat``; ``--lmulator SPEC``) as an AskText."""
    from guide.chat import ChatMessage, GenerateSettings

    settings = GenerateSettings(temperature=0.0, max_tokens=EMULATION_MAX_TOKENS)

    async def ask(prompt: str) -> str:
        completion = await model.generate([ChatMessage(role="user", content=prompt)], settings)
        return completion.text

    return ask


# the run_code tool's flow ------------------------------------------------------------------------


async def run_code_lmulated(
    app: Any,
    ctx: Any,
    code: str,
    timeout_s: float | None,
    stdin: str | None,
    session: str | None,
    emulated: dict | None,
    files: dict[str, str] | None = None,
) -> LmulateResult | Any:
    """run_code with lmulate: an LmulateResult, or an InputRequiredResult asking the
    client's model (2026-07-28 sampling). InputError (from ``app``) for bad input."""
    from .steering import InputError

    limits: LmulateLimits = app.settings.lmulate
    if client_can_sample(ctx) and sampling_is_deferred(ctx):
        bind = binding(code, stdin, {"emulated": emulated, "files": files})
        try:
            resumed = resume_deferred(ctx, bind, limits)
        except ValueError as exc:
            raise InputError(str(exc)) from None
        memo, runs = resumed if resumed is not None else ([], 0)
        result = await app.run_lmulated(
            code, timeout_s, stdin, session, emulated, files=files, memo=memo, runs_before=runs, use_model=False
        )
        if result.status == "needs_values":
            return deferred_requests(result, code, None, bind)
        return result
    ask = inline_sampler(ctx) if client_can_sample(ctx) else None
    return await app.run_lmulated(code, timeout_s, stdin, session, emulated, files=files, ask=ask, source="sampling")


# steering: values the TaskLLM wrote into its response -------------------------------------------

_JSON_FENCE = re.compile(r"```json[ \t]*\n(.*?)```", re.DOTALL | re.IGNORECASE)


def emulated_from_response(response: str, limits: LmulateLimits) -> list[EmulatedCall]:
    """Values the TaskLLM gave for pending calls, as the last ```json block of its
    response mapping call keys to values. Entries that are not usable (a key that is not
    a call, a null, an oversized value) are left out: the call is then asked again."""
    blocks = _JSON_FENCE.findall(response or "")
    if not blocks:
        return []
    try:
        data = json.loads(blocks[-1])
    except ValueError:
        return []
    if not isinstance(data, dict):
        return []
    memo: list[EmulatedCall] = []
    for raw_key, value in list(data.items())[: limits.max_emulated_calls]:
        if value is None:
            continue
        try:
            memo.extend(host_memo({raw_key: value}, limits))
        except HostValueError:
            continue
    return memo


def steering_sampler(ctx: Any) -> AskText | None:
    """The client's model for a steer_next round's emulated calls: only where it can be
    asked mid-call. On 2026-07-28 connections a steering step is not retried for input
    (it records the round), so emulation there falls to --lmulator or the TaskLLM."""
    if client_can_sample(ctx) and not sampling_is_deferred(ctx):
        return inline_sampler(ctx)
    return None
