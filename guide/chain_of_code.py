"""What the guide does about Chain of Code: spotting a question that mixes judgement
with computation, and deciding after a round whose program called functions nobody
wrote. The rules guide consults these two hooks before its own rules."""

from __future__ import annotations

import json
import re

from . import prompts
from .types import Action, Guidance, Round, Trajectory

# Judgements a program cannot compute but a language model can make.
_JUDGEMENT = re.compile(
    r"\b(sarcas\w*|ironic\w*|sentiment|positive|negative|polite\w*|rude|offensive|toxic|funny|humou?r\w*|emotion\w*|"
    r"tone|formal|informal|fruits?|vegetables?|animals?|mammals?|edible|living|countr(y|ies)|capitals?|"
    r"rhym\w*|synonyms?|antonyms?|plausib\w*|sensible|metaphor\w*|grammatical\w*|opinion|fact(ual)?|"
    r"categor\w*|kind of|type of|sound like|mean(ing|s)?|similar|related|famous|fictional|real)\b",
    re.IGNORECASE,
)
# Computation over many items: counting, filtering, ordering, aggregating.
_OVER_ITEMS = re.compile(
    r"\b(how many|count|number of|which of|list (all|the)|filter|sort|order|rank|most|least|fewest|"
    r"sum|total|average|percentage|proportion|fraction|all of|none of|each of)\b",
    re.IGNORECASE,
)
_MANY_ITEMS = re.compile(r"(\n\s*(\d+[.)]|[-*•])\s+\S)|(\"[^\"]{3,}\".*){3,}|([^,;|\n]{3,}[,;|]){4,}", re.DOTALL)

CHAIN_OF_CODE_HINT = (
    "Some steps of this question need judgement rather than computation (is this sentence sarcastic? is this a "
    "fruit?). Write the computation in Python and leave each such judgement as a call to a function you do NOT "
    "define, with a name that says what it decides, e.g. `is_sarcastic(sentence)`: the server has a language "
    "model emulate each call, replays your program with the values, and marks those values as emulated."
)

HOST_VALUES = (
    "Your program calls functions nobody wrote ({names}), and no model on the server could emulate them, so "
    "you are the emulator. Decide what each call below returns (a JSON value), then send your program again, "
    "unchanged, followed by a ```json block mapping every call to its value, exactly like this one with each "
    "null replaced:\n```json\n{template}\n```"
)

EMULATION_STOPPED = (
    "Running your program with emulated calls stopped: {message}. Rewrite it so it needs fewer or simpler "
    "emulated calls (one call per item, arguments that do not depend on randomness), and print the answer as "
    "<<<answer>>>."
)


def mixes_judgement_and_computation(question: str) -> tuple[bool, list[str]]:
    """Whether ``question`` asks to count, filter or order things by a judgement, with why."""
    judgements = sorted({m.group(0).lower() for m in _JUDGEMENT.finditer(question)})
    computations = sorted({m.group(0).lower() for m in _OVER_ITEMS.finditer(question)})
    many = bool(_MANY_ITEMS.search(question))
    if judgements and computations and many:
        return True, [f"it asks for {', '.join(computations[:3])} over several items judged by {', '.join(judgements[:3])}"]
    return False, []


def chain_of_code_first(trajectory: Trajectory) -> Guidance | None:
    """Code with the Chain-of-Code hint when the question mixes judgement and computation."""
    mixed, reasons = mixes_judgement_and_computation(trajectory.question)
    if not mixed:
        return None
    return Guidance(
        action=Action.CODE,
        prompt=prompts.question_with(prompts.CODE_FIRST + "\n" + CHAIN_OF_CODE_HINT, trajectory.question),
        rationale="Code with emulated judgements (Chain of Code): " + "; ".join(reasons) + ". Counting and "
        "filtering are exact in code; the judgements are left to a language model through undefined functions.",
    )


def after_emulation(trajectory: Trajectory, last: Round) -> Guidance | None:
    """The decision after a round whose semantic calls could not all be emulated; None
    when the round has no emulation or it finished (the usual rules then judge the run)."""
    emulation = last.emulation
    if emulation is None or emulation.status == "finished":
        return None
    if emulation.status == "needs_values":
        template = {c.key: c.value for c in emulation.emulated} | {c.key: None for c in emulation.pending}
        names = ", ".join(sorted({c.name for c in emulation.pending}))
        return Guidance(
            action=Action.REFINE,
            prompt=HOST_VALUES.format(names=names, template=json.dumps(template, indent=1, ensure_ascii=False)),
            rationale=f"An emulation round, not a crash: {len(emulation.pending)} call(s) of {names} need values and "
            "no model on the server can give them, so the TaskLLM is asked for them.",
        )
    return Guidance(
        action=Action.REFINE,
        prompt=EMULATION_STOPPED.format(message=emulation.message),
        rationale=f"The emulated run stopped ({emulation.status}): {emulation.message}",
    )
