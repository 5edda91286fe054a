"""``mcp-codesteer eval``: run SymBench through the server's tools against a TaskLLM."""

from __future__ import annotations

import argparse
import os
import re
import sys
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel

from guide.chat import MODEL_SPEC_HELP
from guide import GUIDE_SPEC_HELP
from sandbox import sandbox_names

from .records import GenerationSettings, RunConfig, ServerSpec

DEFAULT_CONCURRENCY = 4


def _default(model: type[BaseModel], field: str):
    """A flag's default is the setting's own, so the two cannot drift apart."""
    return model.model_fields[field].default


class _DefaultsFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Adds "(default: X)" only where the help does not already say the default, and not for None."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if "default" in text or any(action.default is v for v in (None, False, argparse.SUPPRESS)):
            return text
        return super()._get_help_string(action)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = _DefaultsFormatter
    what = parser.add_argument_group("what to run")
    what.add_argument("--task-llm", help=f"the model under test, {MODEL_SPEC_HELP} (required unless --resume)")
    what.add_argument("--methods", default="all",
                      help="comma-separated: only_question, all_text, all_code, code_feedback, codesteer, "
                           "codesteer+checks (codesteer plus the SymBench constraint checks), chain_of_code; "
                           "all = the paper's five (all,chain_of_code adds Chain of Code beside them)")
    what.add_argument("--tasks", default="all", help="comma-separated SymBench task names, or all")
    what.add_argument("--limit", type=int, default=None, help="samples per task (a seeded subset of the stored data)")
    what.add_argument("--seed", type=int, default=_default(RunConfig, "seed"), help="chooses the --limit subset, and the generator seeds")
    what.add_argument("--data-dir", type=Path, default=None, help="SymBench data folder (default: $CODESTEER_SYMBENCH_DIR, else ../shared/symbench beside the checkout)")
    what.add_argument("--generated", type=int, default=None, metavar="N",
                      help="use N generated samples per task (seeds SEED..SEED+N-1) instead of stored data")
    what.add_argument("--scoring", choices=("strict", "faithful"), default=_default(RunConfig, "scoring_mode"), help="SymBench scoring mode")

    model = parser.add_argument_group("the TaskLLM")
    model.add_argument("--base-url", default=None, help="deprecated: write the URL into --task-llm as KIND:MODEL@BASE_URL")
    model.add_argument("--api-key", default=None, help="API key (default: $OPENAI_API_KEY / $ANTHROPIC_API_KEY); never stored")
    model.add_argument("--temperature", type=float, default=_default(GenerationSettings, "temperature"),
                       help="sampling temperature of every TaskLLM call (0: the most likely reply)")
    model.add_argument("--max-tokens", type=int, default=_default(GenerationSettings, "max_tokens"),
                       help="the longest reply asked for in one TaskLLM call, in tokens")
    model.add_argument("--llm-seed", type=int, default=None, help="sampling seed sent to APIs that take one")
    model.add_argument("--max-retries", type=int, default=_default(GenerationSettings, "max_retries"), help="retries of rate-limited or transiently failed calls")
    model.add_argument("--request-timeout", type=float, default=_default(GenerationSettings, "request_timeout_s"), help="seconds one model call may take")

    server = parser.add_argument_group("the server")
    server.add_argument("--server-url", default=None, help="a running server (streamable HTTP); default: start `mcp-codesteer serve` over stdio")
    server.add_argument("--server-token", default=None, help="bearer token for --server-url (default: $CODESTEER_AUTH_TOKEN)")
    server.add_argument("--guide", default=_default(ServerSpec, "guide"), help=f"guide of the started server: {GUIDE_SPEC_HELP}")
    server.add_argument("--sandbox", choices=sandbox_names(), default=_default(ServerSpec, "sandbox"), help="sandbox of the started server")
    server.add_argument("--max-rounds", type=int, default=_default(ServerSpec, "max_rounds"), help="TaskLLM turns per sample in code_feedback, codesteer and chain_of_code")
    server.add_argument("--code-timeout", type=float, default=None, help="run_code timeout (s) for all_code / code_feedback")

    control = parser.add_argument_group("run control")
    control.add_argument("--out", type=Path, default=None, help="run directory (default: runs/<time>-<model>)")
    control.add_argument("--resume", action="store_true", help="finish the run in --out with its stored settings")
    control.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY, help="samples in flight at once")
    control.add_argument("--sample-timeout", type=float, default=_default(RunConfig, "sample_timeout_s"),
                         help="seconds one sample of one method may take; past it the sample is recorded as timeout")
    control.add_argument("--no-progress", action="store_true", help="no progress bar")
    control.add_argument("--no-plots", action="store_true", help="write the report without PNG plots")


def _default_out(task_llm: str) -> Path:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", task_llm).strip("-")[:40] or "run"
    return Path("runs") / f"{datetime.now():%Y%m%d-%H%M%S}-{slug}"


