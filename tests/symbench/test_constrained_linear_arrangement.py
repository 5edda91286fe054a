"""Cons. Linear Arrange.: round outcomes of the three games, any consistent answer, generator."""

import pytest

from gold_checks import assert_stored_golds_verify
from symbench.registry import get_task
from symbench.tasks import constrained_linear_arrangement as cla

TASK = get_task("constrained_linear_arrangement")


def test_animal_ranks_decide_except_that_the_mouse_captures_the_elephant():
    assert cla.outcome("animal", "A", "B") == cla.WIN
    assert cla.outcome("animal", "D", "C") == cla.LOSS
    assert cla.outcome("animal", "H", "A") == cla.WIN
    assert cla.outcome("animal", "A", "H") == cla.LOSS
    assert cla.outcome("animal", "E", "E") == cla.DRAW


def test_stick_game_beats_the_next_card_and_draws_the_opposite_one():
    assert cla.outcome("stick_game", "A", "B") == cla.WIN  # stick beats tiger
    assert cla.outcome("stick_game", "D", "A") == cla.WIN  # worm beats stick
    assert cla.outcome("stick_game", "A", "D") == cla.LOSS
    assert cla.outcome("stick_game", "A", "C") == cla.DRAW


def test_elements_readings_differ_only_when_the_opponent_card_acts():
    # Wood A generates Fire B: holding A against B loses in both readings
    assert cla.outcome("elements", "A", "B") == cla.outcome("elements", "A", "B", "own_card") == cla.LOSS
    # Earth C against Fire B: B generates C, so the holder of B loses (symmetric) or nothing (own card)
    assert cla.outcome("elements", "C", "B") == cla.WIN
    assert cla.outcome("elements", "C", "B", "own_card") == cla.DRAW


def test_stored_golds_verify_in_both_modes_and_by_the_question_alone(samples):
    assert_stored_golds_verify(TASK, samples, 180)


def test_another_consistent_sequence_is_accepted_in_strict_mode_only(samples):
    sample = next(s for s in samples if s.metadata["game"] == "animal" and len(cla.solutions(s.metadata)) > 1)
    other = next(sol for sol in cla.solutions(sample.metadata) if sol != sample.gold)
    answer = "<<<" + ",".join(other) + ">>>"
    assert TASK.verify(sample, answer, "strict").verdict == "correct"
    assert TASK.check(sample.question, answer).verdict == "correct"
    assert TASK.verify(sample, answer, "faithful").verdict == "incorrect"


def test_a_wrong_card_a_reused_card_and_a_short_answer_are_rejected(samples):
    sample = next(s for s in samples if s.metadata["game"] == "stick_game")
    gold = list(sample.gold)
    reused = [gold[0]] * len(gold)
    assert "more than once" in TASK.verify(sample, "<<<" + ",".join(reused) + ">>>", "strict").reason
    assert TASK.verify(sample, "<<<" + ",".join(gold[:-1]) + ">>>", "strict").verdict == "incorrect"
    assert "not a card" in TASK.verify(sample, "<<<" + ",".join(gold[:-1] + ["Z"]) + ">>>", "strict").reason
    unique = next(s for s in samples if len(cla.solutions(s.metadata)) == 1)
    swapped = list(unique.gold)
    swapped[0], swapped[1] = swapped[1], swapped[0]
    assert TASK.verify(unique, "<<<" + ",".join(swapped) + ">>>", "strict").verdict == "incorrect"


def test_answers_as_quoted_lists_are_read(samples):
    sample = samples[0]
    quoted = "<<<[" + ", ".join(f"'{c}'" for c in sample.gold) + "]>>>"
    assert TASK.verify(sample, quoted, "strict").verdict == "correct"


def test_generator_is_deterministic_and_its_gold_verifies_for_100_seeds():
    assert cla.generate(6).question == cla.generate(6).question
    games = set()
    for seed in range(100):
        sample = cla.generate(seed, complexity=1 + seed % 5)
        games.add(sample.metadata["game"])
        assert TASK.check(sample.question, TASK.gold_answer(sample)).verdict == "correct"
        assert TASK.verify(sample, TASK.gold_answer(sample), "faithful").verdict == "correct"
    assert games == set(cla.DECKS)
    with pytest.raises(ValueError):
        cla.generate(1, game="stick_game", rounds=5)
