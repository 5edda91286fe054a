from __future__ import annotations

import pytest

from symbench import get_task
from symbench.paths import default_data_dir
from symbench.tasks.game24 import generate, parse_question, question_for

TASK = get_task("game24")
DATA_DIR = default_data_dir()


def sample(numbers=(1, 2, 3, 4), target=24):
    s = generate(0)
    return s.model_copy(update={"question": question_for(list(numbers), target),
                                "metadata": {"numbers": list(numbers), "target": target, "paper_subset": False}})


def verdict(answer, numbers=(1, 2, 3, 4), target=24, mode="strict"):
    return TASK.verify(sample(numbers, target), answer, mode).verdict


def test_game24_accepts_any_correct_expression_in_any_number_order():
    assert verdict("<<<1*2*3*4>>>") == "correct"
    assert verdict("<<<(4 + 2) * (3 + 1)>>>") == "correct"
    assert verdict("<<<4*3*2*1 = 24>>>") == "correct"


def test_game24_needs_exact_fractions_that_floating_point_gets_wrong():
    assert verdict("<<<8/(3-8/3)>>>", numbers=(3, 3, 8, 8)) == "correct"
    assert verdict("<<<8/(3-8/3)>>>", numbers=(3, 3, 8, 8), mode="faithful") == "incorrect"


def test_game24_rejects_an_expression_that_reuses_a_number():
    score = TASK.verify(sample(), "<<<(4+4)*3*1>>>", "strict")
    assert score.verdict == "incorrect" and "exactly once" in score.reason


def test_game24_rejects_an_expression_that_leaves_a_number_out():
    assert verdict("<<<4*3*2>>>") == "incorrect"


def test_game24_rejects_a_wrong_value():
    score = TASK.verify(sample(), "<<<1+2+3+4>>>", "strict")
    assert score.verdict == "incorrect" and "10" in score.reason


@pytest.mark.parametrize("answer", ["<<<2**4+3+4+1>>>", "<<<__import__('os')>>>", "<<<-1+2*3*4+1>>>", "<<<>>>", "no answer"])
def test_game24_rejects_anything_but_the_four_operations_on_the_given_numbers(answer):
    assert verdict(answer) == "incorrect"


def test_game24_reads_the_last_marked_answer_and_common_operator_spellings():
    assert verdict("first <<<1+2+3+4>>> then <<<(1+2+3) × 4>>>") == "correct"
    assert verdict("<<<\\frac{4}{1} \\times 3 \\times 2>>>") == "correct"


def test_game24_check_reads_the_instance_from_the_question_alone():
    question = question_for([3, 3, 8, 8], 24)
    assert parse_question(question) == ([3, 3, 8, 8], 24)
    assert TASK.check(question, "<<<8/(3-8/3)>>>").verdict == "correct"
    assert TASK.check(question, "<<<8*3+8-8>>>").verdict == "incorrect"


def test_game24_generator_honours_its_knobs():
    s = generate(5, target=100, count=6, max_number=20)
    assert s.metadata["target"] == 100 and len(s.metadata["numbers"]) == 6
    assert all(1 <= n <= 20 for n in s.metadata["numbers"])
    assert TASK.verify(s, TASK.gold_answer(s), "strict").verdict == "correct"


def test_game24_generator_says_when_the_knobs_admit_no_puzzle():
    with pytest.raises(ValueError):
        generate(0, target=24, count=1, max_number=13)


@pytest.mark.skipif(DATA_DIR is None, reason="no SymBench data folder")
def test_game24_loads_the_paper_rows_and_documents_only_approximate_golds():
    samples = TASK.load(DATA_DIR)
    paper = [s for s in samples if s.metadata["paper_subset"]]
    assert paper and all(s.id.startswith("24/24/") and s.gold is None for s in paper)
    assert all(s.question == question_for(s.metadata["numbers"], 24) for s in paper)
    defects = [s for s in samples if TASK.gold_defect(s)]
    assert all(len(s.metadata["numbers"]) >= 8 for s in defects)


def test_faithful_mode_reads_the_answer_as_the_originals_python_eval_did():
    sample = TASK.generate(0).model_copy(update={"metadata": {"numbers": [2, 3, 4, 1], "target": 24}})
    # eval read ** as a power: accepted then, refused by strict (powers are not allowed).
    assert TASK.verify(sample, "<<<2**3*(4-1)>>>", "faithful").verdict == "correct"
    assert TASK.verify(sample, "<<<2**3*(4-1)>>>", "strict").verdict == "incorrect"
    sample = TASK.generate(0).model_copy(update={"metadata": {"numbers": [4, 6, 1, 1], "target": 24}})
    # × is a SyntaxError for eval: rejected then, accepted by strict.
    assert TASK.verify(sample, "<<<4×6×1×1>>>", "faithful").verdict == "incorrect"
    assert TASK.verify(sample, "<<<4×6×1×1>>>", "strict").verdict == "correct"
