"""How good are the rules guide's decisions? Measured against outside numbers.

    python benchmarks/guide_policy.py [--per-task 200] [--data-dir PATH]

1. First choice on SymBench, without task names: the expected first-round score of the
   mode the guide opens with, scored with the paper's Table 1 (GPT-4o, All Code+CoT vs
   All Text+CoT), per question, averaged per task, then over all 37 tasks, the 28 seen
   (the classifier's training tasks) and the 9 unseen. Baselines in the same run:
   always code, always text, the per-task best mode (the ceiling), and the keyword
   heuristic the guide used before (kept here only as a baseline).
2. The same policy on hand-written questions from outside SymBench (the held-out set of
   tests/guide/test_first_choice.py): accuracy against the sensible mode.
3. check_symbolic's lazy verdict (``hard_coded``) on the labelled program corpus of
   tests/checkers/program_corpus.py: precision and recall.
4. Scripted multi-round scenarios on real SymBench questions: the guide's action at
   each round.
5. Cost: median time of one first choice, against the keyword heuristic.
6. With ``--leave-one-task-out`` (minutes; needs scikit-learn): each seen task scored by a
   classifier fitted on the other 27, against always-code and the best mode on those tasks.

Needs the SymBench data for part 1 (``$CODESTEER_SYMBENCH_DIR``); the rest runs anywhere.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "guide"))
sys.path.insert(0, str(ROOT / "tests" / "checkers"))

# The keyword heuristic of the guide before the learned first choice (issue 12), as a baseline only.
_OLD_WORDS = re.compile(
    r"\b(calculat|comput|count|how many|number of|sum|product|total|find|solve|equation|puzzle|arrange|"
    r"permutation|combination|probabilit|grid|matrix|board|sudoku|queen|path|plan|move|step|sequence|"
    r"minimi|maximi|shortest|optimal|constraint|schedul|assign|sort|order|letters?|string|digit|"
    r"multiply|divide|operator|expression|formula|pattern|cipher|encrypt|decrypt|transform|simulat)",
    re.IGNORECASE,
)


def keyword_heuristic(question: str) -> str:
    digits = len(re.findall(r"\d", question))
    return "code" if _OLD_WORDS.search(question) or digits >= 4 else "text"


def first_choice_table(data_dir: Path, per_task: int) -> None:
    from guide.first_choice import first_choice
    from guide.first_choice_train import baselines, first_choice_score, questions_by_task, summary, table_rates
    from symbench.paths import paper_table_path

    rates = table_rates(paper_table_path(data_dir))
    questions = questions_by_task(data_dir, seen_only=False, stored_per_task=per_task, generated_per_task=0, seed=1)
    rows = {
        "learned first choice (rules guide)": summary(
            first_choice_score(lambda q: first_choice(q).mode, questions, rates), rates
        ),
        "keyword heuristic (before)": summary(first_choice_score(keyword_heuristic, questions, rates), rates),
        **baselines(rates, list(questions)),
    }
    print(f"\n1. First choice on SymBench without task names ({sum(map(len, questions.values()))} stored questions, "
          f"at most {per_task} per task; Table 1 rates)")  # fmt: skip
    print(f"   {'policy':<36} {'all 37':>7} {'seen 28':>8} {'unseen 9':>9}")
    for label, s in rows.items():
        print(f"   {label:<36} {s['all']:7.2f} {s['seen']:8.2f} {s['unseen']:9.2f}")
    per_task_ours = first_choice_score(lambda q: first_choice(q).mode, questions, rates)
    print("   unseen tasks (code% / text% in Table 1 -> expected score of the learned choice):")
    for name, value in per_task_ours.items():
        r = rates[name]
        if not r.seen:
            print(f"     {name:<32} {r.code:5.1f} / {r.text:5.1f} -> {value:6.2f}")


def outside_questions() -> None:
    from test_first_choice import OUTSIDE_QUESTIONS

    from guide.first_choice import first_choice

    print(f"\n2. Questions from outside SymBench ({len(OUTSIDE_QUESTIONS)}, hand-written, never trained on)")
    right = 0
    for question, mode in OUTSIDE_QUESTIONS:
        got = first_choice(question)
        right += got.mode == mode
        mark = "ok " if got.mode == mode else "MISS"
        print(f"   {mark} want {mode:<4} got {got.mode:<4} P(code)={got.probability_code:.2f}  {question[:70]}")
    old = sum(keyword_heuristic(q) == m for q, m in OUTSIDE_QUESTIONS)
    print(f"   accuracy: learned {right}/{len(OUTSIDE_QUESTIONS)} = {right / len(OUTSIDE_QUESTIONS):.2f}; "
          f"keyword heuristic (before) {old}/{len(OUTSIDE_QUESTIONS)} = {old / len(OUTSIDE_QUESTIONS):.2f}")  # fmt: skip


def symbolic_corpus() -> None:
    from program_corpus import corpus

    from checkers import analyze_code

    programs = corpus()
    tp = fp = fn = 0
    misses = []
    for name, code, lazy in programs:
        said = analyze_code(code).verdict == "hard_coded"
        tp += said and lazy
        fp += said and not lazy
        fn += lazy and not said
        if said != lazy:
            misses.append(name)
    lazy_total = sum(1 for *_, lazy in programs if lazy)
    precision = tp / (tp + fp) if tp + fp else float("nan")
    print(f"\n3. check_symbolic's lazy verdict on the labelled corpus ({len(programs)} programs, {lazy_total} lazy)")
    print(f"   precision {precision:.3f}   recall {tp / (tp + fn):.3f}   (true positives {tp}, false positives {fp}, "
          f"false negatives {fn})")  # fmt: skip
    if misses:
        print("   misjudged: " + ", ".join(misses))


def scenarios() -> None:
    import test_rules_guide as s

    from checkers import AnswerCheck, analyze_code
    from guide import Round, Trajectory
    from guide.rules import RulesGuide
    from sandbox import ExecResult

    guide = RulesGuide()

    def code(i, program, stdout="", answer=None, stderr="", exit_code=0, timed_out=False):
        run = ExecResult(stdout=stdout, stderr=stderr, exit_code=None if timed_out else exit_code,
                         timed_out=timed_out, duration_s=10.0 if timed_out else 0.1)  # fmt: skip
        report = analyze_code(program)
        return Round(index=i, response=program, code=program, symbolic=report,
                     execution=None if report.verdict == "syntax_error" else run, answer=answer)  # fmt: skip

    crash = {"stderr": "IndexError: list index out of range", "exit_code": 1}
    table = {
        "straight-line product (number multiply)": (s.MULTIPLY, None, [
            code(1, "print(-4*52*-88*9883)", "181026208\n", "181026208"),
            code(2, "print(-4*52*-88*9883)\nassert -4*52*-88*9883 == (-4*52)*(-88*9883)", "181026208\n", "181026208"),
        ]),
        "datetime computation (date understanding)": (s.DATE, None, [
            code(1, "from datetime import date, timedelta\nprint(date(1937, 12, 24) + timedelta(days=1))",
                 "1937-12-25\n", "(B)"),
        ]),
        "word.count (letters)": (s.LETTERS, None, [code(1, "print('strawberry'.count('r'))", "3\n", "3")]),
        "Sudoku filled with 1s, then resubmitted": (s.SUDOKU, None, [
            code(1, s.FILL_WITH_ONES, "<<<[[1]]>>>\n", "[[1]]"),
            code(2, s.FILL_WITH_ONES, "<<<[[1]]>>>\n", "[[1]]"),
        ]),
        "text answer agreeing with code (web of lies, task given)": (s.WEB_OF_LIES, "web_of_lies", [
            code(1, "truth = True\nfor lies in [False, True, False, False]:\n    truth = truth != lies\nprint(truth)",
                 "No\n", "No"),
            Round(index=2, response="<<<No>>>", answer="No"),
        ]),
        "three crashing Sudoku programs": (s.SUDOKU, None, [
            code(1, "g = []\nprint(g[9])", **crash), code(2, "g = [[0]]\nprint(g[0][9])", **crash),
            code(3, "r = [1]\nprint(r[3])", **crash),
        ]),
        "three crashing Game 24 programs (task given)": (s.GAME24, "game24", [
            code(1, "print(1 / 0)", stderr="ZeroDivisionError", exit_code=1),
            code(2, "x = 0\nprint(4 / x)", stderr="ZeroDivisionError", exit_code=1),
            code(3, "print([1][2])", **crash),
        ]),
        "repeated syntax errors": (s.SUDOKU, None, [
            code(1, "for x in range(3)\n    print(x)"), code(2, "print((1, 2)"), code(3, "def f(:\n    pass"),
        ]),
        "endless loop timed out": (s.MULTIPLY, None, [code(1, "n = 1\nwhile n:\n    n += 1", timed_out=True)]),
        "self-answer checker passes": (s.GAME24, None, [
            code(1, "for a in range(1, 14):\n    if a * 4 == 24:\n        print(a)", "6\n", "6"),
            code(2, "for a in range(1, 14):\n    if a * 4 == 24:\n        print(a)\n        assert a * 4 == 24", "6\n", "6"),
        ]),
        "self-answer checker fails": (s.GAME24, None, [
            code(1, "for a in range(1, 14):\n    if a * 4 == 24:\n        print(a)", "6\n", "6"),
            code(2, "for a in range(1, 14):\n    if a * 4 == 24:\n        print(a)\nassert a == 7, 'a should be 7'",
                 "6\n", None, stderr="AssertionError: a should be 7", exit_code=1),
        ]),
        "checked text answer (task check correct)": (s.WEB_OF_LIES, "web_of_lies", [
            Round(index=1, response="<<<No>>>", answer="No",
                  answer_check=AnswerCheck(verdict="correct", reason="the chain holds", method="task_constraints")),
        ]),
    }  # fmt: skip
    print("\n4. Scripted multi-round scenarios (the guide's action after each round)")
    for title, (question, task, rounds) in table.items():
        t = Trajectory(session_id="bench", question=question, task=task)
        t.first = guide.decide(t)
        steps = [f"open:{t.first.action.value}"]
        for r in rounds:
            t.rounds.append(r)
            r.guidance = guide.decide(t)
            steps.append(f"r{r.index}:{r.guidance.action.value}")
        last = t.rounds[-1].guidance
        print(f"   {title:<56} {' -> '.join(steps)}")
        print(f"   {'':<56} why: {last.rationale[:150]}")


def cost(repeats: int) -> None:
    from guide.first_choice import first_choice
    from test_first_choice import OUTSIDE_QUESTIONS

    questions = [q for q, _ in OUTSIDE_QUESTIONS]
    first_choice(questions[0])  # load the weights once

    def median_us(fn) -> float:
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            for q in questions:
                fn(q)
            times.append((time.perf_counter() - started) / len(questions))
        return statistics.median(times) * 1e6

    learned, keyword = median_us(first_choice), median_us(keyword_heuristic)
    print(f"\n5. Cost of one first choice (median of {repeats} passes over {len(questions)} questions)")
    print(f"   learned {learned:8.1f} us   keyword heuristic {keyword:6.1f} us   ratio {learned / keyword:6.1f}x")


def leave_one_out(data_dir: Path) -> None:
    from guide.first_choice_train import leave_one_task_out, table_rates
    from symbench.paths import paper_table_path

    rates = table_rates(paper_table_path(data_dir))
    started = time.perf_counter()
    scores = leave_one_task_out(data_dir)
    names = list(scores)

    def mean(values) -> float:
        values = list(values)
        return sum(values) / len(values)

    print(f"\n6. Leave one seen task out ({len(names)} fits, {time.perf_counter() - started:.0f} s): each task scored "
          "by a classifier that never saw it")  # fmt: skip
    print(f"   learned {mean(scores.values()):6.2f}   always code {mean(rates[n].code for n in names):6.2f}   "
          f"always text {mean(rates[n].text for n in names):6.2f}   per-task best "
          f"{mean(max(rates[n].code, rates[n].text) for n in names):6.2f}")  # fmt: skip
    for name in names:
        r = rates[name]
        print(f"     {name:<34} code {r.code:5.1f} text {r.text:5.1f} -> {scores[name]:6.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-task", type=int, default=200, help="stored questions per task for part 1 (default 200)")
    parser.add_argument("--data-dir", type=Path, help="the SymBench data folder (default: $CODESTEER_SYMBENCH_DIR)")
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument("--leave-one-task-out", action="store_true", help="part 6: refit 28 times (minutes)")
    args = parser.parse_args()
    from symbench.paths import default_data_dir

    data_dir = args.data_dir or default_data_dir()
    if data_dir is None or not (Path(data_dir) / "paper_table1.csv").is_file():
        print("1. skipped: no SymBench data with paper_table1.csv (set CODESTEER_SYMBENCH_DIR or pass --data-dir)")
    else:
        first_choice_table(Path(data_dir), args.per_task)
    outside_questions()
    symbolic_corpus()
    scenarios()
    cost(args.repeats)
    if args.leave_one_task_out and data_dir is not None:
        leave_one_out(Path(data_dir))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
