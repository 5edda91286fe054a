"""``mcp-codesteer report RUN_DIR [RUN_DIR...]``: re-render one run, or compare several in
one table (with the paired differences of each method across the runs); with
``--sample ID``, print one sample's transcript instead."""

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
    parser.add_argument("--sample", metavar="ID", default=None,
                        help="print the transcript of this sample (its id, or its key task/id/method) instead")
    parser.add_argument("--method", default=None, help="with --sample: only this method's transcript")


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from .report import build_report, load_runs, render_rich, save_report, wide_console, to_markdown
    from .runlog import RunLogError

    err = Console(stderr=True, soft_wrap=True)
    if args.sample is not None:
        return _transcripts(args, err)
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


def _transcripts(args: argparse.Namespace, err) -> int:
    from .runlog import RunLogError, read_run
    from .transcript import find_records, render_transcript

    shown = 0
    for run_dir in args.run_dirs:
        try:
            _, records = read_run(run_dir)
        except RunLogError as exc:
            err.print(f"mcp-codesteer report: {exc}", highlight=False)
            return 2
        for record in find_records(records, args.sample, args.method):
            print(render_transcript(record), end="\n\n")
            shown += 1
    if not shown:
        err.print(f"mcp-codesteer report: no sample {args.sample!r}"
                  + (f" with method {args.method}" if args.method else "")
                  + " in " + ", ".join(str(d) for d in args.run_dirs)
                  + " (the ids are the 'sample_id' fields of the run's samples.jsonl)", highlight=False)
        return 2
    return 0
