import pytest

from mcp_codesteer.cli import main as cli_main
from mcp_codesteer.eval.records import RunConfig
from mcp_codesteer.eval.runner import PlanError, plan


def test_a_limited_plan_is_a_seeded_subset_that_is_the_same_on_every_call(symbench_dir):
    config = RunConfig(tasks=["string_insertion"], methods=["all_text"], task_llm="mock", limit=5,
                       seed=3, data_dir=str(symbench_dir))
    first = [item.key for item in plan(config)]
    assert first == [item.key for item in plan(config)] and len(first) == 5
    other_seed = [item.key for item in plan(config.model_copy(update={"seed": 4}))]
    assert other_seed != first


def test_the_plan_interleaves_tasks_and_methods_sample_by_sample(symbench_dir):
    config = RunConfig(tasks=["string_insertion", "statistical_counting"], methods=["all_text", "codesteer"],
                       task_llm="mock", limit=2, data_dir=str(symbench_dir))
    items = plan(config)
    assert [(i.task.name, i.method) for i in items[:4]] == [
        ("string_insertion", "all_text"), ("string_insertion", "codesteer"),
        ("statistical_counting", "all_text"), ("statistical_counting", "codesteer"),
    ]
    assert len({i.key for i in items}) == len(items) == 8


def test_generated_samples_come_from_consecutive_seeds():
    config = RunConfig(tasks=["string_insertion"], methods=["all_code"], task_llm="mock", generated=3, seed=10)
    items = plan(config)
    assert [i.sample.source for i in items] == ["generated:10", "generated:11", "generated:12"]


def test_a_plan_without_data_or_generators_says_what_to_pass():
    config = RunConfig(tasks=["string_insertion"], methods=["all_code"], task_llm="mock")
    with pytest.raises(PlanError, match="--data-dir"):
        plan(config)


def test_eval_names_an_unknown_task_and_exits_2(tmp_path, symbench_dir, capsys):
    code = cli_main(["eval", "--task-llm", "mock", "--tasks", "no_such_task", "--data-dir", str(symbench_dir),
                     "--out", str(tmp_path / "run")])
    assert code == 2 and "no_such_task" in capsys.readouterr().err
    assert not (tmp_path / "run").exists()


def test_eval_without_a_model_asks_for_one(tmp_path, capsys):
    assert cli_main(["eval", "--out", str(tmp_path / "run")]) == 2
    assert "--task-llm is required" in capsys.readouterr().err


def test_resume_of_a_folder_that_holds_no_run_says_so(tmp_path, capsys):
    assert cli_main(["eval", "--resume", "--out", str(tmp_path)]) == 2
    assert "not a run directory" in capsys.readouterr().err


def test_the_progress_bar_counts_resumed_records_and_shows_success_so_far():
    import io

    from eval_factories import make_record
    from rich.console import Console

    from mcp_codesteer.eval.progress import RunProgress

    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120)
    with RunProgress(console) as progress:
        progress.start(4, [make_record(sample_id="a", value=1.0)])
        progress.record(make_record(sample_id="b", value=0.0))
    assert (progress.done, progress.correct) == (2, 1.0)
    assert "2/4" in out.getvalue() and "success 50.0%" in out.getvalue()
