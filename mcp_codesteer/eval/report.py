"""The report of one or more runs: per task and method, success rate, the paper's
normalised score, tokens, time and rounds; as rich tables, Markdown, CSV and PNG plots.

Normalised score (the paper's Table 1 convention, computed by symbench.scoring): each
task's success rate divided by the best rate in that task's row, averaged over tasks.
The row is the paper's 13 methods (paper_table1.csv) plus every method and run in this
report, so the best is never below what we measured and the score stays within 0-100.
Where the table has no row for a task (or is not found), the row is this report's
methods alone.

Every success rate carries a 95% interval, and every pair of methods run on the same
samples (within a run, and the same method across runs) gets its paired difference
with a 95% interval (see stats.py for how each is computed).
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from symbench.scoring import normalised_scores

from .methods import METHOD_TITLES
from .records import METHODS, RunHeader, SampleRecord
from .runlog import read_run
from .stats import PairedDifference, mean_interval, paired_difference

REPORT_MD = "report.md"
REPORT_CSV = "report.csv"
PLOTS_DIR = "plots"


@dataclass
class RunData:
    label: str
    header: RunHeader
    records: list[SampleRecord]


@dataclass
class Cell:
    """One run's results on one task with one method."""

    run: str
    task: str
    method: str
    n: int
    success_pct: float
    correct: int
    errors: int
    timeouts: int
    input_tokens: float | None
    output_tokens: float | None
    wall_s: float
    rounds: float
    normalised: float | None = None
    ci_low: float = 0.0  # 95% interval of success_pct, in percent
    ci_high: float = 100.0

    @property
    def column(self) -> str:
        return f"{self.run}:{self.method}"


@dataclass
class MethodSummary:
    run: str
    method: str
    tasks: int
    n: int
    success_pct: float
    normalised: float | None
    input_tokens: int | None
    output_tokens: int | None
    wall_s: float
    rounds: float
    errors: int
    timeouts: int
    ci_low: float = 0.0  # 95% interval of the pooled samples' mean score, in percent
    ci_high: float = 100.0


@dataclass
class Paired:
    """Column A minus column B on the samples (task, sample id) both hold, in points."""

    a: tuple[str, str]  # (run, method)
    b: tuple[str, str]
    diff: PairedDifference


@dataclass
class Report:
    runs: list[RunData]
    cells: list[Cell]
    summaries: list[MethodSummary]
    paper_source: str | None = None
    columns: list[tuple[str, str]] = field(default_factory=list)  # (run, method) in display order
    tasks: list[str] = field(default_factory=list)
    paired: list[Paired] = field(default_factory=list)

    @property
    def multi_run(self) -> bool:
        return len(self.runs) > 1

    def column_title(self, run: str, method: str) -> str:
        title = METHOD_TITLES.get(method, method)
        return f"{run}: {title}" if self.multi_run else title


def load_runs(run_dirs: list[Path]) -> list[RunData]:
    runs = []
    labels: set[str] = set()
    for run_dir in run_dirs:
        header, records = read_run(Path(run_dir))
        label = header.label or Path(run_dir).name
        if label in labels:  # two runs with one name: tell them apart by id
            label = f"{label}#{header.run_id[:6]}"
        labels.add(label)
        runs.append(RunData(label=label, header=header, records=records))
    return runs


def _paper_table(data_dirs: list[Path | None]):
    """The paper's Table 1 (symbench.scoring) from the first folder holding it, with its path."""
    from symbench.paths import paper_table_path
    from symbench.scoring import load_paper_table

    for data_dir in data_dirs + [None]:
        try:
            path = paper_table_path(Path(data_dir) if data_dir else None)
        except FileNotFoundError:
            continue
        return load_paper_table(path), str(path)
    return None, None


