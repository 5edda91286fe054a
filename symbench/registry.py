"""All tasks, found by importing every module of ``symbench.tasks``.

A task module defines ``TASK`` (one Task) or ``TASKS`` (several). Discovery instead of a
hand-kept list means adding a task is adding a module.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from .types import Task


@lru_cache(maxsize=1)
def _all() -> dict[str, Task]:
    from . import tasks as tasks_pkg

    found: dict[str, Task] = {}
    for info in sorted(pkgutil.iter_modules(tasks_pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{tasks_pkg.__name__}.{info.name}")
        declared = list(getattr(module, "TASKS", ())) + ([module.TASK] if hasattr(module, "TASK") else [])
        for task in declared:
            if task.name in found:
                raise RuntimeError(f"two modules declare the SymBench task {task.name!r}")
            found[task.name] = task
    return found


def all_tasks() -> list[Task]:
    """Every task, seen ones first, each group by name."""
    return sorted(_all().values(), key=lambda t: (not t.seen, t.name))


def task_names() -> list[str]:
    return [t.name for t in all_tasks()]


def get_task(name: str) -> Task:
    """The task called ``name``; KeyError listing the known names otherwise."""
    tasks = _all()
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    if key in tasks:
        return tasks[key]
    raise KeyError(f"unknown SymBench task {name!r}; known tasks: {', '.join(sorted(tasks))}")
