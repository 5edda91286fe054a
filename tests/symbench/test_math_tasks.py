"""MATH Geometry and MATH Counting & Probability."""

from __future__ import annotations

import pytest

from symbench.paths import default_data_dir
from symbench.registry import get_task
from symbench.tasks.math_tasks import PAPER_LIMIT, latex_sqrt, load_math_subject

pytest.importorskip("sympy", reason="the MATH comparison needs sympy (extra 'symbench')")

DATA = default_data_dir()
SUBJECTS = {"math_geometry": ("geometry", "Geometry"), "math_counting_probability": ("counting_and_probability", "Counting & Probability")}


def _samples(task: str):
    subject, _ = SUBJECTS[task]
    if DATA is None or not (DATA / "MATH" / "train" / subject).is_dir():
        pytest.skip("SymBench data folder with MATH/train not found (set CODESTEER_SYMBENCH_DIR)")
    return get_task(task).load(DATA)


@pytest.mark.parametrize("task", sorted(SUBJECTS))
def test_loader_keeps_the_first_fifty_problems_of_the_subject(task):
    samples = _samples(task)
    assert len(samples) == PAPER_LIMIT
    numbers = [int(s.id.split("/")[1]) for s in samples]
    assert numbers == sorted(numbers) and numbers[-1] < 1000
    assert {s.metadata["type"] for s in samples} == {SUBJECTS[task][1]}


@pytest.mark.parametrize("task", sorted(SUBJECTS))
def test_every_boxed_gold_verifies_and_a_shifted_value_does_not(task):
    t = get_task(task)
    for sample in _samples(task):
        assert t.gold_defect(sample) is None
        assert t.verify(sample, t.gold_answer(sample), "strict").verdict == "correct", sample.id
        assert t.verify(sample, f"<<<{sample.gold} + 1>>>", "strict").verdict == "incorrect", sample.id


@pytest.mark.parametrize("task", sorted(SUBJECTS))
def test_a_decimal_answer_to_a_numeric_gold_is_accepted(task):
    import sympy

    from symbench._judging import _sympy_value, latex_to_sympy_source, normalize_math

    t = get_task(task)
    checked = 0
    for sample in _samples(task):
        try:
            value = float(sympy.N(_sympy_value(latex_to_sympy_source(normalize_math(sample.gold)))))
        except Exception:  # noqa: BLE001, S112 - golds that are words, tuples or expressions in variables
            continue
        checked += 1
        assert t.verify(sample, f"The answer is <<<{value:.6f}>>>", "strict").verdict == "correct", sample.id
    assert checked >= 40


def test_a_boxed_answer_without_markers_is_read():
    t = get_task("math_geometry")
    sample = t.generate(1)
    assert t.verify(sample, f"so the volume is $\\boxed{{{sample.gold}}}$.", "strict").verdict == "correct"


def test_latex_sqrt_pulls_out_square_factors():
    assert latex_sqrt(72) == "6\\sqrt{2}"
    assert latex_sqrt(41) == "\\sqrt{41}"
    assert latex_sqrt(49) == "7"


def test_the_whole_subject_folders_hold_only_their_subject():
    if DATA is None or not (DATA / "MATH" / "train").is_dir():
        pytest.skip("SymBench data folder not found")
    for task, (subject, type_name) in SUBJECTS.items():
        every = load_math_subject(DATA, subject, task, type_name, limit=None, max_index=10**9)
        assert len(every) == len(list((DATA / "MATH" / "train" / subject).glob("*.json")))


@pytest.mark.parametrize("task", sorted(SUBJECTS))
def test_math_generators_are_seeded_and_their_golds_verify(task):
    t = get_task(task)
    assert t.check is None
    for seed in range(100):
        sample = t.generate(seed)
        assert sample == t.generate(seed)
        assert t.verify(sample, t.gold_answer(sample), "strict").verdict == "correct", seed
    for level in (1, 5):
        assert t.verify(t.generate(3, level=level), t.gold_answer(t.generate(3, level=level)), "strict").verdict == "correct"


def test_near_misses_fail_strict_and_only_non_integers_pass_the_judge_tolerance():
    t = get_task("math_counting_probability")
    sample = t.generate(2)
    near = int(sample.gold) + 1 if sample.gold.isdigit() else None
    assert near is not None and int(sample.gold) >= 10
    assert t.verify(sample, f"<<<{near}>>>", "strict").verdict == "incorrect"
    big = sample.model_copy(update={"gold": "1000"})
    assert t.verify(big, "<<<1001>>>", "strict").verdict == "incorrect"
    assert t.verify(big, "<<<1001>>>", "faithful").verdict == "incorrect"
    assert t.verify(big, "<<<1000.4>>>", "strict").verdict == "incorrect"
    assert t.verify(big, "<<<1000.4>>>", "faithful").verdict == "correct"
