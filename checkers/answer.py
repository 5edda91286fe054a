"""Is an answer right? Three ways, in order of trust.

1. ``checker_code``: the paper's self-answer checker, a program written to test the
   answer. It runs in the sandbox with ``ANSWER`` and ``QUESTION`` defined and prints
   CORRECT, or INCORRECT with the reason (a failed ``assert`` counts as INCORRECT).
2. A SymBench task's steering-time constraint check: it judges the answer against the
   question's rules without solving the question, and its reason names the broken rule,
   never the answer. Tasks where judging would mean solving (an option, a yes/no, one
   number or string) have none.
3. Otherwise the verdict is "unverified", with instructions for writing a checker.
"""

from __future__ import annotations

import logging
import re
import secrets

from sandbox.types import Sandbox, SandboxInputError

from .types import AnswerCheck

log = logging.getLogger(__name__)

CHECKER_INSTRUCTIONS = (
    "To verify this answer, call check_answer again with checker_code: a python program that tests the answer "
    "against every condition of the question. It runs with two variables already defined: ANSWER (the answer, "
    "a string; parse it yourself) and QUESTION (the question). Print CORRECT when every condition holds, or "
    "INCORRECT: <the condition that fails> otherwise (a failed assert also counts as incorrect). Check the "
    "conditions, do not recompute an expected answer by hand."
)

_VERDICT = re.compile(r"^\s*(INCORRECT|CORRECT)\b[:\s-]*(.*)$", re.IGNORECASE)


# Runs the checker with its stdout marked: a line counts as the checker's verdict only
# when the checker itself starts it (a print or write that begins a line). Text inside
# one write (the ANSWER echoed in a message, with its own newlines) is never marked, and
# the mark carries a nonce made after the answer was sent, so the answer cannot forge it.
_HARNESS = """\
import sys as _cs_sys

ANSWER = {answer!r}
QUESTION = {question!r}


class _CsMarkedStdout:
    def __init__(self, inner, mark):
        self._inner, self._mark, self._at_line_start = inner, mark, True

    def write(self, text):
        text = str(text)
        if text and self._at_line_start:
            self._inner.write(self._mark)
        if text:
            self._at_line_start = text.endswith("\\n")
        return self._inner.write(text)

    def verdict(self, line):
        if not self._at_line_start:
            self._inner.write("\\n")
        self._inner.write(self._mark + line + "\\n")
        self._at_line_start = True

    def __getattr__(self, name):
        return getattr(self._inner, name)


_cs_out = _cs_sys.stdout = _CsMarkedStdout(_cs_sys.stdout, {mark!r})
try:
    exec(compile({checker_code!r}, "checker.py", "exec"), {{"ANSWER": ANSWER, "QUESTION": QUESTION, "__name__": "__main__"}})
except AssertionError as _cs_exc:
    _cs_out.verdict("ASSERT: " + (str(_cs_exc).strip().splitlines() or [""])[0])
    raise
"""


def verdict_mark() -> str:
    """A fresh per-run mark for the checker's own lines."""
    return f"@@verdict-{secrets.token_hex(8)}@@ "


def checker_program(checker_code: str, question: str, answer: str, mark: str | None = None) -> str:
    """The checker, with the answer and question bound as literals (no string
    interpolation of code) and its own lines marked with ``mark`` (see _HARNESS)."""
    return _HARNESS.format(answer=answer, question=question, mark=mark or verdict_mark(), checker_code=checker_code)


