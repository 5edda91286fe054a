"""Files crossing into and out of a run: what a caller may send, and how what comes back
is typed.

Files in: plain names (no directories, no hidden files) written into the run's work
directory before the program starts, at most ``limits.max_input_files`` of them and
``limits.max_input_bytes`` in all. Files out: every regular, non-hidden file the program
left at the top of its work directory (inputs it did not change excepted), at most
``limits.max_files``, each at most ``limits.max_file_bytes``; the rest is named in notes.
"""

from __future__ import annotations

import mimetypes
import re

from .types import SandboxLimits

_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$")
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")


def check_input_files(files: dict[str, bytes], limits: SandboxLimits) -> dict[str, bytes]:
    """``files`` when every name and size is acceptable; ValueError saying what to send instead."""
    if len(files) > limits.max_input_files:
        raise ValueError(f"{len(files)} files were sent, over the limit of {limits.max_input_files}: send fewer")
    for name in files:
        if not _NAME.match(name) or name in (".", ".."):
            raise ValueError(
                f"file name {name!r} is not allowed: use a plain name of letters, digits, '.', '_' or '-' "
                "(no directories, not starting with '.'), at most 100 characters"
            )
    total = sum(len(data) for data in files.values())
    if total > limits.max_input_bytes:
        raise ValueError(f"the files hold {total} bytes, over the limit of {limits.max_input_bytes}: send less")
    return files


def mime_type_of(name: str) -> str:
    guessed, _ = mimetypes.guess_type(name)
    return guessed or "application/octet-stream"
