"""Synthesis: explore a tree of guidance per question and record every rollout.

For each training question the TaskLLM answers under a *sampling guide* (a chat model
given the CodeSteer guide format; see :class:`SamplingGuide`). At the decisions named
in ``branch_at`` (0 = the code/text choice, i = the guidance after round i) the guide
is asked for ``branches`` different replies from the same state, and each is followed
to the end of the session; elsewhere one reply is followed. Each finished rollout is
scored by the task's verifier (after the session, never inside it), and the question's
whole tree is appended to ``trees.jsonl`` as one record, so a synthesis killed at any
moment resumes with ``resume=True`` and records every question exactly once.

The rounds themselves are made by a :class:`Stepper`: the server's own steering
service (``mcp_codesteer``'s ``CodeSteer``), which runs the program in the sandbox,
analyses the code and checks the answer exactly as ``steer_next`` does, and writes the
TaskLLM's next prompt as ``steer_next`` would. Nothing here sees a gold answer before
a rollout has ended.

Training questions come from the seeded generators of the seen tasks, with seeds from
``DEFAULT_SEED`` up (:func:`plan_questions`); stored SymBench samples are the test data
and are never used, and a generated question that happens to equal a stored one is
dropped (``exclude``).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

import anyio
from pydantic import BaseModel, Field

from guide.chat import ChatMessage, ChatModel, Completion, GenerateSettings, aclose_model, as_messages
from guide.codesteer_format import FormatLimits, render_guidance
from guide.model_guide import GUIDE_MAX_TOKENS, ModelGuide
from guide.rules import best_answer
from guide.types import Action, Guidance, Guide, Round, Trajectory

from .data import TREES_FILE, read_jsonl
from .tree import Rollout, SynthTree

DEFAULT_SEED = 1_000_000
"""Generated training questions use seeds DEFAULT_SEED, DEFAULT_SEED + 1, ... per task; eval's
generated runs start at 0, so the two never meet."""
HEADER_FILE = "synth.json"

Messages = list[dict[str, str]]


class SynthConfig(BaseModel):
    tasks: list[str] = Field(description="seen SymBench task names")
    questions_per_task: int = Field(10, ge=1)
    seed: int = Field(DEFAULT_SEED, description="first generator seed; question i of a task uses seed + i")
    branches: int = Field(2, ge=1, le=8, description="K: different guide replies explored at a branching decision")
    branch_at: list[int] = Field(default_factory=lambda: [0, 1], description="decisions that branch (0 = code/text choice)")
    sample_attempts: int = Field(3, ge=1, description="guide samples drawn per wanted branch before settling for fewer")
    max_rounds: int = Field(6, ge=1, description="TaskLLM turns per rollout")
    task_llm: str = ""
    task_temperature: float = 0.0
    task_max_tokens: int = 4096
    guide: str = Field("", description="the sampling guide: a chat model string, or a guide string (guide_is_model False)")
    guide_is_model: bool = True
    guide_temperature: float = 1.0
    scoring_mode: str = "strict"
    task_checks: bool = Field(False, description="name the task to the server, so its constraint check (never the gold) speaks")

    @property
    def max_rollouts(self) -> int:
        return self.branches ** len(set(self.branch_at))


class Usage(BaseModel):
    """Calls and tokens spent, for the cost report."""

    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0

    def add(self, completion: Completion) -> None:
        self.calls += 1
        self.input_tokens += completion.usage.input_tokens
        self.output_tokens += completion.usage.output_tokens

    def merge(self, other: "Usage") -> None:
        self.calls += other.calls
        self.input_tokens += other.input_tokens
        self.output_tokens += other.output_tokens


class MeteredModel:
    """A chat model that counts what it is asked (calls, tokens) into ``usage``."""

    def __init__(self, model: ChatModel, usage: Usage | None = None):
        self.model = model
        self.name = model.name
        self.usage = usage or Usage()

    async def generate(self, messages: Sequence[ChatMessage], settings: GenerateSettings | None = None) -> Completion:
        completion = await self.model.generate(messages, settings)
        self.usage.add(completion)
        return completion

    async def aclose(self) -> None:
        await aclose_model(self.model)


class Stepper(Protocol):
    """What the server's steering service does around the guide's decision."""

    async def assess(self, trajectory: Trajectory, response: str) -> Round:
        """The round ``response`` makes: program run, code analysed, answer checked."""
        ...

    def next_prompt(self, trajectory: Trajectory, round_: Round | None, guidance: Guidance) -> str:
        """What the TaskLLM is told next, as steer_next would tell it."""
        ...


class SamplingGuide(ModelGuide):
    """The CodeSteer guide over a chat model that samples (``temperature`` > 0): asked twice
    from one state it may decide differently. Replies it cannot use fall back to the rules
    guide, as at serving time. ``usage`` counts its calls and tokens."""

    def __init__(self, model: ChatModel, *, temperature: float = 1.0, max_tokens: int = GUIDE_MAX_TOKENS,
                 limits: FormatLimits | None = None):
        self.usage = Usage()
        super().__init__(MeteredModel(model, self.usage), limits=limits,
                         settings=GenerateSettings(temperature=temperature, max_tokens=max_tokens))


def plan_questions(task_names: Iterable[str], per_task: int, seed: int = DEFAULT_SEED, *,
                   exclude: set[str] | None = None) -> list[tuple[Any, Any]]:
    """(task, sample) pairs: ``per_task`` generated samples of each seen task, interleaved by index.

    ValueError for an unknown or unseen task (unseen tasks stay out of training). A
    sample whose question is in ``exclude`` (the stored test questions) is skipped.
    """
    import symbench

    tasks = []
    for name in task_names:
        task = symbench.get_task(name)
        if not task.seen:
            raise ValueError(f"task {name} is an unseen task: training uses only the seen ones, so that unseen ones stay a test")
        tasks.append(task)
    exclude = exclude or set()
    out = []
    for i in range(per_task):
        for task in tasks:
            sample = task.generate(seed + i)
            if sample.question.strip() not in exclude:
                out.append((task, sample))
    return out


def stored_questions(data_dir: Path | None, task_names: Iterable[str]) -> set[str]:
    """The questions of the stored samples of ``task_names`` (the test data), stripped."""
    import symbench

    if data_dir is None or not Path(data_dir).is_dir():
        return set()
    out: set[str] = set()
    for name in task_names:
        try:
            out.update(s.question.strip() for s in symbench.get_task(name).load(Path(data_dir)))
        except FileNotFoundError:
            continue
    return out


class Explorer:
    """Explores one question's tree of guidance."""

    def __init__(self, config: SynthConfig, *, task_llm: ChatModel, guide: Guide, stepper: Stepper,
                 settings: GenerateSettings | None = None):
        self.config = config
        self.task_llm = MeteredModel(task_llm)
        self.task_usage = self.task_llm.usage
        self.settings = settings
        self.guide = guide
        self.stepper = stepper
        self.rollouts: list[Rollout] = []

    async def _decisions(self, trajectory: Trajectory, wanted: int) -> list[Guidance]:
        """Up to ``wanted`` decisions that read differently, from ``sample_attempts * wanted`` draws."""
        found: dict[str, Guidance] = {}
        question = trajectory.question if not trajectory.rounds else None
        for _ in range(wanted * self.config.sample_attempts if wanted > 1 else 1):
            decision = await self.guide.next(trajectory)
            found.setdefault(render_guidance(decision, question), decision)
            if len(found) == wanted:
                break
        return list(found.values())

    async def explore(self, task: Any, sample: Any) -> list[Rollout]:
        root = Trajectory(session_id=f"synth-{task.name}-{sample.id}", question=sample.question,
                          task=task.name if self.config.task_checks else None, max_rounds=self.config.max_rounds)
        await self._grow(task, sample, root, [], [], self.rollouts)
        return self.rollouts

    async def _grow(self, task: Any, sample: Any, trajectory: Trajectory, messages: Messages, path: list[int],
                    rollouts: list[Rollout]) -> None:
        decision_index = len(path)
        wanted = self.config.branches if decision_index in self.config.branch_at else 1
        for i, decision in enumerate(await self._decisions(trajectory, wanted)):
            branch = trajectory.model_copy(deep=True)
            last = branch.rounds[-1] if branch.rounds else None
            if last is None:
                branch.first = decision
            else:
                last.guidance = decision
            if decision.action in (Action.RETURN, Action.TERMINATE):
                branch.status = "returned" if decision.action is Action.RETURN else "terminated"
                branch.final_answer = decision.final_answer or best_answer(branch)
                decision.final_answer = branch.final_answer
                score = await anyio.to_thread.run_sync(task.verify, sample, branch.final_answer or "", self.config.scoring_mode)
                rollouts.append(Rollout(path=[*path, i], trajectory=branch, correct=score.verdict == "correct",
                                        verdict=f"{score.verdict}: {score.reason}"[:300]))
                continue
            prompt = self.stepper.next_prompt(branch, last, decision)
            conversation = [*messages, {"role": "user", "content": prompt}]
            response = (await self.task_llm.generate(as_messages(conversation), self.settings)).text
            round_ = await self.stepper.assess(branch, response)
            branch.rounds.append(round_)
            await self._grow(task, sample, branch, [*conversation, {"role": "assistant", "content": response}],
                             [*path, i], rollouts)


