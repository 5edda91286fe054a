"""Sandboxes for model-written code: the protocol, its types, and backends chosen by name."""

from . import session_handles
from .registry import create_sandbox, sandbox_names
from .types import (
    DockerOptions,
    ExecFile,
    ExecResult,
    Sandbox,
    SandboxInputError,
    SandboxLimits,
    SessionsUnsupported,
)

__all__ = [
    "DockerOptions",
    "ExecFile",
    "ExecResult",
    "Sandbox",
    "SandboxInputError",
    "SandboxLimits",
    "SessionsUnsupported",
    "create_sandbox",
    "session_handles",
    "sandbox_names",
]
