"""Persistent run_code sessions: one container per handle whose interpreter keeps its
variables and files across runs, like a notebook kernel.

A session belongs to its owner (one MCP connection): a handle names a different
session for every owner, so clients never see each other's variables or files.

A session ends when closed, after ``session_idle_s`` without a run, after
``session_lifetime_s`` in all, when a run of it is killed at the time limit, or when
its caller gives up on a run (the interpreter may still be busy with it); its container
is then removed. At most ``max_sessions`` live at once, ``max_sessions_per_client`` per owner.
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import anyio

from ..types import DockerOptions, SandboxInputError
from .container import SandboxContainer

HANDLE_RE = re.compile(r"[A-Za-z0-9_.:-]{1,64}")


@dataclass
class Session:
    handle: str
    owner: str
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
        self._sessions: dict[tuple[str, str], Session] = {}
        self._opening = anyio.Lock()

    def __len__(self) -> int:
        return len(self._sessions)

    @staticmethod
    def check_handle(handle: str) -> None:
        if not isinstance(handle, str) or not HANDLE_RE.fullmatch(handle):
            raise SandboxInputError(
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
            del self._sessions[(s.owner, s.handle)]
        return gone

    async def open(self, handle: str, owner: str = "") -> tuple[Session, bool]:
        """``owner``'s session called ``handle``, and whether it was just created."""
        self.check_handle(handle)
        async with self._opening:
            session = self._sessions.get((owner, handle))
            if session is not None:
                return session, False
            mine = sum(1 for o, _ in self._sessions if o == owner)
            if mine >= self.options.max_sessions_per_client:
                raise SandboxInputError(
                    f"this client has {mine} sessions open, its limit (max_sessions_per_client): close one with "
                    "close_session, reuse a handle, or run without a session"
                )
            if len(self._sessions) >= self.options.max_sessions:
                raise SandboxInputError(
                    f"{len(self._sessions)} sessions are open, the server's limit (max_sessions): close one, reuse a "
                    "handle, run without a session, or try again later"
                )
            session = Session(handle, owner, await self._acquire())
            self._sessions[(owner, handle)] = session
            return session, True

    def pop(self, handle: str, owner: str = "") -> Session | None:
        return self._sessions.pop((owner, handle), None)

    def pop_owner(self, owner: str) -> list[Session]:
        """Remove and return every session of ``owner``."""
        return [self._sessions.pop(key) for key in [k for k in self._sessions if k[0] == owner]]

    @property
    def container_ids(self) -> set[str]:
        return {s.box.id for s in self._sessions.values()}

    def pop_all(self) -> list[Session]:
        sessions = list(self._sessions.values())
        self._sessions.clear()
        return sessions

    def describe(self) -> dict:
        now = time.monotonic()
        # Counts only: handles are the clients' own names, not for other clients to read.
        owners = {s.owner for s in self._sessions.values()}
        return {
            "open": len(self._sessions),
            "clients": len(owners),
            "oldest_age_s": round(max((now - s.created for s in self._sessions.values()), default=0.0), 1),
        }
