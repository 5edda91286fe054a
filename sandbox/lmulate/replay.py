"""Deterministic replay: run, collect the semantic calls nobody could answer, have them
emulated, run again from the start with every value so far, until the program finishes.

Only the sandbox's public ``run`` is used, so this works on every backend, with single-use
containers. A run is the result only when every semantic call it made was answered from
the memo; a run that met an unanswered call is a look-ahead whose output is dropped.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from typing import Literal

import anyio
from pydantic import BaseModel, Field

from ..types import ExecResult, Sandbox
from .calls import JSONValue, SemanticCall, json_size, semantic_names, source_line
from .prelude import EXIT_PENDING, build_program, new_nonce, read_records


class LmulateLimits(BaseModel):
    """Limits of one emulated execution. At a limit the execution stops with status
    ``limit`` and a message saying which limit and what to change; nothing is raised."""

    max_emulated_calls: int = Field(64, ge=1, le=10_000, description="distinct calls emulated for one execution")
    max_replays: int = Field(24, ge=1, le=1000, description="runs of the program for one execution")
    max_pending_per_run: int = Field(
        16, ge=1, le=256, description="unanswered calls one run reports before it stops (1: stop at the first)"
    )
    max_call_chars: int = Field(4000, ge=100, description="one call's arguments, as JSON")
    max_value_chars: int = Field(4000, ge=10, description="one emulated value, as JSON")
    max_parallel: int = Field(4, ge=1, le=64, description="calls emulated at once")
    total_timeout_s: float = Field(300.0, gt=0, description="wall clock of all runs and emulations of one execution")


class EmulatedCall(SemanticCall):
    """A semantic call with the value that was supplied for it, and by whom."""

    value: JSONValue = None
    source: str = Field("", description="who supplied the value: sampling, model:<spec>, host, ...")
    emulated: Literal[True] = Field(True, description="always true: this value was guessed by a model, not computed")


Emulator = Callable[[SemanticCall], Awaitable[JSONValue]]
"""Answers one call (a model behind it); raise to give up on the call."""

Status = Literal["finished", "needs_values", "limit", "error"]


class LmulateResult(BaseModel):
    status: Status
    execution: ExecResult = Field(description="the final run (or, unless finished, the last look-ahead run)")
    emulated: list[EmulatedCall] = Field(default_factory=list)
    pending: list[SemanticCall] = Field(default_factory=list, description="calls waiting for a value")
    runs: int = 0
    message: str = ""
    semantic_names: list[str] = Field(default_factory=list)
    emulator_s: float = Field(0.0, description="time spent waiting for the emulator")
    sandbox_s: float = Field(0.0, description="time spent in sandbox runs")


class Lmulator:
    """Runs programs whose semantic calls are emulated (Chain of Code's LMulator)."""

    def __init__(self, sandbox: Sandbox, limits: LmulateLimits | None = None) -> None:
        self.sandbox = sandbox
        self.limits = limits or LmulateLimits()

    async def run(
        self,
        code: str,
        *,
        timeout_s: float | None = None,
        stdin: str | None = None,
        files: dict[str, bytes] | None = None,
        memo: list[EmulatedCall] | None = None,
        emulator: Emulator | None = None,
        source: str = "emulator",
        runs_before: int = 0,
    ) -> LmulateResult:
        """Run ``code`` until it finishes with every semantic call answered.

        ``memo`` holds values already known (from the caller, or earlier rounds).
        ``emulator`` answers the rest; without one, the first run that meets unanswered
        calls ends the execution with status ``needs_values`` and those calls in
        ``pending``. ``runs_before`` counts runs of earlier rounds against
        ``max_replays``.
        """
        limits = self.limits
        # The caller's request is checked as the caller sent it (SandboxInputError, a ValueError);
        # what the prelude and the memo add is this module's to bound, below.
        self.sandbox.limits.check_request(code, timeout_s, stdin)
        names = semantic_names(code)
        table: dict[str, EmulatedCall] = {c.key: c for c in (memo or [])}
        runs = runs_before
        sandbox_s = emulator_s = 0.0
        started = time.monotonic()
        last = ExecResult(backend=self.sandbox.name, notes=["The program was not run."])

        def result(status: Status, execution: ExecResult, message: str = "", pending=()) -> LmulateResult:
            return LmulateResult(
                status=status,
                execution=execution,
                emulated=list(table.values()),
                pending=list(pending),
                runs=runs,
                message=message,
                semantic_names=names,
                emulator_s=emulator_s,
                sandbox_s=sandbox_s,
            )

        while True:
            if runs >= limits.max_replays:
                return result("limit", last, _limit_message("max_replays", limits.max_replays, "runs of the program"))
            nonce = new_nonce()
            order = list(table)
            program = build_program(
                code, names, {k: table[k].value for k in order},
                nonce=nonce, max_new=limits.max_pending_per_run, max_chars=limits.max_call_chars,
            )  # fmt: skip
            if len(program.encode("utf-8", errors="replace")) > self.sandbox.limits.max_code_bytes:
                return result(
                    "limit", last,
                    f"the program with its {len(table)} emulated values is over the sandbox's max_code_bytes "
                    f"({self.sandbox.limits.max_code_bytes}): emulate fewer or shorter values, or send a shorter program",
                )  # fmt: skip
            at = time.monotonic()
            extra = {"files": files} if files else {}  # every run starts from the same input files
            raw = await self.sandbox.run(program, timeout_s=timeout_s, stdin=stdin, **extra)
            sandbox_s += time.monotonic() - at
            runs += 1
            reading = read_records(
                raw.stderr, nonce, names=names, max_records=limits.max_pending_per_run + 1,
                max_chars=limits.max_call_chars, max_used=len(table),
            )  # fmt: skip
            last = raw.model_copy(update={"stderr": reading.stderr})
            if reading.rejected:
                last.notes.append(f"{reading.rejected} malformed emulation record(s) from the program were ignored.")
            stderr_cut = raw.truncated and len(raw.stderr.encode()) >= 0.9 * self.sandbox.limits.output_bytes
            ended_through_prelude = raw.exit_code is not None and raw.exit_code >= 0
            if not reading.records and (
                raw.exit_code == EXIT_PENDING or (names and stderr_cut and not ended_through_prelude)
            ):
                return result(
                    "error", last,
                    "the program wrote more to stderr than the output limit, so whether it met calls of functions "
                    f"nobody wrote cannot be told (or it exited with the reserved status {EXIT_PENDING}): write less "
                    "to stderr",
                )  # fmt: skip
            if not reading.records:
                if not stderr_cut:  # else a record may have been cut: keep listing every value supplied
                    table = {order[i]: table[order[i]] for i in reading.used}
                if table:
                    last.notes.append(
                        f"{len(table)} function call(s) were emulated by a language model, not computed "
                        "(listed in `emulated`)."
                    )
                return result("finished", last)
            too_big = next((r for r in reading.records if r.too_big), None)
            if too_big is not None:
                return result(
                    "limit", last,
                    f"a call of {too_big.name} at line {too_big.line} has arguments of {too_big.too_big} characters as "
                    f"JSON, over the limit of {limits.max_call_chars} (max_call_chars): pass shorter arguments",
                )  # fmt: skip
            last.notes.append(
                "This run met calls of functions nobody wrote before their values were known (they returned a "
                "placeholder), so its output is not the program's result."
            )
            pending: dict[str, SemanticCall] = {}
            for r in reading.records:
                if r.key in table:
                    return result(
                        "error", last,
                        f"the program asked again for {r.key}, whose value it was given: its semantic calls must not "
                        "depend on randomness or time, since the program is replayed from the start",
                    )  # fmt: skip
                pending.setdefault(
                    r.key,
                    SemanticCall(key=r.key, name=r.name, args=r.args, kwargs=r.kwargs, line=r.line,
                                 line_text=source_line(code, r.line), speculative=r.spec),
                )  # fmt: skip
            if len(table) + len(pending) > limits.max_emulated_calls:
                return result(
                    "limit", last,
                    _limit_message("max_emulated_calls", limits.max_emulated_calls, "distinct emulated calls")
                    + f"; the program had {len(table)} answered and asked for {len(pending)} more",
                    pending.values(),
                )  # fmt: skip
            if emulator is None:
                return result(
                    "needs_values", last, f"{len(pending)} call(s) of functions nobody wrote need a value", pending.values()
                )
            remaining = limits.total_timeout_s - (time.monotonic() - started)
            at = time.monotonic()
            values: dict[str, JSONValue] = {}
            failures: list[str] = []
            with anyio.move_on_after(max(remaining, 0.001)) as scope:
                await _emulate_all(list(pending.values()), emulator, limits, values, failures)
            emulator_s += time.monotonic() - at
            if scope.cancelled_caught:
                return result(
                    "limit", last, _limit_message("total_timeout_s", limits.total_timeout_s, "seconds in all"), pending.values()
                )
            if failures:
                return result("error", last, "the emulator could not answer: " + "; ".join(failures[:3]), pending.values())
            if not values:
                return result("error", last, "the emulator answered none of the calls", pending.values())
            for key, call in pending.items():
                if key in values:  # a speculative call the emulator could not answer is asked again if reached
                    table[key] = EmulatedCall(**call.model_dump(exclude={"speculative"}), value=values[key], source=source)


async def _emulate_all(
    calls: list[SemanticCall], emulator: Emulator, limits: LmulateLimits, values: dict, failures: list[str]
) -> None:
    slots = anyio.Semaphore(limits.max_parallel)

    async def one(call: SemanticCall) -> None:
        async with slots:
            try:
                value = await emulator(call)
                size = json_size(value)
            except Exception as exc:  # a model or client failure ends the execution, in words
                if not call.speculative:
                    failures.append(f"{call.key}: {type(exc).__name__}: {exc}"[:500])
                return
        if size > limits.max_value_chars:
            failures.append(f"{call.key}: the value is {size} characters as JSON, over max_value_chars={limits.max_value_chars}")
            return
        values[call.key] = json.loads(json.dumps(value))

    async with anyio.create_task_group() as tg:
        for call in calls:
            tg.start_soon(one, call)


def _limit_message(setting: str, value: float, what: str) -> str:
    return (
        f"stopped at the limit of {value:g} {what} ({setting}): emulate fewer calls (e.g. fewer items, or one call "
        f"per item rather than per pair), or raise CODESTEER_LMULATE__{setting.upper()}"
    )