def paper_normalised(cells: list[Cell], titles: dict[str, str], data_dirs: list[Path | None]) -> tuple[dict, str | None]:
    """{(run, method, task): normalised %} for the tasks the paper's table has, computed by
    symbench.scoring with every (run, method) of the report added to the table's methods."""
    table, source = _paper_table(data_dirs)
    if table is None:
        return {}, None
    known = set(table.titles)
    extra: dict[str, dict[str, float]] = defaultdict(dict)
    for cell in cells:
        title = titles.get(cell.task)
        if title in known:
            extra[f"{cell.run}\x00{cell.method}"][title] = cell.success_pct
    result: dict[tuple[str, str, str], float] = {}
    by_title = {title: task for task, title in titles.items()}
    for title in {t for rates in extra.values() for t in rates}:
        # one task at a time: a method that skipped some task still gets the others
        present = {m: rates for m, rates in extra.items() if title in rates}
        scores = normalised_scores(table, present, titles=[title])
        for name, value in scores.per_task.get(title, {}).items():
            if name in present:
                run, method = name.split("\x00", 1)
                result[(run, method, by_title[title])] = value
    return result, source


def _task_titles(task_names: set[str]) -> dict[str, str]:
    titles = {}
    try:
        import symbench

        for name in task_names:
            try:
                titles[name] = symbench.get_task(name).title
            except KeyError:
                pass
    except ImportError:
        pass
    return titles


def _mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else 0.0


