"""``mcp-codesteer serve``: the MCP server over stdio (default) or streamable HTTP."""

from __future__ import annotations

import argparse
import logging
import signal
import sys

from pydantic import ValidationError
from pydantic_settings import CliSettingsSource, SettingsError

from ..settings import ENV_PREFIX, Settings

# Every field of Settings is a flag (--max-rounds, --limits.timeout-s, --guide-model.device),
# with the field's description as its help and its CODESTEER_* variable named there;
# these few keep the shorter names they had before the flags were derived.
SHORT_FLAGS: dict[str, str] = {
    "limits.timeout-s": "timeout",
    "limits.memory-mb": "memory-mb",
    "docker.pool-size": "pool-size",
    "docker.image": "docker-image",
    "docker.runtime": "docker-runtime",
    "session-ttl-s": "session-ttl",
    "allowed-origins": "allowed-origin",
}


def _settings_source(parser: argparse.ArgumentParser | None = None) -> CliSettingsSource:
    return CliSettingsSource(
        Settings,
        root_parser=parser,
        cli_kebab_case=True,
        cli_avoid_json=True,
        cli_hide_none_type=True,
        cli_show_env_vars=True,
        cli_shortcuts=SHORT_FLAGS,
    )


def configure(parser: argparse.ArgumentParser) -> None:
    parser.epilog = (
        f"Every option is also an environment variable {ENV_PREFIX}<NAME> (nested: {ENV_PREFIX}LIMITS__TIMEOUT_S); "
        "flags win."
    )
    parser.set_defaults(settings_source=_settings_source(parser))


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Settings from the flags given, over the environment, over the defaults."""
    source = getattr(args, "settings_source", None) or _settings_source(argparse.ArgumentParser())
    return Settings(_cli_settings_source=source(parsed_args=args))


def run(args: argparse.Namespace) -> int:
    try:
        settings = settings_from_args(args)
    except (ValidationError, SettingsError) as exc:
        print(f"mcp-codesteer serve: invalid settings:\n{exc}", file=sys.stderr)
        return 2
    # Logs go to stderr only: on stdio, stdout carries the protocol.
    logging.basicConfig(level=settings.log_level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from ..server import build_server
    from ..steering import CodeSteer

    app = CodeSteer(settings)
    server = build_server(settings, app=app)
    try:
        if settings.transport == "stdio":
            # SIGTERM and SIGHUP remove the sandbox's containers and end the process at
            # once (see sandbox/exit_cleanup.py); uvicorn handles them on HTTP.
            for sig in (signal.SIGTERM, signal.SIGHUP):
                signal.signal(sig, _exit_on_signal)
            server.run("stdio")
        else:
            _serve_http(server, settings)
    except (Exception, BaseExceptionGroup) as exc:
        reason = _startup_error(exc)
        if reason is None or app.started_once:
            # Not a start-up failure: the server ran and then broke. Say so, with the trace.
            logging.getLogger(__name__).exception("the server stopped on an error")
            print(f"mcp-codesteer serve: stopped on an error: {exc!r}", file=sys.stderr)
            return 1
        # A backend that cannot start (an unknown guide, no docker image) is the user's to
        # fix: say what and how, without a traceback through the transport's task groups.
        print(f"mcp-codesteer serve: cannot start: {reason}", file=sys.stderr)
        return 2
    return 0


def _exit_on_signal(signum: int, _frame) -> None:
    import os

    from sandbox import exit_cleanup

    exit_cleanup.run_all()
    logging.shutdown()
    os._exit(128 + signum)


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
