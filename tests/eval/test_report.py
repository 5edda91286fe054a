import csv
import io

import pytest
from eval_factories import make_header, make_record

from mcp_codesteer.cli import main as cli_main
from mcp_codesteer.eval.report import build_report, load_runs, report_for, save_report, to_csv, to_markdown
from mcp_codesteer.eval.runlog import RunLog


def _store_run(run_dir, rates: dict[tuple[str, str], list[float]], tasks=("game24", "string_insertion")):
    methods = sorted({m for _, m in rates}, key=["all_text", "codesteer"].index)
    planned = sum(len(v) for v in rates.values())
    log = RunLog.create(run_dir, make_header(tasks=tasks, methods=methods, planned=planned))
    for (task, method), values in rates.items():
        for i, value in enumerate(values):
            log.append(make_record(task=task, sample_id=f"s{i}", method=method, value=value, rounds=1 + i,
                                   tokens=(100, 10 * (i + 1))))
    log.close()
    return run_dir


RATES = {
    ("game24", "all_text"): [1.0, 0.0, 0.0, 0.0],
    ("game24", "codesteer"): [1.0, 1.0, 1.0, 0.0],
    ("string_insertion", "all_text"): [0.0, 0.0],
    ("string_insertion", "codesteer"): [1.0, 0.5],
}


