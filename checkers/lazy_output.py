"""Does a program's answer depend on anything the program computes?

A lazy program prints an answer worked out by hand, however it is dressed: a literal,
a hand-filled list printed by a loop or a comprehension, a grid of constants written
cell by cell inside nested loops, an unused import of itertools. A real one computes:
arithmetic (even on the question's literals: ``print(-4*52*-88*9883)`` lets Python do
the work), a library or user function, a test that decides what is stored.

The analysis marks every value *computed* or *literal*, flow-insensitively over the
whole module until nothing changes:

- constants and containers of them are literal; so is what formatting does to a value
  (``str``, ``join``, ``format``, f-strings, ``split``, concatenating text, repeating
  ``[0] * 9``), and reading a literal container by index;
- arithmetic between numbers, comparisons and logic used as values, slicing, every other
  call (``sum``, ``math.comb``, ``datetime``, ``word.count``, a user function whose
  result is computed) are computed;
- an assignment inside an ``if``/``while`` whose test is computed stores a computed value
  (the program decided it); a loop over computed values makes its loop variable computed;
- a user function's result is what its ``return`` statements give; its parameters take
  the flags of the arguments at its call sites, and an argument whose parameter the
  function computes into becomes computed (``solve(grid)``); recursion is computation.

The answer is the output of the prints that write ``<<<`` (else of every print); it is
lazy when all of them print literal values.
"""

from __future__ import annotations

import ast

# Calls that only convert or format their arguments: the result is as computed as they are.
_FORMATTING = {
    "str", "repr", "format", "join", "print", "list", "tuple", "int", "float", "range", "enumerate", "zip",
    "strip", "lstrip", "rstrip", "split", "splitlines", "ljust", "rjust", "center", "dict", "set", "iter",
    "write", "bool", "chr", "ord", "copy", "deepcopy", "len", "map",
}
FLOW_NODE_BUDGET = 300_000
"""Syntax-tree nodes the data-flow sweeps may visit in all (about 0.5 s of work)."""
_MUTATORS = {"append", "extend", "insert", "add", "update", "setdefault", "appendleft"}
_ARITHMETIC = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.MatMult, ast.LShift,
               ast.RShift, ast.BitAnd, ast.BitOr, ast.BitXor)  # fmt: skip


def _call_name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _is_text_or_list_literal(node: ast.expr) -> bool:
    return (isinstance(node, ast.Constant) and isinstance(node.value, str)) or isinstance(
        node, (ast.JoinedStr, ast.List, ast.Tuple, ast.ListComp)
    )


