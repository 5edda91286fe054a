"""PNG plots of a report (matplotlib, imported only here, drawn off-screen)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .report import Report

INSTALL_HINT = "plots need matplotlib: pip install 'mcp-codesteer[eval]' (or --no-plots)"


def _pyplot():
    try:
        import matplotlib
    except ImportError as exc:
        raise RuntimeError(INSTALL_HINT) from exc
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def _color(index: int):
    import matplotlib

    return matplotlib.colormaps["tab10"](index % 10)


def _save(plt, fig, ax, path: Path) -> Path:
    """The legend outside the axes (the method names are long), then the PNG."""
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def plot_success_by_task(report: "Report", path: Path) -> Path:
    """Grouped bars: one group per task, one bar per (run, method)."""
    plt = _pyplot()
    by_key = {(c.task, c.run, c.method): c.success_pct for c in report.cells}
    tasks, columns = report.tasks, report.columns
    width = 0.8 / max(1, len(columns))
    fig, ax = plt.subplots(figsize=(max(7.0, 0.3 * len(tasks) * max(1, len(columns)) + 4), 4.5))
    for j, (run, method) in enumerate(columns):
        xs = [i + (j - (len(columns) - 1) / 2) * width for i in range(len(tasks))]
        ax.bar(xs, [by_key.get((t, run, method), 0.0) for t in tasks], width, label=report.column_title(run, method),
               color=_color(j))
    ax.set_xticks(range(len(tasks)))
    ax.set_xticklabels(tasks, rotation=45, ha="right", fontsize=8)
    ax.set_ylabel("success %")
    ax.set_ylim(0, 105)
    ax.set_title("Success rate by task and method")
    return _save(plt, fig, ax, path)


def plot_success_by_rounds(report: "Report", path: Path) -> Path:
    """Success % of the samples that used k TaskLLM rounds, one line per (run, method);
    marker size grows with how many samples used k rounds."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8.0, 4.5))
    groups: dict[tuple[str, str], dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    for run in report.runs:
        for r in run.records:
            groups[(run.label, r.method)][r.rounds].append(r.score.value)
    for j, column in enumerate(report.columns):
        by_rounds = groups.get(column)
        if not by_rounds:
            continue
        ks = sorted(by_rounds)
        rates = [100.0 * sum(by_rounds[k]) / len(by_rounds[k]) for k in ks]
        sizes = [16 + 12 * len(by_rounds[k]) ** 0.5 for k in ks]
        # a small sideways offset per method keeps methods with equal points visible
        xs = [k + (j - (len(report.columns) - 1) / 2) * 0.06 for k in ks]
        ax.plot(xs, rates, color=_color(j), label=report.column_title(*column), alpha=0.8)
        ax.scatter(xs, rates, s=sizes, color=_color(j), alpha=0.8)
    ax.set_xlabel("TaskLLM rounds used")
    ax.set_ylabel("success %")
    ax.set_ylim(-2, 105)
    ax.set_title("Success against rounds used (marker size: samples)")
    ax.xaxis.get_major_locator().set_params(integer=True)
    return _save(plt, fig, ax, path)


def save_plots(report: "Report", out_dir: Path) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return [
        plot_success_by_task(report, out_dir / "success_by_task.png"),
        plot_success_by_rounds(report, out_dir / "success_by_rounds.png"),
    ]
