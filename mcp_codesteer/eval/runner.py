"""Plan a run (tasks x samples x methods), drive each item through the server, score it
with the SymBench verifier, and append its record to the run log."""

from __future__ import annotations

import math
import platform
import random
import subprocess
import sys
import uuid
from collections.abc import Callable, Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path

import anyio

from .. import __version__
from .methods import METHOD_FEEDBACK, METHOD_FUNCTIONS, MethodContext, Trace
from guide.chat import PROVIDERS, ChatModel, aclose_model, resolve_chat_model, with_call_context
from .preflight import PING_TIMEOUT_S, preflight
from .records import RunConfig, RunHeader, SampleRecord, ScoreRecord, jsonable, record_key, utcnow
from .runlog import RunLog
from .tools import ToolCaller, connect_server

SERVER_DATA_SUBDIR = "server"
SERVER_LOG = "server.log"


class PlanError(ValueError):
    """The run cannot be planned as asked (unknown task, no data...)."""


@dataclass(frozen=True)
class WorkItem:
    task: object  # symbench.Task (kept loose so tests can register a stand-in)
    sample: object  # symbench.Sample
    method: str

    @property
    def key(self) -> str:
        return record_key(self.task.name, self.sample.id, self.method)


def resolve_tasks(names: Sequence[str]) -> list:
    """The Task objects for ``--tasks`` ('all' or names); PlanError listing the known names otherwise."""
    import symbench

    if not names or list(names) == ["all"]:
        return symbench.all_tasks()
    tasks = []
    for name in names:
        try:
            tasks.append(symbench.get_task(name))
        except KeyError as exc:
            raise PlanError(str(exc).strip("'\"")) from exc
    return tasks


def default_data_dir() -> Path | None:
    try:
        from symbench.paths import default_data_dir as find
    except ImportError:
        return None
    return find()


def select_samples(task, config: RunConfig) -> list:
    """The samples of one task: ``generated`` new ones from seeds seed, seed+1, ..., or the
    stored ones; with ``limit``, a subset drawn with ``seed`` (the same on every resume),
    kept in the loader's order."""
    if config.generated:
        samples = [task.generate(config.seed + i) for i in range(config.generated)]
    else:
        if not config.data_dir:
            raise PlanError("no SymBench data folder: pass --data-dir DIR (or set CODESTEER_SYMBENCH_DIR), or --generated N")
        try:
            samples = list(task.load(Path(config.data_dir)))
        except FileNotFoundError as exc:
            raise PlanError(f"task {task.name}: its data is not under {config.data_dir}: {exc}") from exc
        if config.limit is not None and len(samples) > config.limit:
            rng = random.Random(f"{config.seed}:{task.name}")
            chosen = set(rng.sample(range(len(samples)), config.limit))
            samples = [s for i, s in enumerate(samples) if i in chosen]
    ids = [s.id for s in samples]
    if len(set(ids)) != len(ids):
        raise PlanError(f"task {task.name}: its samples do not have unique ids")
    return samples


def plan(config: RunConfig, tasks: list | None = None) -> list[WorkItem]:
    """Every item of the run, interleaved (sample i of every task and method before sample
    i+1) so that a partial run is balanced across tasks and methods."""
    tasks = tasks if tasks is not None else resolve_tasks(config.tasks)
    per_task = [(task, select_samples(task, config)) for task in tasks]
    items: list[WorkItem] = []
    depth = max((len(samples) for _, samples in per_task), default=0)
    for i in range(depth):
        for task, samples in per_task:
            if i < len(samples):
                items.extend(WorkItem(task, samples[i], method) for method in config.methods)
    return items


def git_revision() -> tuple[str | None, bool | None]:
    """(commit, dirty) of the source tree this package runs from, when it is a git checkout."""
    root = Path(__file__).resolve().parents[2]
    try:
        rev = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5)
        if rev.returncode != 0:
            return None, None
        status = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                                capture_output=True, text=True, timeout=5)
        return rev.stdout.strip(), bool(status.stdout.strip()) if status.returncode == 0 else None
    except (OSError, subprocess.SubprocessError):
        return None, None


