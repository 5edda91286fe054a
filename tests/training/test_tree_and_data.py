"""Scores, preference pairs and the datasets built from trees, eval runs and session stores."""

from __future__ import annotations

import json
import sqlite3

import pytest

from guide.codesteer_format import CODE_TOKEN, RETURN_TOKEN, TEXT_TOKEN, render_conversation
from guide.types import Action
from training import data as tdata
from training.tree import preference_pairs

from trajectories import checked, guidance, paper_tree, trajectory


def test_leaves_score_fifteen_minus_depth_when_right_and_minus_depth_when_wrong_and_nodes_average_children():
    tree = paper_tree()
    assert [r.score for r in tree.rollouts] == [14.0, 13.0, -3.0, -2.0]
    assert tree.score((0, 1, 1)) == -3.0
    assert tree.score((0, 1)) == 5.0  # (13 + -3) / 2
    assert tree.score((0,)) == 9.5  # (14 + 5) / 2: children, not leaves
    assert tree.score((1,)) == -2.0
    assert tree.score() == 3.75


def test_sibling_branches_become_pairs_with_the_shared_prefix_as_prompt():
    pairs = {p.decision: p for p in preference_pairs(paper_tree(), min_margin=2.0)}
    assert sorted(pairs) == [0, 1, 2]
    first = pairs[0]
    assert (first.chosen, first.rejected, first.chosen_score, first.rejected_score) == (CODE_TOKEN, TEXT_TOKEN, 9.5, -2.0)
    assert [m["role"] for m in first.prompt] == ["user"]
    second = pairs[1]
    assert (second.chosen, second.rejected, second.margin) == (RETURN_TOKEN, "<<<Search every expression.>>>", 9.0)
    assert [m["role"] for m in second.prompt] == ["user", "assistant", "user"]
    assert second.prompt[-1]["content"].startswith("The response from TaskLLM is: x")
    third = pairs[2]
    assert (third.chosen, third.rejected, third.margin) == (RETURN_TOKEN, "<<<Again.>>>", 16.0)
    assert third.prompt[-1]["content"].startswith("The response from TaskLLM is: y")


def test_pairs_below_the_minimum_margin_are_left_out():
    assert [p.decision for p in preference_pairs(paper_tree(), min_margin=10.0)] == [0, 2]


def test_sft_conversations_keep_only_correct_rollouts_in_the_shared_format(tmp_path):
    tree = paper_tree()
    (tmp_path / "synth").mkdir()
    (tmp_path / "synth" / tdata.TREES_FILE).write_text(tree.model_dump_json() + "\n{torn", encoding="utf-8")
    built = tdata.build(synth_dirs=[tmp_path / "synth"])
    assert [c.key for c in built.conversations] == ["game24/g1#0.0", "game24/g1#0.1.0"]
    assert built.conversations[1].messages == render_conversation(tree.rollouts[1].trajectory)
    assert built.conversations[1].guide_turns == 3
    stats = tdata.save(built, tmp_path / "data")
    assert stats["conversations"] == 2 and stats["pairs"] == 3 and stats["skipped"] == {"rollout answered wrong": 2}
    assert stats["per_task"]["game24"] == {"conversations": 2, "guide_turns": 5, "pairs": 3}
    assert stats["margin"] == {"min": 9.0, "median": 11.5, "mean": 12.167, "max": 16.0}
    from datasets import load_from_disk

    dpo = load_from_disk(str(tmp_path / "data" / "dpo"))
    assert dpo[0]["chosen"] == [{"role": "assistant", "content": CODE_TOKEN}]
    assert len(tdata.load_rows(tmp_path / "data", "sft")) == 2


def _store(path, trajectories):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE sessions (id TEXT PRIMARY KEY, created REAL, updated REAL, status TEXT, trajectory TEXT)")
    for t in trajectories:
        conn.execute("INSERT INTO sessions VALUES (?, 0, 0, ?, ?)", (t.session_id, t.status, t.model_dump_json()))
    conn.commit()
    conn.close()