class _Flow:
    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.computed: set[str] = set()  # names (variables, parameters) holding computed values
        self.functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
        self.computed_functions: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.functions[node.name] = node
                if any(isinstance(c, ast.Call) and _call_name(c.func) == node.name for c in ast.walk(node)):
                    self.computed_functions.add(node.name)  # recursion

    # ---- expressions
    def value(self, node: ast.expr | None) -> bool:
        """Whether ``node``'s value is computed."""
        if node is None or isinstance(node, ast.Constant):
            return False
        if isinstance(node, ast.Name):
            return node.id in self.computed
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            return any(self.value(e) for e in node.elts)
        if isinstance(node, ast.Dict):
            return any(self.value(k) for k in node.keys if k is not None) or any(self.value(v) for v in node.values)
        if isinstance(node, ast.Starred):
            return self.value(node.value)
        if isinstance(node, ast.JoinedStr):
            return any(self.value(v.value) for v in node.values if isinstance(v, ast.FormattedValue))
        if isinstance(node, ast.FormattedValue):
            return self.value(node.value)
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Add) and (
                _is_text_or_list_literal(node.left) or _is_text_or_list_literal(node.right)
            ):
                return self.value(node.left) or self.value(node.right)  # joining text, not adding numbers
            if isinstance(node.op, ast.Mult) and (
                _is_text_or_list_literal(node.left) or _is_text_or_list_literal(node.right)
            ):
                return self.value(node.left) or self.value(node.right)  # '-' * 20, [0] * 9
            if isinstance(node.op, ast.Mod) and _is_text_or_list_literal(node.left):
                return self.value(node.right)  # '%d' % x formats
            return isinstance(node.op, _ARITHMETIC)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.operand, ast.Constant):
                return False  # -5 is a literal
            return True
        if isinstance(node, (ast.Compare, ast.BoolOp)):
            return True  # a truth value worked out by the program (a test only decides, see ``test``)
        if isinstance(node, ast.IfExp):
            return self.value(node.test) or self.value(node.body) or self.value(node.orelse)
        if isinstance(node, ast.Subscript):
            if isinstance(node.slice, ast.Slice):
                return True  # slicing reshapes the data: word[::-1]
            return self.value(node.value) or self.value(node.slice)
        if isinstance(node, ast.Attribute):
            return self.value(node.value)
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            if any(g.ifs for g in node.generators) and any(self.value(i) or isinstance(i, ast.Call)
                                                           for g in node.generators for i in g.ifs):  # fmt: skip
                return True
            for g in node.generators:
                if self.value(g.iter):
                    return True
            parts = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
            return any(self._value_with_targets(p, node.generators) for p in parts)
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.Lambda):
            return True
        return True  # anything else (await, yield, walrus...) is taken as computation

    def test(self, node: ast.expr) -> bool:
        """Whether a branch test decides on computed values: ``grid[i][j] == 0`` on a literal grid does not."""
        if isinstance(node, ast.Compare):
            return any(self.value(p) for p in (node.left, *node.comparators))
        if isinstance(node, ast.BoolOp):
            return any(self.test(v) for v in node.values)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return self.test(node.operand)
        return self.value(node)

    def _value_with_targets(self, node: ast.expr, generators: list[ast.comprehension]) -> bool:
        for g in generators:
            self._bind(g.target, self.value(g.iter))
        return self.value(node)

    def _call(self, node: ast.Call) -> bool:
        name = _call_name(node.func)
        args = [*node.args, *(k.value for k in node.keywords)]
        if name in self.functions and isinstance(node.func, ast.Name):
            return name in self.computed_functions
        if name in _FORMATTING:
            receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
            return any(self.value(a) for a in args) or (receiver is not None and self.value(receiver))
        if name in _MUTATORS:
            return any(self.value(a) for a in args)
        return True

    # ---- statements
    def _bind(self, target: ast.expr, computed: bool) -> bool:
        if not computed:
            return False
        changed = False
        for node in ast.walk(target):
            if isinstance(node, ast.Name) and node.id not in self.computed:
                self.computed.add(node.id)
                changed = True
        return changed

    def _root(self, target: ast.expr) -> ast.expr:
        while isinstance(target, (ast.Subscript, ast.Attribute)):
            target = target.value
        return target

    def run(self) -> None:
        """Sweep until no flag changes, within ``FLOW_NODE_BUDGET`` visited nodes in all.

        Each pass can only add flags, so this converges; a program built to need one pass per
        line (a chain of thousands of assignments written backwards) stops at the budget with
        the flags found so far, in bounded time.
        """
        nodes = sum(1 for _ in ast.walk(self.tree))
        for _ in range(max(2, min(50, FLOW_NODE_BUDGET // max(1, nodes)))):
            if not self._pass(self.tree.body, False):
                return

    def _pass(self, body: list[ast.stmt], decided: bool) -> bool:
        """One sweep over ``body``; ``decided``: inside a branch or loop that computation controls."""
        changed = False
        for stmt in body:
            if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                value = stmt.value
                computed = decided or self.value(value)
                if isinstance(stmt, ast.AugAssign):
                    op = ast.BinOp(left=stmt.target, op=stmt.op, right=stmt.value)
                    computed = decided or self.value(op) or self.value(stmt.target)
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                for t in targets:
                    changed |= self._bind(self._root(t), computed)
                    if isinstance(t, ast.Subscript):
                        changed |= self._bind(self._root(t), self.value(t.slice))  # rot[j][n - 1 - i] = m[i][j]
            elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
                call = stmt.value
                name = _call_name(call.func)
                if isinstance(call.func, ast.Attribute) and name in _MUTATORS:
                    changed |= self._bind(self._root(call.func.value), decided or self._call(call))
                elif isinstance(call.func, ast.Attribute) and name not in _FORMATTING:
                    changed |= self._bind(self._root(call.func.value), True)  # grid.sort(), s.reverse()
                changed |= self._params(call)
                for sub in ast.walk(call):
                    if isinstance(sub, ast.Call) and sub is not call:
                        changed |= self._params(sub)
            elif isinstance(stmt, (ast.For, ast.AsyncFor)):
                iter_computed = self.value(stmt.iter)
                changed |= self._bind(stmt.target, iter_computed or decided)
                changed |= self._pass(stmt.body, decided)  # the loop variable carries the computation
                changed |= self._pass(stmt.orelse, decided)
            elif isinstance(stmt, ast.While):
                test = decided or self.test(stmt.test)
                changed |= self._pass(stmt.body, test)
                changed |= self._pass(stmt.orelse, decided)
            elif isinstance(stmt, ast.If):
                test = decided or self.test(stmt.test)
                changed |= self._pass(stmt.body, test)
                changed |= self._pass(stmt.orelse, test)
            elif isinstance(stmt, (ast.With, ast.AsyncWith)):
                changed |= self._pass(stmt.body, decided)
            elif isinstance(stmt, ast.Try):
                for part in (stmt.body, stmt.orelse, stmt.finalbody, *(h.body for h in stmt.handlers)):
                    changed |= self._pass(part, decided)
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                changed |= self._pass(stmt.body, False)
                returns = [n.value for n in ast.walk(stmt) if isinstance(n, ast.Return)]
                if stmt.name not in self.computed_functions and (
                    any(self.value(r) for r in returns) or self._returns_under_decision(stmt)
                ):
                    self.computed_functions.add(stmt.name)
                    changed = True
            elif isinstance(stmt, ast.Return) and stmt.value is not None:
                pass  # read by the function's entry above
            elif isinstance(stmt, ast.ClassDef):
                changed |= self._pass(stmt.body, decided)
            if self.functions:
                for sub in (n for part in _own_expressions(stmt) for n in ast.walk(part)):
                    if isinstance(sub, ast.Call) and not isinstance(stmt, ast.Expr):
                        changed |= self._params(sub)
        return changed

    def _returns_under_decision(self, fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        """A return inside a branch whose test is computed: the function decides its result."""
        for node in ast.walk(fn):
            if isinstance(node, (ast.If, ast.While)) and self.test(node.test):
                if any(isinstance(n, ast.Return) for n in ast.walk(node)):
                    return True
        return False

    def _params(self, call: ast.Call) -> bool:
        """Arguments flow into the parameters of a user function."""
        fn = self.functions.get(_call_name(call.func)) if isinstance(call.func, ast.Name) else None
        if fn is None:
            return False
        params = [a.arg for a in (*fn.args.posonlyargs, *fn.args.args)]
        changed = False
        for param, arg in zip(params, call.args):
            if self.value(arg) and param not in self.computed:
                self.computed.add(param)
                changed = True
            if param in self.computed:  # the function computes into its argument: solve(grid) fills grid
                changed |= self._bind(self._root(arg), True)
        return changed


def _own_expressions(stmt: ast.stmt) -> list[ast.AST]:
    """A statement's own expressions, not those of the statements nested in it (swept on their own)."""
    if isinstance(stmt, (ast.If, ast.While)):
        return [stmt.test]
    if isinstance(stmt, (ast.For, ast.AsyncFor)):
        return [stmt.iter]
    if isinstance(stmt, (ast.With, ast.AsyncWith)):
        return [item.context_expr for item in stmt.items]
    if isinstance(stmt, (ast.Try, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return []
    return [stmt]


def _answer_prints(tree: ast.Module) -> list[ast.Call]:
    prints = [
        n for n in ast.walk(tree)
        if isinstance(n, ast.Call) and _call_name(n.func) in ("print", "write")
    ]  # fmt: skip
    marked = [p for p in prints if any(
        isinstance(c, ast.Constant) and isinstance(c.value, str) and "<<<" in c.value for a in p.args for c in ast.walk(a)
    )]  # fmt: skip
    return marked or prints


class OutputFlow:
    """The flags of one program: what is computed, and whether its answer is."""

    def __init__(self, tree: ast.Module) -> None:
        self._flow = _Flow(tree)
        self._flow.run()
        self._tree = tree

    def computed(self, node: ast.expr) -> bool:
        return self._flow.value(node)

    def decides(self, test: ast.expr) -> bool:
        """Whether a branch test is on computed values."""
        return self._flow.test(test)

    def answer_is_computed(self) -> bool | None:
        """True when the printed answer depends on a computation, False when it is lazy (only
        literals reach the output), None when the program prints nothing."""
        prints = _answer_prints(self._tree)
        if not prints:
            return None
        if _printed_under_decision(self._tree, self._flow):
            return True
        return any(self._flow.value(a) for p in prints for a in [*p.args, *(k.value for k in p.keywords)])


def _printed_under_decision(tree: ast.Module, flow: _Flow) -> bool:
    """A print inside a branch or loop that computation controls (``if check(p): print(p)``)."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.If, ast.While)) and flow.test(node.test):
            if any(isinstance(n, ast.Call) and _call_name(n.func) == "print" for n in ast.walk(node)):
                return True
    return False
