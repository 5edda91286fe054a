"""What a TaskLLM that hedges every answer scores, per task and scoring mode.

    python benchmarks/hedge_scores.py [DATA_DIR] [--generated N] [--json]

The fake TaskLLM knows the gold and never commits to it: it answers each question with a
hedge that names the gold beside a wrong answer (two options, yes and no, two numbers),
in several wordings (``A or B``, ``(A), (B)``, ``A (or possibly B)``, ``12 or 13``,
``12, 13``). The goal: a strict score of 0 on every task. The baseline, measured in the
same run on the same samples, is the same TaskLLM answering the gold alone (it must
score 1); the faithful column shows how the original scorers fared against the hedges.
Uses the stored samples under DATA_DIR when there are any, else N generated ones.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
from fractions import Fraction
from pathlib import Path

TASKS = ("logical_deduction", "date_understanding", "web_of_lies", "navigation", "gsm_hard", "new_operator",
         "number_multiply", "statistical_counting")
OPTION_HEDGES = ("{a} or {b}", "({a}) or ({b})", "({a}), ({b})", "{a} (or possibly {b})", "either ({a}) or ({b})")
NUMBER_HEDGES = ("{a} or {b}", "{a}, {b}", "{a} (or {b})", "between {a} and {b}")
YES_NO_HEDGES = ("Yes or No", "No or Yes", "yes (or possibly no)", "True or False")


def _number_text(value: Fraction) -> str:
    return str(int(value)) if value.denominator == 1 else repr(float(value))


def hedging_task_llm(task, sample, rng: random.Random) -> str:
    """The answer of a TaskLLM that names the gold and a wrong answer, in a random order."""
    from symbench import extract_answer

    gold = extract_answer(task.gold_answer(sample)) or ""
    letter = gold.strip("()")
    if len(letter) == 1 and letter.isalpha():
        others = sorted(set(sample.metadata.get("options") or "ABCDEFG") - {letter})
        a, b = rng.sample([letter, rng.choice(others)], 2)
        return f"<<<{rng.choice(OPTION_HEDGES).format(a=a, b=b)}>>>"
    if gold.lower() in ("yes", "no", "true", "false"):
        return f"<<<{rng.choice(YES_NO_HEDGES)}>>>"
    value = Fraction(gold)
    wrong = rng.choice([value + 1, value - 1, -value if value else Fraction(3), value * 10])
    a, b = rng.sample([_number_text(value), _number_text(wrong)], 2)
    return f"<<<{rng.choice(NUMBER_HEDGES).format(a=a, b=b)}>>>"


def _samples(task, data_dir: Path | None, generated: int):
    stored = task.load(data_dir) if data_dir is not None else []
    stored = [s for s in stored if s.gold is not None and not (task.gold_defect and task.gold_defect(s))]
    return stored or [task.generate(seed) for seed in range(generated)]


def measure(data_dir: Path | None, generated: int) -> dict:
    from symbench import get_task

    rows = {}
    for name in TASKS:
        task = get_task(name)
        rng = random.Random(name)
        samples = _samples(task, data_dir, generated)
        hedged = {"strict": [], "faithful": []}
        gold_alone = []
        for sample in samples:
            answer = hedging_task_llm(task, sample, rng)
            for mode in hedged:
                hedged[mode].append(task.verify(sample, answer, mode).value)
            gold_alone.append(task.verify(sample, task.gold_answer(sample), "strict").value)
        rows[name] = {
            "samples": len(samples),
            "hedge_strict": statistics.fmean(hedged["strict"]),
            "hedge_faithful": statistics.fmean(hedged["faithful"]),
            "gold_alone_strict": statistics.fmean(gold_alone),
        }
    return {"tasks": rows, "goal_met": all(r["hedge_strict"] == 0.0 and r["gold_alone_strict"] == 1.0 for r in rows.values())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data_dir", nargs="?", type=Path, default=None, help="SymBench data (default: symbench.paths)")
    parser.add_argument("--generated", type=int, default=50, help="generated samples per task when none are stored")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    from symbench.paths import default_data_dir

    result = measure(args.data_dir or default_data_dir(), args.generated)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{'task':<22} {'samples':>7} {'hedge strict':>12} {'hedge faithful':>14} {'gold alone':>10}")
        for name, row in result["tasks"].items():
            print(f"{name:<22} {row['samples']:>7} {row['hedge_strict']:>12.3f} {row['hedge_faithful']:>14.3f} "
                  f"{row['gold_alone_strict']:>10.3f}")
        print("goal (hedges score 0 in strict mode, the gold alone 1):", "met" if result["goal_met"] else "NOT met")
    return 0 if result["goal_met"] else 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