def _paper_best(symbench_dir, title: str) -> float:
    with open(symbench_dir / "paper_table1.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["task"] == title:
                return max(float(v) for k, v in row.items() if k not in ("task", "split"))
    raise AssertionError(f"{title} not in the paper table")


def test_the_report_gives_success_and_the_papers_normalised_score_per_task_and_method(tmp_path, symbench_dir):
    import symbench

    report = report_for([_store_run(tmp_path / "r", RATES)], paper_data_dir=symbench_dir)
    cells = {(c.task, c.method): c for c in report.cells}
    assert cells[("game24", "codesteer")].success_pct == pytest.approx(75.0)
    assert cells[("string_insertion", "codesteer")].success_pct == pytest.approx(75.0)  # a partial counts its value
    best = max(_paper_best(symbench_dir, symbench.get_task("game24").title), 75.0)
    assert cells[("game24", "all_text")].normalised == pytest.approx(100 * 25.0 / best)
    summary = {s.method: s for s in report.summaries}
    expected = (cells[("game24", "codesteer")].normalised + cells[("string_insertion", "codesteer")].normalised) / 2
    assert summary["codesteer"].normalised == pytest.approx(expected)
    # per sample, as the summary's column titles and the footnote say
    assert summary["all_text"].output_tokens == pytest.approx((10 + 20 + 30 + 40 + 10 + 20) / 6)


def test_without_the_paper_table_the_best_method_of_the_report_sets_the_scale(tmp_path, monkeypatch):
    import symbench.paths

    monkeypatch.setattr(symbench.paths, "default_data_dir", lambda: None)
    report = report_for([_store_run(tmp_path / "r", RATES)], paper_data_dir=tmp_path)
    cells = {(c.task, c.method): c for c in report.cells}
    assert report.paper_source is None
    assert cells[("game24", "codesteer")].normalised == pytest.approx(100.0)
    assert cells[("game24", "all_text")].normalised == pytest.approx(100 * 25.0 / 75.0)


def test_markdown_and_csv_hold_one_row_per_task_and_method(tmp_path, symbench_dir):
    report = report_for([_store_run(tmp_path / "r", RATES)], paper_data_dir=symbench_dir)
    markdown = to_markdown(report)
    assert "| task | All text | CodeSteer |" in markdown
    assert "| game24 | 25.0 (4) | 75.0 (4) |" in markdown
    rows = list(csv.DictReader(io.StringIO(to_csv(report))))
    assert {(r["task"], r["method"], r["n"]) for r in rows} == {
        ("game24", "all_text", "4"), ("game24", "codesteer", "4"),
        ("string_insertion", "all_text", "2"), ("string_insertion", "codesteer", "2"),
    }


def test_saving_writes_markdown_csv_and_png_plots(tmp_path, symbench_dir):
    pytest.importorskip("matplotlib", reason="plots need matplotlib (the eval extra)")
    report = report_for([_store_run(tmp_path / "r", RATES)], paper_data_dir=symbench_dir)
    written = save_report(report, tmp_path / "out")
    names = sorted(p.name for p in written)
    assert names == ["report.csv", "report.md", "success_by_rounds.png", "success_by_task.png"]
    assert all(p.read_bytes()[:4] == b"\x89PNG" for p in written if p.suffix == ".png")


def test_an_incomplete_run_says_how_many_records_are_missing(tmp_path, symbench_dir):
    run_dir = _store_run(tmp_path / "r", {("game24", "all_text"): [1.0]})
    header_planned = 10
    log = RunLog.resume(run_dir)
    log.header.samples_planned = header_planned
    from mcp_codesteer.eval.runlog import write_header

    write_header(run_dir, log.header)
    log.close()
    markdown = to_markdown(build_report(load_runs([run_dir]), paper_data_dir=symbench_dir))
    assert "1 of 10 planned (incomplete: --resume to finish)" in markdown


def test_the_report_command_compares_several_runs_in_one_table(tmp_path, symbench_dir, capsys):
    first = _store_run(tmp_path / "gpt", RATES)
    second = _store_run(tmp_path / "qwen", {("game24", "codesteer"): [0.0, 1.0]})
    code = cli_main(["report", str(first), str(second), "--out", str(tmp_path / "cmp"), "--markdown", "--no-plots",
                     "--data-dir", str(symbench_dir)])
    assert code == 0
    out = capsys.readouterr().out
    assert "| task | gpt: All text | gpt: CodeSteer | qwen: CodeSteer |" in out
    assert "| game24 | 25.0 (4) | 75.0 (4) | 50.0 (2) |" in out
    assert (tmp_path / "cmp" / "report.csv").exists()


def test_the_report_command_names_a_folder_that_is_not_a_run(tmp_path, capsys):
    assert cli_main(["report", str(tmp_path)]) == 2
    assert "not a run directory" in capsys.readouterr().err


def test_every_cell_and_summary_carries_a_95_percent_interval_around_its_rate(tmp_path, symbench_dir):
    report = report_for([_store_run(tmp_path / "r", RATES)], paper_data_dir=symbench_dir)
    cells = {(c.task, c.method): c for c in report.cells}
    game = cells[("game24", "codesteer")]  # 3 of 4: Wilson's interval
    assert (round(game.ci_low, 1), round(game.ci_high, 1)) == (30.1, 95.4)
    partial = cells[("string_insertion", "codesteer")]  # a partial score: bootstrap, within the observed range
    assert 50.0 <= partial.ci_low <= partial.success_pct <= partial.ci_high <= 100.0
    for summary in report.summaries:
        assert summary.ci_low <= summary.success_pct <= summary.ci_high
    markdown = to_markdown(report)
    assert "| game24 | CodeSteer | 4 | 75.0 | 30.1-95.4 |" in markdown
    assert {"ci_low_pct", "ci_high_pct"} <= set(next(csv.reader(io.StringIO(to_csv(report)))))


def test_methods_on_the_same_samples_get_a_paired_difference_with_an_interval(tmp_path, symbench_dir):
    report = report_for([_store_run(tmp_path / "r", RATES)], paper_data_dir=symbench_dir)
    (pair,) = report.paired
    assert (pair.a, pair.b) == (("r", "all_text"), ("r", "codesteer"))
    d = pair.diff
    assert d.n == 6 and d.mean == pytest.approx(-3.5 / 6)
    assert d.low <= d.mean <= d.high < 0  # codesteer is better on these samples
    assert (d.a_only, d.b_only) == (0, 4) and d.p_value is None  # a partial score: no exact test
    assert "## Paired differences" in to_markdown(report)


def test_report_a_b_shows_the_difference_of_one_method_across_two_runs(tmp_path, symbench_dir, capsys):
    first = _store_run(tmp_path / "gpt", RATES)
    second = _store_run(tmp_path / "qwen", {("game24", "codesteer"): [0.0, 1.0]})
    assert cli_main(["report", str(first), str(second), "--markdown", "--data-dir", str(symbench_dir)]) == 0
    out = capsys.readouterr().out
    # gpt's codesteer got s0 and s1 right, qwen's only s1: +50 points on the 2 shared samples
    assert "| gpt: CodeSteer | qwen: CodeSteer | 2 | +50.0 |" in out
