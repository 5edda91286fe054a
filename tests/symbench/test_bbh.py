"""BIG-Bench-Hard tasks: date understanding, web of lies, logical deduction, navigation."""

from __future__ import annotations

import pytest

from symbench.paths import default_data_dir
from symbench.registry import get_task
from symbench.tasks.bbh import (
    PAPER_STRIDE,
    load_bbh_file,
    solve_logical_deduction,
    solve_web_of_lies,
    walk,
)

DATA = default_data_dir()
FILES = {
    "date_understanding": "date_understanding",
    "web_of_lies": "web_of_lies",
    "logical_deduction": "logical_deduction_seven_objects",
    "navigation": "navigate",
}


def _all_samples(task: str):
    if DATA is None or not (DATA / "BIG-Bench-Hard" / "bbh" / f"{FILES[task]}.json").is_file():
        pytest.skip("SymBench data folder with BIG-Bench-Hard/bbh not found (set CODESTEER_SYMBENCH_DIR)")
    return load_bbh_file(DATA, FILES[task], task, stride=1)


def _wrong_letter(gold: str) -> str:
    return "(A)" if gold != "(A)" else "(B)"


@pytest.mark.parametrize("task", sorted(FILES))
def test_bbh_loader_takes_every_fourth_example_as_the_paper_did(task):
    everything = _all_samples(task)
    selected = get_task(task).load(DATA)
    assert [s.id for s in selected] == [s.id for s in everything[::PAPER_STRIDE]]
    assert len({s.id for s in selected}) == len(selected)


@pytest.mark.parametrize("task", sorted(FILES))
def test_every_stored_bbh_gold_verifies_and_a_wrong_answer_does_not(task):
    t = get_task(task)
    for sample in _all_samples(task):
        assert t.verify(sample, t.gold_answer(sample), "strict").verdict == "correct", sample.id
        if sample.gold.startswith("("):
            wrong = _wrong_letter(sample.gold)
        else:
            wrong = "No" if sample.gold == "Yes" else "Yes"
        assert t.verify(sample, f"<<<{wrong}>>>", "strict").verdict == "incorrect", sample.id


@pytest.mark.parametrize("task", ["web_of_lies", "navigation", "logical_deduction"])
def test_reference_check_agrees_with_every_stored_bbh_gold(task):
    t = get_task(task)
    for sample in _all_samples(task):
        assert t.reference_check(sample.question, t.gold_answer(sample)).verdict == "correct", sample.id


@pytest.mark.parametrize("task", sorted(FILES))
def test_no_bbh_task_has_a_steering_time_check_because_checking_an_option_or_yes_no_solves_it(task):
    assert get_task(task).check is None


def test_option_answers_are_read_in_the_forms_models_write():
    t = get_task("date_understanding")
    sample = t.generate(7)
    letter = sample.gold.strip("()")
    text = sample.metadata["options"][letter]
    for answer in (f"<<<{letter}>>>", f"<<<({letter}) {text}>>>", f"The answer is <<<{text}>>>", f"Answer: ({letter})"):
        assert t.verify(sample, answer, "strict").verdict == "correct", answer
    assert t.verify(sample, "<<<I am not sure>>>", "strict").verdict == "incorrect"


def test_yes_no_answers_accept_true_and_false():
    t = get_task("web_of_lies")
    sample = t.generate(3)
    truthy = sample.gold == "Yes"
    assert t.verify(sample, f"<<<{truthy}>>>", "strict").verdict == "correct"
    assert t.verify(sample, f"<<<{not truthy}>>>", "strict").verdict == "incorrect"


def test_web_of_lies_follows_the_chain_of_claims():
    q = "Question: Ann lies. Bob says Ann lies. Cal says Bob lies. Does Cal tell the truth?"
    assert solve_web_of_lies(q) is False
    assert solve_web_of_lies(q.replace("Cal says Bob lies", "Cal says Bob tells the truth")) is True


def test_navigation_walks_turns_and_sideways_steps():
    assert walk("? Always face forward. Take 3 steps left. Take 3 steps right.") == (0, 0)
    assert walk("? Turn around. Take 2 steps. Turn around. Take 2 steps.") == (0, 0)
    assert walk("? Turn left. Take 1 step. Turn left. Take 1 step.") == (-1, -1)


def test_logical_deduction_solver_finds_the_only_ordering():
    q = (
        "The following paragraphs each describe a set of three objects arranged in a fixed order. The statements "
        "are logically consistent within each paragraph. On a shelf, there are three books: a red book, a blue book, "
        "and a green book. The red book is the leftmost. The green book is to the left of the blue book.\n"
        "Options:\n(A) The red book is the rightmost\n(B) The blue book is the rightmost\n(C) The green book is the rightmost"
    )
    truths, count = solve_logical_deduction(q)
    assert (truths, count) == ({"B"}, 1)
    assert get_task("logical_deduction").reference_check(q, "<<<(C)>>>").verdict == "incorrect"


def test_check_refuses_a_question_of_another_task():
    with pytest.raises(ValueError):
        get_task("navigation").reference_check("What is 2 + 2?", "<<<Yes>>>")


@pytest.mark.parametrize("task", sorted(FILES))
def test_bbh_generators_are_seeded_and_their_golds_verify(task):
    t = get_task(task)
    for seed in range(100):
        sample = t.generate(seed)
        assert sample == t.generate(seed)
        assert sample.source == f"generated:{seed}"
        assert t.verify(sample, t.gold_answer(sample), "strict").verdict == "correct", seed
        if t.reference_check is not None:
            assert t.reference_check(sample.question, t.gold_answer(sample)).verdict == "correct", seed


def test_generated_logical_deduction_has_a_unique_ordering_for_fewer_objects():
    t = get_task("logical_deduction")
    for seed in range(20):
        sample = t.generate(seed, objects=5)
        truths, count = solve_logical_deduction(sample.question)
        assert count == 1 and {sample.gold.strip("()")} == truths


def test_generated_date_answer_is_computed_from_the_situation():
    import datetime as dt

    t = get_task("date_understanding")
    for seed in range(30):
        sample = t.generate(seed)
        today = dt.date.fromisoformat(sample.metadata["today"])
        if sample.metadata["asked"] == "tomorrow":
            assert sample.metadata["answer_date"] == (today + dt.timedelta(days=1)).strftime("%m/%d/%Y")
        assert sample.metadata["options"][sample.gold.strip("()")] == sample.metadata["answer_date"]
