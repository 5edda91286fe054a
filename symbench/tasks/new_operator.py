"""New Operator: binary operators defined by formulas (``a~b = 1*a*b``), and an expression
using them to evaluate.

The value follows from the question alone, so ``reference_check`` evaluates it exactly (rational
arithmetic; operators of equal precedence, applied left to right, parentheses first).
The original's evaluator evaluated only one operator of the complexity-5 expressions
(see ``gold_defect``); strict mode scores against the recomputed value.
"""

from __future__ import annotations

import ast
import random
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

from .._judging import STRICT_REL_TOL, numbers_match, parse_final_number, single_number
from ..extract import answer_or_last_line
from ..types import Sample, Score, ScoringMode, Task
from ._common import load_folder, question_build

NAME = "new_operator"
FOLDER = "new_operator_dataset"
ORIGINAL_OPERATOR_ORDER = "#@$&%~"
"""The order in which the original's evaluator looked for operators; it applied the first
one it found and returned."""
_DEFINITION = re.compile(r"Define a\s*(\S)\s*b to be (.+?)\.\s*$", re.MULTILINE)


# --------------------------------------------------------------------------- evaluation


def _formula_value(formula: str, a: Fraction, b: Fraction) -> Fraction:
    """``formula`` in a and b (+, -, *, / and parentheses) evaluated exactly."""

    def ev(node: ast.AST) -> Fraction:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            return Fraction(str(node.value))
        if isinstance(node, ast.Name) and node.id in ("a", "b"):
            return a if node.id == "a" else b
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            v = ev(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
            left, right = ev(node.left), ev(node.right)
            if isinstance(node.op, ast.Add):
                return left + right
            if isinstance(node.op, ast.Sub):
                return left - right
            if isinstance(node.op, ast.Mult):
                return left * right
            if right == 0:
                raise ValueError(f"division by zero in {formula!r} with a={a}, b={b}")
            return left / right
        raise ValueError(f"unsupported element in the formula {formula!r}")

    return ev(ast.parse(formula, mode="eval"))


def parse_question(question: str) -> dict[str, Any]:
    """Operator definitions and the expression to calculate."""
    definitions = {op: formula.strip() for op, formula in _DEFINITION.findall(question)}
    expr = re.search(r"Calculate (.+?)\.?\s*$", question, flags=re.MULTILINE)
    if not definitions or not expr:
        raise ValueError("not a new-operator question: expected 'Define a?b to be <formula>.' and 'Calculate <expression>.'")
    return {"operators": definitions, "expression": expr.group(1).strip().rstrip(".")}


def _tokens(expression: str, operators: dict[str, str]) -> list[str]:
    tokens = re.findall(r"\d+(?:\.\d+)?|[()]|\S", expression.replace(" ", ""))
    for t in tokens:
        if not (re.fullmatch(r"\d+(?:\.\d+)?", t) or t in "()" or t in operators):
            raise ValueError(f"{t!r} in {expression!r} is neither a number nor a defined operator")
    return tokens


def evaluate(expression: str, operators: dict[str, str]) -> Fraction:
    """The exact value of ``expression``: parentheses first, then the defined operators
    left to right (they have no stated precedence, so none is assumed)."""
    tokens = _tokens(expression, operators)
    pos = 0

    def operand() -> Fraction:
        nonlocal pos
        if pos >= len(tokens):
            raise ValueError(f"{expression!r} ends where a number was expected")
        t = tokens[pos]
        pos += 1
        if t == "(":
            value = sequence()
            if pos >= len(tokens) or tokens[pos] != ")":
                raise ValueError(f"unbalanced parentheses in {expression!r}")
            pos += 1
            return value
        if t in operators or t == ")":
            raise ValueError(f"{t!r} where a number was expected in {expression!r}")
        return Fraction(t)

    def sequence() -> Fraction:
        nonlocal pos
        value = operand()
        while pos < len(tokens) and tokens[pos] in operators:
            op = tokens[pos]
            pos += 1
            value = _formula_value(operators[op], value, operand())
        return value

    result = sequence()
    if pos != len(tokens):
        raise ValueError(f"unexpected {tokens[pos]!r} in {expression!r}")
    return result


def original_value(expression: str, operators: dict[str, str]) -> float:
    """What the original's generator stored: innermost parentheses replaced by their float
    value, then only the first operator found, in ORIGINAL_OPERATOR_ORDER, applied to its
    neighbours, and that result returned."""
    expr = expression.replace(" ", "")
    while "(" in expr:
        start = expr.rindex("(")
        end = expr.index(")", start)
        inner = original_value(expr[start + 1 : end], operators)
        expr = expr[:start] + str(inner) + expr[end + 1 :]
    for op in ORIGINAL_OPERATOR_ORDER:
        if op in expr and op in operators:
            m = re.search(r"(-?\d+\.?\d*)\s*" + re.escape(op) + r"\s*(-?\d+\.?\d*)", expr)
            if m:
                return float(_formula_value(operators[op], Fraction(m.group(1)), Fraction(m.group(2))))
    return float(expr)


# --------------------------------------------------------------------------- scoring


def _score(expected: Fraction, response: str) -> Score:
    answer = answer_or_last_line(response)
    try:
        value, written = single_number(answer)
    except ValueError as exc:
        return Score.incorrect(f"unreadable answer: {exc}; answer like <<<12.5>>>", parsed=answer)
    if not numbers_match(value, expected, rel_tol=STRICT_REL_TOL, written=written):
        return Score.incorrect(f"{written} is not the value {float(expected):.10g}", parsed=float(value))
    return Score.correct(parsed=float(value))


def reference_check(question: str, response: str) -> Score:
    meta = parse_question(question)
    return _score(evaluate(meta["expression"], meta["operators"]), response)


def verify(sample: Sample, response: str, mode: ScoringMode = "strict") -> Score:
    """strict: the recomputed value (relative 1e-6, or correctly rounded with 3+
    significant digits). faithful: the original's float equality with the stored gold."""
    if mode == "faithful":
        answer = answer_or_last_line(response)
        found = parse_final_number(answer)
        if found is None:
            return Score.incorrect(f"no number found in {answer!r}", parsed=answer)
        value = float(found[0])
        if value != float(sample.gold):
            return Score.incorrect(f"{found[1]} != stored gold {sample.gold}", parsed=value)
        return Score.correct(parsed=value)
    return _score(evaluate(sample.metadata["expression"], sample.metadata["operators"]), response)


def gold_defect(sample: Sample) -> str | None:
    """The stored gold differs from the expression's value (the complexity-5 samples)."""
    meta = sample.metadata
    true = evaluate(meta["expression"], meta["operators"])
    if numbers_match(Fraction(str(sample.gold)), true, rel_tol=STRICT_REL_TOL):
        return None
    buggy = original_value(meta["expression"], meta["operators"])
    if float(sample.gold) == buggy:
        return (
            f"the stored gold {sample.gold} is the value of only the first operator the original's evaluator found "
            f"(it looked in the order {ORIGINAL_OPERATOR_ORDER} and returned after one application); "
            f"{meta['expression']} evaluated left to right is {float(true):.10g}"
        )
    return f"the stored gold {sample.gold} is not the value {float(true):.10g} of {meta['expression']}"


# --------------------------------------------------------------------------- loading


def load(data_dir: Path) -> list[Sample]:
    """Every ``sample_<n>`` folder of new_operator_dataset, in numeric order; ids are the folder names."""
    build = question_build(parse_question, "solution", required=True)
    return load_folder(data_dir, FOLDER, NAME, build, prefix_ids=False)


# --------------------------------------------------------------------------- generator

_OPERATOR_SYMBOLS = list(ORIGINAL_OPERATOR_ORDER)


def _random_formula(rng: random.Random) -> str:
    c1, c2 = rng.randint(1, 5), rng.randint(1, 5)
    return rng.choice([f"{c1}*a+{c2}*b", f"{c1}*a*b", "(a + b)/b"])


def generate(seed: int, complexity: int = 5) -> Sample:
    """The original's two shapes: complexity 1 ``a?b``; 2-3 ``(a?b)?c`` with one operator;
    4-5 ``(3?4)?5?6`` with three operators. The gold is the exact value, left to right."""
    if not 1 <= complexity <= 5:
        raise ValueError(f"complexity must be between 1 and 5, got {complexity}")
    rng = random.Random(seed)
    if complexity >= 4:
        ops = rng.sample(_OPERATOR_SYMBOLS, 3)
        defs = {op: _random_formula(rng) for op in ops}
        lines = [f"Let a and b be numbers. Define a{op}b to be {f}." for op, f in defs.items()]
        expression = f"(3{ops[0]}4){ops[1]}5{ops[2]}6"
        question = (
            f"Let x and y represent two numbers. The new operations {ops[0]}, {ops[1]} and {ops[2]} are defined as follows:\n"
            + "\n".join(lines)
            + f"\nCalculate {expression}."
        )
    else:
        op = rng.choice(_OPERATOR_SYMBOLS)
        defs = {op: _random_formula(rng)}
        nums = [rng.randint(1, 10) for _ in range(3)]
        expression = f"{nums[0]}{op}{nums[1]}" if complexity == 1 else f"({nums[0]}{op}{nums[1]}){op}{nums[2]}"
        question = f"Let a and b be numbers. Define a{op}b to be {defs[op]}.\nCalculate {expression}."
    question += "\nReturn your answer with format <<<list of values and symbols>>>"
    value = evaluate(expression, defs)
    return Sample(
        task=NAME,
        id=f"generated-{seed}",
        question=question,
        metadata={"operators": defs, "expression": expression, "complexity": complexity, "value_exact": str(value)},
        gold=float(value),
        source=f"generated:{seed}",
    )


TASK = Task(
    name=NAME,
    title="New Operator",
    seen=True,
    category="math",
    load=load,
    generate=generate,
    verify=verify,
    check=None,
    reference_check=reference_check,
    data_dirs=(FOLDER,),
    knobs={"complexity": 5},
    gold_defect=gold_defect,
    modes_note=(
        "strict recomputes the value from the question (parentheses first, then the defined operators left to "
        "right, exact rational arithmetic) and accepts it within a relative 1e-6 or correctly rounded with at least "
        "3 significant digits. faithful compares the answer's number with the stored gold by float equality, as "
        "the original did; for most complexity-5 samples that gold is the value of a single operator, so faithful "
        "rejects the true value there."
    ),
)
