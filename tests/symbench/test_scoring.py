from __future__ import annotations

import pytest

from symbench.paths import default_data_dir
from symbench.scoring import PaperRow, PaperTable, check_mode, load_paper_table, normalised_score_of, normalised_scores
from symbench.types import Task

DATA_DIR = default_data_dir()
needs_table = pytest.mark.skipif(
    DATA_DIR is None or not (DATA_DIR / "paper_table1.csv").is_file(), reason="no paper_table1.csv in the data folder"
)


def test_check_mode_accepts_the_two_modes_and_names_them_otherwise():
    assert check_mode("faithful") == "faithful"
    with pytest.raises(ValueError, match="strict"):
        check_mode("lenient")


def test_normalised_score_divides_by_the_best_method_per_task_then_averages():
    table = PaperTable(methods=["a", "b"], rows=[
        PaperRow(title="T1", split="seen", rates={"a": 50, "b": 100}),
        PaperRow(title="T2", split="seen", rates={"a": 40, "b": 20}),
    ])
    scores = normalised_scores(table, {"new": {"T1": 80, "T2": 80}})
    assert scores.average["a"] == pytest.approx((50 + 50) / 2)
    assert scores.average["b"] == pytest.approx((100 + 25) / 2)
    assert scores.average["new"] == pytest.approx((80 + 100) / 2)
    assert scores.raw_average["new"] == pytest.approx(80)


def test_normalised_score_skips_a_task_nobody_solved():
    table = PaperTable(methods=["a"], rows=[
        PaperRow(title="T1", split="seen", rates={"a": 0}), PaperRow(title="T2", split="seen", rates={"a": 10}),
    ])
    scores = normalised_scores(table)
    assert scores.skipped == ["T1"] and scores.tasks == ["T2"]


@needs_table
def test_the_paper_table_reproduces_the_papers_normalised_averages():
    scores = normalised_scores(load_paper_table())
    assert len(scores.tasks) == 37
    assert round(scores.average["GPT-4o (Only Question)"], 1) == 53.3
    assert round(scores.average["GPT-4o + CodeSteer"], 1) == 86.4
    assert round(scores.average["o1"], 1) == 82.7
    assert round(scores.average["DeepSeek R1"], 1) == 76.8


@needs_table
def test_a_new_methods_rates_are_mapped_to_titles_and_can_raise_the_best():
    def never(*_args, **_kwargs):
        raise AssertionError("not called")

    game24 = Task(name="game24", title="Game 24", seen=True, category="math", load=never, generate=never, verify=never)
    scores = normalised_score_of({"game24": 1.0}, method="ours", tasks=[game24])
    assert scores.tasks == ["Game 24"]
    assert scores.average["ours"] == pytest.approx(100.0)
    assert scores.average["GPT-4o + CodeSteer"] == pytest.approx(93.0)
    assert normalised_score_of({"game24": 46.5}, tasks=[game24], unit="percent").average["this run"] == pytest.approx(50.0)
