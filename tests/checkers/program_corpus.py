"""A labelled corpus of programs for the lazy verdict of check_symbolic.

Real solutions of SymBench tasks in several styles (straight-line arithmetic, library
calls, string methods, loops that scan, search with itertools, backtracking, BFS,
sympy/z3) and lazy ones (a literal, a hand-computed answer formatted by a loop or a
comprehension, a hard-coded grid printed with nested loops, search-shaped code that
does not search). Each template is written once and filled with four instances of
different data, as a model would write it for four questions.
"""

from __future__ import annotations

from string import Template

INSTANCES = [
    {"a": "-4", "b": "52", "c": "-88", "d": "9883", "w": "strawberry", "ch": "r", "s": "AABBBAB", "t": "24",
     "nums": "[4, 7, 8, 8]", "row": "[5, 3, 4, 6, 7, 8, 9, 1, 2]", "ans": "[1, 5, 8, 6, 3, 7, 2, 4]", "y": "1937",
     "m": "12", "day": "24", "k": "3", "n": "8"},
    {"a": "-9", "b": "43", "c": "-73", "d": "-6061", "w": "palmiform", "ch": "a", "s": "BBAAB", "t": "10",
     "nums": "[1, 1, 4, 6]", "row": "[6, 7, 2, 1, 9, 5, 3, 4, 8]", "ans": "[0, 4, 7, 5, 2, 6, 1, 3]", "y": "2019",
     "m": "3", "day": "1", "k": "5", "n": "6"},
    {"a": "2", "b": "-41", "c": "9116", "d": "7", "w": "excellence", "ch": "e", "s": "ABABAAAB", "t": "8",
     "nums": "[2, 6, 10, 18]", "row": "[1, 9, 8, 3, 4, 2, 5, 6, 7]", "ans": "[2, 4, 1, 7, 0, 6, 3, 5]", "y": "2002",
     "m": "7", "day": "15", "k": "2", "n": "7"},
    {"a": "13", "b": "-7", "c": "55", "d": "1234", "w": "mississippi", "ch": "s", "s": "BBBBA", "t": "12",
     "nums": "[3, 3, 8, 8]", "row": "[8, 5, 9, 7, 6, 1, 4, 2, 3]", "ans": "[3, 6, 2, 7, 1, 4, 0, 5]", "y": "1990",
     "m": "11", "day": "30", "k": "4", "n": "5"},
]