def build_config(args: argparse.Namespace):
    """The RunConfig the flags describe; ValueError with what to fix."""
    from .methods import parse_methods
    from .runner import default_data_dir

    if not args.task_llm:
        raise ValueError("--task-llm is required for a new run (e.g. --task-llm openai:gpt-4o), or pass --resume --out RUN_DIR")
    if args.generated is None:
        data_dir = args.data_dir or default_data_dir()
        if data_dir is None:
            raise ValueError("no SymBench data folder found: pass --data-dir DIR, set CODESTEER_SYMBENCH_DIR, or use --generated N")
        if not Path(data_dir).is_dir():
            raise ValueError(f"--data-dir {data_dir} is not a folder")
    else:
        data_dir = args.data_dir
    tasks = [t.strip() for t in args.tasks.split(",") if t.strip()] or ["all"]
    return RunConfig(
        tasks=tasks,
        methods=parse_methods(args.methods),
        task_llm=args.task_llm,
        generation=GenerationSettings(temperature=args.temperature, max_tokens=args.max_tokens, seed=args.llm_seed,
                                      max_retries=args.max_retries, request_timeout_s=args.request_timeout),
        limit=args.limit,
        seed=args.seed,
        data_dir=str(Path(data_dir).resolve()) if data_dir else None,
        generated=args.generated,
        scoring_mode=args.scoring,
        sample_timeout_s=args.sample_timeout,
        code_timeout_s=args.code_timeout,
        server=ServerSpec(url=args.server_url, guide=args.guide, sandbox=args.sandbox, max_rounds=args.max_rounds),
    )


def run(args: argparse.Namespace) -> int:
    import anyio
    from pydantic import ValidationError
    from rich.console import Console

    from .progress import RunProgress
    from .report import build_report, load_runs, render_rich, save_report, wide_console
    from .runlog import RunLogError
    from .runner import PlanError, execute_run, resolve_tasks
    from .tools import server_command

    err = Console(stderr=True, soft_wrap=True)
    config = None
    if args.resume:
        if args.out is None:
            err.print("--resume needs --out RUN_DIR (the run to finish)")
            return 2
        run_dir = args.out
    else:
        try:
            config = build_config(args)
            resolve_tasks(config.tasks)
        except (ValueError, ValidationError, PlanError) as exc:
            err.print(f"mcp-codesteer eval: {exc}", highlight=False)
            return 2
        run_dir = args.out or _default_out(config.task_llm)
        if not config.server.url:
            config.server.command = server_command(config.server, (run_dir / "server").resolve())

    progress = RunProgress(err, enabled=not args.no_progress and err.is_terminal)
    planned_total: list[int] = []

    def on_start(planned: int, done: int) -> None:
        from .runlog import read_records

        planned_total.append(planned)
        progress.start(planned, read_records(run_dir) if done else [])

    async def main():
        with progress:
            return await execute_run(
                run_dir, config, resume=args.resume, concurrency=args.concurrency,
                api_key=args.api_key, base_url=args.base_url,
                server_token=args.server_token or os.environ.get("CODESTEER_AUTH_TOKEN"),
                on_start=on_start, on_record=progress.record,
            )

    try:
        outcome = anyio.run(main)
    except (RunLogError, PlanError, ValueError) as exc:
        err.print(f"mcp-codesteer eval: {exc}", highlight=False)
        return 2
    except KeyboardInterrupt:
        return _interrupted(err, run_dir, planned_total)
    except BaseExceptionGroup as group:  # Ctrl-C that arrived inside a task group
        if group.subgroup(KeyboardInterrupt) is None:
            raise
        return _interrupted(err, run_dir, planned_total)
    report = build_report(load_runs([run_dir]))
    render_rich(report, wide_console())
    written = save_report(report, run_dir, plots=not args.no_plots,
                          on_plots_skipped=lambda why: err.print(f"plots skipped: {why}", highlight=False))
    recorded = len(outcome.log.done_keys)
    err.print(f"run directory: {run_dir} ({recorded}/{outcome.planned} records; this call wrote {outcome.written}); "
              f"report: {', '.join(p.name for p in written)}", highlight=False)
    failed = _all_failed(run_dir)
    if failed:
        err.print(failed, highlight=False)
        return 1
    return 0 if recorded >= outcome.planned else 1


def _interrupted(err, run_dir: Path, planned: list[int]) -> int:
    """Ctrl-C: what is recorded stays (each record is appended whole); say how to finish."""
    from .runlog import read_records

    try:
        done = len(read_records(run_dir))
    except Exception:  # a run stopped before its directory was made
        done = 0
    total = planned[0] if planned else "?"
    err.print(f"interrupted: {done} of {total} recorded; finish with mcp-codesteer eval --resume --out {run_dir}",
              highlight=False)
    return 130


def _all_failed(run_dir: Path) -> str | None:
    """A line for a run where no sample ran to a score (every one an error or a timeout)."""
    from .runlog import read_records

    records = read_records(run_dir)
    if not records or any(r.status == "ok" for r in records):
        return None
    first = next((r for r in records if r.error), records[0])
    return (f"every one of the {len(records)} samples failed (no model answer was scored); the first: "
            f"{first.key}: {first.error or first.status}. Read it with: mcp-codesteer report {run_dir} "
            f"--sample {first.sample_id}")


if __name__ == "__main__":  # pragma: no cover
    from mcp_codesteer.cli import main as cli_main

    sys.exit(cli_main(["eval", *sys.argv[1:]]))
