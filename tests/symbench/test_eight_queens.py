from __future__ import annotations

import pytest

from symbench import get_task
from symbench.paths import default_data_dir
from symbench.tasks.eight_queens import generate, parse_question, question_for

TASK = get_task("eight_queens")
DATA_DIR = default_data_dir()
BOARD = ["00000000", "000X0000", "00000100", "00000000", "0000000X", "000X0000", "00000000", "X0000000"]
GOLD = "2 5, 0 1, 1 7, 3 0, 4 2, 5 4, 6 6, 7 3"


def sample(board=BOARD):
    return generate(0).model_copy(update={
        "question": question_for(board),
        "metadata": {"board": board, "size": len(board), "complexity": None, "paper_subset": False},
    })


def verdict(answer, mode="strict", board=BOARD):
    return TASK.verify(sample(board), answer, mode).verdict


def test_eight_queens_accepts_the_reference_placement_in_several_notations():
    assert verdict(f"<<<{GOLD}>>>") == "correct"
    assert verdict("<<<[(2, 5), (0, 1), (1, 7), (3, 0), (4, 2), (5, 4), (6, 6), (7, 3)]>>>") == "correct"
    board = ["01000000", "00000001", "00000100", "10000000", "00100000", "00001000", "00000010", "00010000"]
    assert verdict("<<<\n" + "\n".join(board) + "\n>>>") == "correct"


def test_eight_queens_accepts_another_valid_placement():
    empty = ["0" * 8] * 8
    assert verdict("<<<0 0, 1 4, 2 7, 3 5, 4 2, 5 6, 6 1, 7 3>>>", board=empty) == "correct"
    assert verdict("<<<0 7, 1 3, 2 0, 3 2, 4 5, 5 1, 6 6, 7 4>>>", board=empty) == "correct"


def test_eight_queens_accepts_only_the_added_queens_by_completing_with_the_preplaced_one():
    score = TASK.verify(sample(), "<<<0 1, 1 7, 3 0, 4 2, 5 4, 6 6, 7 3>>>", "strict")
    assert score.verdict == "correct" and "pre-placed" in score.reason


def test_eight_queens_rejects_attacking_blocked_dropped_and_missing_queens():
    assert verdict("<<<2 5, 0 1, 1 7, 3 0, 4 2, 5 4, 6 6, 7 4>>>") == "incorrect"  # one cell moved: attack
    assert verdict("<<<2 5, 0 1, 1 7, 3 0, 4 2, 5 4, 6 6>>>") == "incorrect"  # a queen missing
    assert verdict("<<<0 0, 1 4, 2 7, 3 5, 4 2, 5 6, 6 1, 7 3>>>") == "incorrect"  # pre-placed queen dropped
    empty_but_blocked = ["X" + "0" * 7] + ["0" * 8] * 7
    assert verdict("<<<0 0, 1 4, 2 7, 3 5, 4 2, 5 6, 6 1, 7 3>>>", board=empty_but_blocked) == "incorrect"
    assert verdict("<<<queens everywhere>>>") == "incorrect"


def test_eight_queens_faithful_mode_does_not_require_the_preplaced_queens():
    answer = "<<<0 0, 1 4, 2 7, 3 5, 4 2, 5 6, 6 1, 7 3>>>"  # valid, avoids X, but moves the queen at (2, 5)
    assert verdict(answer, mode="faithful") == "correct"
    assert verdict(answer, mode="strict") == "incorrect"


def test_eight_queens_check_reads_the_board_from_the_question():
    board = parse_question(question_for(BOARD))
    assert board.placed == [(2, 5)] and (1, 3) in board.blocked
    assert TASK.check(question_for(BOARD), f"<<<{GOLD}>>>").verdict == "correct"


def test_eight_queens_generator_honours_size_placed_and_blocked():
    s = generate(4, size=10, placed=3, blocked=5)
    text = "".join(s.metadata["board"])
    assert len(s.metadata["board"]) == 10 and text.count("1") == 3 and text.count("X") == 5
    assert TASK.verify(s, TASK.gold_answer(s), "strict").verdict == "correct"


@pytest.mark.skipif(DATA_DIR is None, reason="no SymBench data folder")
def test_eight_queens_loads_every_eight_queens_folder():
    folders = {s.id.split("/")[0] for s in TASK.load(DATA_DIR)}
    assert folders == {"eight_queens_dataset", "eight_queens_dataset_2", "eight_queens_dataset_hard",
                       "eight_queens_dataset_varied_complexity"}
