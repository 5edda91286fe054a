"""SymBench's public types: a task, a sample, a score."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Literal

from pydantic import BaseModel, Field

ScoringMode = Literal["strict", "faithful"]
Category = Literal["math", "planning", "logic", "spatial", "string", "puzzle", "counting", "reasoning"]


class Sample(BaseModel):
    """One instance of a task."""

    task: str
    id: str
    question: str
    metadata: dict[str, Any] = Field(default_factory=dict, description="the instance, parsed: what verifiers read")
    gold: Any = Field(None, description="the stored or reference answer; None when the task has none")
    source: str | None = Field(None, description="where it was loaded from (a path), or 'generated:<seed>'")


class Score(BaseModel):
    """The verdict on one answer."""

    verdict: Literal["correct", "incorrect", "partial"]
    value: float = Field(ge=0.0, le=1.0)
    parsed: Any = None
    reason: str = ""

    @classmethod
    def correct(cls, parsed: Any = None, reason: str = "") -> "Score":
        return cls(verdict="correct", value=1.0, parsed=parsed, reason=reason)

    @classmethod
    def incorrect(cls, reason: str, parsed: Any = None) -> "Score":
        return cls(verdict="incorrect", value=0.0, parsed=parsed, reason=reason)


@dataclass(frozen=True)
class Task:
    """A SymBench task.

    - ``load(data_dir)``: the samples of the original layout under ``data_dir`` (the
      folder holding ``game24_dataset/``, ``BoxLift_dataset/``...).
    - ``generate(seed, **knobs)``: a new sample; same seed and knobs, same sample. Its
      ``gold`` is a reference answer that ``verify`` accepts.
    - ``verify(sample, answer_text, mode)``: the full scorer (may compare with gold).
    - ``check(question, answer_text)``: the steering-time constraint check. It parses the
      instance out of the question and judges the answer against the question's rules
      (Sudoku rules, Game 24 arithmetic, a simulated plan) *without solving the question*;
      its reason names the broken rule and never the expected answer or any part of it.
      None where judging an answer would mean solving the question (an option letter, a
      yes/no, one number or string, a recomputed grid). This is the only scorer the server
      may show a model. It raises ValueError, saying what is missing, when the question is
      not of the task's form (the server then reports the answer as unverified).
    - ``reference_check(question, answer_text)``: where the answer follows from the question
      alone, a scorer that solves the question and compares. Its reasons may state the
      expected answer, so it is for offline scoring and tests only, never for steering.
    """

    name: str
    title: str
    seen: bool
    category: Category
    load: Callable[[Path], list[Sample]]
    generate: Callable[..., Sample]
    verify: Callable[[Sample, str, ScoringMode], Score]
    check: Callable[[str, str], Score] | None = None
    reference_check: Callable[[str, str], Score] | None = None
    data_dirs: tuple[str, ...] = ()
    knobs: dict[str, Any] = field(default_factory=dict)
    render_gold: Callable[[Sample], str] | None = None
    """The stored gold written as a model would answer (default ``<<<gold>>>``)."""
    gold_defect: Callable[[Sample], str | None] | None = None
    """The documented reason this sample's stored gold is wrong in strict mode, else None."""
    modes_note: str = "strict and faithful score alike"
    """What differs between the scoring modes for this task (shown by ``symbench show``)."""

    def gold_answer(self, sample: Sample) -> str:
        """The sample's gold as answer text that ``verify`` reads."""
        if self.render_gold is not None:
            return self.render_gold(sample)
        return f"<<<{sample.gold}>>>"
