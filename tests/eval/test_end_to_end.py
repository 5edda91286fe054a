"""Whole runs through a real ``mcp-codesteer serve`` subprocess over stdio."""

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from eval_fakes import TASKS, fake_reply, symbench_fake_server

from guide.chat import MockModel
from mcp_codesteer.cli import main as cli_main
from mcp_codesteer.eval import execute_run, read_run, report_for
from mcp_codesteer.eval.records import METHODS, PAPER_METHODS, RunConfig, ServerSpec
from mcp_codesteer.eval.runlog import SAMPLES_FILE

KILL_AFTER_RECORDS = 3
WAIT_FOR_RECORDS_S = 90.0


def _rates(run_dir: Path) -> dict[str, float]:
    _, records = read_run(run_dir)
    by_method: dict[str, list[float]] = {}
    for r in records:
        by_method.setdefault(r.method, []).append(r.score.value)
    return {m: 100.0 * sum(v) / len(v) for m, v in by_method.items()}


@pytest.mark.anyio
async def test_a_multi_task_run_with_the_mock_model_goes_through_a_stdio_server(tmp_path, symbench_dir):
    llm = MockModel(lambda messages: fake_reply([m.model_dump() for m in messages]))
    config = RunConfig(
        tasks=TASKS[:2], methods=list(METHODS), task_llm="mock", limit=2, data_dir=str(symbench_dir),
        server=ServerSpec(sandbox="local", max_rounds=4),
    )
    outcome = await execute_run(tmp_path / "run", config, llm=llm, concurrency=3)
    assert outcome.planned == outcome.written == 2 * 2 * len(METHODS)
    header, records = read_run(tmp_path / "run")
    assert header.samples_planned == outcome.planned and header.package_version
    codesteer = [r for r in records if r.method == "codesteer"]
    assert all(r.session_id and r.events[0].tool == "steer_next" for r in codesteer)
    assert (tmp_path / "run" / "server" / "sessions.sqlite3").exists()  # the server kept its trajectories here
    assert _rates(tmp_path / "run")["all_code"] == 100.0


@pytest.mark.usefixtures("real_model_requests")  # the fake server on 127.0.0.1 is this test's model
def test_a_run_against_an_openai_compatible_server_scores_each_method_as_it_should(tmp_path, symbench_dir):
    run_dir = tmp_path / "run"
    # the first 429 answers the pre-flight test call (busy counts as reachable), the second a sample's call
    with symbench_fake_server(fail_first=2) as fake:
        code = cli_main([
            "eval", "--task-llm", "openai:fake-model", "--base-url", fake.base_url, "--api-key", "test-key",  # the deprecated flag still works
            "--tasks", ",".join(TASKS), "--limit", "2", "--sandbox", "local", "--max-rounds", "4",
            "--out", str(run_dir), "--concurrency", "4", "--no-progress",
        ])
    assert code == 0
    assert fake.rate_limited == 2 and all(b["model"] == "fake-model" for b in fake.bodies)
    rates = _rates(run_dir)
    # the fake reasons wrongly in text and writes correct programs
    assert rates == {"only_question": 0.0, "all_text": 0.0, "all_code": 100.0, "code_feedback": 100.0, "codesteer": 100.0}
    _, records = read_run(run_dir)
    assert len(records) == len(TASKS) * 2 * len(PAPER_METHODS)
    assert all(r.usage.input_tokens and r.usage.output_tokens for r in records)  # taken from the API's usage
    assert {"report.md", "report.csv"} <= {p.name for p in run_dir.iterdir()}
    if importlib.util.find_spec("matplotlib"):  # without it the run still reports, minus plots
        assert (run_dir / "plots" / "success_by_task.png").read_bytes()[:4] == b"\x89PNG"


def _eval_command(base_url: str, run_dir: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "mcp_codesteer.cli", "eval", "--task-llm", f"openai:fake@{base_url}",
            "--api-key", "k", "--tasks", ",".join(TASKS), "--limit", "1", "--sandbox", "local", "--max-rounds", "3",
            "--out", str(run_dir), "--concurrency", "3", "--no-progress", "--no-plots", *extra]


def _count_lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def test_a_run_killed_with_sigkill_resumes_with_every_sample_recorded_exactly_once(tmp_path, symbench_dir):
    run_dir = tmp_path / "run"
    with symbench_fake_server(delay_s=0.05) as fake:
        proc = subprocess.Popen(_eval_command(fake.base_url, run_dir), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            deadline = time.monotonic() + WAIT_FOR_RECORDS_S
            while _count_lines(run_dir / SAMPLES_FILE) < KILL_AFTER_RECORDS and proc.poll() is None:
                assert time.monotonic() < deadline, "the eval wrote no records in time"
                time.sleep(0.02)  # polling a file another process writes
            assert proc.poll() is None, "the eval finished before it could be killed; make the fake slower"
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            try:  # the stdio server child of the killed eval, if it outlived its parent
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        killed_at = len(read_run(run_dir)[1])
        planned = read_run(run_dir)[0].samples_planned
        assert 0 < killed_at < planned
        resumed = subprocess.run(_eval_command(fake.base_url, run_dir, "--resume"), capture_output=True, text=True,
                                 timeout=300)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    lines = (run_dir / SAMPLES_FILE).read_text().splitlines()
    keys = Counter(json.loads(line)["key"] for line in lines)  # every line parses
    assert len(keys) == planned and set(keys.values()) == {1}
    header, records = read_run(run_dir)
    assert len(header.resumed_at) == 1 and len(records) == planned
    assert report_for([run_dir]).summaries
