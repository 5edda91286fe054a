from __future__ import annotations

import pytest

from symbench import get_task
from symbench.tasks.letters import generate, parse_count_positions, question_for

TASK = get_task("letters")
SAMPLE = generate(0).model_copy(update={
    "question": question_for("bananas", "a"),
    "metadata": {"word": "bananas", "letter": "a", "frequency": 3, "min_length": 5, "max_length": 10,
                 "paper_subset": False},
})


@pytest.mark.parametrize(
    "answer",
    ["<<<Count: 3, Positions: [2, 4, 6]>>>", "<<<count: 3, positions: [6, 4, 2]>>>", "Count = 3; Positions = (2, 4, 6)",
     "<<<3, [2, 4, 6]>>>"],
)
def test_letters_accepts_the_count_and_positions_in_tolerant_formats(answer):
    assert TASK.verify(SAMPLE, answer, "strict").verdict == "correct"


@pytest.mark.parametrize(
    "answer",
    ["<<<Count: 2, Positions: [2, 4]>>>", "<<<Count: 3, Positions: [1, 4, 6]>>>", "<<<Count: 3, Positions: [2, 4, 4, 6]>>>",
     "<<<three>>>"],
)
def test_letters_rejects_a_wrong_count_wrong_position_duplicate_or_missing_answer(answer):
    assert TASK.verify(SAMPLE, answer, "strict").verdict == "incorrect"


def test_letters_faithful_mode_uses_the_original_pattern_and_a_set_comparison():
    assert TASK.verify(SAMPLE, "<<<Count: 3, Positions: [2, 4, 4, 6]>>>", "faithful").verdict == "correct"
    assert TASK.verify(SAMPLE, "<<<count: 3, positions: [2, 4, 6]>>>", "faithful").verdict == "incorrect"


def test_letters_parser_refuses_two_different_statements_as_a_hedge():
    with pytest.raises(ValueError, match="several"):
        parse_count_positions("Count: 1, Positions: [1] ... Count: 2, Positions: [3, 5]")
    assert parse_count_positions("Count: 2, Positions: [3, 5] ... Count: 2, Positions: [3, 5]") == (2, [3, 5])


def test_letters_generator_places_the_letter_the_requested_number_of_times():
    s = generate(4, min_length=20, max_length=25, letter="q", frequency=4)
    assert s.metadata["word"].count("q") == 4 and 20 <= len(s.metadata["word"]) <= 25
    assert TASK.check is None
