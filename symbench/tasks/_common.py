"""Pieces every kind of task module shares: the original sample-folder layout, reading the
answer out of a response, and the question-derived check's contract.

Kept private (leading underscore) so the registry does not import it as a task.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from ..extract import answer_or_last_line, strip_wrapping
from ..paths import sample_folders
from ..types import Sample, ScoringMode, Score

Build = Callable[[str, dict[str, Any]], tuple[dict[str, Any], Any]]


def load_folder(data_dir: Path, folder: str, task: str, build: Build, *, prefix_ids: bool = True) -> list[Sample]:
    """Every sample of ``data_dir/folder``; ``build(question, solution_json)`` gives (metadata, gold).

    Ids are ``<folder>/sample_<n>`` (just ``sample_<n>`` with ``prefix_ids=False``, as some
    tasks first published them), stable across runs and copies; numbering gaps are expected.
    A sample folder without a question is skipped, one without a solution builds from ``{}``;
    a missing folder gives an empty list.
    """
    samples = []
    for path in sample_folders(Path(data_dir) / folder):
        question_file = path / "question.txt"
        if not question_file.is_file():
            continue
        question = question_file.read_text(encoding="utf-8")
        solution_file = path / "solution.json"
        solution = json.loads(solution_file.read_text(encoding="utf-8")) if solution_file.is_file() else {}
        metadata, gold = build(question, solution)
        sample_id = f"{folder}/{path.name}" if prefix_ids else path.name
        samples.append(
            Sample(task=task, id=sample_id, question=question, metadata=metadata, gold=gold, source=str(path))
        )
    return samples


def question_build(parse_question: Callable[[str], dict[str, Any]], gold_key: str, *, required: bool = False) -> Build:
    """A ``load_folder`` build: metadata parsed from the question plus the solution's complexity,
    gold the solution's ``gold_key`` (None when absent; KeyError when ``required``)."""

    def build(question: str, solution: dict[str, Any]) -> tuple[dict[str, Any], Any]:
        meta = parse_question(question)
        meta["complexity"] = solution.get("complexity")
        return meta, solution[gold_key] if required else solution.get(gold_key)

    return build


def answer_text(response: str | None) -> str | None:
    """The marked ``<<<...>>>`` answer, else the last non-empty line, with fences/quotes/labels removed.

    None when the response has neither; '' when the answer is empty once unwrapped (``<<<"">>>``).
    """
    raw = answer_or_last_line(response)
    return None if raw is None else strip_wrapping(raw)


def question_instance(
    parse_question: Callable[[str], Any],
    question: str,
    prefix: str = "",
    errors: tuple[type[Exception], ...] = (ValueError,),
) -> Any:
    """``parse_question(question)``, with any of ``errors`` raised again as ValueError (``prefix``
    before its message): ``Task.check`` must raise ValueError for a question not of its form."""
    try:
        return parse_question(question)
    except errors as exc:
        raise ValueError(f"{prefix}{exc}") from exc


def plan_scorer(
    parse: Callable[[str], Any],
    simulate: Callable[[dict[str, Any], Any], Score],
    faithful: Callable[[dict[str, Any], str], Score] | None = None,
) -> Callable[[dict[str, Any], str, ScoringMode], Score]:
    """``score(instance, answer_text, mode)`` for a planning task: strict parses the plan
    (unreadable: incorrect with the parser's reason) and simulates it on the instance;
    faithful runs the original's scorer where the task has one, else scores as strict."""

    def score(instance: dict[str, Any], answer_text: str, mode: ScoringMode = "strict") -> Score:
        if mode == "faithful" and faithful is not None:
            return faithful(instance, answer_text)
        try:
            plan = parse(answer_text)
        except ValueError as exc:
            return Score.incorrect(str(exc))
        return simulate(instance, plan)

    return score
