"""The rules guide: a deterministic policy that encodes what the CodeSteer paper found.

- Start with code for questions with numbers, constraints, search or exact computation;
  with text for pure language or common-sense questions.
- Switch text -> code when a text answer fails its checks (or gives none on a question
  that code can settle).
- Push for search or symbolic computation when the program is trivial or hard-coded.
- Feed back syntax errors, crashes and timeouts with what to fix.
- Return an answer that passes its check, or that two rounds agree on.
- Terminate at the round limit with the best answer so far.

Every decision carries its rationale.
"""

from __future__ import annotations

import re
from collections import Counter

from . import prompts
from .types import Action, Guidance, Round, Trajectory

_CODE_WORDS = re.compile(
    r"\b(calculat|comput|count|how many|number of|sum|product|total|find|solve|equation|puzzle|arrange|"
    r"permutation|combination|probabilit|grid|matrix|board|sudoku|queen|path|plan|move|step|sequence|"
    r"minimi|maximi|shortest|optimal|constraint|schedul|assign|sort|order|letters?|string|digit|"
    r"multiply|divide|operator|expression|formula|pattern|cipher|encrypt|decrypt|transform|simulat)",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d")
_MAX_SAME_MODE_FAILURES = 3


def question_needs_code(question: str) -> tuple[bool, list[str]]:
    """Whether code is the better first mode, with the features that decided it."""
    reasons: list[str] = []
    digits = len(_NUMBER.findall(question))
    if digits:
        reasons.append(f"it contains numbers ({digits} digits)")
    words = sorted({m.group(0).lower() for m in _CODE_WORDS.finditer(question)})
    if words:
        reasons.append("it asks for " + ", ".join(words[:6]))
    # Digits alone (a date, a page number) do not make a computation; words alone do.
    return bool(words) or digits >= 4, reasons


def _norm(answer: str | None) -> str | None:
    if answer is None:
        return None
    return re.sub(r"\s+", "", answer).strip("'\"").lower() or None


def best_answer(trajectory: Trajectory) -> str | None:
    """A checked answer, else the one most rounds agree on (latest first on ties), else the last."""
    rounds = [r for r in trajectory.rounds if r.answer]
    for r in reversed(rounds):
        if r.answer_check and r.answer_check.verdict == "correct":
            return r.answer
    trusted = [
        r for r in rounds
        if not (r.answer_check and r.answer_check.verdict == "incorrect")
        and not (r.execution and not r.execution.ok)
    ]  # fmt: skip
    pool = trusted or rounds
    if not pool:
        return None
    counts = Counter(_norm(r.answer) for r in pool)
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
            return self._first(trajectory)
        last = trajectory.rounds[-1]
        decision = self._after(trajectory, last)
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

    def _first(self, trajectory: Trajectory) -> Guidance:
        needs_code, reasons = question_needs_code(trajectory.question)
        if needs_code:
            return Guidance(
                action=Action.CODE,
                prompt=prompts.question_with(prompts.CODE_FIRST, trajectory.question),
                rationale="Code first: " + "; ".join(reasons) + ". Exact computation and search are safer in code.",
            )
        why = "; ".join(reasons) if reasons else "it has no numbers and asks for no computation or search"
        return Guidance(
            action=Action.TEXT,
            prompt=prompts.question_with(prompts.TEXT_FIRST, trajectory.question),
            rationale=f"Text first: {why}. A language or common-sense question is answered best in text.",
        )

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
        if report is not None and report.verdict == "syntax_error":
            return _refine(
                prompts.FIX_SYNTAX.format(error=report.syntax_error),
                f"The code did not parse ({report.syntax_error}).",
            )
        failures = _consecutive_code_failures(trajectory)
        if failures >= _MAX_SAME_MODE_FAILURES:
            return Guidance(
                action=Action.TEXT,
                prompt=prompts.SWITCH_TO_TEXT.format(why=f"{failures} failed programs in a row"),
                rationale=f"{failures} code rounds in a row failed; a round of textual analysis may find the flaw.",
            )
        if run is not None and run.timed_out:
            return _refine(
                prompts.FIX_TIMEOUT,
                f"The program was killed at the time limit after {run.duration_s:.1f} s.",
            )
        if run is not None and run.exit_code not in (0, None):
            return _refine(
                prompts.FIX_ERROR,
                f"The program failed with exit code {run.exit_code}.",
            )
        if report is not None and report.verdict in ("hard_coded", "trivial", "empty"):
            return Guidance(
                action=Action.CODE,
                prompt=prompts.PUSH_TO_SEARCH.format(advice=report.advice),
                rationale=f"check_symbolic rated the program {report.verdict} (score {report.score}): it does not "
                "compute the answer, so its output cannot be trusted.",
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
        agreed = _agreeing_round(trajectory, last)
        if agreed is not None:
            return _finish(
                Action.RETURN,
                answer,
                f"Rounds {agreed.index} and {last.index} agree on {answer} from code that ran cleanly.",
            )
        return _refine(
            prompts.VERIFY.format(answer=answer),
            "The program computed an answer that no check could confirm yet; asking for a self-check "
            "(the paper's self-answer checker) before returning it.",
        )

    def _after_text(self, trajectory: Trajectory, last: Round) -> Guidance:
        answer, check = last.answer, last.answer_check
        needs_code, reasons = question_needs_code(trajectory.question)
        if check and check.verdict == "incorrect":
            return Guidance(
                action=Action.CODE,
                prompt=prompts.SWITCH_TO_CODE.format(why=f"fails its check ({check.reason})"),
                rationale=f"The text answer failed its check: {check.reason}. Code can search and verify.",
            )
        if needs_code:
            why = prompts.missing_answer(last.response) if not answer else "cannot be trusted for exact computation or search"
            return Guidance(
                action=Action.CODE,
                prompt=prompts.SWITCH_TO_CODE.format(why=why),
                rationale="The question calls for computation (" + "; ".join(reasons) + ") and the answer came "
                "from text alone" + ("" if answer else " without an answer marked <<<answer>>>") + ".",
            )
        if not answer:
            return _refine(prompts.NO_ANSWER.format(where="", how=""), "The text response " + prompts.missing_answer(last.response) + ".")
        return _finish(
            Action.RETURN,
            answer,
            "A language question answered in text with a marked answer and no failed check.",
        )


def _refine(prompt: str, rationale: str) -> Guidance:
    return Guidance(action=Action.REFINE, prompt=prompt, rationale=rationale)


def _finish(action: Action, answer: str, rationale: str) -> Guidance:
    return Guidance(action=action, prompt=prompts.RETURN.format(answer=answer), rationale=rationale, final_answer=answer)


def _consecutive_code_failures(trajectory: Trajectory) -> int:
    count = 0
    for r in reversed(trajectory.rounds):
        failed = r.code is not None and (
            (r.execution is not None and not r.execution.ok)
            or (r.symbolic is not None and r.symbolic.verdict == "syntax_error")
            or (r.answer_check is not None and r.answer_check.verdict == "incorrect")
        )
        if not failed:
            break
        count += 1
    return count


def _agreeing_round(trajectory: Trajectory, last: Round) -> Round | None:
    """An earlier round whose clean answer equals this one's."""
    target = _norm(last.answer)
    for r in reversed(trajectory.rounds[:-1]):
        if _norm(r.answer) != target:
            continue
        if r.answer_check is not None and r.answer_check.verdict == "incorrect":
            continue
        if r.execution is not None and not r.execution.ok:
            continue
        if r.symbolic is not None and r.symbolic.verdict in ("hard_coded", "trivial", "syntax_error"):
            continue
        return r
    return None
