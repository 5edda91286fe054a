"""Export SymBench samples as JSONL and as a Hugging Face ``datasets`` DatasetDict.

One split per task. ``gold`` and ``metadata`` are stored as JSON text because their
shapes differ from task to task (and some golds are integers too large for Arrow's
int64); ``json.loads`` gives them back.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

from pydantic import BaseModel

from .registry import all_tasks
from .types import Sample, Task

INSTALL_HINT = "exporting a Hugging Face dataset needs the 'datasets' package: pip install 'mcp-codesteer[symbench]'"


class ExportSummary(BaseModel):
    out: str
    counts: dict[str, int]
    jsonl: list[str]
    dataset_dir: str | None


def task_info(task: Task) -> dict[str, Any]:
    """The task's description as plain JSON (what ``symbench show`` prints)."""
    return {
        "name": task.name,
        "title": task.title,
        "split": "seen" if task.seen else "unseen",
        "category": task.category,
        "knobs": json.loads(json.dumps(task.knobs, default=str)),
        "data_dirs": list(task.data_dirs),
        "modes_note": task.modes_note,
        "has_check": task.check is not None,
    }


def sample_record(task: Task, sample: Sample) -> dict[str, Any]:
    """A flat row: strings and booleans only, so every task fits one schema."""
    return {
        "task": task.name,
        "title": task.title,
        "split": "seen" if task.seen else "unseen",
        "category": task.category,
        "id": sample.id,
        "question": sample.question,
        "gold": json.dumps(sample.gold, default=str),
        "gold_answer": task.gold_answer(sample) if sample.gold is not None else "",
        "metadata": json.dumps(sample.metadata, default=str),
        "source": sample.source or "",
    }


def _import_datasets():
    try:
        import datasets
    except ImportError as exc:
        raise RuntimeError(INSTALL_HINT) from exc
    return datasets


def export(data_dir: Path, out: Path, tasks: Iterable[Task] | None = None, hf: bool = True) -> ExportSummary:
    """Write ``out/<task>.jsonl``, ``out/tasks.json`` and (when ``hf``) ``out/hf`` via ``save_to_disk``.

    Tasks without samples under ``data_dir`` are left out. Raises RuntimeError with the
    install hint, before writing anything, when ``hf`` and ``datasets`` is missing.
    """
    datasets = _import_datasets() if hf else None
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rows: dict[str, list[dict[str, Any]]] = {}
    infos = []
    for task in tasks if tasks is not None else all_tasks():
        samples = task.load(Path(data_dir))
        if not samples:
            continue
        rows[task.name] = [sample_record(task, s) for s in samples]
        infos.append(task_info(task))
    jsonl = []
    for name, records in rows.items():
        path = out / f"{name}.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        jsonl.append(str(path))
    (out / "tasks.json").write_text(json.dumps(infos, indent=2), encoding="utf-8")
    dataset_dir = None
    if datasets is not None and rows:
        features = datasets.Features({key: datasets.Value("string") for key in next(iter(rows.values()))[0]})
        dataset = datasets.DatasetDict(
            {name: datasets.Dataset.from_list(records, features=features) for name, records in rows.items()}
        )
        target = out / "hf"
        dataset.save_to_disk(str(target))
        (target / "symbench_tasks.json").write_text(json.dumps(infos, indent=2), encoding="utf-8")
        dataset_dir = str(target)
    return ExportSummary(
        out=str(out), counts={name: len(r) for name, r in rows.items()}, jsonl=jsonl, dataset_dir=dataset_dir
    )