def test_session_store_gives_only_sessions_whose_returned_answer_a_checker_verified(tmp_path):
    ret = guidance(Action.RETURN, "return")
    good = checked(trajectory("q1", Action.CODE, [("a", "7", ret)], session_id="good"), "correct")
    wrong = checked(trajectory("q2", Action.CODE, [("a", "8", ret)], session_id="wrong"), "incorrect")
    unchecked = trajectory("q3", Action.CODE, [("a", "9", ret)], session_id="unchecked")
    opened = trajectory("q4", Action.CODE, [("a", "9", guidance(Action.REFINE, "more"))], status="open", session_id="open")
    _store(tmp_path / "s.sqlite3", [good, wrong, unchecked, opened])
    built = tdata.build(session_stores=[tmp_path / "s.sqlite3"])
    assert [c.key for c in built.conversations] == ["session/good"]
    assert built.skipped == {"session answer not verified correct": 2, "session still open": 1}


def test_eval_runs_give_their_correct_codesteer_samples_from_the_run_s_session_store(tmp_path):
    run = tmp_path / "run"
    (run / "server").mkdir(parents=True)
    ret = guidance(Action.RETURN, "return")
    _store(run / "server" / "sessions.sqlite3", [trajectory("q", Action.CODE, [("a", "7", ret)], session_id="s1"),
                                                 trajectory("q", Action.TEXT, [("a", "8", ret)], session_id="s2"),
                                                 trajectory("q", Action.CODE, [("a", "7", ret)], session_id="s3")])
    records = [
        {"key": "t/1/codesteer", "task": "t", "method": "codesteer", "success": True, "session_id": "s1"},
        {"key": "t/2/codesteer", "task": "t", "method": "codesteer", "success": False, "session_id": "s2"},
        {"key": "t/1/codesteer_checks", "task": "t", "method": "codesteer_checks", "success": True, "session_id": "s3"},
        {"key": "t/1/all_code", "task": "t", "method": "all_code", "success": True, "session_id": None},
    ]
    (run / "samples.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    built = tdata.build(eval_runs=[run])
    assert [(c.key, c.origin, c.messages[1]["content"]) for c in built.conversations] == [
        ("t/1/codesteer", "eval", CODE_TOKEN), ("t/1/codesteer_checks", "eval", CODE_TOKEN)]
    assert built.skipped == {"eval sample not correct": 1}


def test_loading_rows_from_a_folder_without_data_says_what_to_pass(tmp_path):
    with pytest.raises(FileNotFoundError, match="train data"):
        tdata.load_rows(tmp_path, "sft")


@pytest.mark.skipif(__import__("shutil").which("bwrap") is None, reason="bubblewrap is not installed (apt-get install bubblewrap)")
def test_a_real_eval_run_gives_its_correct_codesteer_sessions_as_conversations(tmp_path, capsys):
    from mcp_codesteer.cli import main as cli_main

    run = tmp_path / "run"
    code = cli_main(["eval", "--task-llm", "function:scripted:pooling_solver", "--tasks", "pooling", "--generated", "2",
                     "--methods", "codesteer,all_code", "--sandbox", "local", "--out", str(run), "--no-progress", "--no-plots"])
    assert code == 0
    records = [json.loads(line) for line in (run / "samples.jsonl").read_text().splitlines()]
    correct = [r for r in records if r["method"] == "codesteer" and r["success"]]
    assert correct
    built = tdata.build(eval_runs=[run])
    assert sorted(c.key for c in built.conversations) == sorted(r["key"] for r in correct)
    sessions = tdata.load_sessions(run / "server" / tdata.SESSIONS_FILE)
    for conv in built.conversations:
        record = next(r for r in correct if r["key"] == conv.key)
        assert conv.messages == render_conversation(sessions[record["session_id"]])
        assert conv.messages[-1]["role"] == "assistant"
