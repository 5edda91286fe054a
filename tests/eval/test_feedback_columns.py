"""codesteer gets what the paper's guide got; codesteer+checks is its own column."""

from __future__ import annotations

import json

from mcp_codesteer.cli import main as cli_main
from mcp_codesteer.eval import read_run


def test_an_eval_with_a_scripted_model_reports_codesteer_and_codesteer_checks_apart(tmp_path):
    replies = tmp_path / "replies.json"
    # A lazy program that prints a made-up Game 24 answer, every turn.
    replies.write_text(json.dumps(["```python\nprint('<<<1+2+3+4>>>')\n```"]))
    run_dir = tmp_path / "run"
    code = cli_main([
        "eval", "--task-llm", f"mock:{replies}", "--tasks", "game24", "--generated", "1",
        "--methods", "codesteer,codesteer+checks", "--sandbox", "local", "--max-rounds", "2",
        "--out", str(run_dir), "--no-progress", "--no-plots",
    ])
    assert code == 0
    header, records = read_run(run_dir)
    assert header.config.methods == ["codesteer", "codesteer_checks"]
    assert set(header.method_feedback) == {"codesteer", "codesteer_checks"}
    assert "no task hint" in header.method_feedback["codesteer"]
    assert "constraint check" in header.method_feedback["codesteer_checks"]

    by_method = {r.method: r for r in records}
    plain = [e for e in by_method["codesteer"].events if e.kind == "tool"]
    checked = [e for e in by_method["codesteer_checks"].events if e.kind == "tool"]
    assert all("task" not in e.arguments for e in plain)
    assert not any((e.result or {}).get("answer_check") for e in plain)
    assert all(e.arguments.get("task") == "game24" for e in checked)
    assert any((e.result or {}).get("answer_check", {}) and e.result["answer_check"]["method"] == "task_constraints"
               for e in checked)

    report = (run_dir / "report.md").read_text()
    table_head = next(line for line in report.splitlines() if line.startswith("| task |"))
    assert [c.strip() for c in table_head.strip("|").split("|")][1:] == ["CodeSteer", "CodeSteer+checks"]
    assert "feedback in CodeSteer: " in report and "feedback in CodeSteer+checks: " in report
