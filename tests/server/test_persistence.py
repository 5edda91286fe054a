"""Sessions live in SQLite: they survive a server restart and expire after their time to live."""

from __future__ import annotations

import time

import pytest
from mcp import Client

from mcp_codesteer.server import build_server
from mcp_codesteer.settings import Settings

pytestmark = pytest.mark.anyio


async def test_a_session_opened_before_a_restart_continues_after_it(tmp_path):
    settings = Settings(data_dir=tmp_path, sandbox="local")
    async with Client(build_server(settings)) as first_server:
        opened = (await first_server.call_tool("steer_next", {"question": "Compute 12 * 12."})).structured_content
        await first_server.call_tool(
            "steer_next", {"session_id": opened["session_id"], "response": "```python\nprint(f'<<<{sum(12 for _ in range(12))}>>>')\n```"}
        )
    # A new server object over the same store: nothing is shared but the SQLite file.
    async with Client(build_server(Settings(data_dir=tmp_path, sandbox="local"))) as second_server:
        step = (
            await second_server.call_tool(
                "steer_next", {"session_id": opened["session_id"], "response": "```python\nprint(f'<<<{12 * 12}>>>')\n```"}
            )
        ).structured_content  # a second, different program that agrees with the first
    assert step["round"] == 2
    assert step["action"] == "return" and step["final_answer"] == "144"


async def test_a_session_expires_after_its_time_to_live(tmp_path, monkeypatch):
    settings = Settings(data_dir=tmp_path, sandbox="local", session_ttl_s=60)
    async with Client(build_server(settings)) as client:
        sid = (await client.call_tool("steer_next", {"question": "Compute 3+4."})).structured_content["session_id"]
        real_time = time.time
        monkeypatch.setattr(time, "time", lambda: real_time() + 61)
        result = await client.call_tool("steer_next", {"session_id": sid, "response": "<<<7>>>"})
    assert result.is_error and "expired" in result.content[0].text


async def test_purging_removes_only_expired_sessions(tmp_path, monkeypatch):
    from mcp_codesteer.store import TrajectoryStore
    from guide.types import Trajectory

    store = TrajectoryStore(tmp_path / "s.sqlite3", ttl_s=100)
    await store.open()
    await store.save(Trajectory(session_id="old", question="q1"))
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 50)
    await store.save(Trajectory(session_id="new", question="q2"))
    monkeypatch.setattr(time, "time", lambda: real_time() + 120)
    assert await store.purge_expired() == 1
    assert (await store.load("new")).question == "q2"
    await store.close()
