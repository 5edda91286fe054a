"""How `mcp-codesteer serve` ends: a failure after start-up is not reported as a start-up failure."""

from __future__ import annotations

import argparse
import signal

import pytest

from mcp_codesteer.commands import serve


@pytest.fixture(autouse=True)
def _keep_signal_handlers():
    """serve installs its own SIGTERM/SIGHUP handlers on stdio; give the test runner its own back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGHUP)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def _args(tmp_path) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    serve.configure(parser)
    return parser.parse_args(["--data-dir", str(tmp_path), "--sandbox", "local"])


class _BreaksAfterStart:
    """A server whose backends started and whose transport then fails."""

    def __init__(self, app, error: Exception) -> None:
        self.app, self.error = app, error

    def run(self, transport: str) -> None:
        self.app.started_once = True
        raise self.error


def test_a_server_that_breaks_after_starting_says_so_and_exits_1(tmp_path, monkeypatch, capsys):
    import mcp_codesteer.server

    monkeypatch.setattr(
        mcp_codesteer.server, "build_server", lambda settings, app: _BreaksAfterStart(app, RuntimeError("writer died"))
    )
    assert serve.run(_args(tmp_path)) == 1
    err = capsys.readouterr().err
    assert "stopped on an error" in err and "writer died" in err
    assert "cannot start" not in err


def test_a_server_whose_backend_cannot_start_still_says_cannot_start(tmp_path, monkeypatch, capsys):
    import mcp_codesteer.server

    class _FailsAtStart(_BreaksAfterStart):
        def run(self, transport: str) -> None:
            raise self.error

    monkeypatch.setattr(
        mcp_codesteer.server, "build_server", lambda settings, app: _FailsAtStart(app, RuntimeError("no image"))
    )
    assert serve.run(_args(tmp_path)) == 2
    assert "cannot start: no image" in capsys.readouterr().err
