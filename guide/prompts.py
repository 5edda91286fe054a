"""The instructions the guide gives the TaskLLM, shared by every guide backend."""

from __future__ import annotations

ANSWER_FORMAT = "End your response with the final answer in the form <<<answer>>>."

CODE_FIRST = (
    "Solve this by writing ONE python code block (```python ... ```) that computes the answer: search the "
    "candidates (loops, itertools, backtracking, BFS/DFS) or compute symbolically (sympy, fractions, z3) "
    "rather than working the answer out by hand. The code will be executed and you will see its output. "
    "Make the program print the final answer in the form <<<answer>>>."
)

TEXT_FIRST = (
    "Answer this by reasoning step by step in text; no code is needed. " + ANSWER_FORMAT
)

SWITCH_TO_CODE = (
    "Your text answer {why}. Switch to code: write ONE python code block that derives the answer by search or "
    "symbolic computation and checks every condition of the question, and make it print the answer as <<<answer>>>."
)

SWITCH_TO_TEXT = (
    "Your programs keep failing ({why}). Step back and reason in text: restate every condition of the question, "
    "find what your code got wrong, then answer. " + ANSWER_FORMAT
)

PUSH_TO_SEARCH = (
    "Your code does not compute the answer: {advice} Rewrite it so the program itself finds the answer "
    "(enumerate candidates and test each against the conditions, or set up and solve the equations), "
    "and print the answer as <<<answer>>>."
)

FIX_SYNTAX = "Your code does not parse: {error}. Fix it and send the whole corrected python block."

FIX_ERROR = (
    "Your code failed when run (its output is above). Fix the error and send the whole corrected python block; "
    "print the answer as <<<answer>>>."
)

FIX_TIMEOUT = (
    "Your code was stopped at the time limit. Either it never terminates (a while loop whose condition never "
    "changes, a recursion without a base case, a search that revisits the same states) or it is too slow. Check "
    "that every loop ends; then prune the search with the question's constraints, avoid enumerating the whole "
    "space, or compute symbolically. Send the whole corrected python block and print the answer as <<<answer>>>."
)

SAME_PROGRAM = (
    "This is the same program as in round {round}, unchanged, so running it again tells us nothing new{outcome}. "
    "Change the program itself: {what}"
)

DIFFERENT_ALGORITHM = (
    "Your programs keep failing ({why}), and patching the same approach is not working. Write a different "
    "algorithm: a backtracking search that places one value at a time and undoes it when a condition breaks, "
    "a constraint solver (python-constraint or z3) given every condition of the question, or a breadth-first "
    "search over states. Send ONE python block and print the answer as <<<answer>>>."
)

SELF_CHECK_FAILED = (
    "Your own check of the answer failed: {reason}. The answer {answer} breaks a condition of the question; find "
    "the mistake in the solution (not in the check), fix it, keep the checks, and print the verified answer as "
    "<<<answer>>>."
)

NO_ANSWER = (
    "I found no answer between <<< and >>> markers in your response{where}. Write the final answer inside "
    "the markers, in the form <<<answer>>>{how}."
)


def missing_answer(response: str) -> str:
    """Why no answer was read from ``response``: the markers absent, or present but empty."""
    if "<<<" in response and ">>>" in response:
        return "marked <<<...>>> but held no answer between the markers"
    return "gave no answer in the form <<<answer>>> (the <<< >>> markers were missing)"

ANSWER_WRONG = (
    "The answer {answer} fails its check: {reason}\nFind the mistake and answer again{how}."
)

VERIFY = (
    "Your program answered {answer}. Before this answer is returned, verify it: extend the code with checks "
    "of every condition of the question against this answer (assert each one, or print INCORRECT: <the "
    "condition> when one fails), run it again, and print the verified answer as <<<answer>>>."
)

RETURN = "The answer {answer} stands. Give it as the final answer: <<<{answer}>>>"

TERMINATE = "No rounds are left. The best answer so far is {answer}; give it as the final answer."

TERMINATE_NONE = "No rounds are left and no answer was found."


def question_with(instruction: str, question: str) -> str:
    """The TaskLLM's first message: the question, then how to answer it."""
    return f"{question.strip()}\n\n{instruction}"
