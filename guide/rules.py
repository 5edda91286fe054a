"""The rules guide: a deterministic policy that encodes what the CodeSteer paper found.

- Open with the mode the first-choice classifier picks (``guide.first_choice``: learned
  from SymBench and Table 1; a known SymBench task uses the table's better mode).
- Push for real computation when check_symbolic finds the answer does not depend on it.
- Feed back syntax errors, crashes and timeouts with what to fix; all of them count as
  failures, and a program resubmitted unchanged is no new evidence.
- After repeated failures, switch to text only where text is plausible for the question;
  otherwise ask for a different algorithm (backtracking, a constraint solver, BFS).
- Before returning an unverified code answer, ask for the paper's self-answer checker
  (asserts of every condition) and use its verdict.
- Return an answer that passes its check, that the self-check confirmed, or that two
  different rounds agree on; accept a text answer on a language question.
- Terminate at the round limit with the best answer so far.

Every decision carries its rationale.
"""

from __future__ import annotations

import ast
import re
from collections import Counter

from . import prompts
from .first_choice import FirstChoice, default_model, first_choice
from .chain_of_code import after_emulation, chain_of_code_first
from .types import Action, Guidance, Round, Trajectory

MAX_SAME_MODE_FAILURES = 3
"""Failed code rounds in a row before the guide changes course (switch mode or algorithm)."""
TEXT_PLAUSIBLE_SHARE = 0.5
"""With a known task: text is plausible when its Table-1 rate is at least this share of code's."""
TEXT_PLAUSIBLE_MAX_P_CODE = 0.85
"""Without a task: text is plausible when the classifier's P(code) is below this."""
_LAZY = ("hard_coded", "trivial", "empty")
_SELF_CHECK_MARK = "self-answer checker"  # in a VERIFY guidance's rationale: the next round is the check

# The opening modes: the first-choice classifier's label -> (action, instruction). A third
# opening (e.g. Chain of Code's emulated semantic calls) is one more entry here.
_OPENINGS: dict[str, tuple[Action, str]] = {
    "code": (Action.CODE, prompts.CODE_FIRST),
    "text": (Action.TEXT, prompts.TEXT_FIRST),
}


def question_needs_code(question: str, task: str | None = None) -> tuple[bool, list[str]]:
    """Whether code is the better first mode, with what decided it."""
    choice = first_choice(question, task)
    return choice.mode == "code", [choice.rationale()]


def _norm(answer: str | None) -> str | None:
    if answer is None:
        return None
    return re.sub(r"\s+", "", answer).strip("'\"").lower() or None


def _program_key(code: str | None) -> str | None:
    """The program up to formatting and comments: equal keys mean the same program."""
    if code is None:
        return None
    try:
        return ast.dump(ast.parse(code))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return re.sub(r"\s+", " ", code).strip()


def _trusted(r: Round) -> bool:
    return not (
        (r.answer_check is not None and r.answer_check.verdict == "incorrect")
        or (r.execution is not None and not r.execution.ok)
        or (r.symbolic is not None and r.symbolic.verdict in (*_LAZY, "syntax_error"))
    )


def best_answer(trajectory: Trajectory) -> str | None:
    """A checked answer, else the one most distinct rounds agree on (latest first on ties), else the last.

    A program resubmitted unchanged votes once.
    """
    rounds = [r for r in trajectory.rounds if r.answer]
    for r in reversed(rounds):
        if r.answer_check and r.answer_check.verdict == "correct":
            return r.answer
    pool = [r for r in rounds if _trusted(r)] or rounds
    if not pool:
        return None
    votes: dict[str | None, set] = {}
    for r in pool:
        votes.setdefault(_norm(r.answer), set()).add(_program_key(r.code) or f"text round {r.index}")
    counts = Counter({answer: len(sources) for answer, sources in votes.items()})
    top = max(counts.values())
    for r in reversed(pool):
        if counts[_norm(r.answer)] == top:
            return r.answer
    return pool[-1].answer


def current_mode(trajectory: Trajectory) -> Action:
    """The mode the TaskLLM was last told to use (refine keeps the previous one)."""
    for g in reversed(trajectory.guidances()):
        if g.action in (Action.CODE, Action.TEXT):
            return g.action
    return Action.CODE


