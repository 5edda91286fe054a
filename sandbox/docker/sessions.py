"""Persistent run_code sessions: one container per handle whose interpreter keeps its
variables and files across runs, like a notebook kernel.

A session ends when closed, after ``session_idle_s`` without a run, after
``session_lifetime_s`` in all, or when a run of it is killed at the time limit; its
container is then removed. At most ``max_sessions`` live at once.
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import anyio

from ..types import DockerOptions
from .container import SandboxContainer

HANDLE_RE = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")


@dataclass
class Session:
    handle: str
    box: SandboxContainer
    created: float = field(default_factory=time.monotonic)
    last_used: float = field(default_factory=time.monotonic)
    runs: int = 0
    lock: anyio.Lock = field(default_factory=anyio.Lock)


class SessionStore:
    def __init__(
        self,
        acquire: Callable[[], Awaitable[SandboxContainer]],
        options: DockerOptions,
    ) -> None:
        self._acquire = acquire
        self.options = options
        self._sessions: dict[str, Session] = {}
        self._opening = anyio.Lock()

    def __len__(self) -> int:
        return len(self._sessions)

    @staticmethod
    def check_handle(handle: str) -> None:
        if not HANDLE_RE.match(handle):
            raise ValueError(
                f"invalid session handle {handle[:80]!r}: use 1 to 64 letters, digits, '_', '-', '.' or ':'"
            )

    def expired(self, now: float | None = None) -> list[Session]:
        """Remove and return the sessions past their idle timeout or lifetime."""
        now = time.monotonic() if now is None else now
        gone = [
            s
            for s in self._sessions.values()
            if not s.lock.locked()
            and (
                now - s.last_used > self.options.session_idle_s
                or now - s.created > self.options.session_lifetime_s
            )
        ]
        for s in gone:
            del self._sessions[s.handle]
        return gone

    async def open(self, handle: str) -> tuple[Session, bool]:
        """The session called ``handle``, and whether it was just created."""
        self.check_handle(handle)
        async with self._opening:
            session = self._sessions.get(handle)
            if session is not None:
                return session, False
            if len(self._sessions) >= self.options.max_sessions:
                raise ValueError(
                    f"{len(self._sessions)} sessions are open, the limit (max_sessions): close one with "
                    "close_session, reuse a handle, or run without a session"
                )
            session = Session(handle, await self._acquire())
            self._sessions[handle] = session
            return session, True

    def pop(self, handle: str) -> Session | None:
        return self._sessions.pop(handle, None)

    def pop_all(self) -> list[Session]:
        sessions = list(self._sessions.values())
        self._sessions.clear()
        return sessions

    def describe(self) -> dict:
        now = time.monotonic()
        return {
            s.handle: {"runs": s.runs, "age_s": round(now - s.created, 1), "idle_s": round(now - s.last_used, 1)}
            for s in self._sessions.values()
        }
