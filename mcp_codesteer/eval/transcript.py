"""One sample's transcript as text: the question, every model turn and tool call in
order, the final answer and its score (``mcp-codesteer report RUN_DIR --sample ID``)."""

from __future__ import annotations

import json

from .records import ModelEvent, SampleRecord

RESULT_CHARS = 4000  # a tool result longer than this is cut in the middle when printed


def _cut(text: str, limit: int = RESULT_CHARS) -> str:
    if len(text) <= limit:
        return text
    half = limit // 2
    return f"{text[:half]}\n... [{len(text) - limit} characters cut] ...\n{text[-half:]}"


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines()) or "    (empty)"


def render_transcript(record: SampleRecord) -> str:
    lines = [
        f"== {record.key}  status {record.status}, score {record.score.verdict} ({record.score.value:g}), "
        f"{record.rounds} model call(s), {record.wall_s:.1f} s",
        "question:",
        _indent(record.question),
    ]
    for event in record.events:
        if isinstance(event, ModelEvent):
            lines.append(f"-- model, round {event.round} (+{event.at_s:.1f} s, {event.duration_s:.1f} s)")
            lines += ["  prompt:", _indent(event.prompt)]
            if event.error:
                lines.append(f"  error: {event.error}")
            else:
                lines += ["  response:", _indent(event.response or "")]
        else:
            lines.append(f"-- tool {event.tool} after round {event.round} (+{event.at_s:.1f} s, {event.duration_s:.1f} s)")
            lines += ["  arguments:", _indent(_cut(json.dumps(event.arguments, indent=2, ensure_ascii=False)))]
            if event.error or event.is_error:
                lines.append(f"  error: {event.error}")
            if event.result is not None:
                lines += ["  result:", _indent(_cut(json.dumps(event.result, indent=2, ensure_ascii=False)))]
    if record.error:
        lines.append(f"error: {record.error}")
    lines.append(f"final answer: {record.final_answer!r}")
    lines.append(f"score: {record.score.verdict} ({record.score.value:g}) {record.score.reason}".rstrip())
    return "\n".join(lines)


def find_records(records: list[SampleRecord], sample: str, method: str | None = None) -> list[SampleRecord]:
    """Records whose sample id or key is ``sample`` (all methods, unless ``method``)."""
    found = [r for r in records if sample in (r.sample_id, r.key)]
    return [r for r in found if method is None or r.method == method]
