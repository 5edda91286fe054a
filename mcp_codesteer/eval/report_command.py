"""``mcp-codesteer report RUN_DIR [RUN_DIR...]``: re-render one run, or compare several in one table."""

from __future__ import annotations

import argparse
from pathlib import Path


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run_dirs", nargs="+", type=Path, metavar="RUN_DIR", help="eval run directories")
    parser.add_argument("--out", type=Path, default=None,
                        help="where to write report.md, report.csv and plots/ (default: the run directory "
                             "for one run; nothing is written for several unless given)")
    parser.add_argument("--data-dir", type=Path, default=None, help="folder holding paper_table1.csv (for the normalised score)")
    parser.add_argument("--no-plots", action="store_true", help="no PNG plots")
    parser.add_argument("--markdown", action="store_true", help="print the Markdown report instead of rich tables")


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from .report import build_report, load_runs, render_rich, save_report, wide_console, to_markdown
    from .runlog import RunLogError

    err = Console(stderr=True, soft_wrap=True)
    try:
        report = build_report(load_runs(args.run_dirs), paper_data_dir=args.data_dir)
    except RunLogError as exc:
        err.print(f"mcp-codesteer report: {exc}", highlight=False)
        return 2
    if args.markdown:
        print(to_markdown(report), end="")
    else:
        render_rich(report, wide_console())
    out = args.out or (args.run_dirs[0] if len(args.run_dirs) == 1 else None)
    if out is not None:
        written = save_report(report, out, plots=not args.no_plots,
                              on_plots_skipped=lambda why: err.print(f"plots skipped: {why}", highlight=False))
        err.print(f"wrote {', '.join(str(p) for p in written)}", highlight=False)
    return 0
