"""The sandbox's public types: what a run reports, the limits it runs under, the protocol."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from pydantic import BaseModel, Field


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


class ExecFile(BaseModel):
    """A file the code left in its work directory that the caller gets back (figures, data)."""

    name: str
    mime_type: str
    data_b64: str


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
    """Whether ``run`` takes ``session=<handle>`` (state kept across runs; docker only)."""

    async def start(self) -> None:
        """Prepare the backend (check tools, warm a pool). Idempotent."""

    async def run(
        self,
        code: str,
        *,
        timeout_s: float | None = None,
        stdin: str | None = None,
        files: dict[str, bytes] | None = None,
    ) -> ExecResult:
        """Run ``code`` as a Python program, with ``files`` (name -> bytes, see sandbox.files)
        in its work directory, and report what happened, the files it wrote included. Never
        raises for anything the code does; raises ValueError for files it refuses, and
        otherwise only when the backend itself is unusable."""

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
    max_sessions: int = Field(8, ge=0, description="persistent sessions alive at once")
