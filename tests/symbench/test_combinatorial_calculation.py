from __future__ import annotations

import pytest

from symbench import get_task
from symbench.paths import default_data_dir
from symbench.tasks.combinatorial_calculation import generate, parse_question, question_for

TASK = get_task("combinatorial_calculation")
DATA_DIR = default_data_dir()


def sample(numbers=(6, 2, 7), target=10):
    return generate(0).model_copy(update={
        "question": question_for(list(numbers), target),
        "metadata": {"numbers": list(numbers), "target": target, "complexity": None, "paper_subset": False},
    })


def verdict(answer, numbers=(6, 2, 7), target=10, mode="strict"):
    return TASK.verify(sample(numbers, target), answer, mode).verdict


@pytest.mark.parametrize(
    "answer",
    ["<<<[6, /, 2, +, 7]>>>", "<<<['6', '/', '2', '+', '7']>>>", "<<<6/2+7>>>", '<<<["6","/","2","+","7"]>>>'],
)
def test_combinatorial_calculation_reads_token_lists_and_plain_expressions(answer):
    assert verdict(answer) == "correct"


def test_combinatorial_calculation_accepts_another_bracketing_that_reaches_the_target():
    assert verdict("<<<[1, +, 2, *, 3]>>>", numbers=(1, 2, 3), target=7) == "correct"
    assert verdict("<<<[(, 1, +, 2, ), *, 3, -, 2]>>>", numbers=(1, 2, 3, 2), target=7) == "correct"


def test_combinatorial_calculation_rejects_reordered_numbers_in_strict_mode_only():
    assert verdict("<<<[7, +, 6, /, 2]>>>") == "incorrect"
    assert verdict("<<<[7, +, 6, /, 2]>>>", mode="faithful") == "correct"


def test_combinatorial_calculation_rejects_a_wrong_value_and_a_missing_operator():
    assert verdict("<<<[6, *, 2, +, 7]>>>") == "incorrect"
    assert verdict("<<<[6, , 2, +, 7]>>>") == "incorrect"


def test_combinatorial_calculation_check_reads_numbers_and_target_from_the_question():
    question = question_for([6, 2, 7], 10)
    assert parse_question(question) == ([6, 2, 7], 10)
    assert TASK.check(question, "<<<[6, /, 2, +, 7]>>>").verdict == "correct"


def test_combinatorial_calculation_generator_keeps_order_and_a_whole_target():
    s = generate(3, count=6, max_number=5)
    assert len(s.metadata["numbers"]) == 6 and all(1 <= n <= 5 for n in s.metadata["numbers"])
    assert isinstance(s.metadata["target"], int) and s.metadata["target"] >= 0
    assert TASK.verify(s, TASK.gold_answer(s), "strict").verdict == "correct"


@pytest.mark.skipif(DATA_DIR is None, reason="no SymBench data folder")
def test_combinatorial_calculation_loads_both_folders_with_the_paper_folder_marked():
    samples = TASK.load(DATA_DIR)
    assert {s.id.split("/")[0] for s in samples} == {"combinatorial_calculation", "combinatorial_calculation_varied_complexity"}
    assert all(s.metadata["paper_subset"] == (s.id.split("/")[0] == "combinatorial_calculation") for s in samples)
