"""The rules guide's decisions, one situation at a time."""

from __future__ import annotations

import pytest

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


def test_a_timeout_says_the_loop_may_not_terminate_as_well_as_be_slow():
    code = "n = 1\nwhile n != 0:\n    n = n * 2\nprint(n)"
    run = ExecResult(exit_code=None, timed_out=True, duration_s=10.0)
    decision = guide.decide(_trajectory(_code_round(1, code, run, None)))
    assert decision.action is Action.REFINE and "10.0 s" in decision.rationale
    assert "never terminates" in decision.prompt and "prune" in decision.prompt


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


def test_three_failing_programs_switch_to_text_where_text_is_plausible():
    crash = ExecResult(exit_code=1, stderr="ZeroDivisionError", duration_s=0.1)
    codes = ["print(1 / 0)", "x = 0\nprint(5 / x)", "for i in range(3):\n    print(1 / (i - i))"]
    rounds = [_code_round(i, code, crash, None) for i, code in enumerate(codes, 1)]
    t = _trajectory(*rounds, question=GAME24)
    t.task = "game24"  # Table 1: text 23% beats code 11% without steering
    decision = guide.decide(t)
    assert decision.action is Action.TEXT and "3 code rounds" in decision.rationale and "23%" in decision.rationale


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
    computed = guide.decide(
        _trajectory(Round(index=1, response="It is 181026208."), question="What is the result of -4*52*-88*9883?")
    )
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


# ---- scripted multi-round scenarios on real SymBench questions (issue 12) ---------------------

MULTIPLY = "What is the result of -4*52*-88*9883?"
DATE = (
    "Today is Christmas Eve of 1937. What is the date tomorrow in MM/DD/YYYY?\nOptions:\n(A) 12/11/1937\n"
    "(B) 12/25/1937\n(C) 01/04/1938\n(D) 12/04/1937\n(E) 12/25/2006\n(F) 07/25/1937"
)
LETTERS = (
    "How many 'r's are in the word 'strawberry' and what are their positions? The position in the word counts from "
    "1 not 0."
)
INSERTION = (
    "Given the string consisting of characters A, B, C, D, and E, define the T operation as follows: if there is a "
    "substring ABCD in the string, insert the character A after that substring. Question: Given the string "
    "DBCDEDCDEAECDEA, what will the string be after one operation T?"
)
SUDOKU = (
    "Given a 9*9 Sudoku grid, each cell must be filled with a number between 1 and 9. No number may appear more than "
    "once in the same row, column, or 3*3 subgrid. Some cells are pre-filled. Please fill the remaining empty cells.\n"
    " ,5,3, , , , , , \n , , , , ,7,1, , \n6,7, , , ,5,4,2,3\n1, , , , , ,5, , \n2, ,9,4, , , ,6,1\n"
    " ,6, , ,7,3, , , \n7, , ,9, , , ,1,8\n , , , , , , , , \n , , ,7, ,1,3, ,6\n\n"
    "Return your answer in the format: <<<a 9*9 matrix>>>."
)
GAME24 = (
    "Use numbers and basic arithmetic operations (+ - * /) to obtain 24. Each number should be used only once but "
    "each number has to be used in the equation. Input: 1 1 4 6 Answer:"
)
WEB_OF_LIES = (
    "Question: Sherrie tells the truth. Vernell says Sherrie tells the truth. Alexis says Vernell lies. Michaela says "
    "Alexis tells the truth. Elanor says Michaela tells the truth. Does Elanor tell the truth?"
)
FILL_WITH_ONES = (
    "grid = [[0, 5, 3, 0, 0, 0, 0, 0, 0]] + [[0] * 9 for _ in range(8)]\nfor i in range(9):\n    for j in range(9):\n"
    "        if grid[i][j] == 0:\n            grid[i][j] = 1\nprint('<<<' + str(grid) + '>>>')"
)


