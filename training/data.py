"""Training data: synthesis trees, eval runs and session stores -> SFT and DPO datasets.

Three sources of trajectories:

- synthesis directories (``trees.jsonl`` from ``mcp-codesteer train synth``): every
  rollout that ended correct becomes an SFT conversation; sibling branches become DPO
  pairs (:func:`training.tree.preference_pairs`);
- eval run directories (``samples.jsonl`` + the server's session store in ``server/``):
  codesteer samples the verifier scored correct;
- a session store (``sessions.sqlite3`` of a served ``mcp-codesteer``): sessions that
  returned the answer of a round whose answer check said ``correct`` (no verifier has
  seen them, so a checker's verdict is the only evidence accepted).

Every conversation is rendered by :func:`guide.codesteer_format.render_conversation`,
the same function the model-backed guides use at inference, so a trained guide reads
exactly what it will read when it steers. Every guide turn of a kept trajectory is a
training target.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from statistics import fmean, median

from pydantic import ValidationError

from guide.codesteer_format import FormatLimits, render_conversation
from guide.types import Trajectory

from .tree import PreferencePair, SynthTree, preference_pairs

TREES_FILE = "trees.jsonl"
SESSIONS_FILE = "sessions.sqlite3"


@dataclass
class Conversation:
    """One SFT example: a finished, successful trajectory in the CodeSteer chat layout."""

    key: str
    task: str | None
    origin: str  # "synth", "eval" or "sessions"
    messages: list[dict[str, str]]

    @property
    def guide_turns(self) -> int:
        return sum(1 for m in self.messages if m["role"] == "assistant")


@dataclass
class TrainingData:
    conversations: list[Conversation] = field(default_factory=list)
    pairs: list[PreferencePair] = field(default_factory=list)
    trees: int = 0
    rollouts: int = 0
    skipped: Counter = field(default_factory=Counter)


def read_jsonl(path: Path) -> Iterator[dict]:
    """The records of a JSONL file; a torn last line (a killed writer) is skipped."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                continue


def read_trees(directory: Path) -> list[SynthTree]:
    path = Path(directory) / TREES_FILE
    trees = []
    for raw in read_jsonl(path):
        try:
            trees.append(SynthTree.model_validate(raw))
        except ValidationError:
            continue
    return trees


def _finished(trajectory: Trajectory) -> bool:
    return trajectory.status != "open" and trajectory.first is not None and bool(trajectory.rounds)


def _conversation(key: str, task: str | None, origin: str, trajectory: Trajectory, limits: FormatLimits | None) -> Conversation:
    return Conversation(key=key, task=task, origin=origin, messages=render_conversation(trajectory, limits))


def from_trees(trees: Iterable[SynthTree], data: TrainingData, *, min_margin: float, limits: FormatLimits | None) -> None:
    for tree in trees:
        data.trees += 1
        for rollout in tree.rollouts:
            data.rollouts += 1
            if not rollout.correct:
                data.skipped["rollout answered wrong"] += 1
            elif not _finished(rollout.trajectory):
                data.skipped["rollout did not finish"] += 1
            else:
                path = ".".join(map(str, rollout.path))
                data.conversations.append(_conversation(f"{tree.key}#{path}", tree.task, "synth", rollout.trajectory, limits))
        data.pairs.extend(preference_pairs(tree, min_margin=min_margin, limits=limits))


def load_sessions(store: Path) -> dict[str, Trajectory]:
    """Every trajectory of a session store, by session id (read-only; expired ones too)."""
    conn = sqlite3.connect(f"file:{Path(store)}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT id, trajectory FROM sessions").fetchall()
    finally:
        conn.close()
    out = {}
    for session_id, raw in rows:
        try:
            out[session_id] = Trajectory.model_validate_json(raw)
        except ValidationError:
            continue
    return out


def from_eval_run(run_dir: Path, data: TrainingData, *, limits: FormatLimits | None) -> None:
    """The codesteer and codesteer_checks samples of an eval run that the verifier scored correct."""
    run_dir = Path(run_dir)
    store = run_dir / "server" / SESSIONS_FILE
    sessions = load_sessions(store) if store.exists() else {}
    for record in read_jsonl(run_dir / "samples.jsonl"):
        if record.get("method") not in ("codesteer", "codesteer_checks"):  # both are guide sessions
            continue
        if not record.get("success"):
            data.skipped["eval sample not correct"] += 1
            continue
        trajectory = sessions.get(record.get("session_id") or "")
        if trajectory is None:
            data.skipped["eval sample without its session"] += 1
            continue
        if not _finished(trajectory):
            data.skipped["eval session did not finish"] += 1
            continue
        data.conversations.append(_conversation(record.get("key", trajectory.session_id), record.get("task"), "eval", trajectory, limits))