class RulesGuide:
    """See the module docstring. Stateless: every decision is a function of the trajectory."""

    name = "rules"

    async def next(self, trajectory: Trajectory) -> Guidance:
        return self.decide(trajectory)

    async def aclose(self) -> None:
        return None

    def decide(self, trajectory: Trajectory) -> Guidance:
        if not trajectory.rounds:
            return chain_of_code_first(trajectory) or self._first(trajectory)
        last = trajectory.rounds[-1]
        decision = after_emulation(trajectory, last) or self._after(trajectory, last)
        if decision.action in (Action.RETURN, Action.TERMINATE):
            return decision
        if trajectory.turns_left <= 0:
            answer = best_answer(trajectory)
            return Guidance(
                action=Action.TERMINATE,
                prompt=prompts.TERMINATE.format(answer=answer) if answer else prompts.TERMINATE_NONE,
                rationale=f"The round limit ({trajectory.max_rounds}) is reached; the guide would otherwise have "
                f"said {decision.action.value}: {decision.rationale}",
                final_answer=answer,
            )
        return decision

    # the opening ------------------------------------------------------------------
    def _first(self, trajectory: Trajectory) -> Guidance:
        choice = first_choice(trajectory.question, trajectory.task)
        action, instruction = _OPENINGS[choice.mode]
        why = {
            "code": "Exact computation and search are safer in code.",
            "text": "Reasoning in text suits it better than a program.",
        }.get(choice.mode, "")
        return Guidance(
            action=action,
            prompt=prompts.question_with(instruction, trajectory.question),
            rationale=f"{choice.mode.capitalize()} first: {choice.rationale()}. {why}",
        )

    # later rounds ---------------------------------------------------------------------
    def _after(self, trajectory: Trajectory, last: Round) -> Guidance:
        check = last.answer_check
        answer = last.answer
        if answer and check and check.verdict == "correct":
            return _finish(Action.RETURN, answer, f"The answer passed its check ({check.reason}).")
        if last.code is not None:
            return self._after_code(trajectory, last)
        return self._after_text(trajectory, last)

    def _after_code(self, trajectory: Trajectory, last: Round) -> Guidance:
        report, run, answer, check = last.symbolic, last.execution, last.answer, last.answer_check
        failures = _consecutive_code_failures(trajectory)
        same = _same_program_as(trajectory, last)
        if failures and failures % MAX_SAME_MODE_FAILURES == 0:
            return self._change_course(trajectory, failures, _failure_reason(last))
        if same is not None:
            return _refine(
                prompts.SAME_PROGRAM.format(
                    round=same.index,
                    outcome=f" (it {_failure_reason(last)} again)" if failures else f" (it answers {answer} again)",
                    what=_what_to_change(last),
                ),
                f"Round {last.index} resubmits the program of round {same.index} unchanged: no new evidence, so "
                "its answer is not counted as a second opinion.",
            )
        if report is not None and report.verdict == "syntax_error":
            return _refine(
                prompts.FIX_SYNTAX.format(error=report.syntax_error),
                f"The code did not parse ({report.syntax_error}); failed programs in a row: {failures}.",
            )
        if run is not None and run.timed_out:
            return _refine(
                prompts.FIX_TIMEOUT,
                f"The program was killed at the time limit after {run.duration_s:.1f} s: it may not terminate, "
                "or it may be too slow.",
            )
        self_check = _self_check_verdict(trajectory, last)
        if self_check is not None and not self_check[0]:
            return _refine(
                prompts.SELF_CHECK_FAILED.format(reason=self_check[1], answer=answer or "(none)"),
                f"The self-answer check failed: {self_check[1]}.",
            )
        if run is not None and run.exit_code not in (0, None):
            return _refine(prompts.FIX_ERROR, f"The program failed with exit code {run.exit_code}.")
        if report is not None and report.verdict in _LAZY:
            return Guidance(
                action=Action.CODE,
                prompt=prompts.PUSH_TO_SEARCH.format(advice=report.advice),
                rationale=f"check_symbolic rated the program {report.verdict} (score {report.score}): its answer "
                "does not depend on any computation, so it cannot be trusted.",
            )
        if not answer:
            return _refine(
                prompts.NO_ANSWER.format(where=" or in your program's output", how=" from your program"),
                "The program ran but printed no answer.",
            )
        if check and check.verdict == "incorrect":
            return _refine(
                prompts.ANSWER_WRONG.format(answer=answer, reason=check.reason, how=" with corrected code"),
                f"The answer failed its check: {check.reason}",
            )
        if self_check is not None:
            return _finish(
                Action.RETURN,
                answer,
                f"The program's own checks of the question's conditions passed ({self_check[1]}); the self-answer "
                "checker confirms the answer.",
            )
        agreed = _agreeing_round(trajectory, last)
        if agreed is not None:
            return _finish(
                Action.RETURN,
                answer,
                f"Rounds {agreed.index} and {last.index} agree on {answer} by different means, and the code ran "
                "cleanly.",
            )
        return _refine(
            prompts.VERIFY.format(answer=answer),
            f"The program computed an answer that no check could confirm yet; asking for the paper's "
            f"{_SELF_CHECK_MARK} (asserts of every condition) before returning it.",
        )

    def _change_course(self, trajectory: Trajectory, failures: int, what: str) -> Guidance:
        """After repeated failures: text where text is plausible, else a different algorithm."""
        plausible, why = text_is_plausible(trajectory)
        if plausible:
            return Guidance(
                action=Action.TEXT,
                prompt=prompts.SWITCH_TO_TEXT.format(why=f"{failures} failed programs in a row; the last {what}"),
                rationale=f"{failures} code rounds in a row failed and text is plausible here ({why}); a round of "
                "textual analysis may find the flaw.",
            )
        return Guidance(
            action=Action.CODE,
            prompt=prompts.DIFFERENT_ALGORITHM.format(why=f"{failures} in a row; the last {what}"),
            rationale=f"{failures} code rounds in a row failed, and text is not plausible here ({why}): asking for "
            "a different algorithm rather than a switch to text.",
        )

    def _after_text(self, trajectory: Trajectory, last: Round) -> Guidance:
        answer, check = last.answer, last.answer_check
        choice = first_choice(trajectory.question, trajectory.task)
        language = choice.mode == "text"
        if check and check.verdict == "incorrect":
            if choice.source == "no computation" and not _tried_code(trajectory):
                return _refine(
                    prompts.ANSWER_WRONG.format(answer=answer, reason=check.reason, how=""),
                    f"The text answer failed its check ({check.reason}); a question with nothing to compute is "
                    "retried in text before code.",
                )
            return Guidance(
                action=Action.CODE,
                prompt=prompts.SWITCH_TO_CODE.format(why=f"fails its check ({check.reason})"),
                rationale=f"The text answer failed its check: {check.reason}. Code can search and verify.",
            )
        if not answer:
            missing = prompts.missing_answer(last.response)
            if not language:
                return Guidance(
                    action=Action.CODE,
                    prompt=prompts.SWITCH_TO_CODE.format(why=missing),
                    rationale=f"The question calls for computation ({choice.rationale()}) and the text response "
                    f"{missing}.",
                )
            return _refine(prompts.NO_ANSWER.format(where="", how=""), f"The text response {missing}.")
        agreed = _agreeing_round(trajectory, last)
        if agreed is not None:
            return _finish(
                Action.RETURN,
                answer,
                f"The text answer of round {last.index} agrees with round {agreed.index} ({answer}).",
            )
        if language:
            return _finish(
                Action.RETURN,
                answer,
                f"A language question answered in text with a marked answer and no failed check ({choice.rationale()}).",
            )
        return Guidance(
            action=Action.CODE,
            prompt=prompts.SWITCH_TO_CODE.format(why="cannot be trusted for exact computation or search on its own"),
            rationale=f"The question calls for computation ({choice.rationale()}) and the answer came from text alone, "
            "with no check or other round to confirm it.",
        )


