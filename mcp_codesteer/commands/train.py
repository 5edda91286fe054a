"""``mcp-codesteer train``: synth -> data -> sft -> dpo, the guide learning from trajectories.

- ``synth``: explore trees of guidance on generated questions of the seen tasks, with a
  TaskLLM and a sampling guide, through the server's own steering service (sandbox,
  code analysis, answer checks); resumable, concurrent, with a cost report;
- ``data``: synthesis trees, eval runs and session stores -> SFT conversations and DPO
  pairs (Hugging Face datasets and JSONL), with statistics;
- ``sft`` / ``dpo``: TRL + peft; the output directory is what ``serve --guide hf:DIR`` and
  ``guide serve BASE --lora DIR`` load.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from guide.chat import MODEL_SPEC_HELP
from training.config import DPOOptions, SFTOptions, add_flags, from_args

DEFAULT_GUIDE_TEMPERATURE = 1.0
"""The sampling guide's temperature: high enough that K draws from one state differ."""


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="stage", required=True, metavar="STAGE")

    synth = sub.add_parser("synth", help="explore trees of guidance on generated questions (needs a TaskLLM and a sampling guide)")
    what = synth.add_argument_group("questions")
    what.add_argument("--tasks", default="all", help="comma-separated seen SymBench tasks, or all (the seen ones)")
    what.add_argument("--questions-per-task", type=int, default=10)
    what.add_argument("--seed", type=int, default=None, help="first generator seed (default 1000000; eval's generated runs start at 0)")
    what.add_argument("--data-dir", type=Path, default=None, help="SymBench data: generated questions equal to a stored (test) one are dropped")
    tree = synth.add_argument_group("the tree")
    tree.add_argument("--branches", type=int, default=2, help="K: different guide replies followed at a branching decision")
    tree.add_argument("--branch-at", default="0,1", help="decisions that branch: 0 = the code/text choice, i = after round i")
    tree.add_argument("--max-rounds", type=int, default=6, help="TaskLLM turns per rollout")
    tree.add_argument("--task-checks", action="store_true", help="let the task's constraint check speak in the rounds (never the gold)")
    models = synth.add_argument_group("models")
    models.add_argument("--task-llm", help=f"the TaskLLM, {MODEL_SPEC_HELP}")
    models.add_argument("--guide-model", help="the sampling guide as a chat model (same forms as --task-llm), given the CodeSteer format")
    models.add_argument("--guide", default=None, help="or a guide string (rules | hf:DIR | openai:URL#model) for an already trained guide")
    models.add_argument("--guide-temperature", type=float, default=DEFAULT_GUIDE_TEMPERATURE)
    models.add_argument("--temperature", type=float, default=0.0, help="the TaskLLM's temperature")
    models.add_argument("--max-tokens", type=int, default=4096, help="the TaskLLM's longest reply")
    models.add_argument("--api-key", default=None, help="API key (default from the environment); never stored")
    control = synth.add_argument_group("run control")
    control.add_argument("--out", type=Path, required=True, help="synthesis directory (trees.jsonl, synth.json, server/)")
    control.add_argument("--resume", action="store_true", help="finish the synthesis in --out with its stored settings")
    control.add_argument("--concurrency", type=int, default=4, help="questions in flight at once")
    control.add_argument("--sandbox", choices=("auto", "docker", "local"), default="auto")
    control.add_argument("--no-progress", action="store_true")

    data = sub.add_parser("data", help="synthesis trees, eval runs and session stores -> SFT and DPO datasets")
    data.add_argument("--synth", type=Path, action="append", default=[], help="a 'train synth' directory (repeatable)")
    data.add_argument("--eval-run", type=Path, action="append", default=[], help="an eval run directory (repeatable)")
    data.add_argument("--sessions", type=Path, action="append", default=[], help="a server's sessions.sqlite3 (repeatable)")
    data.add_argument("--min-margin", type=float, default=2.0, help="smallest score gap between a DPO pair's replies")
    data.add_argument("--out", type=Path, required=True, help="where sft/, dpo/, *.jsonl and stats.json go")

    add_flags(sub.add_parser("sft", help="supervised fine-tuning with TRL (LoRA by default)"), SFTOptions)
    add_flags(sub.add_parser("dpo", help="DPO from the SFT output with TRL"), DPOOptions)


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    err = Console(stderr=True, soft_wrap=True, highlight=False)
    try:
        if args.stage == "synth":
            from .train_synth import run_synth

            return run_synth(args, err)
        if args.stage == "data":
            return _run_data(args, err)
        if args.stage in ("sft", "dpo"):
            return _run_training(args, err)
    except (ValueError, FileNotFoundError, ImportError) as exc:
        err.print(f"mcp-codesteer train {args.stage}: {exc}")
        return 2
    return 2


def _run_data(args: argparse.Namespace, err) -> int:
    import json

    from training import data as tdata

    if not (args.synth or args.eval_run or args.sessions):
        raise ValueError("name at least one source: --synth DIR, --eval-run DIR or --sessions FILE")
    built = tdata.build(synth_dirs=args.synth, eval_runs=args.eval_run, session_stores=args.sessions,
                        min_margin=args.min_margin)
    if not built.conversations and not built.pairs:
        err.print(f"mcp-codesteer train data: nothing to train on ({dict(built.skipped)})")
        return 1
    stats = tdata.save(built, args.out)
    print(json.dumps(stats, indent=2))
    err.print(f"wrote {args.out}/sft ({stats['conversations']} conversations, {stats['guide_turns']} guide turns) and "
              f"{args.out}/dpo ({stats['pairs']} pairs)")
    return 0


def _run_training(args: argparse.Namespace, err) -> int:
    import json

    if args.stage == "sft":
        from training import sft as stage

        options = from_args(SFTOptions, args)
    else:
        from training import dpo as stage

        options = from_args(DPOOptions, args)
    metrics = stage.train(options)
    print(json.dumps(metrics, indent=2, default=str))
    err.print(f"trained guide in {options.out}: serve it with 'mcp-codesteer serve --guide hf:{options.out}'")
    return 0


if __name__ == "__main__":  # pragma: no cover
    from mcp_codesteer.cli import main as cli_main

    sys.exit(cli_main(["train", *sys.argv[1:]]))