def _scripted(question: str, *rounds: Round, task: str | None = None) -> Guidance:
    t = Trajectory(session_id="s", question=question, task=task)
    t.first = guide.decide(t)
    for r in rounds:
        t.rounds.append(r)
        r.guidance = guide.decide(t)
    return t.rounds[-1].guidance


@pytest.mark.parametrize(
    ("question", "code", "output"),
    [
        (MULTIPLY, "print(-4*52*-88*9883)", "181026208\n"),
        (DATE, "from datetime import date, timedelta\nprint((date(1937, 12, 24) + timedelta(days=1)).strftime('%m/%d/%Y'))",
         "12/25/1937\n"),
        (LETTERS, "word = 'strawberry'\nprint(word.count('r'), [i + 1 for i, c in enumerate(word) if c == 'r'])",
         "3 [3, 8, 9]\n"),
        (INSERTION, "s = 'DBCDEDCDEAECDEA'\ni = s.find('ABCD')\nprint(s if i < 0 else s[:i + 4] + 'A' + s[i + 4:])",
         "DBCDEDCDEAECDEA\n"),
    ],
    ids=["product", "datetime", "count", "slicing"],
)
def test_a_correct_straight_line_program_is_asked_for_a_self_check_not_pushed_to_search(question, code, output):
    decision = _scripted(question, _code_round(1, code, _ok(output), output.strip()))
    assert decision.action is Action.REFINE and "verify it" in decision.prompt
    assert "search" not in decision.rationale


def test_a_grid_filled_with_ones_is_pushed_to_compute_and_its_resubmission_is_no_evidence():
    first = _scripted(SUDOKU, _code_round(1, FILL_WITH_ONES, _ok("<<<[[1]]>>>\n"), "[[1]]"))
    assert first.action is Action.CODE and "hard_coded" in first.rationale
    again = _scripted(
        SUDOKU,
        _code_round(1, FILL_WITH_ONES, _ok("<<<[[1]]>>>\n"), "[[1]]"),
        _code_round(2, FILL_WITH_ONES + "\n", _ok("<<<[[1]]>>>\n"), "[[1]]"),
    )
    assert again.action is Action.REFINE and "same program as in round 1" in again.prompt
    assert "no new evidence" in again.rationale and again.final_answer is None


def test_an_identical_resubmission_of_a_working_program_is_not_a_second_opinion():
    code = "total = 0\nfor x in [-4, 52, -88, 9883]:\n    total = x if total == 0 else total * x\nprint(total)"
    decision = _scripted(
        MULTIPLY,
        _code_round(1, code, _ok("181026208\n"), "181026208"),
        _code_round(2, "# again\n" + code, _ok("181026208\n"), "181026208"),
    )
    assert decision.action is Action.REFINE and "unchanged" in decision.rationale


def test_two_different_programs_that_agree_are_returned():
    decision = _scripted(
        MULTIPLY,
        _code_round(1, "print(-4*52*-88*9883)", _ok("181026208\n"), "181026208"),
        _code_round(2, "import math\nprint(math.prod([-4, 52, -88, 9883]))", _ok("181026208\n"), "181026208"),
    )
    assert decision.action is Action.RETURN and decision.final_answer == "181026208"


def test_a_text_answer_that_agrees_with_code_on_a_code_first_question_is_accepted():
    code = "truth = True\nfor lies in [False, True, False, False]:\n    truth = truth != lies\nprint(truth)"
    decision = _scripted(
        WEB_OF_LIES,
        _code_round(1, code, _ok("No\n"), "No"),
        Round(index=2, response="Sherrie is truthful, so ... <<<No>>>", answer="No"),
        task="web_of_lies",
    )
    assert decision.action is Action.RETURN and decision.final_answer == "No" and "agrees" in decision.rationale


