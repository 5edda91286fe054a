"""Strict scoring: a hedge never passes, a harmless re-formatting of the gold always does.

Property tests over generated samples (hypothesis draws the generator seed and the
format): every gold written in several harmless ways is correct; every hedge that names
the gold beside a wrong answer (``A or B``, ``(A), (B)``, ``12 or 13``, ``Yes or No``) is
incorrect, and a negation is read as one.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symbench import extract_answer, get_task

SEEDS = st.integers(min_value=0, max_value=10_000)
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

OPTION_TASKS = ["logical_deduction", "date_understanding"]
YES_NO_TASKS = ["web_of_lies", "navigation"]
NUMBER_TASKS = ["gsm_hard", "new_operator", "number_multiply", "statistical_counting"]
EVERY_GENERATED_FORMAT_TASK = [
    "blocksworld", "boxlift", "boxnet", "constrained_linear_arrangement", "cryptanalysis", "eight_queens", "game24",
    "game_2048", "letter_logic_diagram", "light_puzzles", "logic_puzzle", "logical_equation", "mahjong",
    "matrix_transformation", "number_multiply", "path_plan", "pattern_recognition", "permutations_and_combinations",
    "pooling", "reversi", "standard_sudoku", "statistical_counting", "string_deletion_and_modification",
    "string_insertion", "string_splitting", "string_synthesis", "synthesis_decomposition", "combinatorial_calculation",
    "web_of_lies", "navigation", "logical_deduction", "date_understanding", "gsm_hard", "new_operator",
]


def _strict(task_name: str, sample, answer: str) -> str:
    return get_task(task_name).verify(sample, f"<<<{answer}>>>", "strict").verdict


def _gold(task_name: str, seed: int):
    task = get_task(task_name)
    sample = task.generate(seed)
    return sample, extract_answer(task.gold_answer(sample))


@PROPERTY
@given(seed=SEEDS, task_name=st.sampled_from(EVERY_GENERATED_FORMAT_TASK),
       wrap=st.sampled_from(["{}", "{}.", " {} ", "Answer: {}", "{}\n", "`{}`"]))
def test_every_gold_written_with_harmless_wrapping_is_correct(seed, task_name, wrap):
    sample, gold = _gold(task_name, seed)
    assert _strict(task_name, sample, wrap.format(gold)) == "correct", (task_name, wrap.format(gold))


@PROPERTY
@given(seed=SEEDS, task_name=st.sampled_from(OPTION_TASKS), data=st.data())
def test_an_answer_naming_two_options_is_incorrect(seed, task_name, data):
    sample, gold = _gold(task_name, seed)
    letter = gold.strip("()")
    other = data.draw(st.sampled_from(sorted(set(sample.metadata["options"]) - {letter})))
    first, second = data.draw(st.permutations([letter, other]))
    hedge = data.draw(st.sampled_from(["{a} or {b}", "({a}) or ({b})", "({a}), ({b})", "{a} (or possibly {b})",
                                       "({a}) and ({b})", "{a}/{b}", "either ({a}) or ({b})"]))
    assert _strict(task_name, sample, hedge.format(a=first, b=second)) == "incorrect", hedge.format(a=first, b=second)


@PROPERTY
@given(seed=SEEDS, task_name=st.sampled_from(OPTION_TASKS),
       form=st.sampled_from(["{l}", "({l})", "Option {l}", "({l}) {text}", "{text}", "The answer is ({l}).", "{l}."]))
def test_one_option_in_the_forms_models_write_is_correct(seed, task_name, form):
    sample, gold = _gold(task_name, seed)
    letter = gold.strip("()")
    answer = form.format(l=letter, text=sample.metadata["options"][letter])
    assert _strict(task_name, sample, answer) == "correct", answer


def test_every_option_listed_at_once_is_incorrect():
    sample, gold = _gold("logical_deduction", 1)
    everything = ", ".join(f"({letter})" for letter in sorted(sample.metadata["options"]))
    assert _strict("logical_deduction", sample, everything) == "incorrect"


@PROPERTY
@given(seed=SEEDS, task_name=st.sampled_from(YES_NO_TASKS),
       hedge=st.sampled_from(["Yes or No", "No or Yes", "yes (or possibly no)", "True or False", "yes/no"]))
def test_a_yes_no_hedge_is_incorrect(seed, task_name, hedge):
    sample, _ = _gold(task_name, seed)
    assert _strict(task_name, sample, hedge) == "incorrect"


@PROPERTY
@given(seed=SEEDS, task_name=st.sampled_from(YES_NO_TASKS))
def test_a_negation_is_read_as_one(seed, task_name):
    sample, gold = _gold(task_name, seed)
    truth = "true" if gold == "Yes" else "false"
    lie = "false" if gold == "Yes" else "true"
    assert _strict(task_name, sample, f"not {lie}") == "correct"
    assert _strict(task_name, sample, f"not {truth}") == "incorrect"
    assert _strict(task_name, sample, f"It is {truth}.") == "correct"


def _number_forms(value: Fraction) -> list[str]:
    if value.denominator != 1:
        return [str(float(value)), f"{float(value)}."]
    n = int(value)
    sign = "-" if n < 0 else ""
    forms = [str(n), f"{n:,}", f"{n}.", f"{n:_}", f"{n}.0"]
    if sign:
        forms += [f"- {abs(n)}", f"−{abs(n)}"]
    return forms


@PROPERTY
@given(seed=SEEDS, task_name=st.sampled_from(NUMBER_TASKS), data=st.data())
def test_one_number_in_any_harmless_spelling_is_correct(seed, task_name, data):
    sample, gold = _gold(task_name, seed)
    value = Fraction(gold)
    answer = data.draw(st.sampled_from(_number_forms(value)))
    assert _strict(task_name, sample, answer) == "correct", answer


@PROPERTY
@given(seed=SEEDS, task_name=st.sampled_from(NUMBER_TASKS), data=st.data())
def test_a_hedge_between_two_numbers_is_incorrect(seed, task_name, data):
    sample, gold = _gold(task_name, seed)
    value = Fraction(gold)
    other = data.draw(st.sampled_from([value + 1, value - 1, -value if value else Fraction(7), value * 10]))
    right = str(int(value)) if value.denominator == 1 else str(float(value))
    wrong = str(int(other)) if other.denominator == 1 else str(float(other))
    first, second = data.draw(st.permutations([right, wrong]))
    hedge = data.draw(st.sampled_from(["{a} or {b}", "{a}, {b}", "{a} (or {b})", "{a} / {b}?", "between {a} and {b}"]))
    answer = hedge.format(a=first, b=second)
    assert _strict(task_name, sample, answer) == "incorrect", answer


def test_the_hedges_the_issue_found_are_incorrect():
    sample, gold = _gold("gsm_hard", 3)
    n = Fraction(gold)
    assert _strict("gsm_hard", sample, f"{float(n)} or {float(n) - 1}") == "incorrect"
    sample, gold = _gold("number_multiply", 3)
    assert _strict("number_multiply", sample, f"{gold} or {-int(gold)}") == "incorrect"
    sample, gold = _gold("new_operator", 3)
    assert _strict("new_operator", sample, f"{gold} or {float(gold) - 1}") == "incorrect"


def test_right_answers_in_the_formats_the_issue_found_are_accepted():
    sample, gold = _gold("game24", 5)
    for form in ("({}).", "$${}$$", "\\({}\\)", "\\[{}\\]", "{} = 24"):
        assert _strict("game24", sample, form.format(gold)) == "correct", form
    sample, gold = _gold("string_insertion", 2)
    assert _strict("string_insertion", sample, str(list(gold))) == "correct"
    sample, gold = _gold("logical_equation", 2)
    values = [int(v) for v in gold.strip("[]").split(",")]
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    assert _strict("logical_equation", sample, ", ".join(f"{letters[i]}={v}" for i, v in enumerate(values))) == "correct"
    assert _strict("logical_equation", sample, "\n".join(f"{letters[i]}: {v}" for i, v in enumerate(values))) == "correct"
    sample, gold = _gold("blocksworld", 2)
    assert _strict("blocksworld", sample, ", ".join(gold.splitlines())) == "correct"
    sample, gold = _gold("letter_logic_diagram", 2)
    rows = [r for r in gold.splitlines() if r.strip()]
    assert _strict("letter_logic_diagram", sample, "\n".join(f"Row {i + 1}: {r}" for i, r in enumerate(rows))) == "correct"
