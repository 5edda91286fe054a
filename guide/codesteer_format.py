"""The CodeSteer conversation format: what a guide model reads and how its replies are parsed.

This is the single definition of the layout shared by the model-backed guides (``hf``,
``openai``, ``vllm``) and by ``training/``, which builds its SFT/DPO data with
:func:`render_conversation` so that trained models see exactly what they will see when
they steer.

The layout follows the CodeSteer paper (Chen et al., 2025, arXiv 2502.04350) and the
released CodeSteer-Llama-3-8B: a plain user/assistant chat, no system message.

Turn 1, user (the code/text choice)::

    <FIRST_TURN_INSTRUCTION>
    <the question>

Turn 1, assistant: the first choice, ``<<<Code>>>`` or ``<<<Text>>>``, or a guidance
prompt for the TaskLLM inside ``<<<...>>>``.

Then one user/assistant pair per TaskLLM round. The user turn reports the round::

    The response from TaskLLM is: <the TaskLLM's response>
    The execution result from the generated code is:
    output: <stdout>, errors: <stderr and run notes>       (only when code ran)

    The program called functions nobody wrote; emulation status: <status> after <n> run(s).
    The emulated function calls (values guessed by a language model, not computed) are:
      is_sarcastic('...') -> true (sampling)
    Calls of functions nobody wrote that are still waiting for a value:
      is_sarcastic('...')                                  (only when the program's
                                                           semantic calls were emulated:
                                                           Chain of Code)

    The feedback from the checking agent is:
    <verdict>: <reason>
    <details>

    The summary of generated code complexity is: <verdict, score, evidence, advice>
                                                           (only when there was code)

    The final returned guidance prompt should be of the format <<<guidance prompt content>>>.

and the assistant turn is the guide's decision, which is one of:

- ``<<<Code>>>``: answer again, by writing and running code (``Action.CODE``);
- ``<<<Text>>>``: answer again, by reasoning in text (``Action.TEXT``);
- ``<<<Return Answer>>>``: the last answer stands, return it (``Action.RETURN``);
- ``<<<Terminate>>>``: stop with the best answer so far (``Action.TERMINATE``);
- ``<<<free guidance>>>``: a prompt for the TaskLLM's next turn. In a round it means
  "keep the mode, fix this" (``Action.REFINE``); as the first choice it means code when
  it speaks of code, a program or Python, and text otherwise;
- ``<<<Code>>>`` or ``<<<Text>>>`` followed by ``<<<free guidance>>>``: that mode, with
  that prompt. The released weights never write this pair; :func:`render_guidance`
  writes it when a decision carries its own prompt, so that no information is lost.

Text outside the markers is the model's reasoning: kept as the rationale, never obeyed.
Control tokens are matched without regard to case, spaces or underscores
(``<<< return_answer >>>`` counts). A guidance prompt may itself contain ``<<<answer>>>``
(it usually asks the TaskLLM to answer in that format), so the guidance is taken from
the first ``<<<`` to the last ``>>>`` once the control tokens are removed. A reply with
neither a control token nor a guidance segment, with two different control tokens, or
with a ``<<<`` never closed (a reply cut at the token limit) is malformed:
:func:`parse_guidance` raises :class:`MalformedGuidance` and the caller falls back to the
rules guide (``guide.model_guide``).

The original CodeSteer prompts are not published in a form we could copy; the wording of
:data:`FIRST_TURN_INSTRUCTION` is ours, written from the paper's description, and a bare
<<<Code>>> or <<<Text>>> gives the TaskLLM the rules guide's instructions for that mode
(``guide.prompts``). The per-round labels keep the released model's layout.
"""

from __future__ import annotations

import json
import re

from pydantic import BaseModel, Field

from . import prompts
from .text import cap_text
from .types import Action, Guidance, Round, Trajectory

CODE_TOKEN = "<<<Code>>>"
TEXT_TOKEN = "<<<Text>>>"
RETURN_TOKEN = "<<<Return Answer>>>"
TERMINATE_TOKEN = "<<<Terminate>>>"
#: The control tokens, in the spelling the guide is trained to write; tokenizers built
#: for guide models (tests, training) add them as single tokens.
CONTROL_TOKENS: tuple[str, ...] = (CODE_TOKEN, TEXT_TOKEN, RETURN_TOKEN, TERMINATE_TOKEN)

ACTION_TOKENS: dict[Action, str] = {
    Action.CODE: CODE_TOKEN,
    Action.TEXT: TEXT_TOKEN,
    Action.RETURN: RETURN_TOKEN,
    Action.TERMINATE: TERMINATE_TOKEN,
}

