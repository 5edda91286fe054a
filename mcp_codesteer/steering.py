"""The steering service: everything the MCP tools do, reachable without MCP.

``CodeSteer`` owns the session store, the sandbox and the guide. ``open`` starts a
session with the guide's code/text choice; ``step`` takes the TaskLLM's response,
extracts and runs its program, runs both checkers, records the round and asks the
guide for the next step. Input a caller can fix raises ``InputError`` with what to send
instead; the MCP layer turns it into a ToolError.
"""

from __future__ import annotations

import base64
import logging
import uuid
from collections import defaultdict
from datetime import datetime, timezone

import anyio

from checkers import AnswerCheck, analyze_code, check_with_task, extract_python, prose_of
from checkers.answer import CHECKER_INSTRUCTIONS, CheckerInputError, run_checker, unverified
from guide import (
    Action,
    Emulation,
    Guidance,
    Guide,
    Round,
    Trajectory,
    create_guide,
    mixes_judgement_and_computation,
)
from guide.chat import ChatModel, aclose_model, resolve_chat_model
from sandbox import ExecResult, Sandbox, SandboxInputError, create_sandbox, session_handles
from sandbox.lmulate import EmulatedCall, LmulateResult, Lmulator, semantic_names
from symbench.extract import answer_or_last_line, extract_answer

from .lmulation import (
    AskText,
    HostValueError,
    emulated_from_response,
    host_memo,
    model_asker,
    summarise,
    text_emulator,
)
from .settings import Settings
from .store import SessionExpired, SessionNotFound, TrajectoryStore
from .tool_types import CheckAnswerResult, SteerResult, SymbolicSummary

log = logging.getLogger(__name__)


UNREFUTED_AT_LIMIT = "No rounds are left. The best answer no check refuted is {answer}; give it as the final answer."


class InputError(ValueError):
    """Bad input from the caller: the message says what was wrong and what to send instead."""


