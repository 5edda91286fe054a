"""The live progress bar: samples done, success so far, time left."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from .records import SampleRecord


class RunProgress:
    """Feeds records into a rich Progress. Counts only this process's records toward
    the ETA, but shows the whole run (resumed records included) in the totals."""

    def __init__(self, console: Console | None = None, *, enabled: bool = True) -> None:
        self.console = console or Console(stderr=True)
        self.enabled = enabled
        self._progress: Progress | None = None
        self._task_id = None
        self.done = 0
        self.correct = 0.0

    def __enter__(self) -> "RunProgress":
        if self.enabled:
            self._progress = Progress(
                TextColumn("[bold]eval"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("success {task.fields[success]}"),
                TimeElapsedColumn(),
                TextColumn("eta"),
                TimeRemainingColumn(),
                console=self.console,
                transient=False,
            )
            self._progress.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)

    def start(self, planned: int, already: list[SampleRecord]) -> None:
        self.done = len(already)
        self.correct = sum(r.score.value for r in already)
        if self._progress is not None:
            self._task_id = self._progress.add_task("eval", total=planned, completed=self.done, success=self._success())

    def _success(self) -> str:
        return f"{100.0 * self.correct / self.done:.1f}%" if self.done else "-"

    def record(self, record: SampleRecord) -> None:
        self.done += 1
        self.correct += record.score.value
        if self._progress is not None and self._task_id is not None:
            self._progress.update(self._task_id, advance=1, success=self._success())