def resolve_task_llm(config: RunConfig, *, api_key: str | None = None, base_url: str | None = None) -> ChatModel:
    """The TaskLLM ``config.task_llm`` names (the one model string, :data:`guide.chat.MODEL_SPEC_HELP`).

    ``base_url`` (the deprecated ``--base-url``, or the endpoint a resumed run used) is the
    spec's ``@BASE_URL`` when the spec names none."""
    spec = config.task_llm.strip()
    kind, _, rest = spec.partition(":")
    takes_url = kind in PROVIDERS and "@BASE_URL" in PROVIDERS[kind].form
    if base_url and takes_url and "@" not in rest:
        spec = f"{spec}@{base_url}"
    return resolve_chat_model(spec, config.generation.model_options(api_key))


def _ping_config(config: RunConfig) -> RunConfig:
    """The run's config for the pre-flight call: no retries, a short timeout."""
    generation = config.generation.model_copy(
        update={"max_retries": 0, "request_timeout_s": min(config.generation.request_timeout_s, PING_TIMEOUT_S)}
    )
    return config.model_copy(update={"generation": generation})


def new_header(config: RunConfig, run_dir: Path, llm: ChatModel, planned: int) -> RunHeader:
    revision, dirty = git_revision()
    describe = getattr(llm, "describe", None)
    return RunHeader(
        run_id=uuid.uuid4().hex[:12],
        label=Path(run_dir).name,
        config=config,
        package_version=__version__,
        git_revision=revision,
        git_dirty=dirty,
        python=sys.version.split()[0],
        platform=platform.platform(),
        task_llm_info=describe() if callable(describe) else {"name": llm.name},
        samples_planned=planned,
        method_feedback={m: METHOD_FEEDBACK[m] for m in config.methods},
    )


async def run_item(item: WorkItem, config: RunConfig, llm: ChatModel, tools: ToolCaller) -> SampleRecord:
    """One sample with one method, then its score. Never raises for what the model, the
    server or the verifier does: failures become status 'error', the time limit 'timeout'
    (the sample then scores incorrect)."""
    task, sample = item.task, item.sample
    ctx = MethodContext(
        llm=llm,
        tools=tools,
        generation=config.generation.per_call(),
        max_rounds=config.server.max_rounds,
        code_timeout_s=config.code_timeout_s,
        task_name=task.name,  # only codesteer_checks passes it on
        trace=Trace(),
    )
    started_at = utcnow()
    status, error, final = "ok", None, None
    with anyio.move_on_after(config.sample_timeout_s) as scope:
        try:
            # labels every model call of this sample, so a scripted mock can answer by task and method
            with with_call_context(task=task.name, method=item.method, sample_id=str(sample.id)):
                final = await METHOD_FUNCTIONS[item.method](ctx, sample.question)
        except Exception as exc:  # the record says what went wrong; the run goes on
            status, error = "error", f"{type(exc).__name__}: {exc}"
    if scope.cancelled_caught:
        status, error = "timeout", f"the sample passed its time limit of {config.sample_timeout_s:g} s"
    if status == "ok":
        try:
            score = await anyio.to_thread.run_sync(task.verify, sample, final or "", config.scoring_mode)
            score_record = ScoreRecord(verdict=score.verdict, value=score.value, reason=score.reason,
                                       parsed=jsonable(score.parsed))
        except Exception as exc:
            status, error = "error", f"the verifier of {task.name} raised {type(exc).__name__}: {exc}"
            score_record = ScoreRecord(verdict="incorrect", value=0.0, reason=error)
    else:
        score_record = ScoreRecord(verdict="incorrect", value=0.0, reason=error or status)
    trace = ctx.trace
    return SampleRecord(
        key=item.key,
        task=task.name,
        sample_id=sample.id,
        method=item.method,
        source=sample.source,
        question=sample.question,
        status=status,
        error=error,
        final_answer=final,
        score=score_record,
        success=score_record.verdict == "correct",
        rounds=trace.rounds,
        usage=trace.usage,
        model_s=trace.model_s,
        tool_s=trace.tool_s,
        wall_s=trace.now(),
        session_id=trace.session_id,
        started_at=started_at,
        finished_at=utcnow(),
        events=trace.events,
    )


