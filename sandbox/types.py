"""The sandbox's public types: what a run reports, the limits it runs under, the protocol."""

from __future__ import annotations

import os
import re
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, Field, field_validator


class SandboxInputError(ValueError):
    """A request a sandbox refuses before running anything (a program too long, a time
    limit out of range, a session a backend cannot keep). The message says what to send
    instead; callers turn it into the error their user sees."""


class SessionsUnsupported(SandboxInputError):
    """``run(..., session=...)`` on a backend that keeps no state between runs."""


class SandboxLimits(BaseModel):
    """Limits every backend enforces on one run of model-written code.

    At a limit the run is stopped or the excess dropped, never the server: the run's
    ExecResult says which limit was reached (``timed_out``, ``truncated``, ``notes``).
    """

    timeout_s: float = Field(10.0, gt=0, description="wall-clock limit of one run; the whole run is killed at it")
    max_timeout_s: float = Field(120.0, gt=0, description="largest timeout a caller may ask for")
    memory_mb: int = Field(1024, ge=32, description="address space (local) or memory+swap (docker) of one run")
    output_bytes: int = Field(65536, ge=1024, description="stdout and stderr are each cut at this many bytes")
    file_size_mb: int = Field(16, ge=1, description="largest file the code may write")
    tmpfs_mb: int = Field(64, ge=1, description="size of the writable work directory")
    open_files: int = Field(256, ge=16, description="open file descriptors")
    pids: int = Field(64, ge=4, description="processes and threads (docker pids limit; local: RLIMIT_NPROC where it can apply)")
    cpus: float = Field(1.0, gt=0, description="CPU share (docker)")
    max_code_bytes: int = Field(200_000, ge=100, description="largest program accepted")
    max_files: int = Field(8, ge=0, le=64, description="files (figures and others) returned from one run; more are left out")
    max_file_bytes: int = Field(2_000_000, ge=1024, description="largest file returned; larger ones are left out")
    max_input_files: int = Field(16, ge=0, le=256, description="files a caller may send into one run")
    max_input_bytes: int = Field(4_000_000, ge=0, description="bytes of all files sent into one run together")

    def check_request(self, code: str, timeout_s: float | None, stdin: str | None = None) -> float:
        """The time limit one run gets, after checking the request against these limits.

        The one place every backend checks a request: a program or stdin over
        ``max_code_bytes``, or a ``timeout_s`` not above 0 or above ``max_timeout_s``,
        raises SandboxInputError (never lowered, on every backend); ``None`` is
        ``timeout_s``, the default.
        """
        self.check_program(code)
        if stdin is not None and len(stdin.encode("utf-8", errors="replace")) > self.max_code_bytes:
            raise SandboxInputError(f"stdin is over the limit of {self.max_code_bytes} bytes: send less input")
        if timeout_s is None:
            return self.timeout_s
        if not timeout_s > 0 or timeout_s > self.max_timeout_s:
            raise SandboxInputError(
                f"timeout_s={timeout_s} is out of range: send a number of seconds above 0 and at most {self.max_timeout_s:g}"
            )
        return float(timeout_s)

    def check_program(self, code: str, what: str = "program") -> None:
        """SandboxInputError when ``code`` is over ``max_code_bytes`` (UTF-8)."""
        size = len(code.encode("utf-8", errors="replace"))
        if size > self.max_code_bytes:
            raise SandboxInputError(
                f"the {what} is {size} bytes, over the limit of {self.max_code_bytes}: send a shorter one"
            )


