"""``mcp-codesteer serve``: the MCP server over stdio (default) or streamable HTTP."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from pydantic import ValidationError

from guide.registry import GUIDE_SPEC_HELP

from ..settings import ENV_PREFIX, Settings

# flag -> settings field (nested with '.'); each flag overrides its CODESTEER_* variable
_FLAGS: dict[str, tuple[str, dict[str, Any]]] = {
    "--transport": ("transport", {"choices": ["stdio", "http"], "help": "stdio (default) or streamable HTTP"}),
    "--host": ("host", {"help": "HTTP bind address (default 127.0.0.1)"}),
    "--port": ("port", {"type": int, "help": "HTTP port (default 8765)"}),
    "--auth-token": ("auth_token", {"help": f"bearer token required on HTTP (or {ENV_PREFIX}AUTH_TOKEN)"}),
    "--allowed-origin": ("allowed_origins", {"action": "append", "help": "extra Origin accepted on HTTP (repeat)"}),
    "--guide": ("guide", {"help": GUIDE_SPEC_HELP}),
    "--sandbox": ("sandbox", {"choices": ["auto", "docker", "local"], "help": "where code runs (default auto)"}),
    "--data-dir": ("data_dir", {"help": "directory of the session store"}),
    "--db-path": ("db_path", {"help": "SQLite file of the session store"}),
    "--max-rounds": ("max_rounds", {"type": int, "help": "TaskLLM turns per session (default 6)"}),
    "--session-ttl": ("session_ttl_s", {"type": float, "help": "seconds before an idle session expires"}),
    "--timeout": ("limits.timeout_s", {"type": float, "help": "default wall-clock limit of one run, seconds"}),
    "--memory-mb": ("limits.memory_mb", {"type": int, "help": "memory limit of one run, MB"}),
    "--pool-size": ("docker.pool_size", {"type": int, "help": "pre-started docker containers"}),
    "--docker-image": ("docker.image", {"help": "sandbox image (default mcp-codesteer-sandbox:<version>)"}),
    "--docker-runtime": ("docker.runtime", {"help": "container runtime, e.g. runsc (gVisor)"}),
    "--log-level": ("log_level", {"choices": ["DEBUG", "INFO", "WARNING", "ERROR"]}),
}


def configure(parser: argparse.ArgumentParser) -> None:
    parser.epilog = f"Every option can also be set as an environment variable {ENV_PREFIX}<NAME>; flags win."
    for flag, (field, options) in _FLAGS.items():
        parser.add_argument(flag, dest=field.replace(".", "__"), default=None, **options)


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Settings from the flags given, over the environment, over the defaults."""
    base = Settings()
    overrides: dict[str, Any] = {}
    nested: dict[str, dict[str, Any]] = {}
    for _, (field, _) in _FLAGS.items():
        value = getattr(args, field.replace(".", "__"), None)
        if value is None:
            continue
        if "." in field:
            group, name = field.split(".", 1)
            nested.setdefault(group, {})[name] = value
        else:
            overrides[field] = value
    for group, values in nested.items():
        overrides[group] = getattr(base, group).model_copy(update=values).model_dump()
    return Settings(**overrides)


def run(args: argparse.Namespace) -> int:
    try:
        settings = settings_from_args(args)
    except ValidationError as exc:
        print(f"mcp-codesteer serve: invalid settings:\n{exc}", file=sys.stderr)
        return 2
    # Logs go to stderr only: on stdio, stdout carries the protocol.
    logging.basicConfig(level=settings.log_level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from ..server import build_server

    server = build_server(settings)
    try:
        if settings.transport == "stdio":
            server.run("stdio")
        else:
            _serve_http(server, settings)
    except (Exception, BaseExceptionGroup) as exc:
        # A backend that cannot start (an unknown guide, no docker image) is the user's to
        # fix: say what and how, without a traceback through the transport's task groups.
        reason = _startup_error(exc)
        if reason is None:
            raise
        print(f"mcp-codesteer serve: cannot start: {reason}", file=sys.stderr)
        return 2
    return 0


def _startup_error(exc: BaseException) -> str | None:
    """The message of the backend error inside ``exc``, if that is what stopped the server."""
    if isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            if (found := _startup_error(inner)) is not None:
                return found
        return None
    if isinstance(exc, (ValueError, RuntimeError, ImportError)):
        return str(exc)
    return None


def _serve_http(server, settings: Settings) -> None:
    import anyio
    import uvicorn

    from ..http_app import build_http_app

    app = build_http_app(server, settings)
    logging.getLogger(__name__).info(
        "serving streamable HTTP on http://%s:%d%s%s",
        settings.host,
        settings.port,
        settings.http_path,
        " (bearer token required)" if settings.auth_token else "",
    )
    # log_config=None: uvicorn's own config sends access logs to stdout; ours go to stderr.
    config = uvicorn.Config(
        app, host=settings.host, port=settings.port, log_level=settings.log_level.lower(), log_config=None
    )
    anyio.run(uvicorn.Server(config).serve)
