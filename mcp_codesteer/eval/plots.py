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


def plot_success_by_task(report: "Report", path: Path) -> Path:
    """Grouped bars: one group per task, one bar per (run, method)."""
    plt = _pyplot()
    by_key = {(c.task, c.run, c.method): c.success_pct for c in report.cells}
    tasks, columns = report.tasks, report.columns
    width = 0.8 / max(1, len(columns))
    fig, ax = plt.subplots(figsize=(max(6.0, 0.9 * len(tasks) * max(1, len(columns)) * 0.35 + 3), 4.5))
    for j, (run, method) in enumerate(columns):
        xs = [i + (j - (len(columns) - 1) / 2) * width for i in range(len(tasks))]
        ax.bar(xs, [by_key.get((t, run, method), 0.0) for t in tasks], width, label=report.column_title(run, method))
    ax.set_xticks(range(len(tasks)))
    ax.set_xticklabels(tasks, rotation=45, ha="right", fontsize=8)
    ax.set_ylabel("success %")
    ax.set_ylim(0, 105)
    ax.set_title("Success rate by task and method")
    ax.legend(fontsize=7, ncol=min(5, len(columns)))
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def plot_success_by_rounds(report: "Report", path: Path) -> Path:
    """Success % of the samples that used k TaskLLM rounds, one line per (run, method);
    marker size grows with how many samples used k rounds."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    for run in report.runs:
        groups: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
        for r in run.records:
            groups[r.method][r.rounds].append(r.score.value)
        for method, by_rounds in groups.items():
            ks = sorted(by_rounds)
            rates = [100.0 * sum(by_rounds[k]) / len(by_rounds[k]) for k in ks]
            sizes = [12 + 4 * len(by_rounds[k]) ** 0.5 * 4 for k in ks]
            line, = ax.plot(ks, rates, marker="", label=report.column_title(run.label, method))
            ax.scatter(ks, rates, s=sizes, color=line.get_color())
    ax.set_xlabel("TaskLLM rounds used")
    ax.set_ylabel("success %")
    ax.set_ylim(-2, 105)
    ax.set_title("Success against rounds used")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def save_plots(report: "Report", out_dir: Path) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return [
        plot_success_by_task(report, out_dir / "success_by_task.png"),
        plot_success_by_rounds(report, out_dir / "success_by_rounds.png"),
    ]
