"""check_symbolic reads the syntax tree, not keywords."""

from __future__ import annotations

import pytest

from checkers import analyze_code

from program_corpus import INSTANCES, LAZY, REAL, corpus

PROGRAMS = {
    "itertools search": (
        "import itertools\nfor combo in itertools.combinations(range(10), 3):\n    if sum(combo) == 12:\n        print(combo)",
        "search",
    ),
    "backtracking": (
        "def place(row, cols):\n    if row == 8:\n        return 1\n"
        "    return sum(place(row + 1, cols + [c]) for c in range(8) if c not in cols)\nprint(place(0, []))",
        "search",
    ),
    "bfs": (
        "from collections import deque\nq = deque([0])\nseen = {0}\nwhile q:\n    n = q.popleft()\n"
        "    for m in (n + 3, n * 2):\n        if m < 50 and m not in seen:\n            seen.add(m)\n            q.append(m)\n"
        "print(len(seen))",
        "search",
    ),
    "sympy": ("import sympy as sp\nx, y = sp.symbols('x y')\nprint(sp.solve([x + y - 10, x - y - 2], [x, y]))", "symbolic"),
    "z3": ("from z3 import Int, Solver\nx = Int('x')\ns = Solver()\ns.add(x * 3 == 12)\nprint(s.check(), s.model())", "symbolic"),
    "numeric": ("import math\nr = 2.5\nprint(math.pi * r ** 2)", "numeric"),
    "literal": ("print('<<<[1, 5, 8, 6, 3, 7, 2, 4]>>>')", "hard_coded"),
    "literal via variable": ("answer = [1, 5, 8, 6]\nprint(answer)", "hard_coded"),
    "arithmetic on the question's numbers": ("print(17 * 23 + 4)", "numeric"),
    "a hand-computed result": ("print(395)", "hard_coded"),
}


@pytest.mark.parametrize(("code", "verdict"), PROGRAMS.values(), ids=PROGRAMS.keys())
def test_programs_get_the_verdict_of_what_they_do(code, verdict):
    assert analyze_code(code).verdict == verdict


def test_a_for_inside_a_string_or_a_format_call_is_not_a_loop():
    report = analyze_code("template = 'for each item in the list'\nprint(template.format())")
    assert report.verdict in ("trivial", "hard_coded") and not report.search


def test_a_function_named_solve_is_not_sympy():
    report = analyze_code("def solve(a, b):\n    return a * b\nprint(solve(6, 7))")
    assert not report.symbolic


def test_search_scores_above_numeric_above_trivial_above_a_literal():
    scores = [analyze_code(PROGRAMS[k][0]).score for k in ("itertools search", "numeric", "literal")]
    trivial = analyze_code("x = 6\nprint(x)").score
    assert scores[0] > scores[1] > scores[2] and trivial == scores[2] == 0


def test_features_name_the_evidence():
    report = analyze_code(PROGRAMS["backtracking"][0])
    assert "recursion: place" in report.features


def test_a_syntax_error_reports_its_line_and_empty_code_is_empty():
    broken = analyze_code("x = (1,\ny = 2\n")
    assert broken.verdict == "syntax_error" and broken.line is not None and broken.score == 0
    assert analyze_code("   \n").verdict == "empty"


def test_the_corpus_holds_at_least_150_labelled_programs_of_both_kinds():
    programs = corpus()
    assert len(programs) >= 150 and len(REAL) * len(INSTANCES) >= 100 and len(LAZY) * len(INSTANCES) >= 50
    assert all(analyze_code(code).verdict != "syntax_error" for _, code, _ in programs)


def test_the_lazy_verdict_has_precision_and_recall_of_at_least_0_9_on_the_corpus():
    predicted = [(analyze_code(code).verdict == "hard_coded", lazy) for _, code, lazy in corpus()]
    true_positive = sum(p and lazy for p, lazy in predicted)
    precision = true_positive / sum(p for p, _ in predicted)
    recall = true_positive / sum(lazy for _, lazy in predicted)
    assert precision >= 0.9 and recall >= 0.9, (precision, recall)


@pytest.mark.parametrize(
    "code",
    [
        "print(-4*52*-88*9883)",
        "from datetime import date, timedelta\nprint((date(1937, 12, 24) + timedelta(days=1)).strftime('%m/%d/%Y'))",
        "word = 'strawberry'\nprint(word.count('r'))",
        "s = 'DBCDEDCDEAECDEA'\nprint(s[3:] + s[:3])",
    ],
    ids=["product", "datetime", "count", "slicing"],
)
def test_straight_line_code_that_computes_from_the_question_is_not_lazy(code):
    report = analyze_code(code)
    assert report.verdict == "numeric" and not report.hard_coded


def test_a_grid_filled_with_ones_by_nested_loops_is_lazy_not_search():
    code = (
        "grid = [[5, 3, 0], [6, 0, 0], [0, 9, 8]]\nfor i in range(3):\n    for j in range(3):\n"
        "        if grid[i][j] == 0:\n            grid[i][j] = 1\nprint(grid)"
    )
    report = analyze_code(code)
    assert report.verdict == "hard_coded" and "nested loops testing candidates" not in report.features


def test_nested_loops_that_test_candidates_are_search():
    code = (
        "for a in range(10):\n    for b in range(10):\n        if a * b == 24 and a + b == 10:\n"
        "            print(a, b)"
    )
    report = analyze_code(code)
    assert report.verdict == "search" and "nested loops testing candidates" in report.features


def test_a_program_nested_too_deeply_to_walk_still_gets_a_verdict():
    deep = "x = 0\n" + "".join("    " * i + f"if x == {i}:\n" for i in range(99)) + "    " * 99 + "print(x)"
    assert analyze_code(deep).verdict in ("hard_coded", "trivial", "numeric")