def verdict_from_run(stdout: str, stderr: str, exit_code: int | None, timed_out: bool, mark: str | None = None) -> AnswerCheck:
    """Read the checker's verdict: its last CORRECT/INCORRECT line, or a failed assert.

    With ``mark``, only lines the checker itself began (carrying the mark) count, and a
    failed assert is the harness's marked ASSERT line; without it (output of a checker
    run some other way) every line and stderr's AssertionError count."""
    if timed_out:
        return AnswerCheck(verdict="unverified", reason="the checker was killed at the time limit", method="checker_code")
    if mark is not None:
        own = [line[len(mark) :] for line in stdout.splitlines() if line.startswith(mark)]
        shown = stdout.replace(mark, "")
        asserted = next((line[len("ASSERT: ") :] for line in reversed(own) if line.startswith("ASSERT: ")), None)
    else:
        own, shown, asserted = stdout.splitlines(), stdout, None
        if "AssertionError" in stderr:
            last = stderr.strip().splitlines()[-1] if stderr.strip() else "AssertionError"
            asserted = last.partition(":")[2]
    verdict_line = None
    for line in own:
        if _VERDICT.match(line):
            verdict_line = line
    if asserted is not None:
        reason = asserted.strip() or "an assertion of the checker failed"
        return AnswerCheck(verdict="incorrect", reason=reason, method="checker_code", details=stderr[-1000:])
    if exit_code not in (0, None):
        tail = stderr.strip().splitlines()[-1] if stderr.strip() else f"exit code {exit_code}"
        return AnswerCheck(
            verdict="unverified", reason=f"the checker itself failed: {tail}", method="checker_code", details=stderr[-1000:]
        )
    if verdict_line is None:
        return AnswerCheck(
            verdict="unverified",
            reason="the checker printed neither CORRECT nor INCORRECT at the start of a line",
            method="checker_code",
            details=shown[-1000:],
        )
    match = _VERDICT.match(verdict_line)
    assert match is not None
    word, reason = match.group(1).upper(), match.group(2).strip()
    if word == "CORRECT":
        return AnswerCheck(verdict="correct", reason=reason or "the checker printed CORRECT", method="checker_code")
    return AnswerCheck(verdict="incorrect", reason=reason or "the checker printed INCORRECT", method="checker_code")


class CheckerInputError(ValueError):
    """The answer or checker cannot be checked as sent; the message says what to send instead."""


async def run_checker(
    sandbox: Sandbox, question: str, answer: str, checker_code: str, timeout_s: float | None = None
) -> AnswerCheck:
    """Run ``checker_code`` in the sandbox against ``answer`` and read its verdict.

    An answer of several lines, one of which reads as a verdict (CORRECT/INCORRECT...),
    is refused (CheckerInputError): answers are single values, and such a line could only
    be meant for the checker's output. The whole program (answer, question and checker)
    must fit ``limits.max_code_bytes`` (CheckerInputError otherwise)."""
    lines = answer.splitlines()
    if len(lines) > 1 and any(_VERDICT.match(line) for line in lines):
        raise CheckerInputError(
            "the answer has a line that reads as a verdict (CORRECT or INCORRECT): send the answer alone, "
            "without any verdict text"
        )
    mark = verdict_mark()
    program = checker_program(checker_code, question, answer, mark)
    try:
        sandbox.limits.check_program(program, "answer, question and checker together")
    except SandboxInputError as exc:
        raise CheckerInputError(f"{exc}: send a shorter answer or checker") from None
    result = await sandbox.run(program, timeout_s=timeout_s)
    return verdict_from_run(result.stdout, result.stderr, result.exit_code, result.timed_out, mark)


def check_with_task(task_name: str, question: str, answer: str) -> AnswerCheck:
    """The SymBench task's question-derived check. KeyError for an unknown task name."""
    from symbench import get_task

    task = get_task(task_name)
    if task.check is None:
        return AnswerCheck(
            verdict="unverified",
            reason=(
                f"the {task.name} task has no steering-time check: judging this answer would mean solving the "
                "question, so it stays unverified; check it with a self-check program (checker_code)"
            ),
            method="none",
        )
    text = answer if "<<<" in answer else f"<<<{answer}>>>"
    try:
        score = task.check(question, text)
    except ValueError as exc:  # Task.check's contract: the question is not of the task's form
        return AnswerCheck(
            verdict="unverified",
            reason=f"the {task.name} check could not read this question ({exc})",
            method="task_constraints",
        )
    except Exception as exc:  # a defect of the check itself: say so, never blame the question or the answer
        log.exception("the %s check failed", task.name)
        return AnswerCheck(
            verdict="unverified",
            reason=f"the {task.name} check failed on this answer ({type(exc).__name__}); no verdict",
            method="task_constraints",
        )
    verdict = "correct" if score.verdict == "correct" else "incorrect"
    reason = score.reason or ("the answer satisfies the task's constraints" if verdict == "correct" else "constraint violated")
    if score.verdict == "partial":
        reason = f"only partly right (score {score.value:.2f}): {reason}"
    return AnswerCheck(verdict=verdict, reason=reason, method="task_constraints", details=repr(score.parsed)[:500])


def unverified() -> AnswerCheck:
    return AnswerCheck(verdict="unverified", reason="no checker code and no task check was given", method="none")
