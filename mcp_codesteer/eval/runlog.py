"""The run directory: ``header.json`` plus ``samples.jsonl``, written so that a SIGKILL at any
moment loses at most the record being written, and --resume finishes the run with every
sample recorded exactly once.

- The header is written to a temporary file, fsynced, and renamed over the old one.
- Each record is one JSON line, appended with a single write, then flush + fsync.
- A torn tail (a line cut by the kill) is ignored on read and cut off before the next
  append, so it never ends up glued to a later record.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from pydantic import ValidationError

from .records import FORMAT, FORMAT_VERSION, RunHeader, SampleRecord, utcnow

HEADER_FILE = "header.json"
SAMPLES_FILE = "samples.jsonl"


class RunLogError(RuntimeError):
    """The run directory cannot be used as asked."""


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_header(run_dir: Path, header: RunHeader) -> None:
    """Atomically replace ``header.json``."""
    run_dir.mkdir(parents=True, exist_ok=True)
    target = run_dir / HEADER_FILE
    tmp = run_dir / f".{HEADER_FILE}.tmp"
    data = header.model_dump_json(indent=2).encode("utf-8")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    _fsync_dir(run_dir)


def read_header(run_dir: Path) -> RunHeader:
    path = Path(run_dir) / HEADER_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RunLogError(f"{run_dir} is not a run directory: it has no {HEADER_FILE}") from exc
    except ValueError as exc:
        raise RunLogError(f"{path} is not valid JSON: {exc}") from exc
    if raw.get("format") != FORMAT:
        raise RunLogError(f"{path}: format {raw.get('format')!r} is not {FORMAT!r}")
    if int(raw.get("format_version", 0)) > FORMAT_VERSION:
        raise RunLogError(
            f"{path}: format version {raw['format_version']} is newer than this reader ({FORMAT_VERSION}); upgrade mcp-codesteer"
        )
    return RunHeader.model_validate(raw)


def _scan(data: bytes) -> tuple[list[SampleRecord], int, int]:
    """Parse the records; returns (records, end offset of the last good line, bad tail bytes).

    Unparseable lines are tolerated only at the end of the file (a torn write); one in
    the middle means the file was damaged some other way, and raises RunLogError.
    """
    records: list[SampleRecord] = []
    good_end = 0
    offset = 0
    bad_from: int | None = None
    bad_line_no = 0
    for line_no, line in enumerate(data.splitlines(keepends=True), start=1):
        start, offset = offset, offset + len(line)
        text = line.strip()
        if not text:
            if bad_from is None:
                good_end = offset
            continue
        complete = line.endswith(b"\n")
        try:
            record = SampleRecord.model_validate_json(text) if complete else None
        except (ValidationError, ValueError):
            record = None
        if record is None:
            if bad_from is None:
                bad_from, bad_line_no = start, line_no
            continue
        if bad_from is not None:
            raise RunLogError(f"{SAMPLES_FILE}: line {bad_line_no} is damaged and is followed by good records")
        records.append(record)
        good_end = offset
    return records, good_end, len(data) - good_end


def read_records(run_dir: Path) -> list[SampleRecord]:
    """Every complete record, in the order written; a torn last line is ignored.
    A key recorded twice (never written by this package) keeps its first record."""
    path = Path(run_dir) / SAMPLES_FILE
    if not path.exists():
        return []
    records, _, _ = _scan(path.read_bytes())
    return _first_of_each_key(records)


def _first_of_each_key(records: list[SampleRecord]) -> list[SampleRecord]:
    """A key recorded twice would be a bug (``append`` refuses it): keep its first record."""
    unique: dict[str, SampleRecord] = {}
    for record in records:
        unique.setdefault(record.key, record)
    return list(unique.values())


def read_run(run_dir: Path) -> tuple[RunHeader, list[SampleRecord]]:
    run_dir = Path(run_dir)
    return read_header(run_dir), read_records(run_dir)


class RunLog:
    """Appends records to a run directory. Safe to call ``append`` from several threads."""

    def __init__(self, run_dir: Path, header: RunHeader, existing: list[SampleRecord]) -> None:
        self.run_dir = Path(run_dir)
        self.header = header
        self.records = existing
        self.done_keys = {r.key for r in existing}
        self._lock = threading.Lock()
        self._fh = open(self.run_dir / SAMPLES_FILE, "ab")

    @classmethod
    def create(cls, run_dir: Path, header: RunHeader) -> "RunLog":
        """A new run. Refuses a directory that already holds a run (use resume for that)."""
        run_dir = Path(run_dir)
        if (run_dir / HEADER_FILE).exists():
            raise RunLogError(f"{run_dir} already holds a run: pass --resume to finish it, or choose another --out")
        write_header(run_dir, header)
        return cls(run_dir, header, [])

    @classmethod
    def resume(cls, run_dir: Path) -> "RunLog":
        """Reopen a run: read what is recorded, cut a torn tail, note the resume in the header."""
        run_dir = Path(run_dir)
        header = read_header(run_dir)
        path = run_dir / SAMPLES_FILE
        records: list[SampleRecord] = []
        if path.exists():
            records, good_end, bad = _scan(path.read_bytes())
            if bad:
                with open(path, "r+b") as fh:
                    fh.truncate(good_end)
                    fh.flush()
                    os.fsync(fh.fileno())
        header.resumed_at.append(utcnow())
        write_header(run_dir, header)
        return cls(run_dir, header, _first_of_each_key(records))

    def append(self, record: SampleRecord) -> bool:
        """Write one record durably (blocking: call it from a worker thread). Returns False,
        writing nothing, when the key is already recorded."""
        line = (record.model_dump_json() + "\n").encode("utf-8")
        with self._lock:
            if record.key in self.done_keys:
                return False
            self._fh.write(line)
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self.done_keys.add(record.key)
            self.records.append(record)
            return True

    def close(self) -> None:
        with self._lock:
            if not self._fh.closed:
                self._fh.close()