def text_is_plausible(trajectory: Trajectory) -> tuple[bool, str]:
    """Whether answering in text has a fair chance on this question, and why."""
    model = default_model()
    row = model.task_modes.get(trajectory.task or "")
    if row is not None:
        plausible = row["text"] > 0 and row["text"] >= TEXT_PLAUSIBLE_SHARE * row["code"]
        return plausible, (
            f"in the paper's Table 1, {trajectory.task} scores {row['text']:g}% in text against {row['code']:g}% in code"
        )
    choice: FirstChoice = model.choose(trajectory.question)
    plausible = choice.mode == "text" or choice.probability_code < TEXT_PLAUSIBLE_MAX_P_CODE
    return plausible, f"the first-choice classifier gives P(code) = {choice.probability_code:.2f}"


def _refine(prompt: str, rationale: str) -> Guidance:
    return Guidance(action=Action.REFINE, prompt=prompt, rationale=rationale)


def _finish(action: Action, answer: str, rationale: str) -> Guidance:
    return Guidance(action=action, prompt=prompts.RETURN.format(answer=answer), rationale=rationale, final_answer=answer)


def _failed(r: Round) -> bool:
    return r.code is not None and (
        (r.execution is not None and not r.execution.ok)
        or (r.symbolic is not None and r.symbolic.verdict == "syntax_error")
        or (r.answer_check is not None and r.answer_check.verdict == "incorrect")
        or "INCORRECT" in (r.execution.stdout if r.execution else "")
    )