def verified_by_checker(trajectory: Trajectory) -> bool:
    """The session returned the answer of a round whose answer check said correct."""
    if trajectory.status != "returned" or not trajectory.final_answer:
        return False
    return any(
        r.answer_check is not None and r.answer_check.verdict == "correct" and r.answer == trajectory.final_answer
        for r in trajectory.rounds
    )


def from_session_store(store: Path, data: TrainingData, *, limits: FormatLimits | None) -> None:
    for session_id, trajectory in load_sessions(store).items():
        if not _finished(trajectory):
            data.skipped["session still open"] += 1
        elif not verified_by_checker(trajectory):
            data.skipped["session answer not verified correct"] += 1
        else:
            data.conversations.append(_conversation(f"session/{session_id}", trajectory.task, "sessions", trajectory, limits))


def build(
    *,
    synth_dirs: Iterable[Path] = (),
    eval_runs: Iterable[Path] = (),
    session_stores: Iterable[Path] = (),
    min_margin: float = 2.0,
    limits: FormatLimits | None = None,
) -> TrainingData:
    """Gather every source into one :class:`TrainingData`."""
    data = TrainingData()
    for directory in synth_dirs:
        from_trees(read_trees(Path(directory)), data, min_margin=min_margin, limits=limits)
    for run in eval_runs:
        from_eval_run(Path(run), data, limits=limits)
    for store in session_stores:
        from_session_store(Path(store), data, limits=limits)
    return data


def statistics(data: TrainingData) -> dict:
    """Counts for the report: trajectories, turns, pairs, per task, score margins."""
    per_task: dict[str, dict[str, int]] = defaultdict(lambda: {"conversations": 0, "guide_turns": 0, "pairs": 0})
    for conv in data.conversations:
        per_task[conv.task or "?"]["conversations"] += 1
        per_task[conv.task or "?"]["guide_turns"] += conv.guide_turns
    for pair in data.pairs:
        per_task[pair.task]["pairs"] += 1
    margins = [p.margin for p in data.pairs]
    return {
        "trees": data.trees,
        "rollouts": data.rollouts,
        "conversations": len(data.conversations),
        "by_origin": dict(Counter(c.origin for c in data.conversations)),
        "guide_turns": sum(c.guide_turns for c in data.conversations),
        "pairs": len(data.pairs),
        "pairs_by_decision": dict(sorted(Counter(p.decision for p in data.pairs).items())),
        "margin": {"min": min(margins), "median": median(margins), "mean": round(fmean(margins), 3), "max": max(margins)}
        if margins
        else None,
        "skipped": dict(data.skipped),
        "per_task": dict(sorted(per_task.items())),
    }


def sft_rows(data: TrainingData) -> list[dict]:
    return [{"messages": c.messages, "task": c.task or "", "origin": c.origin, "key": c.key} for c in data.conversations]


def dpo_rows(data: TrainingData) -> list[dict]:
    """TRL's conversational preference layout: a prompt chat, and one assistant turn each."""
    return [
        {
            "prompt": p.prompt,
            "chosen": [{"role": "assistant", "content": p.chosen}],
            "rejected": [{"role": "assistant", "content": p.rejected}],
            "task": p.task,
            "decision": p.decision,
            "margin": p.margin,
            "key": p.key,
        }
        for p in data.pairs
    ]


def save(data: TrainingData, out: Path) -> dict:
    """Write ``out/sft`` and ``out/dpo`` (``save_to_disk``), their JSONL twins and ``stats.json``."""
    from datasets import Dataset

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    stats = statistics(data)
    for name, rows in (("sft", sft_rows(data)), ("dpo", dpo_rows(data))):
        with open(out / f"{name}.jsonl", "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        if rows:
            Dataset.from_list(rows).save_to_disk(str(out / name))
    (out / "stats.json").write_text(json.dumps(stats, indent=2), encoding="utf-8")
    return stats


def load_rows(path: Path, name: str) -> list[dict]:
    """The rows of dataset ``name`` ('sft' or 'dpo') under a ``train data`` output, or a JSONL file."""
    path = Path(path)
    if path.is_file():
        return list(read_jsonl(path))
    if (path / f"{name}.jsonl").exists():
        return list(read_jsonl(path / f"{name}.jsonl"))
    raise FileNotFoundError(f"no {name} data at {path}: pass the folder 'mcp-codesteer train data' wrote, or a {name}.jsonl file")


