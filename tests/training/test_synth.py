"""Synthesis through the server's steering service, with a scripted TaskLLM and a function guide."""

from __future__ import annotations

import argparse
import json
import shutil

import pytest

import symbench
from training import data as tdata
from training.synth import DEFAULT_SEED, SamplingGuide, SynthConfig, TreeLog, plan_questions, stored_questions
from mcp_codesteer.commands.train_synth import synthesize_with_service

from scripted import FunctionGuide, task_llm

TASKS = ["statistical_counting", "pooling"]
needs_bwrap = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed (apt-get install bubblewrap)")


def _args(**kw) -> argparse.Namespace:
    base = dict(sandbox="local", concurrency=2, temperature=0.0, max_tokens=512, api_key=None, data_dir=None)
    return argparse.Namespace(**{**base, **kw})


def _golds(config: SynthConfig) -> dict[str, str]:
    return {s.question: t.gold_answer(s) for t, s in plan_questions(config.tasks, config.questions_per_task, config.seed)}


def test_generated_training_questions_never_equal_a_stored_test_question(symbench_dir):
    seen = [t.name for t in symbench.all_tasks() if t.seen]
    stored = stored_questions(symbench_dir, seen)
    assert len(stored) > 500
    unfiltered = plan_questions(seen, 20)
    assert all(s.source == f"generated:{DEFAULT_SEED + i // len(seen)}" for i, (_, s) in enumerate(unfiltered))
    colliding = {(t.name, s.id) for t, s in unfiltered if s.question.strip() in stored}
    # small question spaces (Game 24's four numbers) do meet the stored test set: the filter must act
    assert colliding
    planned = plan_questions(seen, 20, exclude=stored)
    assert not {s.question.strip() for _, s in planned} & stored
    assert [(t.name, s.id) for t, s in planned] == [(t.name, s.id) for t, s in unfiltered if (t.name, s.id) not in colliding]


def test_unseen_tasks_are_refused_for_training():
    unseen = next(t.name for t in symbench.all_tasks() if not t.seen)
    with pytest.raises(ValueError, match="unseen"):
        plan_questions([unseen], 1)


@needs_bwrap
@pytest.mark.anyio
async def test_synthesis_explores_branches_scores_leaves_and_resumes_without_rerunning(tmp_path):
    config = SynthConfig(tasks=TASKS, questions_per_task=2, branches=2, branch_at=[0, 1], max_rounds=4)
    guide_model = FunctionGuide()
    llm = task_llm(_golds(config))
    totals = await synthesize_with_service(tmp_path, config, _args(), task_llm=llm, guide=SamplingGuide(guide_model.model))
    assert totals["written"] == 4 and totals["rollouts"] == 16
    trees = tdata.read_trees(tmp_path)
    assert sorted(t.key for t in trees) == sorted(f"{t}/{s.id}" for t, s in [(t.name, s) for t, s in plan_questions(TASKS, 2)])
    for tree in trees:
        assert tree.error is None
        assert len(tree.rollouts) == 4
        by_first = {}
        for r in tree.rollouts:
            by_first.setdefault(r.trajectory.first.action.value, []).append(r)
        assert sorted(by_first) == ["code", "text"]
        # under each first choice: return at once (depth 1), or refine and return (depth 2)
        assert sorted(r.score for r in by_first["code"]) == [13.0, 14.0]
        assert sorted(r.score for r in by_first["text"]) == [-2.0, -1.0]
        assert sorted(len(r.path) for r in tree.rollouts) == [2, 2, 3, 3]
        code = by_first["code"][0].path[0]
        assert tree.score((code,)) == 13.5 and tree.score((1 - code,)) == -1.5
        # the rounds were made by the server's service: the program ran in the sandbox and was analysed
        round1 = by_first["code"][0].trajectory.rounds[0]
        assert round1.execution is not None and round1.execution.exit_code == 0 and round1.symbolic is not None
        assert tree.usage["calls"] == 4  # TaskLLM turns: round 1, and round 2 after the refine, per first choice
    assert totals["task_llm"].calls == 16 and totals["guide"].calls == guide_model.calls
    # without --task-checks no answer check ran: nothing the guide read was judged against a gold
    assert all(r.answer_check is None for t in trees for ro in t.rollouts for r in ro.trajectory.rounds)
    assert guide_model.seen[0][0].content.endswith(trees[0].question) or any(
        conv[0].content.endswith(t.question) for conv in guide_model.seen for t in trees)

    # a killed run leaves a torn line; resuming skips what was written and repairs the tail
    with open(tmp_path / tdata.TREES_FILE, "a", encoding="utf-8") as fh:
        fh.write('{"key": "torn')
    more = SynthConfig(**{**config.model_dump(), "questions_per_task": 3})
    again = await synthesize_with_service(tmp_path, more, _args(), task_llm=task_llm(_golds(more)),
                                          guide=SamplingGuide(FunctionGuide().model))
    assert (again["already_done"], again["written"]) == (4, 2)
    lines = (tmp_path / tdata.TREES_FILE).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 6 and len({json.loads(line)["key"] for line in lines}) == 6
    assert TreeLog(tmp_path).done_keys == {json.loads(line)["key"] for line in lines}

    built = tdata.build(synth_dirs=[tmp_path])
    assert len(built.conversations) == 12 and all(c.messages[1]["content"] == "<<<Code>>>" for c in built.conversations)
    assert [p.decision for p in built.pairs] == [0] * 6
    assert all((p.chosen, p.rejected, p.margin) == ("<<<Code>>>", "<<<Text>>>", 15.0) for p in built.pairs)


