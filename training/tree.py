"""Synthesis trees: the rollouts of one question, their scores and the DPO pairs they give.

A synthesis explores one question as a tree of guidance. A *decision* is one guide
reply: decision 0 is the code/text choice, decision ``i`` the guidance after the
TaskLLM's round ``i``. At chosen decisions the sampler draws K different replies from
the same state and follows each to the end, so one question yields several rollouts.
Each rollout is a whole :class:`~guide.types.Trajectory` plus its ``path``: the index of
the branch taken at every decision. Rollouts whose paths share a prefix share the
trajectory up to that decision.

Scores follow the CodeSteer paper (Chen et al., 2025, section 4): a rollout that ends
with a correct answer after ``d`` TaskLLM rounds scores ``15 - d``, a wrong one ``-d``;
an inner node scores the mean of its children (not of its leaves), so a branch is
judged by what its choices lead to on average.
"""

from __future__ import annotations

from statistics import fmean

from pydantic import BaseModel, Field

from guide.codesteer_format import FormatLimits, render_conversation, render_guidance
from guide.types import Guidance, Trajectory

CORRECT_BONUS = 15.0
"""A correct leaf at depth d scores ``CORRECT_BONUS - d`` (the paper's 15)."""


class Rollout(BaseModel):
    """One root-to-leaf path of a synthesis tree."""

    path: list[int] = Field(description="the branch index taken at each decision, decision 0 first")
    trajectory: Trajectory
    correct: bool = Field(description="the verifier accepted the final answer")
    verdict: str = Field("", description="the verifier's verdict and reason, for statistics")

    @property
    def depth(self) -> int:
        return len(self.trajectory.rounds)

    @property
    def score(self) -> float:
        return leaf_score(self.correct, self.depth)


class SynthTree(BaseModel):
    """Every rollout of one question: a synthesis record (one JSON line in ``trees.jsonl``)."""

    key: str = Field(description="task/sample id; a resumed synthesis skips keys already written")
    task: str
    sample_id: str
    question: str
    source: str | None = Field(None, description="where the question came from ('generated:<seed>')")
    rollouts: list[Rollout] = Field(default_factory=list)
    error: str | None = Field(None, description="why the question's synthesis stopped early, if it did")
    usage: dict[str, int] = Field(default_factory=dict, description="tokens and calls spent on this question")

    def score(self, prefix: tuple[int, ...] = ()) -> float:
        """The score of the node reached by ``prefix`` (the root by default)."""
        return node_score(self.rollouts, prefix)


def leaf_score(correct: bool, depth: int) -> float:
    return CORRECT_BONUS - depth if correct else -float(depth)


def node_score(rollouts: list[Rollout], prefix: tuple[int, ...]) -> float:
    """Mean of the children's scores; a leaf's own score. ValueError when nothing is under ``prefix``."""
    below = [r for r in rollouts if tuple(r.path[: len(prefix)]) == prefix]
    if not below:
        raise ValueError(f"no rollout under the node {prefix}")
    leaves = [r for r in below if len(r.path) == len(prefix)]
    if leaves:
        return leaves[0].score
    children = sorted({r.path[len(prefix)] for r in below})
    return fmean(node_score(below, (*prefix, c)) for c in children)


def _decision(trajectory: Trajectory, index: int) -> Guidance | None:
    """Decision ``index`` of a trajectory: the first choice, or round ``index``'s guidance."""
    if index == 0:
        return trajectory.first
    if index - 1 < len(trajectory.rounds):
        return trajectory.rounds[index - 1].guidance
    return None


def _prefix_before(trajectory: Trajectory, index: int) -> Trajectory:
    """The trajectory as the guide saw it just before decision ``index``."""
    if index == 0:
        return trajectory.model_copy(update={"first": None, "rounds": [], "status": "open", "final_answer": None})
    rounds = [r.model_copy() for r in trajectory.rounds[:index]]
    rounds[-1] = rounds[-1].model_copy(update={"guidance": None})
    return trajectory.model_copy(update={"rounds": rounds, "status": "open", "final_answer": None})


class PreferencePair(BaseModel):
    """Two sibling guide replies from one state: the better- and the worse-scoring branch."""

    key: str
    task: str
    decision: int = Field(description="which decision the pair is about (0 = the code/text choice)")
    prompt: list[dict[str, str]] = Field(description="the shared conversation, ending on the user turn")
    chosen: str
    rejected: str
    chosen_score: float
    rejected_score: float

    @property
    def margin(self) -> float:
        return self.chosen_score - self.rejected_score


def preference_pairs(tree: SynthTree, *, min_margin: float = 2.0, limits: FormatLimits | None = None) -> list[PreferencePair]:
    """Every pair of sibling branches whose scores differ by at least ``min_margin``.

    Siblings that wrote the same reply (the sampler repeated itself) are not paired.
    """
    pairs: list[PreferencePair] = []
    nodes = sorted({tuple(r.path[:i]) for r in tree.rollouts for i in range(len(r.path))})
    for prefix in nodes:
        below = [r for r in tree.rollouts if tuple(r.path[: len(prefix)]) == prefix and len(r.path) > len(prefix)]
        children = sorted({r.path[len(prefix)] for r in below})
        if len(children) < 2:
            continue
        decision = len(prefix)
        replies: dict[int, tuple[str, float]] = {}
        for child in children:
            example = next(r for r in below if r.path[decision] == child)
            guidance = _decision(example.trajectory, decision)
            if guidance is None:
                continue
            question = example.trajectory.question if decision == 0 else None
            replies[child] = (render_guidance(guidance, question), node_score(tree.rollouts, (*prefix, child)))
        if len(replies) < 2:
            continue
        example = below[0]
        prompt = render_conversation(_prefix_before(example.trajectory, decision), limits)
        ranked = sorted(replies.values(), key=lambda item: -item[1])
        for i, (better, high) in enumerate(ranked):
            for worse, low in ranked[i + 1 :]:
                if high - low >= min_margin and better != worse:
                    pairs.append(
                        PreferencePair(key=tree.key, task=tree.task, decision=decision, prompt=prompt,
                                       chosen=better, rejected=worse, chosen_score=high, rejected_score=low)
                    )
    return pairs