OnRecord = Callable[[SampleRecord], None]


async def run_items(items: list[WorkItem], config: RunConfig, log: RunLog, llm: ChatModel, tools: ToolCaller,
                    *, concurrency: int = 4, on_record: OnRecord | None = None) -> int:
    """Run the items not yet in ``log`` with ``concurrency`` workers; returns how many were recorded."""
    todo = [item for item in items if item.key not in log.done_keys]
    send, receive = anyio.create_memory_object_stream[WorkItem](math.inf)
    for item in todo:
        send.send_nowait(item)
    send.close()
    written = 0

    async def worker() -> None:
        nonlocal written
        async with receive.clone() as queue:
            async for item in queue:
                record = await run_item(item, config, llm, tools)
                if await anyio.to_thread.run_sync(log.append, record):
                    written += 1
                    if on_record is not None:
                        on_record(record)

    async with anyio.create_task_group() as tg:
        for _ in range(max(1, min(concurrency, len(todo) or 1))):
            tg.start_soon(worker)
    receive.close()
    return written


@dataclass
class RunOutcome:
    run_dir: Path
    log: RunLog
    planned: int
    written: int


async def execute_run(
    run_dir: Path,
    config: RunConfig | None = None,
    *,
    resume: bool = False,
    llm: ChatModel | None = None,
    tools: ToolCaller | None = None,
    concurrency: int = 4,
    api_key: str | None = None,
    base_url: str | None = None,
    server_token: str | None = None,
    tasks: list | None = None,
    on_start: Callable[[int, int], None] | None = None,
    on_record: OnRecord | None = None,
) -> RunOutcome:
    """Create (or, with ``resume``, reopen) the run directory and run what is missing.

    ``llm`` and ``tools`` default to the provider named in the config and to the server
    it names (a stdio subprocess whose session store and log live in the run directory).
    ``on_start(planned, already_done)`` is called once the plan is known. A model resolved
    here is first sent one short test call (preflight.py): PreflightError when it cannot answer.
    """
    run_dir = Path(run_dir)
    if resume:
        log = RunLog.resume(run_dir)
        config = log.header.config
        # the endpoint the run used, unless the command line names another (keys are never stored)
        base_url = base_url or log.header.task_llm_info.get("base_url")
    elif config is None:
        raise ValueError("execute_run: give a RunConfig, or resume=True for an existing run directory")
    async with AsyncExitStack() as stack:
        if llm is None:
            llm = resolve_task_llm(config, api_key=api_key, base_url=base_url)
            stack.push_async_callback(aclose_model, llm)
            # before the run directory exists: a model that cannot answer ends the command here
            await preflight(llm, lambda: resolve_task_llm(_ping_config(config), api_key=api_key, base_url=base_url))
        items = plan(config, tasks)
        if not resume:
            log = RunLog.create(run_dir, new_header(config, run_dir, llm, len(items)))
        stack.callback(log.close)
        if on_start is not None:
            on_start(len(items), sum(1 for it in items if it.key in log.done_keys))
        if tools is None:
            server_dir = run_dir / SERVER_DATA_SUBDIR
            server_dir.mkdir(parents=True, exist_ok=True)
            errlog = stack.enter_context(open(run_dir / SERVER_LOG, "a", encoding="utf-8"))
            tools = await stack.enter_async_context(
                connect_server(config.server, data_dir=server_dir, errlog=errlog, token=server_token)
            )
        written = await run_items(items, config, log, llm, tools, concurrency=concurrency, on_record=on_record)
        return RunOutcome(run_dir=run_dir, log=log, planned=len(items), written=written)
