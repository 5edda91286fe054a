"""run_code session handles: a name the client chooses, made unguessable by the server.

Clients of a stateless transport (streamable HTTP since MCP 2026-07-28) carry no
connection the server could scope sessions to, so a session is reached only through a
handle the server minted: the client's name plus a random suffix. A client that sends a
plain name gets a new session and its handle back; only a client that was given (or
was told) a handle can reach that session. This is why two clients both asking for
``work`` never meet.
"""

from __future__ import annotations

import re
import secrets

MAX_NAME_CHARS = 39
_SUFFIX_HEX = 24
_MINTED = re.compile(rf"[A-Za-z0-9_.:-]{{1,{MAX_NAME_CHARS}}}\.[0-9a-f]{{{_SUFFIX_HEX}}}")
_NAME_CHARS = re.compile(r"[^A-Za-z0-9_.:-]")


def is_minted(handle: str) -> bool:
    """Whether ``handle`` has the shape of a handle this module made."""
    return bool(_MINTED.fullmatch(handle))


def mint(name: str) -> str:
    """A new unguessable handle that starts with (a cleaned, shortened) ``name``."""
    stem = _NAME_CHARS.sub("-", name)[:MAX_NAME_CHARS] or "session"
    return f"{stem}.{secrets.token_hex(_SUFFIX_HEX // 2)}"


def resolve(name_or_handle: str) -> tuple[str, bool]:
    """The handle to run in, and whether it was minted just now (a new session)."""
    if is_minted(name_or_handle):
        return name_or_handle, False
    return mint(name_or_handle), True
