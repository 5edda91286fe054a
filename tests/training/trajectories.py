"""Hand-built trajectories and trees for the training tests."""

from __future__ import annotations

from checkers.types import AnswerCheck
from guide.codesteer_format import MODE_INSTRUCTIONS
from guide.types import Action, Guidance, Round, Trajectory
from training.tree import Rollout, SynthTree


def guidance(action: Action, prompt: str | None = None) -> Guidance:
    if prompt is None:
        prompt = MODE_INSTRUCTIONS.get(action, "done")
    return Guidance(action=action, prompt=prompt, rationale="test")


def trajectory(question: str, first: Action, rounds: list[tuple[str, str | None, Guidance]], *, task: str | None = None,
               status: str = "returned", session_id: str = "s") -> Trajectory:
    """``rounds``: (response, answer, guidance after it)."""
    t = Trajectory(session_id=session_id, question=question, task=task, first=guidance(first))
    for i, (response, answer, g) in enumerate(rounds, 1):
        t.rounds.append(Round(index=i, response=response, answer=answer, guidance=g))
    t.status = status
    t.final_answer = rounds[-1][1] if rounds else None
    return t


def checked(t: Trajectory, verdict: str) -> Trajectory:
    t.rounds[-1].answer_check = AnswerCheck(verdict=verdict, reason="the checker program says so", method="checker_code")
    return t


def paper_tree() -> SynthTree:
    """The tree of the paper's scoring rule, by hand.

    code -> 24, return                              correct at depth 1: 15 - 1 = 14
    code -> 24, refine S -> 24, return              correct at depth 2: 13
    code -> 24, refine S -> 24, refine A -> 26, end wrong at depth 3: -3
    text -> 23, text -> 22, end                     wrong at depth 2: -2
    """
    q = "Use 4 7 8 8 to make 24"
    ret = guidance(Action.RETURN, "return")
    end = guidance(Action.TERMINATE, "stop")
    search = guidance(Action.REFINE, "Search every expression.")
    rollouts = [
        Rollout(path=[0, 0], correct=True, trajectory=trajectory(q, Action.CODE, [("x", "24", ret)])),
        Rollout(path=[0, 1, 0], correct=True, trajectory=trajectory(q, Action.CODE, [("x", "24", search), ("y", "24", ret)])),
        Rollout(path=[0, 1, 1, 0], correct=False, trajectory=trajectory(
            q, Action.CODE, [("x", "24", search), ("y", "24", guidance(Action.REFINE, "Again.")), ("z", "26", end)],
            status="terminated")),
        Rollout(path=[1, 0, 0], correct=False, trajectory=trajectory(
            q, Action.TEXT, [("I think 23", "23", guidance(Action.TEXT)), ("maybe 22", "22", end)], status="terminated")),
    ]
    return SynthTree(key="game24/g1", task="game24", sample_id="g1", question=q, rollouts=rollouts)
