"""``mcp-codesteer symbench``: list, show, generate and verify tasks; check stored golds; export.

Tables are for people (rich); ``--json`` prints plain JSON on stdout for scripts.
"""

from __future__ import annotations

import argparse
import ast
import inspect
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

from .registry import all_tasks, get_task
from .scoring import DEFAULT_MODE, MODES
from .types import Sample, Task

DATA_DIR_HELP = (
    "the folder holding the dataset folders (default: $CODESTEER_SYMBENCH_DIR, else ../shared/symbench "
    "beside the checkout)"
)


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    p = actions.add_parser("list", help="every task: name, title, split, category, generator, question check")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")

    p = actions.add_parser("show", help="a task's description, knobs, scoring modes and data folders")
    p.add_argument("task")
    p.add_argument("--json", action="store_true")

    p = actions.add_parser("generate", help="seeded samples of a task (same seed, same sample)")
    p.add_argument("task")
    p.add_argument("--seed", type=int, default=0, help="first seed (default 0)")
    p.add_argument("--count", type=int, default=1, help="how many samples, seeds seed..seed+count-1")
    p.add_argument("--knob", action="append", default=[], metavar="K=V", help="a difficulty knob (repeatable)")
    p.add_argument("--json", action="store_true", help="one JSON sample per line")

    p = actions.add_parser("verify", help="score one answer for one sample folder of the original layout")
    p.add_argument("sample_path", help="the sample folder (or a file in it); a CSV row as PATH#rank=N")
    p.add_argument("--answer", required=True, help="the model's answer text; '-' reads it from stdin")
    p.add_argument("--task", help="the task (inferred from the path when absent)")
    p.add_argument("--mode", choices=MODES, default=DEFAULT_MODE)
    p.add_argument("--json", action="store_true")

    p = actions.add_parser("check-golds", help="verify every stored gold in strict mode; exit 1 on an unexplained failure")
    p.add_argument("data_dir", type=Path, nargs="?", default=None, help=DATA_DIR_HELP)
    p.add_argument("--task", help="only this task")
    p.add_argument("--json", action="store_true")

    p = actions.add_parser("export", help="write the samples as JSONL and a Hugging Face dataset (save_to_disk)")
    p.add_argument("data_dir", type=Path, nargs="?", default=None, help=DATA_DIR_HELP)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--task", help="only this task")
    p.add_argument("--jsonl-only", action="store_true", help="skip the Hugging Face dataset (no 'datasets' needed)")


def run(args: argparse.Namespace) -> int:
    handlers = {
        "list": _list,
        "show": _show,
        "generate": _generate,
        "verify": _verify,
        "check-golds": _check_golds,
        "export": _export,
    }
    try:
        return handlers[args.action](args)
    except (KeyError, ValueError, FileNotFoundError, RuntimeError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        print(f"mcp-codesteer symbench {args.action}: {message}", file=sys.stderr)
        return 2


def _console():
    from rich.console import Console

    return Console()


def _print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, default=str))


def _tasks(name: str | None) -> list[Task]:
    return [get_task(name)] if name else all_tasks()


def _has_generator(task: Task) -> bool:
    """Whether ``generate`` works: a task without one raises NotImplementedError."""
    try:
        task.generate(0)
    except NotImplementedError:
        return False
    except Exception:
        return True  # it exists but fails on seed 0 with default knobs; show it, generate will say why
    return True


def _list(args: argparse.Namespace) -> int:
    rows = [
        {
            "name": t.name,
            "title": t.title,
            "split": "seen" if t.seen else "unseen",
            "category": t.category,
            "generator": _has_generator(t),
            "check": t.check is not None,
        }
        for t in all_tasks()
    ]
    if args.json:
        _print_json(rows)
        return 0
    from rich.table import Table

    table = Table(title=f"SymBench tasks ({sum(r['split'] == 'seen' for r in rows)} seen, "
                        f"{sum(r['split'] == 'unseen' for r in rows)} unseen)")
    for column in ("name", "title", "split", "category", "generator", "check"):
        table.add_column(column, no_wrap=column in ("name", "title"))
    for r in rows:
        table.add_row(r["name"], r["title"], r["split"], r["category"], _yes(r["generator"]), _yes(r["check"]))
    _console().print(table)
    return 0


