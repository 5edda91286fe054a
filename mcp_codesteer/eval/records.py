"""The records of a run directory (format documented in docs/eval-log-format.md).

Bump FORMAT_VERSION on any change a reader must know about; readers accept every
version up to their own and refuse newer ones.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, Field

from guide.chat import GenerateSettings, ModelOptions, Usage

from ..settings import SandboxName

FORMAT = "mcp-codesteer-eval"
FORMAT_VERSION = 1

Method = Literal[
    "only_question", "all_text", "all_code", "code_feedback", "codesteer", "codesteer_checks", "chain_of_code"
]
METHODS: tuple[str, ...] = get_args(Method)
PAPER_METHODS: tuple[str, ...] = METHODS[:5]
"""The methods of the paper's comparison; ``--methods all`` runs these. codesteer_checks adds the
SymBench constraint checks the paper's guide never had, so it is its own column."""


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def jsonable(value: Any) -> Any:
    """``value`` if JSON can hold it as is, else its repr (parsed answers may be Fractions, sets...)."""
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return repr(value)


class GenerationSettings(BaseModel):
    """How the TaskLLM is asked (stored in the run header as ``config.generation``): the
    sampling knobs of each call and the patience of the provider.

    At ``max_retries`` the last transient error is raised; a non-transient error (a bad
    request, a wrong key) is raised at once.
    """

    temperature: float = Field(0.0, ge=0.0, le=2.0)
    max_tokens: int = Field(4096, ge=1, description="largest completion asked for")
    seed: int | None = Field(None, description="sampling seed, sent where the API takes one")
    request_timeout_s: float = Field(300.0, gt=0, description="one HTTP request may take this long")
    max_retries: int = Field(6, ge=0, description="retries of a rate-limited or transiently failed call")
    backoff_initial_s: float = Field(1.0, ge=0, description="first wait before a retry; doubles each time")
    backoff_max_s: float = Field(60.0, ge=0, description="longest wait between two tries")

    def per_call(self) -> GenerateSettings:
        return GenerateSettings(temperature=self.temperature, max_tokens=self.max_tokens, seed=self.seed)

    def model_options(self, api_key: str | None = None) -> ModelOptions:
        return ModelOptions(
            api_key=api_key or None,
            timeout_s=self.request_timeout_s,
            max_retries=self.max_retries,
            backoff_initial_s=self.backoff_initial_s,
            backoff_max_s=self.backoff_max_s,
        )


class ServerSpec(BaseModel):
    """Which MCP server the client drove."""

    url: str | None = Field(None, description="a running server's streamable HTTP URL; None: a stdio subprocess")
    guide: str = "rules"
    sandbox: SandboxName = "auto"
    max_rounds: int = Field(6, ge=1, le=50, description="TaskLLM turns per sample in the multi-round methods")
    command: list[str] = Field(default_factory=list, description="the stdio server's command line, as run")


class RunConfig(BaseModel):
    """What a run was asked to do. --resume reuses it as stored."""

    tasks: list[str]
    methods: list[Method]
    task_llm: str
    generation: GenerationSettings = Field(default_factory=GenerationSettings)
    limit: int | None = Field(None, ge=1, description="samples per task; None: all")
    seed: int = 0
    data_dir: str | None = None
    generated: int | None = Field(None, ge=1, description="samples per task from the generators instead of stored data")
    scoring_mode: Literal["strict", "faithful"] = "strict"
    sample_timeout_s: float = Field(900.0, gt=0, description="one sample of one method may take this long")
    code_timeout_s: float | None = Field(None, gt=0, description="run_code timeout for all_code / code_feedback; None: the server's")
    server: ServerSpec = Field(default_factory=ServerSpec)


class RunHeader(BaseModel):
    format: Literal["mcp-codesteer-eval"] = FORMAT
    format_version: int = FORMAT_VERSION
    run_id: str
    label: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    resumed_at: list[datetime] = Field(default_factory=list)
    config: RunConfig
    package_version: str
    git_revision: str | None = None
    git_dirty: bool | None = None
    python: str = ""
    platform: str = ""
    task_llm_info: dict[str, Any] = Field(default_factory=dict)
    samples_planned: int = Field(0, description="records a complete run holds (samples x methods)")
    method_feedback: dict[str, str] = Field(
        default_factory=dict, description="method -> the feedback the TaskLLM got in it (empty in runs made before it was recorded)"
    )


class ModelEvent(BaseModel):
    kind: Literal["model"] = "model"
    round: int = Field(description="1-based TaskLLM turn")
    at_s: float = Field(description="seconds since the sample started")
    duration_s: float
    prompt: str = Field(description="the user message added for this turn (earlier turns stay in the conversation)")
    response: str | None = None
    usage: Usage = Field(default_factory=Usage)
    finish_reason: str | None = None
    attempts: int = 1
    error: str | None = None


class ToolEvent(BaseModel):
    kind: Literal["tool"] = "tool"
    round: int = Field(description="the TaskLLM turn this call followed (0: before the first)")
    at_s: float
    duration_s: float
    tool: str
    arguments: dict[str, Any]
    result: dict[str, Any] | None = Field(None, description="the tool's structured result")
    is_error: bool = False
    error: str | None = None


Event = Annotated[ModelEvent | ToolEvent, Field(discriminator="kind")]


class ScoreRecord(BaseModel):
    verdict: Literal["correct", "incorrect", "partial"]
    value: float
    reason: str = ""
    parsed: Any = None


class SampleRecord(BaseModel):
    format_version: int = FORMAT_VERSION
    key: str = Field(description="'<task>/<sample id>/<method>': unique in a run")
    task: str
    sample_id: str
    method: Method
    source: str | None = None
    question: str
    status: Literal["ok", "error", "timeout"]
    error: str | None = None
    final_answer: str | None = None
    score: ScoreRecord
    success: bool = Field(description="verdict == correct")
    rounds: int = Field(description="TaskLLM calls made")
    usage: Usage = Field(default_factory=Usage)
    model_s: float = 0.0
    tool_s: float = 0.0
    wall_s: float = 0.0
    session_id: str | None = Field(None, description="the server's steering session (codesteer)")
    started_at: datetime
    finished_at: datetime
    events: list[Event] = Field(default_factory=list)


def record_key(task: str, sample_id: str, method: str) -> str:
    return f"{task}/{sample_id}/{method}"
