"""Scoring modes and the paper's normalised score.

Two modes: ``strict`` (the default) fixes the original's defects; ``faithful``
reproduces the original scorer where that changes a verdict, so our numbers can be
set beside the paper's Table 1. Each task says what differs in ``Task.modes_note``.

The paper's headline figure is a normalised average: each task's success rate divided
by the best rate any compared method reached on that task, averaged over tasks.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Iterable, Literal, Mapping

from pydantic import BaseModel, Field

from .paths import paper_table_path
from .types import ScoringMode, Task

MODES: tuple[ScoringMode, ...] = ("strict", "faithful")
DEFAULT_MODE: ScoringMode = "strict"


def check_mode(mode: str) -> ScoringMode:
    """``mode`` as a ScoringMode; ValueError naming the accepted ones otherwise."""
    if mode not in MODES:
        raise ValueError(f"unknown scoring mode {mode!r}; use one of: {', '.join(MODES)}")
    return mode  # type: ignore[return-value]


class PaperRow(BaseModel):
    """One task of the paper's Table 1: its title, split and success rate (%) per method."""

    title: str
    split: str
    rates: dict[str, float]


class PaperTable(BaseModel):
    methods: list[str]
    rows: list[PaperRow]

    def row(self, title: str) -> PaperRow:
        for row in self.rows:
            if row.title == title:
                return row
        raise KeyError(f"no task titled {title!r} in the paper's table; titles: {', '.join(r.title for r in self.rows)}")

    @property
    def titles(self) -> list[str]:
        return [row.title for row in self.rows]


def load_paper_table(path: Path | None = None) -> PaperTable:
    """Read ``paper_table1.csv`` (columns: task, split, then one per method; rates in %).

    ``path`` defaults to the one in the SymBench data folder (see ``symbench.paths``).
    """
    path = Path(path) if path is not None else paper_table_path()
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        methods = header[2:]
        rows = [
            PaperRow(title=line[0], split=line[1], rates={m: float(v) for m, v in zip(methods, line[2:])})
            for line in reader
            if line
        ]
    return PaperTable(methods=methods, rows=rows)


class NormalisedScores(BaseModel):
    """Normalised averages (in %) of every compared method over the same tasks."""

    tasks: list[str] = Field(description="the paper titles the averages cover")
    skipped: list[str] = Field(default_factory=list, description="titles left out: every method scored 0 there")
    average: dict[str, float] = Field(description="method -> mean over tasks of rate / best rate on that task (x100)")
    raw_average: dict[str, float] = Field(description="method -> plain mean success rate (%)")
    per_task: dict[str, dict[str, float]] = Field(description="title -> method -> rate / best rate (x100)")


def normalised_scores(
    table: PaperTable,
    extra: Mapping[str, Mapping[str, float]] | None = None,
    titles: Iterable[str] | None = None,
) -> NormalisedScores:
    """The paper's normalised average for its methods plus ``extra`` ({method: {title: rate %}}).

    Only tasks every method has a rate for are averaged (``titles`` narrows further); a task
    where the best rate is 0 cannot be normalised and is listed in ``skipped``.
    """
    extra = {m: dict(r) for m, r in (extra or {}).items()}
    methods = table.methods + [m for m in extra if m not in table.methods]
    wanted = list(titles) if titles is not None else table.titles
    covered, skipped = [], []
    per_task: dict[str, dict[str, float]] = {}
    rates_by_task: dict[str, dict[str, float]] = {}
    for title in wanted:
        rates = dict(table.row(title).rates)
        for method, given in extra.items():
            if title not in given:
                break
            rates[method] = float(given[title])
        else:
            best = max(rates.values())
            if best <= 0:
                skipped.append(title)
                continue
            covered.append(title)
            rates_by_task[title] = rates
            per_task[title] = {m: 100.0 * rates[m] / best for m in methods}
    if not covered:
        raise ValueError("no task has a rate for every method; give rates keyed by the paper's titles")
    average = {m: sum(per_task[t][m] for t in covered) / len(covered) for m in methods}
    raw = {m: sum(rates_by_task[t][m] for t in covered) / len(covered) for m in methods}
    return NormalisedScores(tasks=covered, skipped=skipped, average=average, raw_average=raw, per_task=per_task)


def normalised_score_of(
    rates_by_task: Mapping[str, float],
    method: str = "this run",
    table: PaperTable | None = None,
    tasks: Iterable[Task] | None = None,
    unit: Literal["auto", "fraction", "percent"] = "auto",
) -> NormalisedScores:
    """Score a new method given ``{task_name: success rate}``.

    Task names are mapped to the paper's titles through ``Task.title``; the averages cover
    the tasks given, with the best rate taken over the paper's 13 methods and this one.
    ``unit`` says whether rates are fractions (0..1) or percentages; ``auto`` reads them as
    fractions when all are <= 1. Raises KeyError for an unknown task name.
    """
    from .registry import all_tasks, get_task

    table = table or load_paper_table()
    known = {t.name: t for t in (tasks if tasks is not None else all_tasks())}
    values = list(rates_by_task.values())
    if unit == "auto":
        unit = "fraction" if values and all(0.0 <= v <= 1.0 for v in values) else "percent"
    scale = 100.0 if unit == "fraction" else 1.0
    by_title: dict[str, float] = {}
    for name, rate in rates_by_task.items():
        task = known.get(name) or get_task(name)
        by_title[task.title] = float(rate) * scale
    return normalised_scores(table, {method: by_title}, titles=list(by_title))