def _consecutive_code_failures(trajectory: Trajectory) -> int:
    """Failed code rounds (crash, timeout, syntax error, failed check) ending with the last round."""
    count = 0
    for r in reversed(trajectory.rounds):
        if not _failed(r):
            break
        count += 1
    return count


def _failure_reason(r: Round) -> str:
    if r.symbolic is not None and r.symbolic.verdict == "syntax_error":
        return f"does not parse ({r.symbolic.syntax_error})"
    if r.execution is not None and r.execution.timed_out:
        return "was stopped at the time limit"
    if r.execution is not None and not r.execution.ok:
        tail = r.execution.stderr.strip().splitlines()[-1:] if r.execution.stderr else []
        return f"crashed ({tail[0][:200]})" if tail else f"failed with exit code {r.execution.exit_code}"
    if r.answer_check is not None and r.answer_check.verdict == "incorrect":
        return f"gave an answer that fails its check ({r.answer_check.reason})"
    return "failed its own check"


def _what_to_change(r: Round) -> str:
    if _failed(r):
        return f"it {_failure_reason(r)}; fix that, or take another approach."
    if r.symbolic is not None and r.symbolic.verdict in _LAZY:
        return "make the program compute the answer instead of printing one worked out by hand."
    return "add checks of every condition of the question against its answer, so the answer can be verified."


def _same_program_as(trajectory: Trajectory, last: Round) -> Round | None:
    key = _program_key(last.code)
    for r in reversed(trajectory.rounds[:-1]):
        if r.code is not None and _program_key(r.code) == key:
            return r
    return None


def _tried_code(trajectory: Trajectory) -> bool:
    return any(r.code is not None for r in trajectory.rounds)


def _self_check_verdict(trajectory: Trajectory, last: Round) -> tuple[bool, str] | None:
    """The verdict of the self-answer checker, when the guide asked for one and this round is it.

    Passed: the program ran cleanly, contains checks (asserts, or CORRECT/INCORRECT prints)
    and printed no INCORRECT. Failed: an assert fired, or it printed INCORRECT. None when
    no check was asked for or the program holds no checks.
    """
    if len(trajectory.rounds) < 2:
        return None
    asked = trajectory.rounds[-2].guidance
    if asked is None or _SELF_CHECK_MARK not in asked.rationale or last.code is None:
        return None
    run = last.execution
    if run is None:
        return None
    if "AssertionError" in (run.stderr or ""):
        tail = run.stderr.strip().splitlines()[-1]
        return False, tail.partition(":")[2].strip() or "an assert of the check failed"
    for line in (run.stdout or "").splitlines():
        if line.strip().upper().startswith("INCORRECT"):
            return False, line.strip()[:300]
    has_checks = "assert " in last.code or "CORRECT" in last.code
    if run.ok and has_checks:
        return True, "every assert held" if "assert " in last.code else "it printed no INCORRECT"
    return None


def _agreeing_round(trajectory: Trajectory, last: Round) -> Round | None:
    """An earlier round, by a different program or in text, whose trusted answer equals this one's."""
    target = _norm(last.answer)
    key = _program_key(last.code)
    for r in reversed(trajectory.rounds[:-1]):
        if _norm(r.answer) != target or not _trusted(r):
            continue
        if key is not None and _program_key(r.code) == key:
            continue
        return r
    return None