class CodeSteer:
    def __init__(
        self,
        settings: Settings,
        *,
        guide: Guide | None = None,
        sandbox: Sandbox | None = None,
        lmulator: ChatModel | None = None,
    ) -> None:
        self.settings = settings
        self.store = TrajectoryStore(settings.store_path, settings.session_ttl_s)
        self.lmulator_model: ChatModel | None = lmulator
        self.lmulator: AskText | None = model_asker(lmulator) if lmulator is not None else None
        self.guide: Guide | None = guide
        self.sandbox: Sandbox | None = sandbox
        self.warnings: list[str] = []
        self._users = 0
        self.started_once = False
        """Whether the backends ever started: a later failure is not a start-up failure."""
        self._start_lock = anyio.Lock()
        self._session_locks: defaultdict[str, anyio.Lock] = defaultdict(anyio.Lock)

    # lifecycle ---------------------------------------------------------------
    async def start(self) -> None:
        """Open the store and start the backends; shared by concurrent connections."""
        async with self._start_lock:
            self._users += 1
            if self._users > 1:
                return
            try:
                await self._start_backends()
            except BaseException:
                self._users -= 1
                raise
            self.started_once = True

    async def _start_backends(self) -> None:
        await self.store.open()
        if self.guide is None:
            self.guide = create_guide(
                self.settings.guide, options=self.settings.guide_model, max_tokens=self.settings.guide_max_tokens
            )
        if self.sandbox is None:
            self.sandbox, sandbox_warnings = await create_sandbox(
                self.settings.sandbox, self.settings.limits, self.settings.docker
            )
            self.warnings.extend(sandbox_warnings)
        else:
            await self.sandbox.start()
            self.warnings.extend(getattr(self.sandbox, "warnings", []))
        if self.lmulator is None and self.settings.lmulator:
            self.lmulator_model = resolve_chat_model(self.settings.lmulator, self.settings.lmulator_options)
            self.lmulator = model_asker(self.lmulator_model)
        for warning in self.warnings:
            log.warning(warning)

    async def aclose(self) -> None:
        async with self._start_lock:
            self._users = max(0, self._users - 1)
            if self._users:
                return
            if self.sandbox is not None:
                await self.sandbox.aclose()
            if self.guide is not None:
                await self.guide.aclose()
            if self.lmulator_model is not None:
                await aclose_model(self.lmulator_model)
            await self.store.close()

    def _backends(self) -> tuple[Sandbox, Guide]:
        if self.sandbox is None or self.guide is None:
            raise RuntimeError("CodeSteer.start() was not called")
        return self.sandbox, self.guide

    def describe(self) -> dict:
        sandbox, guide = self._backends()
        return {
            "settings": self.settings.public_view(),
            "guide": getattr(guide, "name", type(guide).__name__),
            "sandbox": sandbox.describe(),
            "warnings": self.warnings,
        }

    # validation ----------------------------------------------------------------
    def _question(self, question: str) -> str:
        question = (question or "").strip()
        if not question:
            raise InputError("question is empty: send the full text of the problem to solve")
        if len(question) > self.settings.max_question_chars:
            raise InputError(
                f"question is {len(question)} characters, over the limit of {self.settings.max_question_chars}: "
                "send a shorter question (or raise CODESTEER_MAX_QUESTION_CHARS)"
            )
        return question

    def validate_code(self, code: str) -> str:
        """Non-empty and within ``limits.max_code_bytes`` (the sandbox's own check)."""
        if not code or not code.strip():
            raise InputError("code is empty: send a Python program as a string")
        try:
            self.settings.limits.check_program(code)
        except SandboxInputError as exc:
            raise InputError(str(exc)) from None
        return code

    @staticmethod
    def _task(task: str | None) -> str | None:
        if task is None or not task.strip():
            return None
        from symbench import get_task

        try:
            return get_task(task).name
        except KeyError as exc:
            raise InputError(str(exc.args[0])) from None

    async def load(self, session_id: str) -> Trajectory:
        try:
            return await self.store.load(session_id)
        except SessionExpired:
            raise InputError(
                f"session {session_id!r} expired after {self.settings.session_ttl_s:g} s without use: "
                "open a new session by calling steer_next with the question and no session_id"
            ) from None
        except SessionNotFound:
            raise InputError(
                f"unknown session_id {session_id!r}: pass the session_id that the first steer_next call returned, "
                "or call steer_next with the question and no session_id to open a new session"
            ) from None

    # steering -------------------------------------------------------------------
    async def open(self, question: str, task: str | None = None) -> SteerResult:
        _, guide = self._backends()
        trajectory = Trajectory(
            session_id=uuid.uuid4().hex,
            question=self._question(question),
            task=self._task(task),
            max_rounds=self.settings.max_rounds,
        )
        trajectory.first = await guide.next(trajectory)
        await self.store.save(trajectory)
        return self._result(trajectory, None, trajectory.first)

    async def step(
        self, session_id: str, response: str, question: str | None = None, *, ask: AskText | None = None
    ) -> SteerResult:
        """One TaskLLM response. ``ask`` is the client's model through MCP sampling, used to
        emulate the program's semantic calls when there are any (Chain of Code)."""
        if not response or not response.strip():
            raise InputError("response is empty: send the TaskLLM's whole latest answer (text and any python block)")
        if len(response) > self.settings.max_response_chars:
            raise InputError(
                f"response is {len(response)} characters, over the limit of {self.settings.max_response_chars}: "
                "send a shorter response"
            )
        lock = self._session_locks[session_id]
        try:
            async with lock:
                return await self._step_locked(session_id, response, question, ask)
        finally:
            if not lock.locked() and lock.statistics().tasks_waiting == 0:
                self._session_locks.pop(session_id, None)

    async def _step_locked(
        self, session_id: str, response: str, question: str | None, ask: AskText | None = None
    ) -> SteerResult:
        sandbox, guide = self._backends()
        trajectory = await self.load(session_id)
        if trajectory.status != "open":
            raise InputError(
                f"session {session_id!r} is finished ({trajectory.status}) with the final answer "
                f"{trajectory.final_answer!r}: open a new session for a new attempt"
            )
        warnings = []
        if question and question.strip() and question.strip() != trajectory.question:
            warnings.append("the question sent differs from the session's question; the session's question was used")
        round_ = await self._round(sandbox, trajectory, response, ask)
        trajectory.rounds.append(round_)
        round_.guidance = await guide.next(trajectory)
        if round_.guidance.action in (Action.RETURN, Action.TERMINATE):
            trajectory.status = "returned" if round_.guidance.action is Action.RETURN else "terminated"
            chosen = round_.guidance.final_answer
            if round_.guidance.action is Action.TERMINATE or chosen is None:
                # At the round limit the answer is the best one no check refuted, never one a
                # check said is wrong while another was still open.
                unrefuted, _, _ = best_unrefuted(trajectory)
                if unrefuted is not None and unrefuted != round_.guidance.final_answer:
                    round_.guidance.prompt = UNREFUTED_AT_LIMIT.format(answer=unrefuted)
                chosen = unrefuted if unrefuted is not None else chosen
            trajectory.final_answer = chosen
            round_.guidance.final_answer = trajectory.final_answer
        trajectory.updated_at = datetime.now(timezone.utc)
        await self.store.save(trajectory)
        result = self._result(trajectory, round_, round_.guidance)
        result.warnings.extend(warnings)
        return result

    async def assess(self, trajectory: Trajectory, response: str) -> Round:
        """The round ``response`` makes on ``trajectory`` (program run, code analysed, answer
        checked), as ``step`` makes it before asking the guide; nothing is stored. Training's
        synthesis uses it to follow several guidance branches from one state."""
        sandbox, _ = self._backends()
        return await self._round(sandbox, trajectory, response)

    def next_prompt(self, trajectory: Trajectory, round_: Round | None, guidance: Guidance) -> str:
        """What steer_next would tell the TaskLLM after ``round_`` and ``guidance``."""
        return self._result(trajectory, round_, guidance).prompt

    async def _round(self, sandbox: Sandbox, trajectory: Trajectory, response: str, ask: AskText | None = None) -> Round:
        code = extract_python(response)
        round_ = Round(index=len(trajectory.rounds) + 1, response=response, code=code)
        if code is not None:
            # a large program takes seconds to analyse: off the event loop
            round_.symbolic = await anyio.to_thread.run_sync(analyze_code, code)
            if round_.symbolic.verdict != "syntax_error":
                if self._emulates(trajectory, code):
                    round_.execution, round_.emulation = await self._emulate(trajectory, code, response, ask)
                else:
                    round_.execution = await self._execute(sandbox, code)
        round_.answer = _answer_of(response, round_.execution)
        if round_.answer and trajectory.task:
            round_.answer_check = await self._task_check(trajectory.task, trajectory.question, round_.answer)
        return round_

    async def _task_check(self, task: str, question: str, answer: str) -> AnswerCheck:
        """The task's constraint check in a worker thread, so it never blocks the event loop.

        At ``settings.task_check_timeout_s`` the verdict is 'unverified' and the thread is
        abandoned (the check holds no lock and writes nothing; it ends on its own)."""
        limit = self.settings.task_check_timeout_s
        with anyio.move_on_after(limit):
            return await anyio.to_thread.run_sync(check_with_task, task, question, answer, abandon_on_cancel=True)
        return AnswerCheck(
            verdict="unverified",
            reason=f"the {task} check did not finish within {limit:g} s; check the answer with a self-check program",
            method="task_constraints",
        )

    def _emulates(self, trajectory: Trajectory, code: str) -> bool:
        """Whether this round's undefined calls are emulated (Chain of Code): only on a question
        that mixes judgement with computation. Elsewhere an undefined function is a helper the
        program forgot to write, and its NameError is fed back as a crash."""
        return (
            bool(semantic_names(code))
            and len(code.encode("utf-8")) <= self.settings.limits.max_code_bytes
            and mixes_judgement_and_computation(trajectory.question)[0]
        )

    async def _emulate(
        self, trajectory: Trajectory, code: str, response: str, ask: AskText | None
    ) -> tuple[ExecResult | None, Emulation]:
        """An emulation round: the values of earlier rounds and those the response gives
        are reused; a round still waiting for values has no execution (it is not a crash)."""
        memo = {c.key: c for r in trajectory.rounds if r.emulation for c in r.emulation.emulated}
        memo |= {c.key: c for c in emulated_from_response(response, self.settings.lmulate)}
        result = await self.run_lmulated(code, memo=list(memo.values()), ask=ask, question=trajectory.question)
        emulation = Emulation(
            status=result.status, emulated=result.emulated, pending=result.pending, message=result.message, runs=result.runs
        )
        return (None if result.status == "needs_values" else result.execution), emulation

    async def _execute(self, sandbox: Sandbox, code: str) -> ExecResult:
        try:
            return await sandbox.run(code)
        except SandboxInputError as exc:  # a program too long: the TaskLLM is told, the round goes on
            return ExecResult(
                exit_code=1,
                stderr=f"not run: {exc}",
                backend="none",
                notes=["The program was not run because it is too long; write a shorter one."],
            )

    def _result(self, trajectory: Trajectory, round_: Round | None, guidance: Guidance) -> SteerResult:
        done = guidance.action in (Action.RETURN, Action.TERMINATE)
        prompt = guidance.prompt
        execution = None
        if round_ is not None and round_.execution is not None:
            execution = round_.execution.summary(self.settings.feedback_chars)
            if not done:
                prompt = f"Output of your code:\n{execution}\n\n{prompt}"
        verified, verification = final_verdict(trajectory, trajectory.final_answer) if done else (None, None)
        if done and verified is False and trajectory.final_answer is not None:
            prompt = f"{prompt}\n\nNote: this answer is not verified: {verification}."
        return SteerResult(
            session_id=trajectory.session_id,
            action=guidance.action.value,
            prompt=prompt,
            rationale=guidance.rationale,
            done=done,
            final_answer=trajectory.final_answer if done else None,
            verified=verified,
            verification=verification,
            round=trajectory.turns_used,
            rounds_left=trajectory.turns_left,
            guide=guidance.source,
            execution=execution,
            exit_code=round_.execution.exit_code if round_ and round_.execution else None,
            timed_out=bool(round_ and round_.execution and round_.execution.timed_out),
            symbolic=(
                SymbolicSummary(verdict=round_.symbolic.verdict, score=round_.symbolic.score, advice=round_.symbolic.advice)
                if round_ and round_.symbolic
                else None
            ),
            answer=round_.answer if round_ else None,
            answer_check=round_.answer_check if round_ else None,
            lmulate=summarise_emulation(round_.emulation) if round_ and round_.emulation else None,
        )

    # the other tools -----------------------------------------------------------------
    async def run_code(
        self,
        code: str,
        timeout_s: float | None = None,
        stdin: str | None = None,
        session: str | None = None,
        files: dict[str, str] | None = None,
        client: str = "",
    ) -> tuple[ExecResult, str | None]:
        """Run ``code``, and return the result with the session handle it ran in.

        ``session`` is a handle a previous call returned (that session goes on) or any
        other name (a new session starts, under a new unguessable handle made from the
        name; see sandbox/session_handles.py). Sessions need the docker sandbox. A request
        the sandbox refuses becomes an InputError saying why. stdout and stderr are each
        cut to ``settings.output_chars`` characters (first and last halves kept, a note
        saying so), so one run cannot flood the caller's context."""
        sandbox, _ = self._backends()
        code = self.validate_code(code)
        extra = {"files": self._input_files(files)} if files else {}
        handle, new = session_handles.resolve(session) if session is not None else (None, False)
        try:
            result = await sandbox.run(code, timeout_s=timeout_s, stdin=stdin, session=handle, owner=client, **extra)
        except ValueError as exc:  # a limit, files refused, an invalid handle, no room for a session, no sessions here
            raise InputError(str(exc)) from None
        if handle is not None and new:
            result.notes.insert(0, f"Pass session={handle!r} to run in this session again; another name starts a new one.")
        return result.clipped(self.settings.output_chars), handle

    def run_sessions(self) -> dict:
        """How many persistent run_code sessions live now, and the limits that end them
        (never their handles: a handle is what lets a client reach its session)."""
        sandbox, _ = self._backends()
        options = self.settings.docker
        return {
            "supported": sandbox.supports_sessions,
            "idle_limit_s": options.session_idle_s,
            "lifetime_s": options.session_lifetime_s,
            "max_sessions": options.max_sessions,
            "max_sessions_per_client": options.max_sessions_per_client,
            "sessions": sandbox.list_sessions() if hasattr(sandbox, "list_sessions") else {},
        }

    async def close_run_session(self, session: str, client: str = "") -> bool:
        """End ``client``'s persistent session ``session`` (its variables and files go);
        False when none was open."""
        sandbox, _ = self._backends()
        if not sandbox.supports_sessions:
            raise InputError(
                f"persistent sessions need the docker sandbox, and this server runs the {sandbox.name} one: "
                "there are none to close"
            )
        try:
            return await sandbox.close_session(session, owner=client)
        except ValueError as exc:  # an invalid handle
            raise InputError(str(exc)) from None

    @staticmethod
    def _input_files(files: dict[str, str]) -> dict[str, bytes]:
        """run_code's ``files``: text as UTF-8, ``base64:...`` decoded; InputError on bad base64."""
        decoded = {}
        for name, content in files.items():
            if content.startswith("base64:"):
                try:
                    decoded[name] = base64.b64decode(content[len("base64:") :], validate=True)
                except ValueError:
                    raise InputError(
                        f"file {name!r} starts with 'base64:' but the rest is not base64: send valid base64 after the "
                        "prefix, or the text itself without it"
                    ) from None
            else:
                decoded[name] = content.encode("utf-8")
        return decoded

    async def run_lmulated(
        self,
        code: str,
        timeout_s: float | None = None,
        stdin: str | None = None,
        session: str | None = None,
        emulated: dict | None = None,
        *,
        files: dict[str, str] | None = None,
        ask: AskText | None = None,
        source: str = "sampling",
        memo: list[EmulatedCall] | None = None,
        runs_before: int = 0,
        question: str | None = None,
        use_model: bool = True,
    ) -> LmulateResult:
        """Run ``code`` with its semantic calls emulated (Chain of Code).

        Values come from ``emulated`` (the caller's, checked) and ``memo`` (earlier
        rounds); the rest are asked of ``ask`` (MCP sampling), else of the configured
        ``--lmulator`` model, else left pending for the caller. Limits:
        ``settings.lmulate`` (see ``sandbox.lmulate.LmulateLimits``).
        """
        sandbox, _ = self._backends()
        code = self.validate_code(code)
        if session is not None:
            raise InputError(
                "lmulate replays the program from the start for every emulated value, which a persistent session "
                "cannot do: leave session out"
            )
        limits = self.settings.lmulate
        try:
            known = {c.key: c for c in host_memo(emulated, limits)}
        except HostValueError as exc:
            raise InputError(str(exc)) from None
        known |= {c.key: c for c in memo or []}
        if ask is None and use_model and self.lmulator is not None:
            ask, source = self.lmulator, f"model:{self.settings.lmulator or 'configured'}"
        emulator = (
            text_emulator(ask, code, question=question, max_value_chars=limits.max_value_chars) if ask is not None else None
        )
        try:
            result = await Lmulator(sandbox, limits).run(
                code,
                timeout_s=timeout_s,
                stdin=stdin,
                files=self._input_files(files) if files else None,
                memo=list(known.values()),
                emulator=emulator,
                source=source,
                runs_before=runs_before,
            )
        except ValueError as exc:  # a request over a limit (timeout, stdin, size), or files the sandbox refused
            raise InputError(str(exc)) from None
        result.execution = result.execution.clipped(self.settings.output_chars)
        return result

    async def check_answer(
        self, question: str, answer: str, checker_code: str | None = None, task: str | None = None
    ) -> CheckAnswerResult:
        sandbox, _ = self._backends()
        question = self._question(question)
        if answer is None or not str(answer).strip():
            raise InputError("answer is empty: send the answer to check (the content of <<<...>>>)")
        answer = extract_answer(answer) or answer.strip()
        if checker_code is not None and checker_code.strip():
            self.validate_code(checker_code)
            try:
                check: AnswerCheck = await run_checker(sandbox, question, answer, checker_code)
            except CheckerInputError as exc:
                raise InputError(str(exc)) from None
        elif (task_name := self._task(task)) is not None:
            check = await self._task_check(task_name, question, answer)
        else:
            check = unverified()
        return CheckAnswerResult(
            **check.model_dump(), instructions=CHECKER_INSTRUCTIONS if check.verdict == "unverified" else None
        )


