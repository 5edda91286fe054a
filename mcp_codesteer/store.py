"""The trajectory store: steering sessions in SQLite, so a session outlives a server restart.

"Session" means three things in this project, kept apart by their names: a *steering
session* (a ``session_id`` of ``steer_next``: one trajectory, stored here), a *run_code
session* (``sandbox.docker.sessions``: a container that keeps its files between runs) and
the *MCP session* (the SDK's connection state, which this project never stores).

One row per session holds its trajectory as JSON; every round rewrites the row inside
a transaction, so a crash leaves the last complete round. Sessions untouched for
``ttl_s`` expire: reading one reports it as expired, and ``purge_expired`` deletes them.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import anyio

from guide import Trajectory

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    status TEXT NOT NULL,
    trajectory TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_updated ON sessions(updated);
"""


class SessionNotFound(KeyError):
    """No session with that id (never created, or deleted)."""


class SessionExpired(KeyError):
    """The session existed but was idle past the store's time to live."""


class TrajectoryStore:
    """Steering sessions by id: their trajectories, with a time to live."""

    def __init__(self, path: Path, ttl_s: float) -> None:
        self.path = Path(path)
        self.ttl_s = ttl_s
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.executescript(_SCHEMA)
            self._conn = conn
        return self._conn

    async def open(self) -> None:
        await anyio.to_thread.run_sync(self._sync_open)

    def _sync_open(self) -> None:
        with self._lock:
            self._connect()
        self._sync_purge()

    async def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    async def save(self, trajectory: Trajectory) -> None:
        await anyio.to_thread.run_sync(self._sync_save, trajectory)

    def _sync_save(self, trajectory: Trajectory) -> None:
        data = trajectory.model_dump_json(exclude={"rounds": {"__all__": {"execution": {"files": {"__all__": {"data_b64"}}}}}})
        now = time.time()
        with self._lock:
            self._connect().execute(
                "INSERT INTO sessions(id, created, updated, status, trajectory) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET updated=excluded.updated, status=excluded.status, "
                "trajectory=excluded.trajectory",
                (trajectory.session_id, trajectory.created_at.timestamp(), now, trajectory.status, data),
            )

    async def load(self, session_id: str) -> Trajectory:
        """The stored trajectory; SessionNotFound or SessionExpired otherwise."""
        return await anyio.to_thread.run_sync(self._sync_load, session_id)

    def _sync_load(self, session_id: str) -> Trajectory:
        with self._lock:
            row = (
                self._connect()
                .execute("SELECT updated, trajectory FROM sessions WHERE id = ?", (session_id,))
                .fetchone()
            )
        if row is None:
            raise SessionNotFound(session_id)
        if time.time() - row[0] > self.ttl_s:
            self._sync_delete(session_id)
            raise SessionExpired(session_id)
        return Trajectory.model_validate_json(row[1])

    def _sync_delete(self, session_id: str) -> None:
        with self._lock:
            self._connect().execute("DELETE FROM sessions WHERE id = ?", (session_id,))

    async def purge_expired(self) -> int:
        return await anyio.to_thread.run_sync(self._sync_purge)

    def _sync_purge(self) -> int:
        with self._lock:
            cur = self._connect().execute("DELETE FROM sessions WHERE updated < ?", (time.time() - self.ttl_s,))
            return cur.rowcount

    async def count(self) -> int:
        def _count() -> int:
            with self._lock:
                return self._connect().execute("SELECT COUNT(*) FROM sessions").fetchone()[0]

        return await anyio.to_thread.run_sync(_count)
