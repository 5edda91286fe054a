"""Fixtures: a real server on a temporary store, reached through the SDK's in-memory client."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from mcp import Client

from mcp_codesteer.server import build_server
from mcp_codesteer.settings import Settings

MODES = ["auto", "legacy"]  # the 2026 protocol era and the initialize-handshake era


def make_settings(tmp_path: Path, **overrides) -> Settings:
    base = {"data_dir": tmp_path / "data", "sandbox": "local"}
    base.update(overrides)
    return Settings(**base)


@pytest.fixture(params=MODES)
def mode(request) -> str:
    return request.param


@pytest.fixture
def settings(tmp_path: Path, request) -> Settings:
    """Overrides come from indirect parametrisation: ``parametrize("settings", [{...}], indirect=True)``."""
    return make_settings(tmp_path, **getattr(request, "param", {}))


@pytest.fixture
async def client(settings: Settings, mode: str):
    async with Client(build_server(settings), mode=mode) as c:
        yield c


def requires_bwrap():
    return pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed (apt-get install bubblewrap)")
