"""The structured results the MCP tools return.

Hosts such as Claude Code pass only ``structuredContent`` to their model, so everything
the model must read (the next prompt above all) is a field here, not only text content.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from checkers.types import AnswerCheck, SymbolicReport

from .lmulation import LmulateSummary


class SymbolicSummary(BaseModel):
    verdict: str
    score: int
    advice: str


class SteerResult(BaseModel):
    """One step of the steering loop, as ``steer_next`` returns it."""

    session_id: str = Field(description="pass it back with the next response")
    action: Literal["code", "text", "refine", "return", "terminate"]
    prompt: str = Field(description="the instruction for your next turn; when done, the closing message")
    rationale: str = Field(description="why the guide chose this action")
    done: bool = Field(description="true after return or terminate: stop and give final_answer")
    final_answer: str | None = None
    verified: bool | None = Field(
        None, description="when done: whether final_answer passed a check (a task constraint check or a self-check)"
    )
    verification: str | None = Field(None, description="when done: why final_answer is, or is not, verified")
    round: int = Field(description="TaskLLM responses received so far")
    rounds_left: int
    guide: str = Field(description="which guide decided")
    execution: str | None = Field(None, description="what the code of the last response printed (capped)")
    exit_code: int | None = None
    timed_out: bool = False
    symbolic: SymbolicSummary | None = None
    answer: str | None = Field(None, description="the answer found in the last response")
    answer_check: AnswerCheck | None = None
    lmulate: LmulateSummary | None = Field(
        None, description="when the program called functions nobody wrote: the emulated values and any pending calls"
    )
    warnings: list[str] = Field(
        default_factory=list, description="about this step; the server's start-up warnings are in codesteer://config"
    )


class RunCodeResult(BaseModel):
    stdout: str
    stderr: str
    exit_code: int | None
    duration_s: float
    timed_out: bool
    truncated: bool
    backend: str
    isolated: bool
    notes: list[str] = Field(default_factory=list)
    files: list[str] = Field(
        default_factory=list,
        description="names of the files the program left (figures as image content, others as embedded resources)",
    )
    session: str | None = Field(None, description="the handle of the persistent session this run used: pass it to continue")
    lmulate: LmulateSummary | None = Field(
        None, description="with lmulate=true: the emulated calls (values guessed by a model), pending calls, status"
    )


class CloseSessionResult(BaseModel):
    session: str
    closed: bool = Field(description="false when no session with that handle was open (it may have expired)")


class CheckSymbolicResult(SymbolicReport):
    pass


class CheckAnswerResult(AnswerCheck):
    instructions: str | None = Field(None, description="how to write a checker, when the verdict is unverified")
