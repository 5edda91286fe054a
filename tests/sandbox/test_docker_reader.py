"""The reader of a supervisor's exec stream: framing, caps, records."""

import json
import struct

from sandbox.docker.reader import SupervisorReader


def docker_frame(stream: int, payload: bytes) -> bytes:
    return bytes([stream, 0, 0, 0]) + struct.pack(">I", len(payload)) + payload


def frame(kind: bytes, payload: bytes) -> bytes:
    return kind + struct.pack(">I", len(payload)) + payload


def feed_in_pieces(reader: SupervisorReader, data: bytes, size: int) -> None:
    for i in range(0, len(data), size):
        reader.feed(data[i : i + size])


def test_frames_split_at_any_byte_boundary_are_reassembled():
    inner = frame(b"R", b"{}") + frame(b"O", b"hello ") + frame(b"E", b"oops") + frame(b"O", b"world")
    inner += frame(b"X", json.dumps({"exit_code": 3}).encode())
    # Docker cuts the supervisor's stdout into frames of its own, anywhere.
    wire = docker_frame(1, inner[:7]) + docker_frame(2, b"supervisor says") + docker_frame(1, inner[7:])
    for size in (1, 3, 64):
        reader = SupervisorReader(output_cap=100, record_cap=1000)
        feed_in_pieces(reader, wire, size)
        assert reader.ready == {}
        assert bytes(reader.stdout.data) == b"hello world"
        assert bytes(reader.stderr.data) == b"oops"
        assert bytes(reader.supervisor_stderr.data) == b"supervisor says"
        assert reader.end == {"exit_code": 3}


def test_output_past_the_cap_is_counted_and_dropped_while_reading_continues():
    reader = SupervisorReader(output_cap=10, record_cap=1000)
    reader.feed(docker_frame(1, frame(b"O", b"x" * 25) + frame(b"X", b'{"exit_code": 0}')))
    assert bytes(reader.stdout.data) == b"x" * 10
    assert reader.stdout.dropped == 15
    assert reader.end == {"exit_code": 0}


def test_an_oversized_end_record_is_dropped_and_flagged_not_kept():
    reader = SupervisorReader(output_cap=10, record_cap=16)
    reader.feed(docker_frame(1, frame(b"X", json.dumps({"notes": ["n" * 100]}).encode())))
    assert reader.end == {}
    assert reader.malformed


def test_a_new_run_forgets_the_previous_runs_output():
    reader = SupervisorReader(output_cap=10, record_cap=100)
    reader.feed(docker_frame(1, frame(b"O", b"first") + frame(b"X", b"{}")))
    reader.reset_run(10)
    reader.feed(docker_frame(1, frame(b"O", b"second")))
    assert bytes(reader.stdout.data) == b"second"
    assert reader.end is None
