"""SymBench: the 37 symbolic tasks of CodeSteer, with loaders, seeded generators and verifiers."""

from .extract import extract_answer
from .registry import all_tasks, get_task, task_names
from .types import Sample, Score, ScoringMode, Task

__all__ = ["Sample", "Score", "ScoringMode", "Task", "all_tasks", "extract_answer", "get_task", "task_names"]