def summarise_emulation(emulation: Emulation):
    return summarise(
        LmulateResult(
            status=emulation.status,
            execution=ExecResult(),
            emulated=emulation.emulated,
            pending=emulation.pending,
            runs=emulation.runs,
            message=emulation.message,
        ),
        host_prompt=False,
    )


def _answer_of(response: str, execution: ExecResult | None) -> str | None:
    """The round's answer, from what ran before what was guessed: the program's marked
    output, else its last printed line, else a marked answer in the prose. Text inside the
    response's code blocks is program source (``print(f"<<<{grid}>>>")``), never an answer,
    and neither is anything from a program that failed."""
    if execution is not None and execution.ok and execution.stdout.strip():
        computed = answer_or_last_line(execution.stdout)
        if computed:
            return computed
    marked = extract_answer(prose_of(response))
    return marked or None


def final_verdict(trajectory: Trajectory, answer: str | None) -> tuple[bool, str]:
    """Whether the session's final answer passed a check, and why (or why not), in words."""
    if answer is None:
        return False, "no round gave an answer"
    key = _same(answer)
    checks = [r.answer_check for r in trajectory.rounds if r.answer and _same(r.answer) == key and r.answer_check]
    if any(c.verdict == "correct" for c in checks):
        passed = next(c for c in checks if c.verdict == "correct")
        return True, f"passed its check ({passed.method}): {passed.reason}"
    failed = [c for c in checks if c.verdict == "incorrect"]
    if failed:
        answered = [r for r in trajectory.rounds if r.answer]
        every = all(r.answer_check is not None and r.answer_check.verdict == "incorrect" for r in answered)
        lead = "every answer given failed its check; this one" if every else "it"
        return False, f"{lead} failed its check ({failed[-1].method}): {failed[-1].reason}"
    return False, "no check confirmed this answer (the task has no steering-time check and no self-check passed)"


