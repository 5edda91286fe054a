"""The first-choice classifier: shipped weights, plain-Python scoring, sensible on questions it never saw."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guide.first_choice import HASH_BUCKETS, WEIGHTS_PATH, FirstChoiceModel, cue_features, first_choice
from symbench.paths import default_data_dir

# Kinds of questions SymBench does not hold (language understanding, common sense,
# arithmetic, algorithmic puzzles), with the mode a careful person would open with.
OUTSIDE_QUESTIONS = [
    ("Is a whale a fish?", "text"),
    ("What is 37 cubed?", "code"),
    ("How many r's are in the word strawberry?", "code"),
    ("A warehouse holds 48213 crates and ships 1757 of them every day. How many crates are left after 23 days?", "code"),
    ("Is the following sentence sarcastic? 'Oh great, another Monday. Just what I needed.'", "text"),
    ("Which is heavier, a kilogram of feathers or a kilogram of iron?", "text"),
    ("What is the capital of Australia?", "text"),
    ("Is the following sentence plausible? The cat sang opera.", "text"),
    ("What is 1234 * 5678?", "code"),
    ("How many ways are there to tile a 2x10 board with 1x2 dominoes?", "code"),
    ("Find all integer solutions of x^2 + y^2 = 2025 with x, y > 0.", "code"),
    ("Why do leaves change colour in autumn?", "text"),
    ("What does the idiom 'break the ice' mean?", "text"),
    ("Reverse the string 'hello world' and count its vowels.", "code"),
    ("What is the sum of all primes below 1000?", "code"),
    ("Place 5 queens on a 5x5 board so that no two attack each other.", "code"),
    ("Summarize the plot of Romeo and Juliet in one sentence.", "text"),
    ("Which country has the most people?", "text"),
    ("How many times does the letter e appear in 'excellence'?", "code"),
    ("Was the speaker being polite when she said 'Could you possibly be any slower?'", "text"),
]


def outside_accuracy() -> float:
    return sum(first_choice(q).mode == mode for q, mode in OUTSIDE_QUESTIONS) / len(OUTSIDE_QUESTIONS)


def test_questions_it_never_saw_mostly_get_the_sensible_mode():
    assert outside_accuracy() >= 0.9


@pytest.mark.parametrize(
    ("question", "mode"),
    [
        ("Is a whale a fish?", "text"),
        ("What is 37 cubed?", "code"),
        ("How many r's are in the word strawberry?", "code"),
        ("A warehouse holds 48213 crates and ships 1757 of them every day. How many crates are left after 23 days?", "code"),
        ("Is the following sentence sarcastic? 'Oh great, another Monday. Just what I needed.'", "text"),
    ],
)
def test_the_named_outside_questions_get_the_sensible_mode(question, mode):
    assert first_choice(question).mode == mode


def test_a_known_task_uses_the_better_mode_of_the_paper_table():
    question = "What is the result of -9*43*-73*-6061?"
    assert first_choice(question, "standard_sudoku").mode == "code"
    choice = first_choice(question, "boxnet")  # Table 1: text 30% beats code 1%
    assert choice.mode == "text" and choice.source == "task" and "30" in choice.rationale()


def test_the_rationale_names_the_features_that_decided_with_their_weights():
    choice = first_choice("What is 37 cubed?")
    assert choice.source == "classifier" and choice.reasons
    assert "arithmetic result of 4+ digits" in choice.rationale() and "(+" in choice.rationale()


def test_a_question_with_nothing_to_compute_says_so():
    choice = first_choice("Why is the sky blue?")
    assert choice.mode == "text" and choice.source == "no computation" and "computational cues" in choice.rationale()


def test_cues_read_what_the_question_asks_not_how_it_is_worded():
    assert cue_features("What is 37 cubed?")["large numbers (4+ digits) or an arithmetic result of 4+ digits"] == 1.0
    assert cue_features("Today is Dec 24, 1937. What is the date tomorrow?")["large numbers (4+ digits) or an arithmetic result of 4+ digits"] == 0.0
    assert cue_features("Summarize this country's history.")["counting characters or letters"] == 0.0


def test_the_shipped_weights_are_small_and_load_without_numpy_or_scikit_learn():
    assert WEIGHTS_PATH.stat().st_size < 400_000
    data = json.loads(WEIGHTS_PATH.read_text())
    assert data["buckets"] == HASH_BUCKETS and len(data["task_modes"]) == 37
    code = (
        "import sys\nfrom guide.first_choice import first_choice\nfirst_choice('What is 37 cubed?')\n"
        "print('numpy' in sys.modules, 'sklearn' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_weights_for_another_hash_size_are_refused(tmp_path):
    data = json.loads(WEIGHTS_PATH.read_text())
    data["buckets"] = 12
    bad = tmp_path / "w.json"
    bad.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="hash buckets"):
        FirstChoiceModel.load(bad)


DATA = default_data_dir()
needs_data = pytest.mark.skipif(
    DATA is None or not (DATA / "paper_table1.csv").is_file(),
    reason="SymBench data not found (set CODESTEER_SYMBENCH_DIR to the folder holding paper_table1.csv)",
)


@needs_data
@pytest.mark.slow
def test_the_shipped_classifier_beats_always_code_on_symbench_without_task_names():
    from guide.first_choice_train import baselines, first_choice_score, questions_by_task, summary, table_rates
    from symbench.paths import paper_table_path

    rates = table_rates(paper_table_path(DATA))
    questions = questions_by_task(DATA, seen_only=False, stored_per_task=60, generated_per_task=0, seed=1)
    ours = summary(first_choice_score(lambda q: first_choice(q).mode, questions, rates), rates)
    always = baselines(rates, list(questions))["always code"]
    assert ours["all"] >= 65.0 and ours["unseen"] > always["unseen"], (ours, always)


@needs_data
@pytest.mark.slow
def test_training_refits_from_seen_tasks_only_and_writes_weights_that_load(tmp_path):
    pytest.importorskip("sklearn", reason="training needs scikit-learn (the guide-train extra)")
    from guide.first_choice_train import save, train_and_measure

    model, report = train_and_measure(DATA, stored_per_task=8, generated_per_task=2, eval_per_task=5)
    assert len(report["trained_on"]) == 28 and "letters" not in report["trained_on"]
    out = tmp_path / "weights.json"
    save(model, out)
    loaded = FirstChoiceModel.load(out)
    assert loaded.choose("What is 37 cubed?").mode in ("code", "text")
    assert loaded.cue_weights == model.cue_weights and any(loaded.bucket_weights)
    assert model.info["max_scorer_difference"] < 0.05  # plain Python reproduces scikit-learn


@given(st.text(max_size=400))
@settings(max_examples=200, deadline=None)
def test_any_text_gets_a_first_choice_without_raising(question):
    assert first_choice(question).mode in ("code", "text")


@pytest.mark.parametrize(
    "question",
    ["999999 to the power of 99999", "5000 factorial", "2 ** 99999999", "-(" * 3000 + "1" + ")" * 3000],
)
def test_huge_or_deeply_nested_arithmetic_is_judged_without_raising(question):
    assert first_choice(question).mode in ("code", "text")
