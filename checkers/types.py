"""The checkers' public types."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

CodeVerdict = Literal["search", "symbolic", "numeric", "trivial", "hard_coded", "syntax_error", "empty"]


class SymbolicReport(BaseModel):
    """What a program does, read from its syntax tree."""

    verdict: CodeVerdict
    score: int = Field(ge=0, le=100, description="complexity: 0 for a printed literal, high for search or symbolic work")
    search: bool = False
    symbolic: bool = False
    numeric: bool = False
    hard_coded: bool = Field(False, description="the program only prints literals or hand-computed results")
    features: list[str] = Field(default_factory=list, description="evidence, e.g. 'itertools.permutations', 'recursion: solve'")
    advice: str = ""
    syntax_error: str | None = None
    line: int | None = None


class AnswerCheck(BaseModel):
    """Whether an answer is right, and how that was decided."""

    verdict: Literal["correct", "incorrect", "unverified"]
    reason: str
    method: Literal["checker_code", "task_constraints", "none"]
    details: str = ""