FIRST_TURN_INSTRUCTION = (
    "You are CodeSteer, a guide that steers another model, the TaskLLM, while it solves a question. "
    "The TaskLLM can answer by reasoning in text, or by writing a Python program that is run and whose "
    "output it sees. Code is the surer way when the question needs search, exact arithmetic, "
    "counting or checking many constraints; text is better when it needs reading, common sense or "
    "a short argument that a program would not make safer.\n"
    "First choose how the TaskLLM should start: reply <<<Code>>> or <<<Text>>>, or write a guidance "
    "prompt for the TaskLLM inside <<<...>>>.\n"
    "After each of its answers you will see the TaskLLM's response, what its code printed, a summary "
    "of how complex that code is, and the feedback of an answer checker. Then reply <<<Code>>> or "
    "<<<Text>>> to have it answer again in that mode, a guidance prompt inside <<<...>>> saying what to "
    "fix, <<<Return Answer>>> when the answer is right and should be returned, or <<<Terminate>>> to "
    "stop.\n"
    "The question is:\n"
)

GUIDANCE_REQUEST = "The final returned guidance prompt should be of the format <<<guidance prompt content>>>."

#: What the TaskLLM is told when the guide says only <<<Code>>> or <<<Text>>>: the same
#: instructions the rules guide gives (as the first choice, after the question).
MODE_INSTRUCTIONS: dict[Action, str] = {Action.CODE: prompts.CODE_FIRST, Action.TEXT: prompts.TEXT_FIRST}

_TRIVIAL_CODE_NOTE = "The generated code may not be complex enough to carry out symbolic computing for solving the task."


class FormatLimits(BaseModel):
    """How much of each part of a trajectory the guide model is shown.

    A part over its limit keeps its head and tail and loses its middle, with a marker
    saying how many characters were cut, so that the conversation fits the guide
    model's context however long the TaskLLM's answers or program outputs are.
    """

    question_chars: int = Field(12_000, ge=200, description="the question")
    response_chars: int = Field(6_000, ge=200, description="each TaskLLM response")
    output_chars: int = Field(2_000, ge=100, description="each of stdout and stderr of a run")
    guidance_chars: int = Field(4_000, ge=100, description="a guidance prompt read back from the model")


def render_first_turn(question: str, limits: FormatLimits | None = None) -> str:
    limits = limits or FormatLimits()
    return FIRST_TURN_INSTRUCTION + cap_text(question, limits.question_chars)


def render_round(round_: Round, limits: FormatLimits | None = None) -> str:
    """The user turn that reports one TaskLLM round to the guide."""
    limits = limits or FormatLimits()
    parts = [f"The response from TaskLLM is: {cap_text(round_.response, limits.response_chars)}"]
    if round_.execution is not None:
        ex = round_.execution
        errors = [cap_text(ex.stderr.rstrip(), limits.output_chars)] if ex.stderr.strip() else []
        if ex.timed_out:
            errors.append(f"the run was killed at the time limit after {ex.duration_s:.1f} s")
        elif ex.exit_code not in (0, None):
            errors.append(f"exit code {ex.exit_code}")
        errors.extend(ex.notes)
        parts[0] += (
            "\nThe execution result from the generated code is:\n"
            f"output: {cap_text(ex.stdout.rstrip(), limits.output_chars)}, errors: {'; '.join(errors)}"
        )
    if round_.emulation is not None:
        parts.append(_render_emulation(round_, limits))
    parts.append(f"The feedback from the checking agent is:\n{_render_check(round_)}")
    if round_.code is not None or round_.symbolic is not None:
        parts.append(f"The summary of generated code complexity is: {_render_complexity(round_)}")
    parts.append(GUIDANCE_REQUEST)
    return "\n\n".join(parts)


EMULATION_LABEL = "The emulated function calls (values guessed by a language model, not computed) are:"
PENDING_LABEL = "Calls of functions nobody wrote that are still waiting for a value:"


def _render_emulation(round_: Round, limits: FormatLimits) -> str:
    """Chain of Code: which calls a model emulated (with the values), which still wait,
    and why an emulated run stopped. A round waiting for values is not a crash."""
    em = round_.emulation
    assert em is not None
    lines = [f"The program called functions nobody wrote; emulation status: {em.status} after {em.runs} run(s)."]
    if em.emulated:
        lines.append(EMULATION_LABEL)
        lines += [f"  {c.key} -> {json.dumps(c.value, ensure_ascii=False)} ({c.source})" for c in em.emulated]
    if em.pending:
        lines.append(PENDING_LABEL)
        lines += [f"  {c.key}" for c in em.pending]
    if em.message and em.status != "needs_values":
        lines.append(f"It stopped: {em.message}")
    return cap_text("\n".join(lines), limits.output_chars)


def _render_check(round_: Round) -> str:
    check = round_.answer_check
    if check is None:
        return "No answer check was made."
    text = f"{check.verdict}: {check.reason}"
    if check.details:
        text += f"\n{check.details.strip()}"
    return text


def _render_complexity(round_: Round) -> str:
    report = round_.symbolic
    if report is None:
        return "The code was not analysed."
    text = f"{report.verdict} (complexity score {report.score}/100)"
    if report.features:
        text += "; evidence: " + ", ".join(report.features)
    if report.syntax_error:
        text += f"; syntax error: {report.syntax_error}"
    if report.advice:
        text += f". {report.advice}"
    if report.hard_coded or report.verdict in ("trivial", "hard_coded", "empty"):
        text += f"\n{_TRIVIAL_CODE_NOTE}"
    return text


