"""The guide: decides, round by round, whether the TaskLLM answers in code or text, refines, or stops."""

from .registry import create_guide
from .types import Action, Guidance, Guide, Round, Trajectory

__all__ = ["Action", "Guidance", "Guide", "Round", "Trajectory", "create_guide"]