@needs_bwrap
def test_the_synth_command_writes_once_refuses_to_overwrite_and_resumes(tmp_path, capsys):
    from mcp_codesteer.cli import main as cli_main

    out = tmp_path / "synth"
    argv = ["train", "synth", "--task-llm", "mock", "--guide", "rules", "--tasks", "pooling", "--questions-per-task", "2",
            "--branches", "1", "--sandbox", "local", "--no-progress", "--out", str(out)]
    assert cli_main(argv) == 0
    assert "2 questions written this call" in capsys.readouterr().err
    assert len(tdata.read_trees(out)) == 2 and json.loads((out / "synth.json").read_text())["tasks"] == ["pooling"]
    assert cli_main(argv) == 2
    assert "--resume" in capsys.readouterr().err
    assert cli_main(["train", "synth", "--resume", "--sandbox", "local", "--no-progress", "--out", str(out)]) == 0
    assert "0 questions written this call (2 already done of 2)" in capsys.readouterr().err


def test_a_resumed_synthesis_rebuilds_the_sampling_guide_from_its_header(tmp_path):
    from mcp_codesteer.commands.train_synth import build_guide
    from training.synth import read_header, write_header

    write_header(tmp_path, SynthConfig(tasks=["pooling"], guide="mock", guide_is_model=True, guide_temperature=0.7))
    guide = build_guide(read_header(tmp_path), argparse.Namespace(api_key=None, guide_model=None))
    assert isinstance(guide, SamplingGuide) and guide.settings.temperature == 0.7
    write_header(tmp_path, SynthConfig(tasks=["pooling"], guide="rules", guide_is_model=False))
    assert build_guide(read_header(tmp_path), argparse.Namespace(api_key=None, guide_model=None)).name == "rules"


@needs_bwrap
@pytest.mark.anyio
async def test_a_question_whose_model_fails_is_recorded_with_its_error_and_the_others_go_on(tmp_path):
    from guide.chat import MockModel, ModelError

    config = SynthConfig(tasks=["pooling"], questions_per_task=2, branches=1, branch_at=[])
    (_, bad), (_, good) = plan_questions(config.tasks, 2, config.seed)

    def respond(messages):
        if messages[0].content.startswith(bad.question):
            raise ModelError("the API refused this request")
        return "Reasoning in text, I get <<<0>>>."

    totals = await synthesize_with_service(tmp_path, config, _args(), task_llm=MockModel(respond),
                                           guide=SamplingGuide(FunctionGuide().model))
    trees = {t.sample_id: t for t in tdata.read_trees(tmp_path)}
    assert totals["written"] == 2
    assert "the API refused this request" in trees[bad.id].error and trees[bad.id].rollouts == []
    assert trees[good.id].error is None and len(trees[good.id].rollouts) == 1


@needs_bwrap
def test_a_synthesis_killed_with_sigkill_resumes_with_every_question_recorded_exactly_once(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time
    from collections import Counter
    from pathlib import Path

    here = Path(__file__).parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(here.parents[1]), str(here), os.environ.get("PYTHONPATH", "")])}
    out = tmp_path / "synth"
    command = [sys.executable, "-m", "mcp_codesteer.cli", "train", "synth", "--task-llm", "function:scripted:slow_text_reply",
               "--guide-model", "function:scripted:text_then_return", "--tasks", "pooling", "--questions-per-task", "20",
               "--branches", "1", "--sandbox", "local", "--concurrency", "2", "--no-progress", "--out", str(out)]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    trees = out / tdata.TREES_FILE
    try:
        deadline = time.monotonic() + 120
        while (trees.read_bytes().count(b"\n") if trees.exists() else 0) < 3 and proc.poll() is None:
            assert time.monotonic() < deadline, "the synthesis wrote no trees in time"
            time.sleep(0.02)  # polling a file another process writes
        assert proc.poll() is None, "the synthesis finished before it could be killed; make the model slower"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    killed_at = len(tdata.read_trees(out))
    assert 0 < killed_at < 20
    resumed = subprocess.run([*command[:5], "--resume", "--sandbox", "local", "--no-progress", "--out", str(out)],
                             env=env, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert f"({killed_at} already done of 20)" in resumed.stderr
    keys = Counter(json.loads(line)["key"] for line in trees.read_text().splitlines())  # every line parses
    assert len(keys) == 20 and set(keys.values()) == {1}
    assert all(len(t.rollouts) == 1 and t.error is None for t in tdata.read_trees(out))
