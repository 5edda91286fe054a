"""The eval command explains itself: a model it cannot use, a run where every sample
failed, and Ctrl-C each end with one line that says what to do."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from eval_fakes import TASKS, fake_reply, symbench_fake_server
from fake_openai import FakeOpenAIServer, completion

from mcp_codesteer.cli import main as cli_main
from mcp_codesteer.eval import read_run
from mcp_codesteer.eval.runlog import SAMPLES_FILE

WAIT_FOR_RECORDS_S = 90.0


def _eval(*extra: str, out: Path) -> list[str]:
    return ["eval", "--tasks", TASKS[0], "--methods", "all_text", "--generated", "1", "--sandbox", "local",
            "--no-progress", "--no-plots", "--out", str(out), *extra]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_missing_api_key_ends_the_eval_at_once_with_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    started = time.monotonic()
    code = cli_main(_eval("--task-llm", "openai:gpt-4o", out=tmp_path / "run"))
    err = capsys.readouterr().err.strip()
    assert code == 2 and time.monotonic() - started < 10
    assert len(err.splitlines()) == 1 and "no API key" in err and "OPENAI_API_KEY" in err
    assert not (tmp_path / "run").exists()


@pytest.mark.usefixtures("real_model_requests")  # the model is an endpoint on 127.0.0.1
def test_an_unreachable_endpoint_ends_the_eval_at_once_with_one_line(tmp_path, capsys):
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    code = cli_main(_eval("--task-llm", "openai:m", "--base-url", url, "--api-key", "k", out=tmp_path / "run"))
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1 and "cannot be reached" in err and url in err
    assert not (tmp_path / "run").exists()


@pytest.mark.usefixtures("real_model_requests")
def test_a_run_where_every_sample_errored_exits_non_zero_and_names_the_first_error(tmp_path, capsys):
    calls = []

    def first_then_refuse(body):  # the pre-flight call passes, every sample's call is refused
        calls.append(body)
        if len(calls) == 1:
            return completion(fake_reply(body["messages"]))
        return 400, {}, {"error": {"message": "this model does not take that request"}}

    with FakeOpenAIServer(first_then_refuse) as fake:
        code = cli_main(_eval("--task-llm", "openai:m", "--base-url", fake.base_url, "--api-key", "k",
                              out=tmp_path / "run"))
    err = capsys.readouterr().err
    assert code == 1
    assert "every one of the 1 samples failed" in err and "HTTP 400" in err
    assert f"mcp-codesteer report {tmp_path / 'run'} --sample" in err


def test_ctrl_c_keeps_what_is_recorded_and_says_how_to_resume(tmp_path, symbench_dir):
    run_dir = tmp_path / "run"
    command = [sys.executable, "-m", "mcp_codesteer.cli", "eval", "--task-llm", "openai:fake", "--api-key", "k",
               "--tasks", ",".join(TASKS), "--limit", "2", "--sandbox", "local", "--max-rounds", "3",
               "--concurrency", "2", "--no-progress", "--no-plots", "--out", str(run_dir)]
    with symbench_fake_server(delay_s=0.05) as fake:
        proc = subprocess.Popen([*command, "--base-url", fake.base_url], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            deadline = time.monotonic() + WAIT_FOR_RECORDS_S
            while not (run_dir / SAMPLES_FILE).exists() or not (run_dir / SAMPLES_FILE).read_bytes().count(b"\n"):
                assert proc.poll() is None and time.monotonic() < deadline, "the eval wrote no record in time"
                time.sleep(0.02)  # polling a file another process writes
            os.kill(proc.pid, signal.SIGINT)  # what Ctrl-C sends
            _, err = proc.communicate(timeout=60)
        finally:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        header, records = read_run(run_dir)
        assert proc.returncode == 130, err[-2000:]
        assert "Traceback" not in err
        assert err.strip().splitlines()[-1] == (
            f"interrupted: {len(records)} of {header.samples_planned} recorded; "
            f"finish with mcp-codesteer eval --resume --out {run_dir}"
        )
        resumed = subprocess.run([*command, "--resume", "--base-url", fake.base_url], capture_output=True,
                                 text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert len(read_run(run_dir)[1]) == header.samples_planned


def test_report_sample_prints_one_samples_transcript(tmp_path, capsys):
    from eval_factories import make_header, make_record

    from mcp_codesteer.eval.runlog import RunLog

    log = RunLog.create(tmp_path / "run", make_header(planned=2))
    log.append(make_record(sample_id="s7", method="all_text", value=1.0))
    log.append(make_record(sample_id="s8", method="all_text", value=0.0))
    log.close()
    assert cli_main(["report", str(tmp_path / "run"), "--sample", "s7"]) == 0
    out = capsys.readouterr().out
    assert "== game24/s7/all_text" in out and "question s7" in out and "-- model, round 1" in out
    assert "s8" not in out
    assert cli_main(["report", str(tmp_path / "run"), "--sample", "nope"]) == 2
    assert "no sample 'nope'" in capsys.readouterr().err
