"""Semantic calls: which names a program calls without defining them, how one call is
written as a memo key, and the source around a call (context for whoever emulates it).

A call crosses the sandbox boundary as JSON data only: its function name, its positional
arguments and its keyword arguments, each a JSON value. Its key is that call written in
Python syntax with each value's ``repr``, e.g. ``is_sarcastic('Oh, great.')``; the same
function computes the key inside the sandbox (the prelude embeds this module's rules)
and on the host, so a value supplied for a key answers exactly that call.
"""

from __future__ import annotations

import ast
import builtins
import json
import keyword
import re
from typing import Any

from pydantic import BaseModel, Field

JSONValue = Any
"""None, bool, int, float, str, and lists and string-keyed dicts of those."""

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,99}$")
_BUILTIN_NAMES = frozenset(dir(builtins))


class CallKeyError(ValueError):
    """A key that is not one call of a named function with literal arguments."""


class SemanticCall(BaseModel):
    """One call of a function nobody wrote: what the program asked, where."""

    key: str = Field(description="the call in Python syntax; the key of its value in `emulated`")
    name: str
    args: list[JSONValue] = Field(default_factory=list)
    kwargs: dict[str, JSONValue] = Field(default_factory=dict)
    line: int | None = Field(None, description="line of the program that made the call")
    line_text: str | None = Field(None, description="that line's source")
    speculative: bool = Field(
        False, description="met while looking ahead past values not known yet: the program may turn out not to need it"
    )


def call_key(name: str, args: list[JSONValue], kwargs: dict[str, JSONValue]) -> str:
    """``name(arg, ..., kw=value)`` with each value's repr and keywords sorted."""
    parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in sorted(kwargs.items())]
    return f"{name}({', '.join(parts)})"


_JSON_NAMES = {"true": True, "false": False, "null": None}


class _JsonNames(ast.NodeTransformer):
    """Lets a key written with JSON's true/false/null parse as Python literals."""

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id in _JSON_NAMES:
            return ast.copy_location(ast.Constant(_JSON_NAMES[node.id]), node)
        return node


def parse_call_key(text: str) -> tuple[str, list[JSONValue], dict[str, JSONValue]]:
    """A key as a caller wrote it (either quote style, any spacing, JSON or Python
    literals) read back into name, args and kwargs; :class:`CallKeyError` otherwise."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise CallKeyError(f"{text[:80]!r} is not a function call: {exc.msg}") from None
    call = tree.body
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name):
        raise CallKeyError(f"{text[:80]!r} is not a call of a named function like is_fruit('apple')")
    call = _JsonNames().visit(call)
    try:
        args = [_plain_literal(ast.literal_eval(a)) for a in call.args]
        kwargs = {}
        for kw in call.keywords:
            if kw.arg is None:
                raise ValueError("**kwargs")
            kwargs[kw.arg] = _plain_literal(ast.literal_eval(kw.value))
    except (ValueError, TypeError, SyntaxError, RecursionError) as exc:
        raise CallKeyError(f"{text[:80]!r}: every argument must be a literal value ({exc})") from None
    return call.func.id, args, kwargs


def _plain_literal(value: Any) -> JSONValue:
    """A Python literal as the JSON value the sandbox would have sent (tuples are lists)."""
    if isinstance(value, (tuple, list)):
        return [_plain_literal(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_plain_literal(v) for v in value), key=repr)
    if isinstance(value, dict):
        return {str(k): _plain_literal(v) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise ValueError(f"{type(value).__name__} is not a JSON value")


def canonical_key(text: str) -> str:
    """The canonical spelling of a key written any acceptable way."""
    return call_key(*parse_call_key(text))


def json_size(value: JSONValue) -> int:
    return len(json.dumps(value, ensure_ascii=False, allow_nan=False))


def semantic_names(code: str) -> list[str]:
    """Names the program calls (``f(...)``) but never binds anywhere and that are not
    builtins: the functions nobody wrote. A name bound anywhere (assignment, def,
    import, parameter, loop target...) is left alone, so a program's own helpers and
    its bugs behave as in plain Python. Empty when the code does not parse."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError):
        return []
    called: set[str] = set()
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            called.add(node.func.id)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                bound.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.update(node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            bound.add(node.rest)
    if any(isinstance(n, ast.ImportFrom) and any(a.name == "*" for a in n.names) for n in ast.walk(tree)):
        return []  # a star import may define anything
    names = called - bound - _BUILTIN_NAMES - {"__import__"}
    return sorted(n for n in names if _IDENTIFIER.match(n) and not keyword.iskeyword(n) and not n.startswith("__"))


def source_line(code: str, line: int | None) -> str | None:
    if line is None:
        return None
    lines = code.splitlines()
    if 1 <= line <= len(lines):
        return lines[line - 1].strip()[:500]
    return None


def call_context(code: str, line: int | None, *, radius: int = 4, max_chars: int = 2000) -> str:
    """The program's docstring and the lines around ``line`` (the call's line marked),
    capped: what whoever emulates the call reads to know what the function means."""
    lines = code.splitlines()
    parts: list[str] = []
    try:
        doc = ast.get_docstring(ast.parse(code))
    except (SyntaxError, ValueError, RecursionError):
        doc = None
    if doc:
        parts.append(f'Program docstring: """{doc[: max_chars // 3]}"""')
    if line is not None and 1 <= line <= len(lines):
        lo, hi = max(1, line - radius), min(len(lines), line + radius)
        window = [f"{'>>' if n == line else '  '} {n:4d} | {lines[n - 1]}" for n in range(lo, hi + 1)]
        parts.append("Program lines around the call (>> marks it):\n" + "\n".join(window))
    text = "\n".join(parts)
    return text if len(text) <= max_chars else text[:max_chars] + "\n..."
