"""``train synth``'s wiring: the server's steering service, the TaskLLM and the sampling guide.

The rounds are made by the same ``CodeSteer`` service ``mcp-codesteer serve`` runs (the
sandbox it picks, the code analysis, the answer checks), started on a session store in
the synthesis directory. The TaskLLM and the sampling guide are chat models named as for
``eval``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import anyio

from guide.chat import ChatModel, GenerateSettings, ModelOptions, resolve_chat_model
from guide.types import Guidance, Guide, Round, Trajectory
from training.synth import DEFAULT_SEED, SamplingGuide, SynthConfig, plan_questions, read_header, stored_questions

from ..settings import Settings
from ..steering import CodeSteer


class ServiceStepper:
    """training.synth.Stepper over the server's steering service."""

    def __init__(self, app: CodeSteer):
        self.app = app

    async def assess(self, trajectory: Trajectory, response: str) -> Round:
        return await self.app.assess(trajectory, response)

    def next_prompt(self, trajectory: Trajectory, round_: Round | None, guidance: Guidance) -> str:
        return self.app.next_prompt(trajectory, round_, guidance)


def _model(spec: str, args: argparse.Namespace) -> ChatModel:
    return resolve_chat_model(spec, ModelOptions(api_key=args.api_key) if args.api_key else None)


def seen_task_names(spec: str) -> list[str]:
    import symbench

    if spec.strip() in ("", "all"):
        return [t.name for t in symbench.all_tasks() if t.seen]
    return [n.strip() for n in spec.split(",") if n.strip()]


def config_from_args(args: argparse.Namespace) -> SynthConfig:
    if not args.task_llm:
        raise ValueError("name the TaskLLM with --task-llm (e.g. openai:gpt-4o), or --resume a synthesis")
    if not args.guide_model and not args.guide:
        raise ValueError("name the sampling guide: --guide-model openai:gpt-4o (an API model given the CodeSteer format) "
                         "or --guide hf:DIR (a trained guide)")
    branch_at = sorted({int(x) for x in args.branch_at.split(",") if x.strip()})
    return SynthConfig(
        tasks=seen_task_names(args.tasks), questions_per_task=args.questions_per_task,
        seed=DEFAULT_SEED if args.seed is None else args.seed, branches=args.branches, branch_at=branch_at,
        max_rounds=args.max_rounds, task_llm=args.task_llm, task_temperature=args.temperature,
        task_max_tokens=args.max_tokens, guide=args.guide_model or args.guide, guide_is_model=bool(args.guide_model),
        guide_temperature=args.guide_temperature, task_checks=args.task_checks,
    )


def build_guide(config: SynthConfig, args: argparse.Namespace) -> Guide:
    """The sampling guide: a chat model in the CodeSteer format (--guide-model), or a guide string (--guide)."""
    from guide import create_guide

    if config.guide_is_model:
        return SamplingGuide(_model(config.guide, args), temperature=config.guide_temperature)
    return create_guide(config.guide)


def planned_questions(config: SynthConfig, args: argparse.Namespace) -> list:
    """The (task, sample) pairs to explore: generated, minus any equal to a stored test question."""
    return plan_questions(config.tasks, config.questions_per_task, config.seed,
                          exclude=stored_questions(_data_dir(args), config.tasks))


async def synthesize_with_service(directory: Path, config: SynthConfig, args: argparse.Namespace, *,
                                  task_llm: ChatModel | None = None, guide: Guide | None = None, on_tree=None,
                                  questions: list | None = None) -> dict:
    """Start the steering service in ``directory``/server and synthesize; the totals."""
    from training.synth import synthesize

    questions = questions if questions is not None else planned_questions(config, args)
    task_llm = task_llm or _model(config.task_llm, args)
    guide = guide or build_guide(config, args)
    settings = Settings(data_dir=directory / "server", sandbox=args.sandbox, max_rounds=config.max_rounds)
    app = CodeSteer(settings, guide=guide)
    await app.start()
    try:
        return await synthesize(directory, config, questions, task_llm=task_llm, guide=guide, stepper=ServiceStepper(app),
                                settings=GenerateSettings(temperature=config.task_temperature, max_tokens=config.task_max_tokens),
                                concurrency=args.concurrency, on_tree=on_tree)
    finally:
        await app.aclose()


def _data_dir(args: argparse.Namespace) -> Path | None:
    if getattr(args, "data_dir", None):
        return args.data_dir
    try:
        from symbench.paths import default_data_dir
    except ImportError:
        return None
    return default_data_dir()


def run_synth(args: argparse.Namespace, err) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    from training.synth import TreeLog, write_header

    directory: Path = args.out
    if args.resume:
        config = read_header(directory)
    else:
        if (directory / "trees.jsonl").exists():
            raise ValueError(f"{directory} already holds a synthesis: add --resume to finish it, or choose another --out")
        config = config_from_args(args)
        write_header(directory, config)
    data_dir = _data_dir(args)
    if data_dir is None or not Path(data_dir).is_dir():
        err.print("warning: no SymBench data folder (--data-dir or $CODESTEER_SYMBENCH_DIR), so generated questions "
                  "cannot be checked against the stored test questions; some (Game 24's) may equal them")
    questions = planned_questions(config, args)
    progress = Progress(TextColumn("[bold]synth"), BarColumn(), MofNCompleteColumn(), TextColumn("rollouts {task.fields[rollouts]}"),
                        TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn(), console=err,
                        disable=args.no_progress or not err.is_terminal)
    rollouts = 0

    with progress:
        done = len({f"{t.name}/{q.id}" for t, q in questions} & TreeLog(directory).done_keys)
        bar = progress.add_task("synth", total=len(questions), completed=done, rollouts=0)

        def on_tree(tree) -> None:
            nonlocal rollouts
            rollouts += len(tree.rollouts)
            progress.update(bar, advance=1, rollouts=rollouts)

        totals = anyio.run(lambda: synthesize_with_service(directory, config, args, on_tree=on_tree, questions=questions))
    guide_usage = totals.get("guide")
    err.print(
        f"synthesis in {directory}: {totals['written']} questions written this call "
        f"({totals['already_done']} already done of {totals['questions']}), {totals['rollouts']} rollouts; "
        f"TaskLLM {totals['task_llm'].calls} calls, {totals['task_llm'].input_tokens} input / "
        f"{totals['task_llm'].output_tokens} output tokens"
        + (f"; guide {guide_usage.calls} calls, {guide_usage.input_tokens} input / {guide_usage.output_tokens} output tokens"
           if guide_usage is not None else "")
    )
    return 0
