"""The rules guide's decisions, one situation at a time."""

from __future__ import annotations

from checkers import AnswerCheck, analyze_code
from guide import Action, Guidance, Round, Trajectory
from guide.rules import RulesGuide, best_answer, question_needs_code
from sandbox import ExecResult

guide = RulesGuide()


def _ok(stdout: str) -> ExecResult:
    return ExecResult(stdout=stdout, exit_code=0, duration_s=0.1)


def _trajectory(*rounds: Round, question: str = "Find all x with x**2 = 49.", max_rounds: int = 6) -> Trajectory:
    t = Trajectory(session_id="s", question=question, max_rounds=max_rounds)
    t.first = guide.decide(t)
    for r in rounds:
        t.rounds.append(r)
        if r is not rounds[-1]:
            r.guidance = guide.decide(Trajectory(**{**t.model_dump(), "rounds": t.rounds[: r.index]}))
    return t


def _code_round(index: int, code: str, execution: ExecResult, answer: str | None, check: AnswerCheck | None = None):
    return Round(index=index, response=f"```python\n{code}\n```", code=code, execution=execution,
                 symbolic=analyze_code(code), answer=answer, answer_check=check)  # fmt: skip


def test_questions_with_numbers_or_search_words_start_in_code():
    assert question_needs_code("Arrange the letters so that no two vowels touch.")[0]
    assert question_needs_code("What is 1234 * 5678?")[0]
    assert guide.decide(Trajectory(session_id="s", question="How many ways to tile a 2x10 board?")).action is Action.CODE


def test_pure_language_questions_start_in_text():
    assert not question_needs_code("Is the following sentence plausible? The cat sang opera.")[0]
    first = guide.decide(Trajectory(session_id="s", question="Is the following sentence plausible? The cat sang opera."))
    assert first.action is Action.TEXT and "Text first" in first.rationale


def test_a_syntax_error_is_sent_back_with_its_line():
    code = "for x in range(3)\n    print(x)"
    t = _trajectory(_code_round(1, code, None, None))
    decision = guide.decide(t)
    assert decision.action is Action.REFINE and "line 1" in decision.prompt


def test_a_timeout_asks_for_a_faster_program():
    code = "from itertools import permutations\nfor p in permutations(range(20)):\n    pass"
    run = ExecResult(exit_code=None, timed_out=True, duration_s=10.0)
    decision = guide.decide(_trajectory(_code_round(1, code, run, None)))
    assert decision.action is Action.REFINE and "faster" in decision.prompt and "10.0 s" in decision.rationale


def test_a_hard_coded_program_is_pushed_to_search():
    decision = guide.decide(_trajectory(_code_round(1, "print('<<<7>>>')", _ok("<<<7>>>\n"), "7")))
    assert decision.action is Action.CODE and "hard_coded" in decision.rationale


def test_a_checked_answer_is_returned_even_after_one_round():
    check = AnswerCheck(verdict="correct", reason="all constraints hold", method="task_constraints")
    code = "import sympy as sp\nx = sp.symbols('x')\nprint(sp.solve(x**2 - 49, x))"
    decision = guide.decide(_trajectory(_code_round(1, code, _ok("[-7, 7]\n"), "[-7, 7]", check)))
    assert decision.action is Action.RETURN and decision.final_answer == "[-7, 7]"


def test_a_failed_check_is_fed_back_with_its_reason():
    check = AnswerCheck(verdict="incorrect", reason="x=8 gives 64", method="checker_code")
    code = "for x in range(100):\n    if x * x == 64:\n        print(x)"
    decision = guide.decide(_trajectory(_code_round(1, code, _ok("8\n"), "8", check)))
    assert decision.action is Action.REFINE and "x=8 gives 64" in decision.prompt


def test_three_failing_programs_in_a_row_switch_to_text():
    crash = ExecResult(exit_code=1, stderr="ZeroDivisionError", duration_s=0.1)
    rounds = [_code_round(i, "for i in range(3):\n    print(1 / (i - i))", crash, None) for i in (1, 2, 3)]
    decision = guide.decide(_trajectory(*rounds))
    assert decision.action is Action.TEXT and "3 code rounds" in decision.rationale


def test_a_wrong_text_answer_switches_to_code():
    check = AnswerCheck(verdict="incorrect", reason="uses 5 twice", method="task_constraints")
    text_round = Round(index=1, response="<<<5*5-1>>>", answer="5*5-1", answer_check=check)
    decision = guide.decide(_trajectory(text_round))
    assert decision.action is Action.CODE and "uses 5 twice" in decision.prompt


def test_a_response_without_answer_markers_is_told_the_markers_were_missing():
    q = "Which is heavier, a kilogram of feathers or a kilogram of iron?"
    decision = guide.decide(_trajectory(Round(index=1, response="They weigh the same."), question=q))
    assert decision.action is Action.REFINE
    assert "<<< and >>> markers" in decision.prompt and "markers were missing" in decision.rationale
    computed = guide.decide(_trajectory(Round(index=1, response="It is 7 or -7."), question="Find x with x**2 = 49."))
    assert computed.action is Action.CODE and "markers were missing" in computed.prompt


def test_a_text_answer_to_a_language_question_is_returned():
    q = "Which is heavier, a kilogram of feathers or a kilogram of iron?"
    decision = guide.decide(_trajectory(Round(index=1, response="Neither. <<<same>>>", answer="same"), question=q))
    assert decision.action is Action.RETURN and decision.final_answer == "same"


def test_the_last_round_terminates_with_the_answer_most_rounds_agree_on():
    code = "total = 0\nfor i in range(10):\n    total += i\nprint(total)"
    rounds = [
        _code_round(1, code, _ok("45\n"), "45", AnswerCheck(verdict="unverified", reason="", method="none")),
        Round(index=2, response="<<<44>>>", answer="44"),
        _code_round(3, code, ExecResult(exit_code=1, stderr="boom"), None),
    ]
    t = _trajectory(*rounds, max_rounds=3)
    decision = guide.decide(t)
    assert decision.action is Action.TERMINATE
    assert decision.final_answer == best_answer(t) == "44"  # latest of the trusted answers on a tie


def test_every_decision_carries_a_rationale():
    t = _trajectory(_code_round(1, "print(1)", _ok("1\n"), "1"))
    for g in [t.first, guide.decide(t)]:
        assert isinstance(g, Guidance) and len(g.rationale) > 20