REAL = {
    "product in one line": "print($a * $b * $c * $d)",
    "product with reduce": "from functools import reduce\nimport operator\nprint(reduce(operator.mul, [$a, $b, $c, $d]))",
    "product in a loop": "result = 1\nfor x in [$a, $b, $c, $d]:\n    result *= x\nprint(f'<<<{result}>>>')",
    "math.prod": "import math\nprint('<<<' + str(math.prod([$a, $b, $c, $d])) + '>>>')",
    "letter count method": "word = '$w'\nprint(word.count('$ch'))",
    "letter positions comprehension": (
        "word = '$w'\npositions = [i + 1 for i, c in enumerate(word) if c == '$ch']\n"
        "print(f'<<<Count: {len(positions)}, Positions: {positions}>>>')"
    ),
    "letter count loop": "count = 0\nfor c in '$w':\n    if c == '$ch':\n        count += 1\nprint(count)",
    "string reversal by slicing": "word = '$w'\nprint('<<<' + word[::-1] + '>>>')",
    "date with datetime": (
        "from datetime import date, timedelta\nd = date($y, $m, $day) + timedelta(days=1)\n"
        "print(d.strftime('%m/%d/%Y'))"
    ),
    "gsm arithmetic with names": (
        "bolts_blue = $d * 1000\nbolts_white = bolts_blue / 2\ntotal = bolts_blue + bolts_white\nprint(total)"
    ),
    "statistical counting scan": (
        "s = '$s'\nscore = 0\ni = 0\nwhile i < len(s):\n    j = i\n    while j < len(s) and s[j] == s[i]:\n"
        "        j += 1\n    if j - i >= 2:\n        score += 1 if s[i] == 'A' else 2\n    i = j\nprint(score)"
    ),
    "game24 permutations and eval": (
        "from itertools import permutations, product\nnums = $nums\nfound = None\n"
        "for a, b, c, d in permutations(nums):\n    for o1, o2, o3 in product('+-*/', repeat=3):\n"
        "        expr = f'(({a}{o1}{b}){o2}{c}){o3}{d}'\n        try:\n            if abs(eval(expr) - $t) < 1e-9:\n"
        "                found = expr\n        except ZeroDivisionError:\n            pass\nprint(f'<<<{found}>>>')"
    ),
    "game24 recursive": (
        "def solve(items):\n    if len(items) == 1:\n        return items[0][1] if abs(items[0][0] - $t) < 1e-6 else None\n"
        "    for i in range(len(items)):\n        for j in range(len(items)):\n            if i == j:\n                continue\n"
        "            (x, ex), (y, ey) = items[i], items[j]\n            rest = [items[k] for k in range(len(items)) if k not in (i, j)]\n"
        "            for v, e in ((x + y, f'({ex}+{ey})'), (x - y, f'({ex}-{ey})'), (x * y, f'({ex}*{ey})')):\n"
        "                r = solve(rest + [(v, e)])\n                if r:\n                    return r\n    return None\n"
        "print(solve([(n, str(n)) for n in $nums]))"
    ),
    "queens backtracking": (
        "def place(row, cols, n=$n):\n    if row == n:\n        return cols\n    for c in range(n):\n"
        "        if all(c != pc and abs(c - pc) != row - pr for pr, pc in enumerate(cols)):\n"
        "            r = place(row + 1, cols + [c])\n            if r:\n                return r\n    return None\n"
        "print(place(0, []))"
    ),
    "queens with permutations": (
        "from itertools import permutations\nn = $n\nfor p in permutations(range(n)):\n"
        "    if len({p[i] + i for i in range(n)}) == n and len({p[i] - i for i in range(n)}) == n:\n"
        "        print(', '.join(f'{r} {c}' for r, c in enumerate(p)))\n        break"
    ),
    "sudoku backtracking": (
        "grid = [$row] + [[0] * 9 for _ in range(8)]\n"
        "def ok(g, r, c, v):\n    if v in g[r] or any(g[i][c] == v for i in range(9)):\n        return False\n"
        "    br, bc = 3 * (r // 3), 3 * (c // 3)\n"
        "    return all(g[br + i][bc + j] != v for i in range(3) for j in range(3))\n"
        "def solve(g):\n    for r in range(9):\n        for c in range(9):\n            if g[r][c] == 0:\n"
        "                for v in range(1, 10):\n                    if ok(g, r, c, v):\n                        g[r][c] = v\n"
        "                        if solve(g):\n                            return True\n                        g[r][c] = 0\n"
        "                return False\n    return True\nsolve(grid)\nfor row in grid:\n    print(','.join(map(str, row)))"
    ),
    "matrix rotation with zip": "m = [$row[:3], $row[3:6], $row[6:]]\nprint([list(r) for r in zip(*m[::-1])])",
    "matrix rotation with index loops": (
        "m = [$row[:3], $row[3:6], $row[6:]]\nn = len(m)\nrot = [[None] * n for _ in range(n)]\n"
        "for i in range(n):\n    for j in range(n):\n        rot[j][n - 1 - i] = m[i][j]\nprint(rot)"
    ),
    "max pooling": (
        "m = [$row[:3], $row[3:6], $row[6:]]\nk = 2\nout = []\nfor i in range(len(m) - k + 1):\n    line = []\n"
        "    for j in range(len(m) - k + 1):\n        line.append(max(m[i + a][j + b] for a in range(k) for b in range(k)))\n"
        "    out.append(line)\nprint(out)"
    ),
    "navigation sum": (
        "moves = [($a, 'forward'), ($b, 'backward'), ($k, 'left'), ($n, 'right')]\npos = [0, 0]\n"
        "for steps, d in moves:\n    if d == 'forward':\n        pos[1] += steps\n    elif d == 'backward':\n"
        "        pos[1] -= steps\n    elif d == 'left':\n        pos[0] -= steps\n    else:\n        pos[0] += steps\n"
        "print('Yes' if pos == [0, 0] else 'No')"
    ),
    "web of lies chain": (
        "truth = True\nfor says_lies in [False, True, $k % 2 == 0, False]:\n    truth = (not truth) if says_lies else truth\n"
        "print('<<<Yes>>>' if truth else '<<<No>>>')"
    ),
    "combinatorics with math.comb": "import math\nprint(math.comb($n + $k, $k))",
    "fractions probability": "from fractions import Fraction\np = Fraction($k, $n) * Fraction($k - 1, $n - 1)\nprint(p)",
    "sympy solve": "import sympy as sp\nx = sp.symbols('x')\nprint(sp.solve(x**2 - $k * x - $n, x))",
    "z3 constraints": (
        "from z3 import Ints, Solver, Distinct\nA, B, C = Ints('A B C')\ns = Solver()\n"
        "s.add(Distinct(A, B, C), A - B == $k, B + C == $n, A > 0, B > 0, C > 0)\ns.check()\nprint(s.model())"
    ),
    "new operator functions": (
        "def tilde(a, b):\n    return $k * a * b\ndef amp(a, b):\n    return 5 * a + 5 * b\nprint(amp(tilde(3, 4), $n))"
    ),
    "logical equation search": (
        "from itertools import permutations\nvalues = [1, 3, 4, 9, 16, 27]\n"
        "for A, B, C, D, E, F in permutations(values):\n    if A - C == -$k and D == 3 * B and A < F:\n"
        "        print([A, B, C, D, E, F])\n        break"
    ),
    "blocksworld bfs": (
        "from collections import deque\nstart = (('B', 'A'), (), ())\ngoal = ((), ('A', 'B'), ())\n"
        "q = deque([(start, [])])\nseen = {start}\nwhile q:\n    state, path = q.popleft()\n    if state == goal:\n"
        "        print(path)\n        break\n    for i, src in enumerate(state):\n        if not src:\n            continue\n"
        "        for j in range(len(state)):\n            if i != j:\n                new = list(map(list, state))\n"
        "                block = new[i].pop()\n                new[j].append(block)\n"
        "                key = tuple(map(tuple, new))\n                if key not in seen:\n                    seen.add(key)\n"
        "                    q.append((key, path + [f'Move {block} from {i + 1} to {j + 1}']))"
    ),
    "light puzzle product": (
        "from itertools import product\ngrid = $row\nbuttons = [[0, 2], [1, 3], [4, 5]]\n"
        "for presses in product(range(2), repeat=3):\n    g = grid[:]\n    for b, p in zip(buttons, presses):\n"
        "        if p:\n            for cell in b:\n                g[cell] = 1 - g[cell] if g[cell] < 2 else g[cell]\n"
        "    if sum(g) == $n:\n        print(presses)"
    ),
    "mahjong counter": (
        "from collections import Counter\nhand = Counter('$w')\nadded = '$ch'\n"
        "print(1 if hand[added] >= 2 else 0)"
    ),
    "string insertion scan": (
        "s = '$s'\nrules = {'AB': 'A', 'BA': 'B'}\nout = ''\nfor i, c in enumerate(s):\n    out += c\n"
        "    if s[max(0, i - 1):i + 1] in rules:\n        out += rules[s[max(0, i - 1):i + 1]]\nprint(out)"
    ),
    "books arrangement with constraints": (
        "from itertools import permutations\nfor p in permutations('ABCDEF'):\n"
        "    if abs(p.index('C') - p.index('A')) == 1 and p.index('E') < p.index('F') and p[$k] != 'A':\n"
        "        print(list(p))\n        break"
    ),
}

