"""The guide and Chain of Code: spotting questions that mix judgement with computation,
treating a round with emulated calls as an emulation round, and showing it to a guide model."""

from __future__ import annotations

import pytest

from guide.chain_of_code import CHAIN_OF_CODE_HINT, mixes_judgement_and_computation
from guide.codesteer_format import EMULATION_LABEL, PENDING_LABEL, render_round
from guide.rules import RulesGuide
from guide.types import Action, Emulation, Round, Trajectory
from sandbox.lmulate import EmulatedCall, SemanticCall
from sandbox.types import ExecResult

SARCASM = (
    "How many of these sentences are sarcastic?\n1. Oh great, another Monday.\n2. I love sunny days.\n"
    "3. Wow, the train is late again, what a surprise.\n4. The cake was delicious."
)


@pytest.mark.parametrize(
    ("question", "mixed"),
    [
        (SARCASM, True),
        ("Which of these are fruits: apple, kale, plum, carrot, fig, leek?", True),
        ('Sort these reviews from most positive to most negative: "great", "awful food", "fine I guess", "superb"', True),
        ("How many primes are there below 100?", False),
        ("Is this sentence sarcastic: 'Oh great, another Monday.'?", False),
        ("What is the capital of France?", False),
    ],
)
def test_questions_mixing_judgement_with_counting_filtering_or_ordering_are_recognised(question, mixed):
    assert mixes_judgement_and_computation(question)[0] is mixed


def test_the_rules_guide_starts_such_a_question_in_code_with_the_chain_of_code_hint():
    decision = RulesGuide().decide(Trajectory(session_id="s", question=SARCASM))
    assert decision.action is Action.CODE
    assert CHAIN_OF_CODE_HINT in decision.prompt and SARCASM in decision.prompt
    assert "Chain of Code" in decision.rationale
    plain = RulesGuide().decide(Trajectory(session_id="s", question="How many primes are there below 100?"))
    assert CHAIN_OF_CODE_HINT not in plain.prompt


def _call(sentence: str) -> SemanticCall:
    return SemanticCall(key=f"is_sarcastic({sentence!r})", name="is_sarcastic", args=[sentence], line=3)


def test_a_round_waiting_for_emulated_values_asks_for_them_and_is_not_a_crash():
    waiting = Emulation(
        status="needs_values",
        emulated=[EmulatedCall(**_call("a").model_dump(), value=True, source="host")],
        pending=[_call("b")],
        runs=1,
    )
    trajectory = Trajectory(session_id="s", question=SARCASM)
    trajectory.first = RulesGuide().decide(trajectory)
    for i in range(3):  # three such rounds in a row are not three failed programs
        trajectory.rounds.append(Round(index=i + 1, response="```python\n...\n```", code="...", emulation=waiting))
        decision = RulesGuide().decide(trajectory)
        trajectory.rounds[-1].guidance = decision
        assert decision.action is Action.REFINE, decision
        assert "An emulation round, not a crash" in decision.rationale
    assert '"is_sarcastic(\'b\')": null' in decision.prompt
    assert '"is_sarcastic(\'a\')": true' in decision.prompt


def test_a_stopped_emulation_is_fed_back_with_its_reason():
    stopped = Emulation(status="limit", message="stopped at the limit of 64 distinct emulated calls", runs=5)
    trajectory = Trajectory(session_id="s", question=SARCASM)
    trajectory.rounds.append(Round(index=1, response="r", code="...", emulation=stopped, execution=ExecResult(exit_code=0)))
    decision = RulesGuide().decide(trajectory)
    assert decision.action is Action.REFINE and "64 distinct emulated calls" in decision.prompt


def test_the_guide_model_sees_which_values_were_emulated_and_which_wait():
    round_ = Round(
        index=1,
        response="```python\nprint(sum(is_sarcastic(s) for s in S))\n```",
        code="print(sum(is_sarcastic(s) for s in S))",
        execution=ExecResult(stdout="1\n", exit_code=0),
        emulation=Emulation(
            status="finished",
            emulated=[EmulatedCall(**_call("Oh great.").model_dump(), value=True, source="sampling")],
            runs=2,
        ),
    )
    text = render_round(round_)
    assert EMULATION_LABEL in text
    assert "is_sarcastic('Oh great.') -> true (sampling)" in text
    assert "emulation status: finished after 2 run(s)" in text
    assert text.index(EMULATION_LABEL) < text.index("The feedback from the checking agent is:")
    round_.emulation = Emulation(status="needs_values", pending=[_call("b")], runs=1)
    assert PENDING_LABEL in render_round(round_) and "is_sarcastic('b')" in render_round(round_)
    assert EMULATION_LABEL not in render_round(Round(index=1, response="no code"))
