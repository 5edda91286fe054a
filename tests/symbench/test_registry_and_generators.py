"""Checks every registered SymBench task must pass: naming, the paper's titles, the 28/9 split,
seeded generators whose golds verify, and stored golds that verify (or are documented defects)."""

from __future__ import annotations

import pytest

from symbench import Sample, all_tasks, get_task, task_names
from symbench.golds import check_samples
from symbench.paths import default_data_dir
from symbench.scoring import load_paper_table

EXPECTED_TASKS = {
    "game24", "path_plan", "boxlift", "boxnet", "blocksworld", "date_understanding", "web_of_lies",
    "logical_deduction", "navigation", "gsm_hard", "math_geometry", "math_counting_probability",
    "logical_equation", "new_operator", "pooling", "light_puzzles", "mahjong", "statistical_counting",
    "matrix_transformation", "logic_puzzle", "constrained_linear_arrangement", "pattern_recognition",
    "string_insertion", "letter_logic_diagram", "string_deletion_and_modification", "string_synthesis",
    "reversi", "standard_sudoku", "letters", "eight_queens", "number_multiply", "cryptanalysis",
    "string_splitting", "combinatorial_calculation", "synthesis_decomposition", "game_2048",
    "permutations_and_combinations",
}
UNSEEN = {
    "number_multiply", "letters", "eight_queens", "cryptanalysis", "string_splitting",
    "combinatorial_calculation", "synthesis_decomposition", "game_2048", "permutations_and_combinations",
}
GENERATOR_SEEDS = range(100)
DATA_DIR = default_data_dir()
needs_data = pytest.mark.skipif(
    DATA_DIR is None or not DATA_DIR.is_dir(),
    reason="no SymBench data: set CODESTEER_SYMBENCH_DIR or put it at <repo>/../shared/symbench",
)


def test_the_registry_holds_exactly_the_37_tasks_of_the_paper():
    names = set(task_names())
    assert sorted(EXPECTED_TASKS - names) == [], "tasks missing from the registry"
    assert sorted(names - EXPECTED_TASKS) == [], "tasks the paper does not have"


def test_task_names_are_unique_snake_case_and_found_by_get_task():
    names = task_names()
    assert len(names) == len(set(names))
    for name in names:
        assert name == name.lower() and " " not in name and "-" not in name
        assert get_task(name).name == name


def test_the_split_is_28_seen_and_9_unseen_as_in_the_paper():
    seen = {t.name for t in all_tasks() if t.seen}
    unseen = {t.name for t in all_tasks() if not t.seen}
    assert unseen == UNSEEN
    assert seen == EXPECTED_TASKS - UNSEEN
    assert (len(seen), len(unseen)) == (28, 9)


@needs_data
def test_every_title_is_a_row_of_the_paper_table_with_the_same_split():
    table = load_paper_table()
    titles = [t.title for t in all_tasks()]
    assert len(titles) == len(set(titles)), "two tasks share a title"
    for task in all_tasks():
        row = table.row(task.title)
        assert row.split == ("seen" if task.seen else "unseen"), task.name


def test_every_task_documents_its_knobs_and_scoring_modes():
    for task in all_tasks():
        assert isinstance(task.knobs, dict), task.name
        assert task.modes_note.strip(), task.name


@pytest.mark.parametrize("name", sorted(task_names()))
def test_generated_golds_verify_strictly_for_100_seeds(name):
    task = get_task(name)
    for seed in GENERATOR_SEEDS:
        sample = task.generate(seed)
        assert isinstance(sample, Sample)
        assert sample.task == name and sample.source == f"generated:{seed}"
        assert sample.gold is not None, f"{name} seed {seed}: a generated sample needs a reference answer"
        score = task.verify(sample, task.gold_answer(sample), "strict")
        assert score.verdict == "correct", f"{name} seed {seed}: {score.reason}"


@pytest.mark.parametrize("name", sorted(task_names()))
def test_the_same_seed_gives_the_same_sample_and_another_seed_another(name):
    task = get_task(name)
    first, again = task.generate(7), task.generate(7)
    assert first.model_dump() == again.model_dump()
    others = {task.generate(seed).question for seed in range(8, 13)}
    assert len(others | {first.question}) > 1, f"{name}: six seeds gave one question"


@needs_data
@pytest.mark.parametrize("name", sorted(task_names()))
def test_every_stored_gold_verifies_strictly_unless_documented_as_a_defect(name):
    task = get_task(name)
    samples = task.load(DATA_DIR)
    if not samples:
        assert not task.data_dirs or not any((DATA_DIR / d).exists() for d in task.data_dirs), (
            f"{name}: its data folders exist but load() found no sample"
        )
        pytest.skip(f"{name} has no stored samples under {DATA_DIR}")
    ids = [s.id for s in samples]
    assert len(ids) == len(set(ids)), f"{name}: sample ids are not unique"
    report = check_samples(task, samples)
    assert report.failures == [], f"{name}: {len(report.failures)} golds fail, e.g. {report.failures[:3]}"
    assert report.verified + report.without_gold + len(report.defects) == report.total
