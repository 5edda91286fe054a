"""What a program does, read from its syntax tree.

The original CodeSteer counted keywords in the source text, so 'for' inside 'format'
counted as a loop. Here every feature is a node of the parsed tree: a loop is a ``For``
node, a search library is an imported name, a recursive search is a function that calls
itself. The verdict ranks what the program does: search > symbolic > numeric > trivial
> hard_coded.

``hard_coded`` (lazy) means the printed answer depends on no computation, however it is
dressed (see ``lazy_output``): straight-line code that computes from the question's
data (``print(-4*52*-88*9883)``, a ``datetime`` sum, ``word.count("r")``) is numeric,
not lazy. Nested loops count as search only when something inside them tests candidates
on computed values; a loop nest that fills a grid with constants does not. The verdicts
were calibrated on the labelled corpus in ``tests/checkers/program_corpus.py``
(``benchmarks/guide_policy.py`` reports precision and recall of the lazy verdict).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from .lazy_output import OutputFlow
from .types import SymbolicReport

SEARCH_MODULES = {"itertools", "heapq", "collections.deque", "functools.lru_cache", "networkx", "constraint", "ortools"}
SEARCH_CALLS = {
    "permutations", "combinations", "combinations_with_replacement", "product",
    "heappush", "heappop", "deque", "lru_cache", "cache", "shortest_path", "dijkstra_path",
    "astar_path", "bfs_edges", "dfs_edges", "getSolutions", "getSolution",
}
SYMBOLIC_MODULES = {"sympy", "z3", "fractions", "constraint", "pulp", "cvxpy", "ortools"}
SYMBOLIC_CALLS = {
    "Symbol", "symbols", "solve", "solveset", "linsolve", "simplify", "expand", "factor", "Eq",
    "Solver", "Optimize", "Int", "Ints", "Real", "Bool", "Fraction", "nsimplify", "Rational",
    "integrate", "diff", "limit", "Matrix", "sympify", "parse_expr",
}
NUMERIC_MODULES = {"numpy", "math", "scipy", "statistics", "decimal", "cmath", "random"}
EVAL_CALLS = {"eval", "exec", "compile"}

_SCORES = {"search": 80, "symbolic": 70, "numeric": 40, "trivial": 15, "hard_coded": 0, "empty": 0, "syntax_error": 0}
_ADVICE = {
    "search": "The program searches the candidates; check that it covers the whole space and enforces every constraint.",
    "symbolic": "The program computes symbolically; check that the equations encode every condition of the question.",
    "numeric": "The program computes the result; if the question asks to find a configuration, search for it instead of assuming it.",
    "trivial": "The program barely computes anything; write code that derives the answer by search or symbolic computation.",
    "hard_coded": "The program only prints an answer worked out by hand; write code that computes or searches for it.",
    "empty": "There is no code to judge; answer with one python block that computes the answer.",
    "syntax_error": "The program does not parse; fix the syntax error and run it again.",
}


@dataclass
class _Features:
    evidence: list[str] = field(default_factory=list)
    search: bool = False
    symbolic: bool = False
    numeric: bool = False
    loops: int = 0
    max_loop_depth: int = 0
    calls: int = 0
    arithmetic: int = 0
    prints: int = 0
    prints_of_literals: int = 0
    statements: int = 0

    def note(self, kind: str, what: str) -> None:
        setattr(self, kind, True)
        if what not in self.evidence:
            self.evidence.append(what)


class _Visitor(ast.NodeVisitor):
    def __init__(self, defined: set[str]) -> None:
        self.f = _Features()
        self._defined = defined  # the program's own functions: 'solve' there is not sympy.solve
        self._loop_depth = 0
        self._function_stack: list[str] = []
        self._imported: dict[str, str] = {}  # local name -> module path
        self.nested: list[ast.AST] = []  # inner loops of loop nests: search only if they test candidates

    # imports
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._imported[alias.asname or alias.name.split(".")[0]] = alias.name
            self._classify_module(alias.name)
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        for alias in node.names:
            self._imported[alias.asname or alias.name] = f"{module}.{alias.name}"
            self._classify_module(f"{module}.{alias.name}", f"from {module} import {alias.name}")
        self.generic_visit(node)

    def _classify_module(self, path: str, evidence: str | None = None) -> None:
        top = path.split(".")[0]
        evidence = evidence or f"import {path}"
        if path in SEARCH_MODULES or top in {"itertools", "networkx", "heapq"}:
            self.f.note("search", evidence)
        if top in SYMBOLIC_MODULES:
            self.f.note("symbolic", evidence)
        if top in NUMERIC_MODULES:
            self.f.note("numeric", evidence)

    # control flow
    def _visit_loop(self, node: ast.AST, label: str) -> None:
        self.f.loops += 1
        self._loop_depth += 1
        self.f.max_loop_depth = max(self.f.max_loop_depth, self._loop_depth)
        if self._loop_depth == 2:
            self.nested.append(node)
        self.generic_visit(node)
        self._loop_depth -= 1

    def visit_For(self, node: ast.For) -> None:
        if _iterates_candidates(node.iter):
            self.f.note("search", "loop over candidates")
        self._visit_loop(node, "for")

    visit_AsyncFor = visit_For

    def visit_While(self, node: ast.While) -> None:
        self.f.note("numeric", "while loop")
        self._visit_loop(node, "while")

    def visit_comprehension(self, node: ast.comprehension) -> None:
        self.f.loops += 1
        if _iterates_candidates(node.iter):
            self.f.note("search", "comprehension over candidates")
        if node.ifs:
            self.f.note("search", "filtered comprehension")
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._function_stack.append(node.name)
        self.generic_visit(node)
        self._function_stack.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node: ast.Call) -> None:
        self.f.calls += 1
        name = _call_name(node.func)
        if name:
            short = name.split(".")[-1]
            if self._function_stack and short == self._function_stack[-1]:
                self.f.note("search", f"recursion: {short}")
            own = name in self._defined
            if short in SEARCH_CALLS and not own:
                self.f.note("search", f"{name}()")
            if (short in SYMBOLIC_CALLS and not own) or name.split(".")[0] in {"sympy", "sp", "z3"}:
                self.f.note("symbolic", f"{name}()")
            if short in EVAL_CALLS and not own:
                self.f.note("symbolic", f"{short}() of built expressions")
            if short == "print":
                self.f.prints += 1
                if node.args and all(_is_constant_expr(a) for a in node.args):
                    self.f.prints_of_literals += 1
            if name.split(".")[0] in {"np", "numpy", "math", "scipy", "statistics"}:
                self.f.note("numeric", f"{name}()")
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        if not isinstance(node.left, (ast.List, ast.JoinedStr)) and not (
            isinstance(node.left, ast.Constant) and isinstance(node.left.value, str)
        ):
            self.f.arithmetic += 1
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.f.arithmetic += 1
        self.generic_visit(node)

    def generic_visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.stmt):
            self.f.statements += 1
        super().generic_visit(node)


def _call_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        base = _call_name(func.value)
        return f"{base}.{func.attr}" if base else func.attr
    return None


def _iterates_candidates(it: ast.expr) -> bool:
    """A loop over generated candidates (permutations, product, range over a space)."""
    if isinstance(it, ast.Call):
        name = (_call_name(it.func) or "").split(".")[-1]
        return name in SEARCH_CALLS
    return False


def _is_constant_expr(node: ast.expr) -> bool:
    """Literals and arithmetic/containers of literals only (what a hand-computed answer looks like)."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.JoinedStr):
        return all(_is_constant_expr(v.value) if isinstance(v, ast.FormattedValue) else True for v in node.values)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return all(_is_constant_expr(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(k is not None and _is_constant_expr(k) for k in node.keys) and all(
            _is_constant_expr(v) for v in node.values
        )
    if isinstance(node, ast.BinOp):
        return _is_constant_expr(node.left) and _is_constant_expr(node.right)
    if isinstance(node, ast.UnaryOp):
        return _is_constant_expr(node.operand)
    return False


def _tests_candidates(loop: ast.AST, flow: OutputFlow) -> bool:
    """A loop nest that decides something: a test on computed values inside it."""
    return any(isinstance(n, (ast.If, ast.While)) and flow.decides(n.test) for n in ast.walk(loop))


def analyze_code(code: str) -> SymbolicReport:
    """Classify ``code`` by what its syntax tree does.

    Never raises: a syntax error is a report with verdict ``syntax_error`` and its line.
    """
    if not code or not code.strip():
        return SymbolicReport(verdict="empty", score=0, advice=_ADVICE["empty"])
    try:
        tree = ast.parse(code)
    except SyntaxError as exc:
        return SymbolicReport(
            verdict="syntax_error",
            score=0,
            syntax_error=f"{exc.msg} (line {exc.lineno})",
            line=exc.lineno,
            advice=_ADVICE["syntax_error"],
        )
    except (ValueError, RecursionError, MemoryError) as exc:
        return SymbolicReport(verdict="syntax_error", score=0, syntax_error=str(exc), advice=_ADVICE["syntax_error"])

    defined = {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    visitor = _Visitor(defined)
    try:
        visitor.visit(tree)
        flow = OutputFlow(tree)
        if any(_tests_candidates(loop, flow) for loop in visitor.nested):
            visitor.f.note("search", "nested loops testing candidates")
        computed = flow.answer_is_computed()
    except RecursionError:  # nesting too deep to walk: say so rather than guess
        return SymbolicReport(verdict="trivial", score=0, features=["nesting too deep to analyse"],
                              advice="The program is nested too deeply to analyse; write it flatter.")  # fmt: skip
    f = visitor.f
    hard_coded = computed is False
    if hard_coded:
        verdict = "hard_coded"
        f.evidence.insert(0, "the printed answer depends on no computation")
    elif f.search:
        verdict = "search"
    elif f.symbolic:
        verdict = "symbolic"
    elif computed or f.numeric or f.loops or f.arithmetic:
        verdict = "numeric"
        if f.arithmetic:
            f.evidence.append(f"{f.arithmetic} arithmetic operation(s)")
    else:
        verdict = "trivial"

    score = _SCORES[verdict]
    if verdict in ("search", "symbolic", "numeric"):
        # More evidence of real work earns more, within the verdict's band.
        score += min(15, 2 * f.loops + f.max_loop_depth * 2 + len(f.evidence))
        if f.search and f.symbolic:
            score += 5
    elif verdict == "trivial":
        score += min(10, f.arithmetic + f.calls // 2)
    return SymbolicReport(
        verdict=verdict,
        score=min(score, 100),
        search=f.search,
        symbolic=f.symbolic,
        numeric=f.numeric,
        hard_coded=hard_coded,
        features=f.evidence[:20],
        advice=_ADVICE[verdict],
    )
