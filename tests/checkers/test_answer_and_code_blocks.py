"""Reading a checker's verdict, and finding the program in a response."""

from __future__ import annotations

from checkers import extract_python
from checkers.answer import checker_program, verdict_from_run


def test_the_last_verdict_line_wins():
    v = verdict_from_run("INCORRECT: first try\nCORRECT\n", "", 0, False)
    assert v.verdict == "correct"


def test_a_failed_assert_is_incorrect_with_its_message():
    v = verdict_from_run("", "Traceback...\nAssertionError: row 3 repeats 5\n", 1, False)
    assert v.verdict == "incorrect" and v.reason == "row 3 repeats 5"


def test_a_crashing_or_silent_checker_leaves_the_answer_unverified():
    assert verdict_from_run("", "NameError: x\n", 1, False).verdict == "unverified"
    assert verdict_from_run("looks fine\n", "", 0, False).verdict == "unverified"
    assert verdict_from_run("", "", None, True).verdict == "unverified"


def test_the_answer_is_bound_as_a_literal_not_spliced_into_code():
    program = checker_program("print(ANSWER)", "q", "'); import os; os.system('x'); ('")
    namespace: dict = {}
    exec(compile(program.split("\n\n")[0], "p", "exec"), namespace)
    assert namespace["ANSWER"] == "'); import os; os.system('x'); ('"


def test_the_last_python_block_is_taken():
    response = "First:\n```python\nprint(1)\n```\nBetter:\n```python\nprint(2)\n```\nDone."
    assert extract_python(response) == "print(2)"


def test_a_tagged_block_wins_over_untagged_and_other_languages():
    response = "```\nplain\n```\n```bash\nls\n```\n```py\nx = 1\n```"
    assert extract_python(response) == "x = 1"
    assert extract_python("```\nprint('untagged')\n```") == "print('untagged')"
    assert extract_python("```bash\nls\n```") is None


def test_a_block_cut_off_at_the_end_is_still_found_and_text_has_none():
    assert extract_python("```python\nfor i in range(3):\n    print(i)") == "for i in range(3):\n    print(i)"
    assert extract_python("Just text. <<<4>>>") is None