class TreeLog:
    """``trees.jsonl``: one question's tree per line, appended with one write and fsynced.
    A torn tail (a killed writer) is skipped on read and cut off before the next append."""

    def __init__(self, directory: Path):
        self.path = Path(directory) / TREES_FILE
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self.done_keys = {raw.get("key") for raw in read_jsonl(self.path)} if self.path.exists() else set()
        self._repair()

    def _repair(self) -> None:
        if not self.path.exists():
            return
        data = self.path.read_bytes()
        if data and not data.endswith(b"\n"):
            keep = data.rfind(b"\n") + 1
            with open(self.path, "r+b") as fh:
                fh.truncate(keep)

    def append(self, tree: SynthTree) -> bool:
        with self._lock:
            if tree.key in self.done_keys:
                return False
            line = (tree.model_dump_json() + "\n").encode("utf-8")
            with open(self.path, "ab") as fh:
                fh.write(line)
                fh.flush()
                os.fsync(fh.fileno())
            self.done_keys.add(tree.key)
            return True


def write_header(directory: Path, config: SynthConfig) -> None:
    path = Path(directory) / HEADER_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(config.model_dump_json(indent=2), encoding="utf-8")


def read_header(directory: Path) -> SynthConfig:
    path = Path(directory) / HEADER_FILE
    if not path.exists():
        raise FileNotFoundError(f"{directory} holds no synthesis ({HEADER_FILE} missing): start one without --resume")
    return SynthConfig.model_validate(json.loads(path.read_text(encoding="utf-8")))


