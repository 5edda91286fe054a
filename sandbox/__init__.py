"""Sandboxes for model-written code: the protocol, its types, and backends chosen by name."""

from .registry import create_sandbox, sandbox_names
from .types import DockerOptions, ExecFile, ExecResult, Sandbox, SandboxLimits

__all__ = ["DockerOptions", "ExecFile", "ExecResult", "Sandbox", "SandboxLimits", "create_sandbox", "sandbox_names"]
