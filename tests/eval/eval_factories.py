"""Records and headers built by hand, for the run log and report tests."""

from __future__ import annotations

from guide.chat import Usage
from mcp_codesteer.eval.records import (
    ModelEvent,
    RunConfig,
    RunHeader,
    SampleRecord,
    ScoreRecord,
    record_key,
    utcnow,
)


def make_header(tasks=("game24",), methods=("all_text", "codesteer"), planned=4, **config) -> RunHeader:
    cfg = RunConfig(tasks=list(tasks), methods=list(methods), task_llm="mock", **config)
    return RunHeader(run_id="abc123", config=cfg, package_version="0.0.test", samples_planned=planned)


def make_record(task="game24", sample_id="s1", method="all_text", value=1.0, rounds=1, tokens=(10, 5),
                wall_s=0.5, status="ok") -> SampleRecord:
    now = utcnow()
    verdict = "correct" if value == 1.0 else ("incorrect" if value == 0.0 else "partial")
    return SampleRecord(
        key=record_key(task, sample_id, method), task=task, sample_id=sample_id, method=method,
        question=f"question {sample_id}", status=status, final_answer="<<<x>>>",
        score=ScoreRecord(verdict=verdict, value=value), success=verdict == "correct", rounds=rounds,
        usage=Usage(input_tokens=tokens[0], output_tokens=tokens[1]), wall_s=wall_s,
        started_at=now, finished_at=now,
        events=[ModelEvent(round=1, at_s=0.0, duration_s=0.1, prompt="q", response="<<<x>>>")],
    )
