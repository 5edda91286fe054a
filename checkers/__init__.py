"""Checkers: what a program does (symbolic) and whether an answer holds (answer)."""

from .types import AnswerCheck, CodeVerdict, SymbolicReport

__all__ = ["AnswerCheck", "CodeVerdict", "SymbolicReport"]