async def synthesize(
    directory: Path,
    config: SynthConfig,
    questions: list[tuple[Any, Any]],
    *,
    task_llm: ChatModel,
    guide: Guide,
    stepper: Stepper,
    settings: GenerateSettings | None = None,
    concurrency: int = 4,
    on_tree: Callable[[SynthTree], None] | None = None,
) -> dict[str, Any]:
    """Explore every question not yet in ``directory``'s log; the totals (trees, rollouts, usage)."""
    log = TreeLog(directory)
    todo = [(t, s) for t, s in questions if f"{t.name}/{s.id}" not in log.done_keys]
    totals = {"questions": len(questions), "already_done": len(questions) - len(todo), "written": 0, "rollouts": 0,
              "task_llm": Usage(), "guide": getattr(guide, "usage", None)}
    send, receive = anyio.create_memory_object_stream[tuple[Any, Any]](len(todo) or 1)
    for item in todo:
        send.send_nowait(item)
    send.close()

    async def worker() -> None:
        async with receive.clone() as queue:
            async for task, sample in queue:
                explorer = Explorer(config, task_llm=task_llm, guide=guide, stepper=stepper, settings=settings)
                tree = SynthTree(key=f"{task.name}/{sample.id}", task=task.name, sample_id=sample.id,
                                 question=sample.question, source=sample.source)
                try:
                    tree.rollouts = await explorer.explore(task, sample)
                except Exception as exc:  # one question failing must not end the synthesis
                    tree.error = f"{type(exc).__name__}: {exc}"
                    tree.rollouts = list(explorer.rollouts)  # the branches that finished before it
                tree.usage = explorer.task_usage.model_dump()
                totals["task_llm"].merge(explorer.task_usage)
                if await anyio.to_thread.run_sync(log.append, tree):
                    totals["written"] += 1
                    totals["rollouts"] += len(tree.rollouts)
                    if on_tree is not None:
                        on_tree(tree)

    async with anyio.create_task_group() as tg:
        for _ in range(max(1, min(concurrency, len(todo) or 1))):
            tg.start_soon(worker)
    receive.close()
    return totals
