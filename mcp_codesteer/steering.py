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

from checkers import AnswerCheck, analyze_code, check_with_task, extract_python
from checkers.answer import CHECKER_INSTRUCTIONS, run_checker, unverified
from guide import Action, Guidance, Guide, Round, Trajectory, create_guide
from sandbox import ExecResult, Sandbox, create_sandbox
from symbench.extract import answer_or_last_line, extract_answer

from .settings import Settings
from .store import SessionExpired, SessionNotFound, TrajectoryStore
from .tool_types import CheckAnswerResult, SteerResult, SymbolicSummary

log = logging.getLogger(__name__)


class InputError(ValueError):
    """Bad input from the caller: the message says what was wrong and what to send instead."""


class CodeSteer:
    def __init__(self, settings: Settings, *, guide: Guide | None = None, sandbox: Sandbox | None = None) -> None:
        self.settings = settings
        self.store = TrajectoryStore(settings.store_path, settings.session_ttl_s)
        self.guide: Guide | None = guide
        self.sandbox: Sandbox | None = sandbox
        self.warnings: list[str] = []
        self._users = 0
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
        if not code or not code.strip():
            raise InputError("code is empty: send a Python program as a string")
        size = len(code.encode("utf-8"))
        if size > self.settings.limits.max_code_bytes:
            raise InputError(
                f"code is {size} bytes, over the limit of {self.settings.limits.max_code_bytes}: send a shorter program"
            )
        return code

    def validate_timeout(self, timeout_s: float | None) -> float | None:
        if timeout_s is None:
            return None
        limit = self.settings.limits.max_timeout_s
        if not timeout_s > 0 or timeout_s > limit:
            raise InputError(f"timeout_s={timeout_s} is out of range: send a number of seconds above 0 and at most {limit:g}")
        return float(timeout_s)

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

    async def step(self, session_id: str, response: str, question: str | None = None) -> SteerResult:
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
                return await self._step_locked(session_id, response, question)
        finally:
            if not lock.locked() and lock.statistics().tasks_waiting == 0:
                self._session_locks.pop(session_id, None)

    async def _step_locked(self, session_id: str, response: str, question: str | None) -> SteerResult:
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
        round_ = await self._round(sandbox, trajectory, response)
        trajectory.rounds.append(round_)
        round_.guidance = await guide.next(trajectory)
        if round_.guidance.action in (Action.RETURN, Action.TERMINATE):
            trajectory.status = "returned" if round_.guidance.action is Action.RETURN else "terminated"
            trajectory.final_answer = round_.guidance.final_answer
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

    async def _round(self, sandbox: Sandbox, trajectory: Trajectory, response: str) -> Round:
        code = extract_python(response)
        round_ = Round(index=len(trajectory.rounds) + 1, response=response, code=code)
        if code is not None:
            round_.symbolic = analyze_code(code)
            if round_.symbolic.verdict != "syntax_error":
                round_.execution = await self._execute(sandbox, code)
        round_.answer = _answer_of(response, round_.execution)
        if round_.answer and trajectory.task:
            round_.answer_check = await anyio.to_thread.run_sync(
                check_with_task, trajectory.task, trajectory.question, round_.answer
            )
        return round_

    async def _execute(self, sandbox: Sandbox, code: str) -> ExecResult:
        size = len(code.encode("utf-8"))
        if size > self.settings.limits.max_code_bytes:
            return ExecResult(
                exit_code=1,
                stderr=f"not run: the program is {size} bytes, over the limit of {self.settings.limits.max_code_bytes}",
                backend="none",
                notes=["The program was not run because it is too long; write a shorter one."],
            )
        return await sandbox.run(code)

    def _result(self, trajectory: Trajectory, round_: Round | None, guidance: Guidance) -> SteerResult:
        done = guidance.action in (Action.RETURN, Action.TERMINATE)
        prompt = guidance.prompt
        execution = None
        if round_ is not None and round_.execution is not None:
            execution = round_.execution.summary(self.settings.feedback_chars)
            if not done:
                prompt = f"Output of your code:\n{execution}\n\n{prompt}"
        return SteerResult(
            session_id=trajectory.session_id,
            action=guidance.action.value,
            prompt=prompt,
            rationale=guidance.rationale,
            done=done,
            final_answer=trajectory.final_answer if done else None,
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
        )

    # the other tools -----------------------------------------------------------------
    async def run_code(
        self,
        code: str,
        timeout_s: float | None = None,
        stdin: str | None = None,
        session: str | None = None,
        files: dict[str, str] | None = None,
    ) -> ExecResult:
        """Run ``code``; with ``session``, in that persistent session's interpreter (docker only).

        stdout and stderr are each cut to ``settings.output_chars`` characters (first and
        last halves kept, a note saying so), so one run cannot flood the caller's context."""
        sandbox, _ = self._backends()
        code = self.validate_code(code)
        timeout = self.validate_timeout(timeout_s)
        if stdin is not None and len(stdin.encode("utf-8")) > self.settings.limits.max_code_bytes:
            raise InputError(f"stdin is over the limit of {self.settings.limits.max_code_bytes} bytes: send less input")
        extra = {"files": self._input_files(files)} if files else {}
        if session is None:
            try:
                result = await sandbox.run(code, timeout_s=timeout, stdin=stdin, **extra)
            except ValueError as exc:  # files the sandbox refused (names, count, size)
                raise InputError(str(exc)) from None
            return result.clipped(self.settings.output_chars)
        if not getattr(sandbox, "supports_sessions", False):
            raise InputError(
                f"persistent sessions need the docker sandbox, and this server runs the {sandbox.name} one: "
                "leave session out (each run starts fresh), or start the server with --sandbox docker"
            )
        try:
            result = await sandbox.run(code, timeout_s=timeout, stdin=stdin, session=session, **extra)  # type: ignore[call-arg]
        except ValueError as exc:  # an invalid handle, or no room for another session
            raise InputError(str(exc)) from None
        return result.clipped(self.settings.output_chars)

    def _session_sandbox(self):
        sandbox, _ = self._backends()
        if not getattr(sandbox, "supports_sessions", False):
            raise InputError(
                f"persistent sessions need the docker sandbox, and this server runs the {sandbox.name} one: "
                "there are none to list or close"
            )
        return sandbox

    def run_sessions(self) -> dict:
        """The persistent run_code sessions alive now, and the limits that end them."""
        sandbox, _ = self._backends()
        options = self.settings.docker
        return {
            "supported": bool(getattr(sandbox, "supports_sessions", False)),
            "idle_limit_s": options.session_idle_s,
            "lifetime_s": options.session_lifetime_s,
            "max_sessions": options.max_sessions,
            "sessions": sandbox.list_sessions() if hasattr(sandbox, "list_sessions") else {},
        }

    async def close_run_session(self, session: str) -> bool:
        """End persistent session ``session`` (its variables and files go); False when none was open."""
        sandbox = self._session_sandbox()
        try:
            return await sandbox.close_session(session)  # type: ignore[attr-defined]
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
            check: AnswerCheck = await run_checker(sandbox, question, answer, checker_code)
        elif (task_name := self._task(task)) is not None:
            check = await anyio.to_thread.run_sync(check_with_task, task_name, question, answer)
        else:
            check = unverified()
        return CheckAnswerResult(
            **check.model_dump(), instructions=CHECKER_INSTRUCTIONS if check.verdict == "unverified" else None
        )


def _answer_of(response: str, execution: ExecResult | None) -> str | None:
    """The round's answer: the program's marked output, else the response's, else the program's last line."""
    if execution is not None and execution.ok:
        marked = extract_answer(execution.stdout)
        if marked:
            return marked
    marked = extract_answer(response)
    if marked:
        return marked
    if execution is not None and execution.ok:
        return answer_or_last_line(execution.stdout)
    return None