def test_a_checked_text_answer_is_accepted_even_when_the_task_is_better_in_code():
    check = AnswerCheck(verdict="correct", reason="the chain of statements holds", method="task_constraints")
    decision = _scripted(WEB_OF_LIES, Round(index=1, response="<<<No>>>", answer="No", answer_check=check),
                         task="web_of_lies")  # fmt: skip
    assert decision.action is Action.RETURN and decision.final_answer == "No"


def test_a_language_question_opens_in_text_and_its_text_answer_is_returned():
    question = "Is the following sentence sarcastic? 'Oh great, another Monday. Just what I needed.'"
    t = Trajectory(session_id="s", question=question)
    assert guide.decide(t).action is Action.TEXT
    decision = _scripted(question, Round(index=1, response="It mocks Mondays. <<<yes>>>", answer="yes"))
    assert decision.action is Action.RETURN and decision.final_answer == "yes"


@pytest.mark.parametrize("task", ["standard_sudoku", None])
def test_three_failed_sudoku_programs_ask_for_a_different_algorithm_not_text(task):
    crash = ExecResult(exit_code=1, stderr="IndexError: list index out of range", duration_s=0.1)
    codes = ["grid = []\nprint(grid[9])", "grid = [[0]]\nprint(grid[0][9])", "rows = [1]\nprint(rows[3])"]
    decision = _scripted(SUDOKU, *[_code_round(i, c, crash, None) for i, c in enumerate(codes, 1)], task=task)
    assert decision.action is Action.CODE and "backtracking" in decision.prompt
    assert "not plausible" in decision.rationale


def test_repeated_syntax_errors_count_as_failures_and_change_course():
    broken = ["for x in range(3)\n    print(x)", "print((1, 2)", "def f(:\n    pass"]
    rounds = [_code_round(i, code, None, None) for i, code in enumerate(broken, 1)]
    decision = _scripted(SUDOKU, *rounds)
    assert decision.action is Action.CODE and "different algorithm" in decision.prompt.lower()
    assert "3 code rounds in a row failed" in decision.rationale


def test_the_same_failing_program_three_times_changes_course():
    crash = ExecResult(exit_code=1, stderr="IndexError: list index out of range", duration_s=0.1)
    rounds = [_code_round(i, "grid = []\nprint(grid[9])", crash, None) for i in (1, 2, 3)]
    second = _scripted(SUDOKU, *rounds[:2])
    assert second.action is Action.REFINE and "unchanged" in second.rationale
    assert _scripted(SUDOKU, *rounds).action is Action.CODE


def test_an_unverified_code_answer_asks_for_the_self_answer_checker_and_uses_its_pass():
    solve = "from itertools import permutations\nfor p in permutations(range(1, 4)):\n    if p[0] + p[1] == p[2]:\n        print(p)"
    checked = solve + "\n        assert p[0] + p[1] == p[2]"
    first = _scripted(GAME24, _code_round(1, solve, _ok("(1, 2, 3)\n"), "(1, 2, 3)"))
    assert first.action is Action.REFINE and "assert each one" in first.prompt
    decision = _scripted(
        GAME24,
        _code_round(1, solve, _ok("(1, 2, 3)\n"), "(1, 2, 3)"),
        _code_round(2, checked, _ok("(1, 2, 3)\n"), "(1, 2, 3)"),
    )
    assert decision.action is Action.RETURN and "self-answer checker confirms" in decision.rationale


def test_a_failed_self_check_is_fed_back_instead_of_returning():
    solve = "for a in range(10):\n    for b in range(10):\n        if a * b == 24:\n            print(a, b)\n            break"
    checked = solve + "\nassert a + b == 10, 'a + b is not 10'"
    failed = ExecResult(stdout="3 8\n", stderr="AssertionError: a + b is not 10", exit_code=1, duration_s=0.1)
    decision = _scripted(
        GAME24,
        _code_round(1, solve, _ok("3 8\n"), "3 8"),
        _code_round(2, checked, failed, None),
    )
    assert decision.action is Action.REFINE and "a + b is not 10" in decision.prompt
    assert decision.final_answer is None