def _yes(flag: bool) -> str:
    return "yes" if flag else "-"


def _description(task: Task) -> str:
    """The task module's docstring with its paragraphs unwrapped."""
    module = sys.modules.get(getattr(task.verify, "__module__", ""), None)
    doc = inspect.cleandoc((module.__doc__ if module else None) or "")
    return re.sub(r"(?<!\n)\n(?!\n)", " ", doc)


def _show(args: argparse.Namespace) -> int:
    from .export import task_info

    task = get_task(args.task)
    info = task_info(task) | {"description": _description(task)}
    if args.json:
        _print_json(info)
        return 0
    from rich.markup import escape
    from rich.panel import Panel

    body = (
        f"{escape(info['description'])}\n\n"
        f"[b]split[/b] {info['split']}   [b]category[/b] {info['category']}   "
        f"[b]question check[/b] {_yes(info['has_check'])}\n"
        f"[b]knobs[/b] {escape(json.dumps(info['knobs']))}\n"
        f"[b]data folders[/b] {', '.join(info['data_dirs']) or '(none: generated only)'}\n"
        f"[b]scoring modes[/b] {escape(info['modes_note'])}"
    )
    _console().print(Panel(body, title=f"{task.name} ({task.title})", expand=False))
    return 0


def parse_knob(text: str) -> tuple[str, Any]:
    """'count=6' -> ('count', 6); values are Python literals when they parse ('1,2,4' is a tuple), else strings."""
    if "=" not in text:
        raise ValueError(f"a knob is written NAME=VALUE, got {text!r}")
    key, raw = text.split("=", 1)
    try:
        value = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        value = raw
    return key.strip(), value


def _generate(args: argparse.Namespace) -> int:
    task = get_task(args.task)
    knobs = dict(parse_knob(k) for k in args.knob)
    unknown = set(knobs) - set(task.knobs)
    if unknown:
        raise ValueError(f"unknown knob(s) {sorted(unknown)} for {task.name}; its knobs: {task.knobs}")
    if args.count < 1:
        raise ValueError("--count must be at least 1")
    samples = [task.generate(seed, **knobs) for seed in range(args.seed, args.seed + args.count)]
    if args.json:
        for sample in samples:
            print(json.dumps(sample.model_dump(mode="json"), default=str))
        return 0
    from rich.markup import escape
    from rich.panel import Panel

    console = _console()
    for sample in samples:
        body = f"{escape(sample.question)}\n\n[b]gold[/b] {escape(task.gold_answer(sample))}"
        console.print(Panel(body, title=sample.id, expand=False))
    return 0


def _data_roots(path: Path, tasks: list[Task]) -> list[tuple[Task, Path]]:
    """(task, data root) for every task one of whose data folders lies on ``path``. A data
    folder may span several components (``BIG-Bench-Hard/bbh``, ``MATH/train/geometry``)."""
    parts = path.parts
    found = []
    for task in tasks:
        for folder in task.data_dirs:
            wanted = Path(folder).parts
            starts = [i for i in range(len(parts) - len(wanted), -1, -1) if parts[i : i + len(wanted)] == wanted]
            if starts:
                found.append((task, Path(*parts[: starts[0]]) if starts[0] else Path(".")))
                break
    return found


def _same_place(a: str, b: str) -> bool:
    path_a, _, frag_a = a.partition("#")
    path_b, _, frag_b = b.partition("#")
    return frag_a == frag_b and os.path.realpath(path_a) == os.path.realpath(path_b)