LAZY = {
    "printed literal": "print('<<<$ans>>>')",
    "literal in a variable": "answer = $ans\nprint(answer)",
    "hand product literal": "result = 1234567\nprint(f'<<<{result}>>>')",
    "hand answer in an f-string": "count = $k\npositions = [1, 3]\nprint(f'<<<Count: {count}, Positions: {positions}>>>')",
    "hand list joined by a comprehension": "ans = $ans\nprint('<<<' + ', '.join(str(x) for x in ans) + '>>>')",
    "hand list printed by a loop": "moves = ['Move A from 2 to 1', 'Move B from 2 to 3']\nfor m in moves:\n    print(m)",
    "hard-coded grid with nested loops": (
        "grid = [$row, [2, 8, 7, 4, 1, 9, 6, 3, 5], [3, 4, 5, 2, 8, 6, 1, 7, 9]]\nfor i in range(len(grid)):\n"
        "    line = ''\n    for j in range(len(grid[i])):\n        line += str(grid[i][j]) + ','\n    print(line[:-1])"
    ),
    "hard-coded grid via map and join": "grid = [$row, $row]\nfor row in grid:\n    print(','.join(map(str, row)))",
    "unused itertools import": "import itertools\nfrom itertools import permutations\nanswer = '$w'\nprint(f'<<<{answer}>>>')",
    "search-shaped loop that breaks": (
        "from itertools import permutations\nfor p in permutations(range($n)):\n    answer = $ans\n    break\nprint(answer)"
    ),
    "sudoku filled with ones": (
        "grid = [$row] + [[0] * 9 for _ in range(8)]\nfor i in range(9):\n    for j in range(9):\n"
        "        if grid[i][j] == 0:\n            grid[i][j] = 1\nfor row in grid:\n    print(','.join(str(v) for v in row))"
    ),
    "function returning a literal": "def solve():\n    return $ans\nprint(solve())",
    "dict lookup of hand answers": "answers = {'x': $k, 'y': $n}\nprint(f\"<<<{answers['x']}>>>\")",
    "stdout write of a literal": "import sys\nsys.stdout.write('<<<$w>>>\\n')",
    "assert then print literal": "answer = '$w'\nassert len(answer) > 0\nprint(answer)",
    "split literal and rejoin": "cells = '$w'.split('i')\nprint('<<<' + 'i'.join(cells) + '>>>')",
    "comprehension of literals": "print([str(x) for x in $ans])",
    "nested loops over a literal that print": (
        "board = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]\nfor r in range(3):\n    for c in range(3):\n"
        "        if board[r][c] == 1:\n            print(r, c)"
    ),
    "checking constant candidates without search": "candidate = $ans\nok = True\nprint('<<<' + str(candidate) + '>>>')",
}


def corpus() -> list[tuple[str, str, bool]]:
    """(name, program, lazy) for every template and instance."""
    out = []
    for group, lazy in ((REAL, False), (LAZY, True)):
        for name, template in group.items():
            for i, data in enumerate(INSTANCES):
                out.append((f"{name} #{i + 1}", Template(template).substitute(data), lazy))
    return out
