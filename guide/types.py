"""The guide's public types: the actions, one piece of guidance, a round, a trajectory."""

from __future__ import annotations

from datetime import datetime, timezone
from enum import Enum
from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, Field

from checkers.types import AnswerCheck, SymbolicReport
from sandbox.lmulate import EmulatedCall, SemanticCall
from sandbox.types import ExecResult


class Action(str, Enum):
    """What the TaskLLM should do next."""

    CODE = "code"  # answer by writing and running a program
    TEXT = "text"  # answer by reasoning in text
    REFINE = "refine"  # keep the mode, fix what the checks found
    RETURN = "return"  # the answer stands: stop and give it
    TERMINATE = "terminate"  # out of rounds: stop with the best answer so far


class Guidance(BaseModel):
    """One decision of the guide, with the prompt for the TaskLLM's next turn."""

    action: Action
    prompt: str = Field(description="what to tell the TaskLLM for its next turn (or the closing message)")
    rationale: str = Field(description="why the guide decided this")
    source: str = Field("rules", description="which guide decided: 'rules', a model backend, or '<backend>+fallback'")
    final_answer: str | None = Field(None, description="set with return and terminate")


class Emulation(BaseModel):
    """A round whose program called functions nobody wrote (Chain of Code)."""

    status: Literal["finished", "needs_values", "limit", "error"]
    emulated: list[EmulatedCall] = Field(default_factory=list, description="values a model supplied (guessed)")
    pending: list[SemanticCall] = Field(default_factory=list, description="calls still waiting for a value")
    message: str = ""
    runs: int = 0


class Round(BaseModel):
    """One TaskLLM turn and everything the server found out about it."""

    index: int
    response: str
    code: str | None = None
    execution: ExecResult | None = None
    symbolic: SymbolicReport | None = None
    answer: str | None = Field(None, description="the answer this turn gave (<<<...>>>, else the program's last output line)")
    answer_check: AnswerCheck | None = None
    emulation: Emulation | None = Field(None, description="set when the program's semantic calls were emulated")
    guidance: Guidance | None = None
    created_at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))


class Trajectory(BaseModel):
    """A whole steering session: the question, the first choice, every round."""

    session_id: str
    question: str
    task: str | None = Field(None, description="SymBench task name when known, for constraint checks")
    max_rounds: int = 6
    first: Guidance | None = None
    rounds: list[Round] = Field(default_factory=list)
    status: Literal["open", "returned", "terminated"] = "open"
    final_answer: str | None = None
    created_at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))
    updated_at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))

    @property
    def turns_used(self) -> int:
        return len(self.rounds)

    @property
    def turns_left(self) -> int:
        return max(0, self.max_rounds - len(self.rounds))

    def guidances(self) -> list[Guidance]:
        out = [self.first] if self.first else []
        out.extend(r.guidance for r in self.rounds if r.guidance)
        return out


@runtime_checkable
class Guide(Protocol):
    """Decides the next step from the whole trajectory.

    With no rounds yet, ``next`` makes the first code/text choice. Otherwise the last
    round holds the TaskLLM's latest response with its execution and checks, and no
    guidance yet. ``next`` must always return a Guidance; a model-backed guide whose
    output cannot be parsed falls back to the rules guide and says so in ``source``.
    """

    name: str

    async def next(self, trajectory: Trajectory) -> Guidance: ...

    async def aclose(self) -> None: ...