def clean_text(text: str) -> str:
    """``text`` as valid UTF-8: lone surrogates (from undecodable bytes) become U+FFFD.

    Everything that crosses from the sandbox is untrusted; a string that cannot be
    encoded would fail in the transport's writer, after the tool has returned."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _replace_surrogates(text)
    return text


def _replace_surrogates(text: str) -> str:
    return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)


_UNSAFE_NAME = re.compile(r"[^\w.\- ]")
MAX_NAME_CHARS = 100


def safe_file_name(name: str) -> str:
    """A returned file's name reduced to a plain base name: no directories, no control
    or undecodable characters, at most MAX_NAME_CHARS, never hidden, never empty."""
    base = os.path.basename(clean_text(str(name)).replace("\\", "/"))
    base = _UNSAFE_NAME.sub("_", base).strip(" .") or "file"  # U+FFFD is not a word character
    if len(base) > MAX_NAME_CHARS:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: MAX_NAME_CHARS - len(ext) - 1] + dot + ext) if dot and len(ext) < 10 else base[:MAX_NAME_CHARS]
    return base


class ExecFile(BaseModel):
    """A file the code left in its work directory that the caller gets back (figures, data).
    Its name is reduced to a safe base name (``safe_file_name``) on construction."""

    name: str
    mime_type: str
    data_b64: str

    @field_validator("name")
    @classmethod
    def _safe_name(cls, value: str) -> str:
        return safe_file_name(value)


class ExecResult(BaseModel):
    """What one run of code did."""

    stdout: str = ""
    stderr: str = ""
    exit_code: int | None = Field(None, description="None when the run was killed before it exited")
    duration_s: float = 0.0
    timed_out: bool = False
    truncated: bool = Field(False, description="stdout or stderr was cut at the output limit")
    backend: str = ""
    isolated: bool = Field(True, description="False when the code ran without a sandbox around it")
    notes: list[str] = Field(default_factory=list, description="what happened, in words a model can act on")
    files: list[ExecFile] = Field(default_factory=list)

    @field_validator("stdout", "stderr", "backend")
    @classmethod
    def _clean(cls, value: str) -> str:
        return clean_text(value)

    @field_validator("notes")
    @classmethod
    def _clean_notes(cls, value: list[str]) -> list[str]:
        return [clean_text(str(note)) for note in value]

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out

    def clipped(self, max_chars: int) -> "ExecResult":
        """A copy whose stdout and stderr are each at most about ``max_chars`` characters:
        past that the middle is cut (the first and last halves kept), ``truncated`` is set
        and a note says so."""
        cut = {name: getattr(self, name) for name in ("stdout", "stderr") if len(getattr(self, name)) > max_chars}
        if not cut:
            return self
        notes = [
            f"{name} was {len(text)} characters; only its first and last {max_chars // 2} are shown: print less."
            for name, text in cut.items()
        ]
        return self.model_copy(
            update={
                **{name: _cap(text, max_chars) for name, text in cut.items()},
                "truncated": True,
                "notes": [*self.notes, *notes],
            }
        )

    def summary(self, max_chars: int = 2000) -> str:
        """A short account of the run for a prompt: outcome, then capped output."""
        parts: list[str] = []
        if self.timed_out:
            parts.append(f"The run was killed at the time limit after {self.duration_s:.1f} s.")
        elif self.exit_code not in (0, None):
            parts.append(f"The run failed with exit code {self.exit_code}.")
        parts.extend(self.notes)
        if self.stdout.strip():
            parts.append("stdout:\n" + _cap(self.stdout, max_chars))
        if self.stderr.strip():
            parts.append("stderr:\n" + _cap(self.stderr, max_chars))
        if not self.stdout.strip() and not self.stderr.strip():
            parts.append("The program printed nothing.")
        return "\n".join(parts)


def _cap(text: str, max_chars: int) -> str:
    if len(text) <= max_chars:
        return text
    half = max_chars // 2
    return f"{text[:half]}\n... [{len(text) - max_chars} characters cut] ...\n{text[-half:]}"


@runtime_checkable
class Sandbox(Protocol):
    """Runs untrusted Python. Implementations: ``local`` (bubblewrap), ``docker``."""

    name: str
    limits: SandboxLimits
    supports_sessions: bool
    """Whether ``run`` keeps state for ``session=<handle>`` (docker); without it, a
    ``session`` raises SessionsUnsupported."""

    async def start(self) -> None:
        """Prepare the backend (check tools, warm a pool). Idempotent."""

    async def run(
        self,
        code: str,
        *,
        timeout_s: float | None = None,
        stdin: str | None = None,
        files: dict[str, bytes] | None = None,
        session: str | None = None,
        owner: str = "",
    ) -> ExecResult:
        """Run ``code`` as a Python program, with ``files`` (name -> bytes, see sandbox.files)
        in its work directory, and report what happened, the files it wrote included.

        ``session`` names a persistent interpreter whose variables and files carry over
        to the next run with the same ``session`` and ``owner`` (the caller: owners never
        see each other's sessions). The request is checked by ``limits.check_request``
        (SandboxInputError); files it refuses raise ValueError. Never raises for anything
        the code does; otherwise raises only when the backend itself is unusable."""

    async def close_session(self, handle: str, *, owner: str = "") -> bool:
        """End ``owner``'s session ``handle``; False when there is none."""

    async def close_owner(self, owner: str) -> int:
        """End every session of ``owner`` (its connection closed); how many."""

    async def aclose(self) -> None:
        """Release every resource (processes, containers). Idempotent."""

    def describe(self) -> dict:
        """What this backend is and how isolated it is, for ``codesteer://config``."""


class DockerOptions(BaseModel):
    """Settings of the docker backend beyond the shared limits."""

    image: str | None = Field(None, description="sandbox image; default mcp-codesteer-sandbox:<package version>")
    runtime: str | None = Field(None, description="container runtime, e.g. 'runsc' for gVisor; None for the daemon's default")
    pool_size: int = Field(2, ge=0, le=64, description="pre-started containers waiting for one run each")
    session_idle_s: float = Field(600.0, gt=0, description="a persistent run_code session is removed after this idle time")
    session_lifetime_s: float = Field(3600.0, gt=0, description="and after this time in all")
    max_sessions: int = Field(8, ge=0, description="persistent sessions alive at once, all clients together")
    max_sessions_per_client: int = Field(4, ge=0, description="persistent sessions one client (MCP connection) may hold")
    max_concurrent_runs: int | None = Field(
        None,
        ge=1,
        description="runs executing at once (more wait their turn); default from the host: "
        "min(2 x CPUs, half the host's memory / memory_mb)",
    )
