"""The ``mcp-codesteer symbench`` sub-commands, run in-process through the top-level CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mcp_codesteer.cli import main
from symbench.paths import default_data_dir

DATA_DIR = default_data_dir()
needs_data = pytest.mark.skipif(DATA_DIR is None, reason="no SymBench data folder")


def run_json(capsys, *argv):
    code = main(["symbench", *argv])
    out = capsys.readouterr().out
    return code, out


def test_list_prints_every_task_as_json(capsys):
    code, out = run_json(capsys, "list", "--json")
    rows = json.loads(out)
    assert code == 0
    by_name = {r["name"]: r for r in rows}
    assert by_name["game24"] == {"name": "game24", "title": "Game 24", "split": "seen", "category": "math",
                                 "generator": True, "check": True}
    assert by_name["letters"]["check"] is False and by_name["letters"]["split"] == "unseen"


def test_list_and_show_render_tables_for_people(capsys):
    assert main(["symbench", "list"]) == 0
    assert "eight_queens" in capsys.readouterr().out
    assert main(["symbench", "show", "eight_queens"]) == 0
    out = capsys.readouterr().out
    assert "faithful" in out and "eight_queens_dataset_hard" in out


def test_show_json_has_the_knobs_and_modes_note(capsys):
    code, out = run_json(capsys, "show", "game24", "--json")
    info = json.loads(out)
    assert code == 0 and info["knobs"] == {"target": 24, "count": 4, "max_number": 13}
    assert "exact" in info["modes_note"] and info["description"].startswith("Game 24")


def test_generate_is_seeded_and_takes_knobs(capsys):
    _, first = run_json(capsys, "generate", "game24", "--seed", "3", "--count", "2", "--knob", "count=5", "--json")
    _, again = run_json(capsys, "generate", "game24", "--seed", "3", "--count", "2", "--knob", "count=5", "--json")
    lines = [json.loads(line) for line in first.splitlines()]
    assert first == again and len(lines) == 2
    assert [s["source"] for s in lines] == ["generated:3", "generated:4"]
    assert all(len(s["metadata"]["numbers"]) == 5 for s in lines)


def test_generate_names_the_knobs_when_given_an_unknown_one(capsys):
    assert main(["symbench", "generate", "game24", "--knob", "size=3"]) == 2
    assert "max_number" in capsys.readouterr().err


def test_an_unknown_task_exits_2_with_the_known_names(capsys):
    assert main(["symbench", "show", "game25"]) == 2
    assert "game24" in capsys.readouterr().err


@needs_data
def test_verify_infers_the_task_from_a_sample_folder_and_scores_the_answer(capsys):
    folder = DATA_DIR / "standard_sudoku" / "sample_0"
    gold = json.loads((folder / "solution.json").read_text())["solution"]
    code, out = run_json(capsys, "verify", str(folder), "--answer", f"<<<{json.dumps(gold)}>>>", "--json")
    result = json.loads(out)
    assert code == 0 and result["task"] == "standard_sudoku" and result["verdict"] == "correct"
    gold[0][0], gold[0][1] = gold[0][1], gold[0][0]
    _, out = run_json(capsys, "verify", str(folder), "--answer", f"<<<{json.dumps(gold)}>>>", "--json")
    assert json.loads(out)["verdict"] == "incorrect"


@needs_data
def test_verify_finds_a_csv_row_and_applies_the_faithful_mode(capsys):
    path = f"{DATA_DIR / 'game24_dataset' / '24' / '24.csv'}#rank=1"  # puzzle 1 1 4 6
    _, out = run_json(capsys, "verify", path, "--answer", "<<<6*4*(1*1) = 24>>>", "--mode", "faithful", "--json")
    result = json.loads(out)
    assert result["task"] == "game24" and result["mode"] == "faithful" and result["verdict"] == "correct"


@needs_data
@pytest.mark.parametrize(
    ("path", "task"),
    [
        ("BIG-Bench-Hard/bbh/navigate.json#4", "navigation"),
        ("BIG-Bench-Hard/bbh/logical_deduction_seven_objects.json#8", "logical_deduction"),
        ("MATH/train/geometry/1.json", "math_geometry"),
        ("gsmhardv2.jsonl#26", "gsm_hard"),
    ],
)
def test_verify_addresses_samples_stored_in_a_file_or_a_nested_data_folder(capsys, path, task):
    from symbench import get_task
    from symbench.cli import find_sample

    found_task, sample = find_sample(str(DATA_DIR / path))
    assert found_task.name == task
    gold = get_task(task).gold_answer(sample)
    code, out = run_json(capsys, "verify", str(DATA_DIR / path), "--answer", gold, "--json")
    result = json.loads(out)
    assert code == 0 and result["task"] == task and result["id"] == sample.id and result["verdict"] == "correct"


@needs_data
def test_check_golds_counts_verified_golds_and_lists_documented_defects(capsys):
    code, out = run_json(capsys, "check-golds", str(DATA_DIR), "--task", "eight_queens", "--json")
    report = json.loads(out)
    assert code == 0 and report["ok"] is True
    (task,) = report["tasks"]
    assert task["task"] == "eight_queens" and task["total"] == task["verified"] > 0


def test_check_golds_exits_1_on_an_undocumented_failure(tmp_path, capsys):
    folder = tmp_path / "standard_sudoku" / "sample_0"
    folder.mkdir(parents=True)
    puzzle = [[0] * 9 for _ in range(9)]
    broken = [[1] * 9 for _ in range(9)]
    (folder / "question.txt").write_text("Given a 9*9 Sudoku grid ...")
    (folder / "solution.json").write_text(json.dumps({"puzzle": puzzle, "solution": broken, "complexity": 5}))
    code, out = run_json(capsys, "check-golds", str(tmp_path), "--task", "standard_sudoku", "--json")
    report = json.loads(out)
    assert code == 1 and report["ok"] is False
    assert report["tasks"][0]["failures"][0]["id"] == "standard_sudoku/sample_0"


@needs_data
def test_export_writes_jsonl_and_task_metadata(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR / "standard_sudoku", data / "standard_sudoku")
    code, out = run_json(capsys, "export", str(data), "--out", str(tmp_path / "out"), "--task", "standard_sudoku",
                         "--jsonl-only")
    summary = json.loads(out)
    assert code == 0 and summary["dataset_dir"] is None
    rows = [json.loads(line) for line in Path(summary["jsonl"][0]).read_text().splitlines()]
    assert len(rows) == summary["counts"]["standard_sudoku"] > 0
    assert json.loads(rows[0]["metadata"])["puzzle"] and rows[0]["title"] == "Standard Sudoku"
    assert json.loads((tmp_path / "out" / "tasks.json").read_text())[0]["name"] == "standard_sudoku"


@needs_data
def test_export_saves_a_hugging_face_dataset_when_datasets_is_installed(tmp_path, capsys):
    datasets = pytest.importorskip("datasets", reason="the 'datasets' package is not installed")
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR / "standard_sudoku", data / "standard_sudoku")
    code, out = run_json(capsys, "export", str(data), "--out", str(tmp_path / "out"), "--task", "standard_sudoku")
    summary = json.loads(out)
    loaded = datasets.load_from_disk(summary["dataset_dir"])
    assert code == 0 and loaded["standard_sudoku"].num_rows == summary["counts"]["standard_sudoku"]


def test_export_without_datasets_says_how_to_install_it_and_writes_nothing(tmp_path, capsys, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "datasets", None)  # makes 'import datasets' raise ImportError
    code = main(["symbench", "export", str(tmp_path), "--out", str(tmp_path / "out"), "--task", "letters"])
    assert code == 2 and "pip install" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
