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
    exec(compile(program.split("\n\n\n")[0], "p", "exec"), namespace)
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


def test_a_task_without_a_steering_time_check_leaves_the_answer_unverified_and_says_why():
    from checkers import check_with_task
    from symbench import get_task

    sample = get_task("statistical_counting").generate(1)
    check = check_with_task("statistical_counting", sample.question, "12345")
    assert check.verdict == "unverified" and check.method == "none"
    assert "would mean solving the question" in check.reason and "checker_code" in check.reason


def test_a_question_the_check_cannot_read_is_reported_as_such_and_a_broken_check_as_a_defect(monkeypatch):
    from dataclasses import replace

    import symbench
    from checkers import check_with_task

    game24 = symbench.get_task("game24")
    unreadable = check_with_task("game24", "What is the capital of France?", "Paris")
    assert unreadable.verdict == "unverified" and "could not read this question" in unreadable.reason

    def broken(question, answer):
        raise TypeError("a bug in the check")

    monkeypatch.setattr(symbench, "get_task", lambda name: replace(game24, check=broken))
    defect = check_with_task("game24", game24.generate(0).question, "1+2")
    assert defect.verdict == "unverified"
    assert "failed on this answer (TypeError)" in defect.reason and "question" not in defect.reason


def test_prose_of_drops_code_blocks_so_a_marker_in_program_source_is_not_an_answer():
    from checkers import prose_of

    response = "My guess is <<<7>>>.\n```python\nprint(f'<<<{grid}>>>')\n```\nDone."
    assert "<<<{grid}>>>" not in prose_of(response) and "<<<7>>>" in prose_of(response)