def find_sample(path_text: str, task_name: str | None = None) -> tuple[Task, Sample]:
    """The loaded sample whose source is ``path_text``: a sample folder, a file in it, or
    ``FILE#INDEX`` for samples stored several to a file (BBH, GSM-Hard: the example's index
    in the file; Game 24: ``24.csv#rank=N``). Without ``task_name``, the task is the one
    whose data folder the path is in (BBH's tasks share a folder: each is tried)."""
    raw_path, _, fragment = path_text.partition("#")
    path = Path(raw_path).resolve()
    if path.is_file() and path.suffix not in (".csv", ".jsonl", ".json") or path.name in ("question.txt", "solution.json"):
        path = path.parent
    wanted = str(path) + (f"#{fragment}" if fragment else "")
    candidates = _data_roots(path, [get_task(task_name)] if task_name else all_tasks())
    if not candidates:
        if task_name:
            task = get_task(task_name)
            raise ValueError(f"{path} is not inside one of {task.name}'s data folders ({', '.join(task.data_dirs)})")
        raise ValueError(f"no task has a data folder in {path}; pass --task NAME")
    examples = []
    for task, root in candidates:
        samples = task.load(root)
        for sample in samples:
            if sample.source and _same_place(sample.source, wanted):
                return task, sample
        if samples:
            examples.append(f"{task.name}: {samples[0].source}")
    shown = "; ".join(examples[:4]) or "(no samples found)"
    raise ValueError(f"no sample comes from {wanted}; sources look like {shown}")


def _verify(args: argparse.Namespace) -> int:
    answer = sys.stdin.read() if args.answer == "-" else args.answer
    task, sample = find_sample(args.sample_path, args.task)
    score = task.verify(sample, answer, args.mode)
    result = {"task": task.name, "id": sample.id, "mode": args.mode} | score.model_dump(mode="json")
    if args.json:
        _print_json(result)
    else:
        from rich.markup import escape

        colour = {"correct": "green", "incorrect": "red", "partial": "yellow"}[score.verdict]
        line = f"({score.value:g}) {task.name} {sample.id}: {score.reason}"
        _console().print(f"[{colour}]{score.verdict}[/{colour}] {escape(line)}")
    return 0


def _data_dir(args: argparse.Namespace) -> Path:
    """The DATA_DIR argument, else the default folder; FileNotFoundError saying how to name one."""
    if args.data_dir is None:
        from .paths import ENV_VAR, default_data_dir

        args.data_dir = default_data_dir()
        if args.data_dir is None:
            raise FileNotFoundError(
                f"no SymBench data folder found: give DATA_DIR, or set {ENV_VAR} to the folder holding the datasets"
            )
    return args.data_dir


def _check_golds(args: argparse.Namespace) -> int:
    from .golds import check_golds

    _data_dir(args)
    if not args.data_dir.is_dir():
        raise FileNotFoundError(f"{args.data_dir} is not a folder; give the folder that holds the dataset folders")
    reports = check_golds(args.data_dir, _tasks(args.task), keep_empty=bool(args.task))
    failed = any(not r.ok for r in reports)
    if args.json:
        _print_json({"ok": not failed, "tasks": [r.model_dump() for r in reports]})
        return 1 if failed else 0
    from rich.table import Table

    table = Table(title=f"stored golds under {args.data_dir} (strict mode)")
    for column in ("task", "total", "verified", "no gold", "defects", "failures", "seconds"):
        table.add_column(column, justify="left" if column == "task" else "right")
    for r in reports:
        table.add_row(
            r.task, str(r.total), str(r.verified), str(r.without_gold), str(len(r.defects)),
            f"[red]{len(r.failures)}[/red]" if r.failures else "0", f"{r.seconds:.2f}",
        )
    console = _console()
    console.print(table)
    from rich.markup import escape

    for r in reports:
        for issue in r.defects:
            console.print(f"[yellow]defect[/yellow] {escape(f'{r.task} {issue.id}: {issue.reason}')}")
    for r in reports:
        for issue in r.failures:
            console.print(f"[red]FAIL[/red] {escape(f'{r.task} {issue.id}: {issue.reason}')}")
    return 1 if failed else 0


def _export(args: argparse.Namespace) -> int:
    from .export import export

    _data_dir(args)
    try:
        summary = export(args.data_dir, args.out, _tasks(args.task), hf=not args.jsonl_only)
    except RuntimeError as exc:
        if args.jsonl_only or "datasets" not in str(exc):
            raise
        raise RuntimeError(f"{exc}; or pass --jsonl-only to write the JSONL files alone") from None
    _print_json(summary.model_dump())
    return 0
