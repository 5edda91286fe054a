"""Server settings: command-line flags over ``CODESTEER_*`` environment variables over defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from guide import GUIDE_MAX_TOKENS, GUIDE_SPEC_HELP, GuideModelOptions
from guide.chat import ModelOptions
from sandbox.lmulate import LmulateLimits
from sandbox.types import DockerOptions, SandboxLimits

ENV_PREFIX = "CODESTEER_"

SandboxName = Literal["auto", "docker", "local"]
"""``sandbox.sandbox_names()``, as a type the settings and the eval's records validate with."""


def _default_data_dir() -> Path:
    return Path(user_data_dir("mcp-codesteer", appauthor=False))


class Settings(BaseSettings):
    """Everything the server can be told. Every field is also ``CODESTEER_<NAME>``.

    Nested limits use a double underscore: ``CODESTEER_LIMITS__TIMEOUT_S=20``,
    ``CODESTEER_DOCKER__POOL_SIZE=4``.
    """

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_nested_delimiter="__", extra="ignore")

    # backends
    guide: str = Field("rules", description=f"the guide: {GUIDE_SPEC_HELP}")
    guide_model: GuideModelOptions = Field(
        default_factory=GuideModelOptions,
        description="how a model-backed guide's provider runs (CODESTEER_GUIDE_MODEL__TIMEOUT_S, __DEVICE, ...)",
    )
    guide_max_tokens: int = Field(GUIDE_MAX_TOKENS, ge=1, description="a guide model's reply is cut at this many tokens")
    sandbox: SandboxName = Field("auto", description="where model-written code runs")
    limits: SandboxLimits = Field(default_factory=SandboxLimits)
    docker: DockerOptions = Field(default_factory=DockerOptions)
    lmulator: str | None = Field(
        None, description="model that emulates semantic calls when the client offers no sampling (openai:..., hf:...)"
    )
    lmulator_options: ModelOptions = Field(
        default_factory=ModelOptions, description="how the --lmulator model is reached (API key, timeouts, device)"
    )
    lmulate: LmulateLimits = Field(default_factory=LmulateLimits)

    # steering
    max_rounds: int = Field(6, ge=1, le=50, description="TaskLLM turns per session (the paper used 6)")
    feedback_chars: int = Field(2000, ge=200, description="steer_next: execution output quoted back to the TaskLLM, per stream")
    output_chars: int = Field(
        8000,
        ge=200,
        description="run_code: stdout and stderr are each cut to this many characters for the caller, the first and "
        "last halves kept (the sandbox itself keeps limits.output_bytes per stream)",
    )
    max_question_chars: int = Field(50_000, ge=100, description="longest question accepted")
    max_response_chars: int = Field(200_000, ge=100, description="longest TaskLLM response accepted")
    task_check_timeout_s: float = Field(
        5.0, gt=0, le=600, description="a SymBench constraint check still running after this long gives 'unverified'"
    )

    # storage
    data_dir: Path = Field(default_factory=_default_data_dir, description="where the session store lives")
    db_path: Path | None = Field(None, description="SQLite file of the session store; default <data_dir>/sessions.sqlite3")
    session_ttl_s: float = Field(7 * 24 * 3600, gt=0, description="a session untouched for this long expires")

    # transport
    transport: Literal["stdio", "http"] = Field("stdio", description="stdio, or streamable HTTP")
    host: str = Field("127.0.0.1", description="HTTP bind address")
    port: int = Field(8765, ge=0, le=65535, description="HTTP port")
    http_path: str = Field("/mcp", description="HTTP path of the MCP endpoint")
    auth_token: SecretStr | None = Field(None, description="bearer token required on HTTP when set")
    allowed_origins: list[str] = Field(
        default_factory=list, description="Origins accepted on HTTP besides the server's own loopback origins"
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", description="logs go to stderr")

    @field_validator("guide")
    @classmethod
    def _guide_not_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("guide must not be empty: use 'rules' for the built-in guide")
        return value.strip()

    @property
    def store_path(self) -> Path:
        return self.db_path or (self.data_dir / "sessions.sqlite3")

    def public_view(self) -> dict:
        """The settings without secrets, for ``codesteer://config``."""
        secrets = {"auth_token": True, "guide_model": {"api_key"}, "lmulator_options": {"api_key"}}
        data = self.model_dump(mode="json", exclude=secrets)
        data["auth_token_set"] = self.auth_token is not None
        data["store_path"] = str(self.store_path)
        return data
