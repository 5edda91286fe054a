"""The guide: decides, round by round, whether the TaskLLM answers in code or text, refines, or stops.

Its chat models live in the subpackage :mod:`guide.chat`, the one model layer of the project.
"""

from .chain_of_code import mixes_judgement_and_computation
from .model_guide import GUIDE_MAX_TOKENS, ModelGuide
from .prompts import ANSWER_FORMAT
from .registry import GUIDE_SPEC_HELP, GuideModelOptions, create_guide
from .text import cap_text
from .types import Action, Emulation, Guidance, Guide, Round, Trajectory

__all__ = [
    "ANSWER_FORMAT",
    "GUIDE_MAX_TOKENS",
    "GUIDE_SPEC_HELP",
    "Action",
    "Emulation",
    "Guidance",
    "Guide",
    "GuideModelOptions",
    "ModelGuide",
    "Round",
    "Trajectory",
    "cap_text",
    "create_guide",
    "mixes_judgement_and_computation",
]
