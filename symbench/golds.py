"""Check every stored gold: does the strict verifier accept the original's own answer?

A gold the verifier rejects is either a defect of the data (documented by the task's
``gold_defect``, with the reason) or a bug to fix; ``check-golds`` fails on the latter.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Iterable

from pydantic import BaseModel, Field

from .registry import all_tasks
from .types import Sample, Task


class GoldIssue(BaseModel):
    id: str
    reason: str


class TaskGoldReport(BaseModel):
    task: str
    title: str
    total: int = 0
    verified: int = 0
    without_gold: int = Field(0, description="samples that store no gold (scored by constraints only)")
    defects: list[GoldIssue] = Field(default_factory=list, description="golds the task documents as wrong")
    failures: list[GoldIssue] = Field(default_factory=list, description="golds rejected without a documented reason")
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures


def check_samples(task: Task, samples: Iterable[Sample]) -> TaskGoldReport:
    """Verify each sample's gold in strict mode; sort the rejections into defects and failures.

    A verifier that raises counts as a failure, with the exception in the reason.
    """
    report = TaskGoldReport(task=task.name, title=task.title)
    started = time.perf_counter()
    for sample in samples:
        report.total += 1
        if sample.gold is None:
            report.without_gold += 1
            continue
        try:
            score = task.verify(sample, task.gold_answer(sample), "strict")
        except Exception as exc:  # a crashing verifier is a failure to report, not to hide
            report.failures.append(GoldIssue(id=sample.id, reason=f"verify raised {type(exc).__name__}: {exc}"))
            continue
        if score.verdict == "correct":
            report.verified += 1
            continue
        defect = task.gold_defect(sample) if task.gold_defect is not None else None
        if defect:
            report.defects.append(GoldIssue(id=sample.id, reason=defect))
        else:
            report.failures.append(GoldIssue(id=sample.id, reason=score.reason or score.verdict))
    report.seconds = time.perf_counter() - started
    return report


def check_golds(data_dir: Path, tasks: Iterable[Task] | None = None, keep_empty: bool = False) -> list[TaskGoldReport]:
    """One report per task with samples under ``data_dir`` (every task when ``keep_empty``)."""
    reports = []
    for task in tasks if tasks is not None else all_tasks():
        report = check_samples(task, task.load(Path(data_dir)))
        if report.total or keep_empty:
            reports.append(report)
    return reports
