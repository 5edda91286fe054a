"""Checkers: what a program does (symbolic) and whether an answer holds (answer)."""

from .answer import CHECKER_INSTRUCTIONS, check_with_task, run_checker, unverified
from .code_blocks import extract_python, prose_of
from .symbolic import analyze_code
from .types import AnswerCheck, CodeVerdict, SymbolicReport

__all__ = [
    "CHECKER_INSTRUCTIONS",
    "AnswerCheck",
    "CodeVerdict",
    "SymbolicReport",
    "analyze_code",
    "check_with_task",
    "extract_python",
    "prose_of",
    "run_checker",
    "unverified",
]
