"""Verify every stored SymBench gold in one process (one core) and report the speed.

    python benchmarks/symbench_golds.py [DATA_DIR] [--runs 3] [--json]

Loading is timed apart from verifying. Each figure is the median of ``--runs`` runs; the
goal is under 10 s to verify all stored golds. The baseline measured in the same run is
the cost of extracting the marked answer alone (what every verifier pays before its own
work), so the ratio says how much the verifiers add on top of reading the answer.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

GOAL_SECONDS = 10.0


def _measure(data_dir: Path, runs: int) -> dict:
    from symbench import all_tasks, extract_answer
    from symbench.golds import check_samples

    tasks = all_tasks()
    started = time.perf_counter()
    loaded = {t.name: t.load(data_dir) for t in tasks}
    load_seconds = time.perf_counter() - started
    loaded = {name: samples for name, samples in loaded.items() if samples}
    by_name = {t.name: t for t in tasks}
    answers = {name: [by_name[name].gold_answer(s) for s in samples if s.gold is not None] for name, samples in loaded.items()}

    per_task: dict[str, list[float]] = {name: [] for name in loaded}
    totals, baselines = [], []
    reports = {}
    for _ in range(runs):
        run_started = time.perf_counter()
        for name, samples in loaded.items():
            report = check_samples(by_name[name], samples)
            per_task[name].append(report.seconds)
            reports[name] = report
        totals.append(time.perf_counter() - run_started)
        base_started = time.perf_counter()
        for texts in answers.values():
            for text in texts:
                extract_answer(text)
        baselines.append(time.perf_counter() - base_started)

    total = statistics.median(totals)
    verified = sum(len(a) for a in answers.values())
    return {
        "data_dir": str(data_dir),
        "runs": runs,
        "tasks": len(loaded),
        "samples": sum(len(s) for s in loaded.values()),
        "golds_verified": verified,
        "load_seconds": load_seconds,
        "verify_seconds_median": total,
        "samples_per_second": verified / total if total else float("inf"),
        "baseline_extract_seconds_median": statistics.median(baselines),
        "ratio_to_baseline": total / statistics.median(baselines) if statistics.median(baselines) else None,
        "goal_seconds": GOAL_SECONDS,
        "meets_goal": total < GOAL_SECONDS,
        "failures": sum(len(r.failures) for r in reports.values()),
        "per_task": {
            name: {
                "samples": len(loaded[name]),
                "seconds_median": statistics.median(per_task[name]),
                "per_sample_us": 1e6 * statistics.median(per_task[name]) / max(1, len(loaded[name])),
            }
            for name in sorted(loaded, key=lambda n: -statistics.median(per_task[n]))
        },
    }


def main(argv: list[str] | None = None) -> int:
    from symbench.paths import default_data_dir

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data_dir", nargs="?", type=Path, default=default_data_dir())
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.data_dir is None or not args.data_dir.is_dir():
        print("no SymBench data folder: pass DATA_DIR or set CODESTEER_SYMBENCH_DIR", file=sys.stderr)
        return 2
    result = _measure(args.data_dir, max(1, args.runs))
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"stored golds verified per task (median of {result['runs']} runs)")
    for column in ("task", "samples", "seconds", "µs / sample"):
        table.add_column(column, justify="left" if column == "task" else "right")
    for name, row in result["per_task"].items():
        table.add_row(name, str(row["samples"]), f"{row['seconds_median']:.3f}", f"{row['per_sample_us']:.0f}")
    console = Console()
    console.print(table)
    console.print(
        f"{result['golds_verified']} golds of {result['samples']} samples in {result['tasks']} tasks: "
        f"{result['verify_seconds_median']:.2f} s (median of {result['runs']}), "
        f"{result['samples_per_second']:.0f} samples/s; loading {result['load_seconds']:.2f} s; "
        f"answer extraction alone {result['baseline_extract_seconds_median']:.3f} s "
        f"(verifying costs x{result['ratio_to_baseline']:.0f}); "
        f"goal < {GOAL_SECONDS:.0f} s: {'met' if result['meets_goal'] else 'NOT met'}; "
        f"undocumented failures: {result['failures']}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
