"""GSM-Hard: numeric answers against the stored target, defects of the substitution."""

from __future__ import annotations

import json
import math

import pytest

from symbench.paths import default_data_dir
from symbench.registry import get_task
from symbench.tasks.gsm_hard import FILE, load_gsm_hard

DATA = default_data_dir()
TASK = get_task("gsm_hard")


@pytest.fixture(scope="module")
def samples():
    if DATA is None or not (DATA / FILE).is_file():
        pytest.skip("SymBench data folder with gsmhardv2.jsonl not found (set CODESTEER_SYMBENCH_DIR)")
    return TASK.load(DATA)


def test_loader_takes_every_twenty_fifth_problem_from_line_one(samples):
    assert [s.id for s in samples][:3] == ["gsmhardv2/1", "gsmhardv2/26", "gsmhardv2/51"]
    assert len(samples) == len(range(1, len((DATA / FILE).read_text().splitlines()), 25))


def test_every_stored_target_verifies_unless_documented(samples):
    for sample in samples:
        if TASK.gold_defect(sample):
            continue
        assert TASK.verify(sample, TASK.gold_answer(sample), "strict").verdict == "correct", sample.id


def test_wrong_numbers_and_missing_numbers_are_rejected(samples):
    for sample in samples:
        gold = float(sample.gold)
        assert TASK.verify(sample, f"<<<{gold + max(1.0, abs(gold) * 0.01)}>>>", "strict").verdict == "incorrect"
        assert TASK.verify(sample, "<<<I do not know>>>", "strict").verdict == "incorrect"


def test_documented_defects_name_a_question_number_absent_from_the_gold_code(samples):
    defects = [s for s in samples if TASK.gold_defect(s)]
    assert {s.id for s in defects} == {"gsmhardv2/51", "gsmhardv2/876"}
    assert "18387270" in TASK.gold_defect(defects[0])


def test_stored_targets_are_what_their_code_computes():
    """The gold verified at its source: each selected target equals the dataset's own solution()."""
    if DATA is None or not (DATA / FILE).is_file():
        pytest.skip("SymBench data folder not found")
    lines = (DATA / FILE).read_text().splitlines()
    for sample in load_gsm_hard(DATA):
        namespace: dict = {}
        exec(json.loads(lines[sample.metadata["line"]])["code"], namespace)  # noqa: S102 - the dataset's own solution(), plain arithmetic
        assert math.isclose(float(namespace["solution"]()), float(sample.gold), rel_tol=1e-9), sample.id


def test_strict_accepts_float_noise_and_correct_rounding_but_faithful_is_looser():
    sample = TASK.generate(0)
    sample = sample.model_copy(update={"gold": 1234567.0 / 3})
    assert TASK.verify(sample, "<<<411522.33>>>", "strict").verdict == "correct"
    assert TASK.verify(sample, "<<<411,522.333333333>>>", "strict").verdict == "correct"
    assert TASK.verify(sample, "<<<411400>>>", "strict").verdict == "incorrect"
    assert TASK.verify(sample, "<<<411400>>>", "faithful").verdict == "correct"


def test_gsm_hard_has_no_gold_free_check():
    assert TASK.check is None


def test_generator_is_seeded_and_its_answers_verify():
    for seed in range(100):
        sample = TASK.generate(seed)
        assert sample == TASK.generate(seed)
        assert TASK.verify(sample, TASK.gold_answer(sample), "strict").verdict == "correct", seed
    assert len(str(TASK.generate(5, digits=4).metadata["large_number"])) == 4
