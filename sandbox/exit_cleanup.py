"""Last-resort cleanup of what sandboxes hold outside this process (containers), run at
interpreter exit or by a signal handler that cannot wait for an orderly shutdown.

A server on stdio that gets SIGTERM cannot leave through its lifespan: a worker thread
sits in a blocking read of stdin, and interpreter shutdown waits for it. Its handler
runs these cleanups and exits at once (``mcp_codesteer.commands.serve``).
"""

from __future__ import annotations

import atexit
import logging
from collections.abc import Callable

log = logging.getLogger(__name__)
_cleanups: list[Callable[[], None]] = []


def register(cleanup: Callable[[], None]) -> None:
    """Run ``cleanup`` (synchronous, quick, idempotent) at exit unless unregistered first."""
    _cleanups.append(cleanup)


def unregister(cleanup: Callable[[], None]) -> None:
    while cleanup in _cleanups:
        _cleanups.remove(cleanup)


def run_all() -> None:
    """Run every registered cleanup once; one failing does not stop the others."""
    while _cleanups:
        cleanup = _cleanups.pop()
        try:
            cleanup()
        except Exception:  # at exit there is nobody to raise to; say it and go on
            log.exception("sandbox cleanup at exit failed")


atexit.register(run_all)
