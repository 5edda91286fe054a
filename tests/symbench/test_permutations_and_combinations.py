"""Permut. and Combina.: constraint checking, alternate arrangements, generator."""

from symbench.registry import get_task
from symbench.tasks import permutations_and_combinations as pc

TASK = get_task("permutations_and_combinations")


def test_left_and_right_mean_anywhere_before_or_after_and_adjacent_means_next_to():
    position = {"A": 1, "B": 2, "C": 4}
    assert pc.holds(("left_of", "A", "C"), position)
    assert pc.holds(("right_of", "C", "A"), position)
    assert not pc.holds(("adjacent", "A", "C"), position)
    assert pc.holds(("adjacent", "B", "A"), position)
    assert pc.holds(("at", "C", "4"), position) and not pc.holds(("not_at", "C", 4), position)


def test_every_stored_gold_verifies_in_both_modes_and_by_the_question_alone(samples):
    assert len(samples) == 180
    for sample in samples:
        answer = TASK.gold_answer(sample)
        assert TASK.gold_defect(sample) is None, sample.id
        assert TASK.verify(sample, answer, "strict").verdict == "correct", sample.id
        assert TASK.verify(sample, answer, "faithful").verdict == "correct", sample.id
        assert TASK.check(sample.question, answer).verdict == "correct", sample.id


def test_another_valid_arrangement_is_accepted(samples):
    sample = next(s for s in samples if len(pc.solutions(s.metadata, limit=2)) == 2)
    other = next(sol for sol in pc.solutions(sample.metadata, limit=2) if sol != sample.gold)
    assert TASK.verify(sample, "<<<" + str(other) + ">>>", "strict").verdict == "correct"
    assert TASK.check(sample.question, "<<<" + ", ".join(other) + ">>>").verdict == "correct"


def test_a_broken_constraint_a_missing_book_and_a_repeat_are_rejected_with_the_reason(samples):
    sample = samples[0]
    gold = list(sample.gold)
    reversed_order = "<<<" + str(gold[::-1]) + ">>>"
    score = TASK.verify(sample, reversed_order, "strict")
    assert score.verdict == "incorrect" and "breaks" in score.reason
    assert "missing" in TASK.verify(sample, "<<<" + str(gold[:-1]) + ">>>", "strict").reason
    repeated = gold[:-1] + [gold[0]]
    assert "repeated" in TASK.verify(sample, "<<<" + str(repeated) + ">>>", "strict").reason


def test_generator_is_deterministic_and_its_gold_verifies_for_100_seeds():
    assert pc.generate(8).question == pc.generate(8).question
    for seed in range(100):
        sample = pc.generate(seed, books=6 + seed % 4)
        assert TASK.check(sample.question, TASK.gold_answer(sample)).verdict == "correct"
        assert TASK.verify(sample, TASK.gold_answer(sample), "strict").verdict == "correct"
    sample = pc.generate(1, books=7, constraints=12)
    assert len(sample.metadata["constraints"]) == 12 and len(sample.metadata["items"]) == 7


def test_faithful_mode_is_the_original_scorer_that_does_not_ask_for_every_book():
    question = (
        "Xiao Wang is a librarian responsible for shelving 4 books labeled A, B, C, D on a shelf with positions "
        "1 to 4.\n\nThe constraints are:\n1. Book A must be to the left of book B.\n2. Book D cannot be placed in "
        "position 1.\n3. Book C must be placed in position 3.\n"
    )
    sample = TASK.generate(0).model_copy(update={"question": question, "metadata": pc.parse_question(question)})
    assert TASK.verify(sample, '<<<["A", "B", "C", "D"]>>>', "strict").verdict == "correct"
    # D left out: the original only checked that D is not in position 1, which holds.
    assert TASK.verify(sample, '<<<["A", "B", "C"]>>>', "faithful").verdict == "correct"
    assert TASK.verify(sample, '<<<["A", "B", "C"]>>>', "strict").verdict == "incorrect"
    # A constraint broken: rejected by both.
    assert TASK.verify(sample, '<<<["B", "A", "C", "D"]>>>', "faithful").verdict == "incorrect"
    assert TASK.verify(sample, '<<<["B", "A", "C", "D"]>>>', "strict").verdict == "incorrect"
