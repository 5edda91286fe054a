"""Reading a supervisor's output: Docker's multiplexed exec stream, and inside its
stdout the supervisor's own frames (R ready, O stdout, E stderr, X end of run).

Every byte is read, always: past a cap the excess is counted and dropped, never left
in the pipe, because a reader that stops draining wedges dockerd on that container.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass, field

DOCKER_HEADER = 8
FRAME_HEADER = 5
STDOUT, STDERR = 1, 2
# The supervisor's own stderr only ever carries its failures: a little is plenty.
SUPERVISOR_STDERR_CAP = 8192


@dataclass
class Capped:
    """Keeps up to ``cap`` bytes and counts the rest."""

    cap: int
    data: bytearray = field(default_factory=bytearray)
    dropped: int = 0

    def add(self, chunk: bytes) -> None:
        room = self.cap - len(self.data)
        if room > 0:
            self.data += chunk[:room]
        self.dropped += max(0, len(chunk) - max(room, 0))


class SupervisorReader:
    """Feed it the raw exec stream; it collects stdout, stderr, and the ready and end
    records. ``output_cap`` bounds each of stdout and stderr; ``record_cap`` bounds the
    ready/end records (the end record carries the figures)."""

    def __init__(self, output_cap: int, record_cap: int) -> None:
        self.stdout = Capped(output_cap)
        self.stderr = Capped(output_cap)
        self.supervisor_stderr = Capped(SUPERVISOR_STDERR_CAP)
        self.record_cap = record_cap
        self.ready: dict | None = None
        self.end: dict | None = None
        self.run: int | None = None
        self.malformed = False
        self._docker_buf = b""
        self._docker_left = 0
        self._docker_kind = 0
        self._frame_head = b""
        self._frame_kind = b""
        self._frame_left = 0
        self._record = Capped(record_cap)

    def reset_run(self, output_cap: int, run: int | None = None) -> None:
        """Forget the previous run's output (a session's next run); ``run`` is the id the
        next end record must carry (a record of another run is dropped with its output)."""
        self.stdout = Capped(output_cap)
        self.stderr = Capped(output_cap)
        self.end = None
        self.run = run

    def feed(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            if self._docker_left == 0:
                need = DOCKER_HEADER - len(self._docker_buf)
                self._docker_buf += bytes(view[:need])
                view = view[need:]
                if len(self._docker_buf) < DOCKER_HEADER:
                    return
                self._docker_kind = self._docker_buf[0]
                (self._docker_left,) = struct.unpack(">I", self._docker_buf[4:8])
                self._docker_buf = b""
                continue
            take = view[: self._docker_left]
            view = view[len(take) :]
            self._docker_left -= len(take)
            if self._docker_kind == STDOUT:
                self._feed_frames(bytes(take))
            else:
                self.supervisor_stderr.add(bytes(take))

    def _feed_frames(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            if self._frame_left == 0 and not self._frame_kind:
                need = FRAME_HEADER - len(self._frame_head)
                self._frame_head += bytes(view[:need])
                view = view[need:]
                if len(self._frame_head) < FRAME_HEADER:
                    return
                self._frame_kind = self._frame_head[:1]
                (self._frame_left,) = struct.unpack(">I", self._frame_head[1:5])
                self._frame_head = b""
                self._record = Capped(self.record_cap)
                if self._frame_left == 0:
                    self._finish_frame()
                continue
            take = bytes(view[: self._frame_left])
            view = view[len(take) :]
            self._frame_left -= len(take)
            if self._frame_kind == b"O":
                self.stdout.add(take)
            elif self._frame_kind == b"E":
                self.stderr.add(take)
            else:
                self._record.add(take)
            if self._frame_left == 0:
                self._finish_frame()

    def _finish_frame(self) -> None:
        kind, self._frame_kind = self._frame_kind, b""
        if kind not in (b"R", b"X"):
            return
        try:
            record = json.loads(bytes(self._record.data)) if not self._record.dropped else None
        except ValueError:
            record = None
        if record is None:
            self.malformed = True
            record = {}
        if kind == b"R":
            self.ready = record
        elif self.run is not None and isinstance(record.get("run"), int) and record["run"] != self.run:
            # The end of an earlier run that outlived its caller: it and its output are stale.
            self.reset_run(self.stdout.cap, self.run)
        else:
            self.end = record