def _mean_or_none(values: list[int | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.fmean(present) if present else None


def build_report(runs: list[RunData], *, paper_data_dir: Path | None = None) -> Report:
    groups: dict[tuple[str, str, str], list[SampleRecord]] = defaultdict(list)
    task_order: list[str] = []
    columns: list[tuple[str, str]] = []
    for run in runs:
        method_order = [m for m in run.header.config.methods] or list(METHODS)
        for method in method_order:
            if (run.label, method) not in columns:
                columns.append((run.label, method))
        for task in run.header.config.tasks:
            if task not in task_order and task != "all":
                task_order.append(task)
        for r in run.records:
            groups[(run.label, r.task, r.method)].append(r)
            if r.task not in task_order:
                task_order.append(r.task)
            if (run.label, r.method) not in columns:
                columns.append((run.label, r.method))
    tasks_seen = {task for (_, task, _) in groups}
    task_order = [t for t in task_order if t in tasks_seen]

    cells: list[Cell] = []
    for (run, task, method), recs in groups.items():
        low, high = mean_interval([r.score.value for r in recs], seed_text=f"{run}/{task}/{method}")
        cells.append(Cell(
            run=run, task=task, method=method, n=len(recs),
            success_pct=100.0 * _mean([r.score.value for r in recs]),
            correct=sum(r.success for r in recs),
            errors=sum(r.status == "error" for r in recs),
            timeouts=sum(r.status == "timeout" for r in recs),
            input_tokens=_mean_or_none([r.usage.input_tokens for r in recs]),
            output_tokens=_mean_or_none([r.usage.output_tokens for r in recs]),
            wall_s=_mean([r.wall_s for r in recs]),
            rounds=_mean([float(r.rounds) for r in recs]),
            ci_low=100.0 * low, ci_high=100.0 * high,
        ))

    data_dirs = [paper_data_dir] + [Path(r.header.config.data_dir) for r in runs if r.header.config.data_dir]
    titles = _task_titles(tasks_seen)
    from_paper, paper_source = paper_normalised(cells, titles, data_dirs)
    best_here: dict[str, float] = defaultdict(float)
    for cell in cells:
        best_here[cell.task] = max(best_here[cell.task], cell.success_pct)
    for cell in cells:
        if (cell.run, cell.method, cell.task) in from_paper:
            cell.normalised = from_paper[(cell.run, cell.method, cell.task)]
        else:  # no row in the paper's table: the best of this report sets the scale
            best = best_here[cell.task]
            cell.normalised = 100.0 * cell.success_pct / best if best > 0 else None

    summaries = []
    for run, method in columns:
        mine = [c for c in cells if c.run == run and c.method == method]
        if not mine:
            continue
        recs = [r for c in mine for r in groups[(run, c.task, method)]]
        normals = [c.normalised for c in mine if c.normalised is not None]
        low, high = mean_interval([r.score.value for r in recs], seed_text=f"{run}/{method}")
        summaries.append(MethodSummary(
            run=run, method=method, tasks=len(mine), n=len(recs),
            success_pct=_mean([c.success_pct for c in mine]),
            normalised=_mean(normals) if normals else None,
            input_tokens=_mean_or_none([r.usage.input_tokens for r in recs]),
            output_tokens=_mean_or_none([r.usage.output_tokens for r in recs]),
            wall_s=_mean([r.wall_s for r in recs]),
            rounds=_mean([float(r.rounds) for r in recs]),
            errors=sum(c.errors for c in mine),
            timeouts=sum(c.timeouts for c in mine),
            ci_low=100.0 * low, ci_high=100.0 * high,
        ))
    cells.sort(key=lambda c: (task_order.index(c.task), columns.index((c.run, c.method))))
    return Report(runs=runs, cells=cells, summaries=summaries, paper_source=paper_source,
                  columns=columns, tasks=task_order, paired=paired_differences(runs, columns))


def _compared_pairs(columns: list[tuple[str, str]]) -> list[tuple[tuple[str, str], tuple[str, str]]]:
    """Every two methods of one run, and one method across runs, in display order."""
    pairs = []
    for i, a in enumerate(columns):
        for b in columns[i + 1 :]:
            if a[0] == b[0] or a[1] == b[1]:
                pairs.append((a, b))
    return pairs


def paired_differences(runs: list[RunData], columns: list[tuple[str, str]]) -> list[Paired]:
    """A minus B for each compared pair of columns, over the samples both scored."""
    scores: dict[tuple[str, str], dict[tuple[str, str], float]] = defaultdict(dict)
    for run in runs:
        for r in run.records:
            scores[(run.label, r.method)][(r.task, r.sample_id)] = r.score.value
    result = []
    for a, b in _compared_pairs(columns):
        shared = sorted(scores[a].keys() & scores[b].keys())
        if not shared:
            continue
        diff = paired_difference([scores[a][k] for k in shared], [scores[b][k] for k in shared],
                                 seed_text=f"{a}/{b}")
        result.append(Paired(a=a, b=b, diff=diff))
    return result


# ---- rendering ----------------------------------------------------------------------

def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _tokens(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _interval(low: float, high: float) -> str:
    return f"{low:.1f}-{high:.1f}"


def wide_rows(report: Report) -> tuple[list[str], list[list[str]]]:
    """Success % with rows = tasks, columns = (run, method); then the mean and normalised rows."""
    head = ["task"] + [report.column_title(run, method) for run, method in report.columns]
    by_key = {(c.task, c.run, c.method): c for c in report.cells}
    rows = []
    for task in report.tasks:
        row = [task]
        for run, method in report.columns:
            cell = by_key.get((task, run, method))
            row.append("-" if cell is None else f"{cell.success_pct:.1f} ({cell.n})")
        rows.append(row)
    summaries = {(s.run, s.method): s for s in report.summaries}
    rows.append(["mean success %"] + [_fmt(getattr(summaries.get(col), "success_pct", None)) for col in report.columns])
    rows.append(["normalised"] + [_fmt(getattr(summaries.get(col), "normalised", None)) for col in report.columns])
    return head, rows


DETAIL_HEAD = ["task", "method", "n", "success %", "95% CI", "normalised", "tokens in", "tokens out", "time s", "rounds", "errors", "timeouts"]


def detail_rows(report: Report) -> list[list[str]]:
    rows = []
    for c in report.cells:
        rows.append([c.task, report.column_title(c.run, c.method), str(c.n), _fmt(c.success_pct),
                     _interval(c.ci_low, c.ci_high), _fmt(c.normalised),
                     _tokens(c.input_tokens), _tokens(c.output_tokens), _fmt(c.wall_s, 2), _fmt(c.rounds, 2),
                     str(c.errors), str(c.timeouts)])
    return rows


SUMMARY_HEAD = ["method", "tasks", "samples", "success %", "95% CI", "normalised", "tokens in/sample",
                "tokens out/sample", "time s/sample", "rounds/sample", "errors", "timeouts"]


def summary_rows(report: Report) -> list[list[str]]:
    return [[report.column_title(s.run, s.method), str(s.tasks), str(s.n), _fmt(s.success_pct),
             _interval(s.ci_low, s.ci_high), _fmt(s.normalised),
             _tokens(s.input_tokens), _tokens(s.output_tokens), _fmt(s.wall_s, 2), _fmt(s.rounds, 2),
             str(s.errors), str(s.timeouts)] for s in report.summaries]


PAIRED_HEAD = ["A", "B", "samples", "A - B (points)", "95% CI", "only A right", "only B right", "p (McNemar)"]


def paired_rows(report: Report) -> list[list[str]]:
    rows = []
    for p in report.paired:
        d = p.diff
        rows.append([report.column_title(*p.a), report.column_title(*p.b), str(d.n), f"{100 * d.mean:+.1f}",
                     f"{100 * d.low:+.1f} to {100 * d.high:+.1f}", str(d.a_only), str(d.b_only),
                     "-" if d.p_value is None else f"{d.p_value:.3g}"])
    return rows


def _md_table(head: list[str], rows: list[list[str]]) -> str:
    def esc(cell: str) -> str:
        return cell.replace("|", "\\|")

    lines = ["| " + " | ".join(esc(h) for h in head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def run_lines(run: RunData) -> list[str]:
    h, cfg = run.header, run.header.config
    done = len(run.records)
    return [
        f"- run `{run.label}` (id {h.run_id}), created {h.created_at:%Y-%m-%d %H:%M UTC}"
        + (f", resumed {len(h.resumed_at)}x" if h.resumed_at else ""),
        f"- TaskLLM `{cfg.task_llm}`, temperature {cfg.generation.temperature:g}, max tokens {cfg.generation.max_tokens}"
        + (f", seed {cfg.generation.seed}" if cfg.generation.seed is not None else ""),
        f"- server: {'`' + cfg.server.url + '`' if cfg.server.url else 'stdio subprocess'}, guide `{cfg.server.guide}`, "
        f"sandbox `{cfg.server.sandbox}`, max rounds {cfg.server.max_rounds}",
        f"- data: {('generated, ' + str(cfg.generated) + ' per task, seed ' + str(cfg.seed)) if cfg.generated else (cfg.data_dir or '-')}"
        + (f", limit {cfg.limit} per task (seed {cfg.seed})" if cfg.limit and not cfg.generated else "")
        + f"; scoring `{cfg.scoring_mode}`",
        f"- records: {done} of {h.samples_planned} planned" + ("" if done >= h.samples_planned else " (incomplete: --resume to finish)"),
        f"- mcp-codesteer {h.package_version}, git {h.git_revision[:12] if h.git_revision else 'unknown'}"
        + (" (dirty)" if h.git_dirty else ""),
    ] + [
        f"- feedback in {METHOD_TITLES.get(m, m)}: {h.method_feedback[m]}" for m in cfg.methods if m in h.method_feedback
    ]


def to_markdown(report: Report) -> str:
    parts = ["# SymBench evaluation report", ""]
    for run in report.runs:
        parts += run_lines(run) + [""]
    parts += ["## Summary", "", _md_table(SUMMARY_HEAD, summary_rows(report)), ""]
    head, rows = wide_rows(report)
    parts += ["## Success rate (%) by task and method", "", "Cells: success % (samples).", "", _md_table(head, rows), ""]
    if report.paired:
        parts += ["## Paired differences", "",
                  "A minus B on the samples both were run on, in percentage points; an interval that excludes 0 "
                  "is a difference these samples support.", "", _md_table(PAIRED_HEAD, paired_rows(report)), ""]
    parts += ["## Details", "", _md_table(DETAIL_HEAD, detail_rows(report)), ""]
    note = ("Normalised: each task's success rate over the best rate in its row of the paper's Table 1 "
            "plus this report's methods, averaged over tasks")
    parts.append(note + (f" (table: `{report.paper_source}`)." if report.paper_source else " (paper table not found: best of this report only)."))
    parts.append("Success %: mean score (a partial score counts its value); its 95% CI is Wilson's for 0/1 scores, "
                 "a bootstrap otherwise (the summary's: over its samples pooled). Tokens, time and rounds: means per "
                 "sample. Paired differences: a paired bootstrap interval and McNemar's exact test.")
    return "\n".join(parts) + "\n"


CSV_FIELDS = ["run", "task", "method", "n", "success_pct", "ci_low_pct", "ci_high_pct", "normalised", "correct", "errors", "timeouts",
              "input_tokens_mean", "output_tokens_mean", "wall_s_mean", "rounds_mean"]


def to_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for c in report.cells:
        writer.writerow([c.run, c.task, c.method, c.n, f"{c.success_pct:.4f}", f"{c.ci_low:.4f}", f"{c.ci_high:.4f}",
                         "" if c.normalised is None else f"{c.normalised:.4f}", c.correct, c.errors, c.timeouts,
                         "" if c.input_tokens is None else f"{c.input_tokens:.1f}",
                         "" if c.output_tokens is None else f"{c.output_tokens:.1f}",
                         f"{c.wall_s:.4f}", f"{c.rounds:.3f}"])
    return out.getvalue()


def wide_console():
    """A stdout Console that does not squeeze tables to 80 columns when piped to a file."""
    from rich.console import Console

    console = Console()
    return console if console.is_terminal else Console(width=220)


def render_rich(report: Report, console) -> None:
    """Print the summary and the task x method table to a rich Console."""
    from rich.table import Table

    for run in report.runs:
        for line in run_lines(run):
            console.print(line.replace("`", ""), highlight=False)
    summary = Table(title="Summary", show_lines=False)
    for h in SUMMARY_HEAD:
        summary.add_column(h, justify="left" if h == "method" else "right")
    for row in summary_rows(report):
        summary.add_row(*row)
    console.print(summary)
    head, rows = wide_rows(report)
    wide = Table(title="Success rate (%) by task and method (samples)")
    for i, h in enumerate(head):
        wide.add_column(h, justify="left" if i == 0 else "right")
    for i, row in enumerate(rows):
        wide.add_row(*row, end_section=(i == len(rows) - 3))
    console.print(wide)
    if report.paired:
        paired = Table(title="Paired differences, A - B on the same samples (percentage points, 95% CI)")
        for h in PAIRED_HEAD:
            paired.add_column(h, justify="left" if h in ("A", "B") else "right")
        for row in paired_rows(report):
            paired.add_row(*row)
        console.print(paired)


def save_report(
    report: Report, out_dir: Path, *, plots: bool = True, on_plots_skipped: Callable[[str], None] | None = None
) -> list[Path]:
    """Write report.md, report.csv and (with matplotlib) plots/*.png; the paths written.

    When the plots cannot be drawn (matplotlib missing) the RuntimeError is raised, after
    the tables are written; with ``on_plots_skipped`` it is told why instead, and the
    tables alone are returned.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in ((REPORT_MD, to_markdown(report)), (REPORT_CSV, to_csv(report))):
        path = out_dir / name
        tmp = out_dir / f".{name}.tmp"
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        written.append(path)
    if plots:
        from .plots import save_plots

        try:
            written += save_plots(report, out_dir / PLOTS_DIR)
        except RuntimeError as exc:
            if on_plots_skipped is None:
                raise
            on_plots_skipped(str(exc))
    return written


def report_for(run_dirs: list[Path], *, paper_data_dir: Path | None = None) -> Report:
    return build_report(load_runs(run_dirs), paper_data_dir=paper_data_dir)