def best_unrefuted(trajectory: Trajectory) -> tuple[str | None, bool, str]:
    """The answer to stop with at the round limit: one that passed a check, else the one most
    clean rounds agree on among those no check refuted, else (every candidate refuted) the
    latest, with ``verified`` False and why."""
    rounds = [r for r in trajectory.rounds if r.answer]
    if not rounds:
        return None, False, "no round gave an answer"
    for r in reversed(rounds):
        if r.answer_check and r.answer_check.verdict == "correct":
            return r.answer, True, f"passed its check ({r.answer_check.method}): {r.answer_check.reason}"
    refuted = {_same(r.answer) for r in rounds if r.answer_check and r.answer_check.verdict == "incorrect"}
    open_ = [r for r in rounds if _same(r.answer) not in refuted]
    if not open_:
        last = rounds[-1]
        reason = last.answer_check.reason if last.answer_check else "failed"
        return last.answer, False, (
            f"every answer given failed its check; this is the latest, and its check said: {reason}"
        )
    computed = [r for r in open_ if r.execution is not None and r.execution.ok] or open_
    counts: dict[str, int] = {}
    for r in computed:
        counts[_same(r.answer)] = counts.get(_same(r.answer), 0) + 1
    top = max(counts.values())
    chosen = next(r for r in reversed(computed) if counts[_same(r.answer)] == top)
    return chosen.answer, False, "no check refuted this answer, but none confirmed it either"


def _same(answer: str | None) -> str:
    return "".join((answer or "").split()).strip("'\"").lower()