def render_guidance(guidance: Guidance, question: str | None = None) -> str:
    """A decision written as the guide model would write it (the assistant turn).

    A code/text prompt that is the mode's standard instruction is written as the bare
    control token; ``question``, when given, is removed from the front of the prompt
    (the first choice's prompt repeats the question, the model's reply does not).
    ``parse_guidance(render_guidance(g))`` gives back ``g``'s action and prompt.
    """
    action = guidance.action
    prompt = guidance.prompt.strip()
    if question and prompt.startswith(question.strip()):
        prompt = prompt[len(question.strip()) :].strip()
    if action is Action.REFINE:
        return f"<<<{prompt}>>>"
    token = ACTION_TOKENS[action]
    if action in MODE_INSTRUCTIONS and prompt != MODE_INSTRUCTIONS[action]:
        return f"{token}\n<<<{prompt}>>>"
    return token


def render_conversation(trajectory: Trajectory, limits: FormatLimits | None = None) -> list[dict[str, str]]:
    """The trajectory as the guide model's chat: ``[{"role", "content"}, ...]``.

    Every decision already made is an assistant turn. A trajectory waiting for a
    decision (no first choice yet, or a last round without guidance) ends on a user
    turn: the prompt to generate from. A finished trajectory ends on an assistant turn:
    a whole training conversation. A round without guidance anywhere but last is
    skipped, since its report would be followed by no decision.
    """
    limits = limits or FormatLimits()
    messages = [{"role": "user", "content": render_first_turn(trajectory.question, limits)}]
    if trajectory.first is None:
        return messages
    messages.append({"role": "assistant", "content": render_guidance(trajectory.first, trajectory.question)})
    for i, round_ in enumerate(trajectory.rounds):
        is_last = i == len(trajectory.rounds) - 1
        if round_.guidance is None and not is_last:
            continue
        messages.append({"role": "user", "content": render_round(round_, limits)})
        if round_.guidance is not None:
            messages.append({"role": "assistant", "content": render_guidance(round_.guidance)})
    return messages


class MalformedGuidance(ValueError):
    """The guide model's reply holds no usable decision; the message says why."""


class ParsedGuidance(BaseModel):
    """A guide model's reply, read."""

    action: Action
    prompt: str | None = Field(None, description="the guidance text, when the model wrote one")
    token: str | None = Field(None, description="the control token it wrote, in canonical spelling")
    reasoning: str = Field("", description="what the model wrote outside the markers")


_CONTROL = re.compile(r"<<<\s*(code|text|return[\s_]*answer|terminate)\s*>>>", re.IGNORECASE)
_CONTROL_ACTIONS = {"code": Action.CODE, "text": Action.TEXT, "returnanswer": Action.RETURN, "terminate": Action.TERMINATE}
_MENTIONS_CODE = re.compile(r"\b(code|coding|program|programming|python|script)\b", re.IGNORECASE)


def parse_guidance(text: str, *, first_turn: bool, limits: FormatLimits | None = None) -> ParsedGuidance:
    """Read a guide model's reply; :class:`MalformedGuidance` when it holds no decision.

    ``first_turn`` says the reply is the code/text choice, where free guidance maps to
    code or text rather than refine. A guidance text longer than
    ``limits.guidance_chars`` is cut in the middle.
    """
    limits = limits or FormatLimits()
    actions = [_CONTROL_ACTIONS[re.sub(r"[\s_]", "", m.group(1).lower())] for m in _CONTROL.finditer(text)]
    if len(set(actions)) > 1:
        raise MalformedGuidance(f"the reply holds conflicting control tokens: {', '.join(ACTION_TOKENS[a] for a in actions)}")
    rest = _CONTROL.sub("\n", text)
    start = rest.find("<<<")
    end = rest.rfind(">>>")
    prompt: str | None = None
    if start != -1:
        if end < start:
            raise MalformedGuidance("a guidance segment opened with <<< is never closed with >>> (the reply was cut off?)")
        prompt = rest[start + 3 : end].strip() or None
        reasoning = (rest[:start] + rest[end + 3 :]).strip()
    else:
        reasoning = rest.strip()
    if prompt is not None:
        prompt = cap_text(prompt, limits.guidance_chars)

    if actions:
        action = actions[0]
    elif prompt is None:
        raise MalformedGuidance(
            "the reply holds neither a control token (<<<Code>>>, <<<Text>>>, <<<Return Answer>>>, <<<Terminate>>>) "
            "nor a guidance prompt inside <<<...>>>"
        )
    elif first_turn:
        action = Action.CODE if _MENTIONS_CODE.search(prompt) else Action.TEXT
    else:
        action = Action.REFINE
    if action in (Action.RETURN, Action.TERMINATE):
        prompt = None  # the closing message is the loop's to write, not the model's
    return ParsedGuidance(
        action=action,
        prompt=prompt,
        token=ACTION_TOKENS[action] if actions else None,
        reasoning=reasoning,
    )
