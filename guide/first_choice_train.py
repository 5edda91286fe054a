"""Train and measure the first-choice classifier (``mcp-codesteer guide train-first-choice``).

Labels come from the paper's Table 1 (``paper_table1.csv``): for each task the mode
(All Code+CoT or All Text+CoT, GPT-4o without steering) with the higher success rate.
Training uses only the 28 seen tasks: their stored questions and questions from their
seeded generators. Each task's questions share a total sample weight equal to its
code-text gap in points, so the fit minimises the expected first-round score lost, not
the number of questions misrouted (a task where both modes score alike barely counts).

The *first-choice score* of a policy is the paper's success rate of the mode it picks,
per question, averaged within a task and then over tasks: always-code, always-text and
the per-task best mode are its baselines.

scikit-learn is needed only to fit (the ``guide-train`` extra); scoring is
``guide.first_choice``.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .first_choice import HASH_BUCKETS, WEIGHTS_PATH, FirstChoiceModel, cue_features, hashed_vector

CODE_COLUMN = "All Code+CoT"
TEXT_COLUMN = "All Text+CoT"
INSTALL_HINT = "pip install 'mcp-codesteer[guide-train]' (scikit-learn)"


@dataclass(frozen=True)
class TaskRates:
    name: str
    seen: bool
    code: float
    text: float

    @property
    def mode(self) -> str:
        return "code" if self.code >= self.text else "text"

    @property
    def gap(self) -> float:
        return abs(self.code - self.text)


def table_rates(table_path: Path) -> dict[str, TaskRates]:
    """Table 1's code and text rates for every SymBench task, keyed by task name."""
    from symbench import all_tasks

    by_title = {t.title: t for t in all_tasks()}
    rates: dict[str, TaskRates] = {}
    with open(table_path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            task = by_title.get(row["task"])
            if task is None:
                raise ValueError(f"{table_path}: row {row['task']!r} matches no SymBench task title")
            rates[task.name] = TaskRates(task.name, task.seen, float(row[CODE_COLUMN]), float(row[TEXT_COLUMN]))
    return rates


def questions_by_task(
    data_dir: Path, *, seen_only: bool, stored_per_task: int, generated_per_task: int, seed: int = 0
) -> dict[str, list[str]]:
    """Stored questions (a seeded subsample of at most ``stored_per_task``) plus generated ones."""
    from symbench import all_tasks

    rng = random.Random(seed)
    out: dict[str, list[str]] = {}
    for task in all_tasks():
        if seen_only and not task.seen:
            continue
        stored = [s.question for s in task.load(data_dir)]
        rng.shuffle(stored)
        questions = stored[:stored_per_task]
        for i in range(generated_per_task):
            try:
                questions.append(task.generate(seed * 100_000 + 50_000 + i).question)
            except Exception:  # a generator that cannot make this seed: stored questions suffice
                break
        if questions:
            out[task.name] = questions
    return out


def first_choice_score(
    choose: Callable[[str], str], questions: dict[str, list[str]], rates: dict[str, TaskRates]
) -> dict[str, float]:
    """Per task: the expected Table-1 rate of the modes ``choose`` picks for its questions."""
    scores = {}
    for name, qs in questions.items():
        r = rates[name]
        code_share = sum(choose(q) == "code" for q in qs) / len(qs)
        scores[name] = code_share * r.code + (1 - code_share) * r.text
    return scores


def summary(per_task: dict[str, float], rates: dict[str, TaskRates]) -> dict[str, float]:
    def mean(names):
        names = list(names)
        return round(sum(per_task[n] for n in names) / len(names), 2) if names else float("nan")

    return {
        "all": mean(per_task),
        "seen": mean(n for n in per_task if rates[n].seen),
        "unseen": mean(n for n in per_task if not rates[n].seen),
    }


def baselines(rates: dict[str, TaskRates], names: list[str]) -> dict[str, dict[str, float]]:
    out = {}
    for label, pick in (("always code", lambda r: r.code), ("always text", lambda r: r.text),
                        ("per-task best", lambda r: max(r.code, r.text))):  # fmt: skip
        out[label] = summary({n: pick(rates[n]) for n in names}, rates)
    return out


def fit(
    questions: dict[str, list[str]], rates: dict[str, TaskRates], *, c: float = 4.0, cue_scale: float = 3.0,
    intercept: bool = True,
) -> FirstChoiceModel:
    """Logistic regression over cues + hashed n-grams, task-weighted by the code-text gap."""
    try:
        import numpy as np
        from scipy.sparse import csr_matrix, hstack
        from sklearn.linear_model import LogisticRegression
    except ImportError as exc:
        raise RuntimeError(f"training the first-choice classifier needs scikit-learn: {INSTALL_HINT}") from exc

    cue_names = list(cue_features("").keys())
    rows, cols, vals, cue_rows, labels, weights, all_questions = [], [], [], [], [], [], []
    for name, qs in questions.items():
        r = rates[name]
        for q in qs:
            all_questions.append(q)
            i = len(labels)
            for b, v in hashed_vector(q).items():
                rows.append(i)
                cols.append(b)
                vals.append(v)
            cues = cue_features(q)
            cue_rows.append([cues[n] for n in cue_names])
            labels.append(1 if r.mode == "code" else 0)
            weights.append(max(r.gap, 0.5) / len(qs))
    n = len(labels)
    hashed = csr_matrix((vals, (rows, cols)), shape=(n, HASH_BUCKETS))
    x = hstack([csr_matrix(np.array(cue_rows) * cue_scale), hashed]).tocsr()
    w = np.array(weights) * (n / sum(weights))  # mean weight 1, so C keeps its usual scale
    clf = LogisticRegression(C=c, max_iter=5000, fit_intercept=intercept)
    clf.fit(x, np.array(labels), sample_weight=w)
    coef = clf.coef_[0]
    cue_weights = {name: round(float(coef[i]) * cue_scale, 4) for i, name in enumerate(cue_names)}
    bucket = coef[len(cue_names):]
    bucket_weights = [[int(i), round(float(bucket[i]), 4)] for i in np.flatnonzero(np.round(bucket, 4))]
    task_modes = {
        name: {"mode": r.mode, "code": r.code, "text": r.text, "seen": r.seen} for name, r in sorted(rates.items())
    }
    model = FirstChoiceModel(
        float(clf.intercept_[0]) if intercept else 0.0, cue_weights, _dense(bucket_weights), task_modes,
        {"C": c, "cue_scale": cue_scale, "intercept": intercept},
    )
    # The plain-Python scorer must reproduce scikit-learn's decision values (up to the rounding of the weights).
    reference = clf.decision_function(x[:: max(1, n // 50)])
    mine = [model.score(q)[0] for q in all_questions[:: max(1, n // 50)]]
    worst = max(abs(a - b) for a, b in zip(reference, mine))
    if worst > 0.05:
        raise RuntimeError(f"the shipped scorer disagrees with scikit-learn by {worst:.3f}: features differ")
    model.info["max_scorer_difference"] = round(float(worst), 5)
    return model


def _dense(pairs: list[list]) -> list[float]:
    out = [0.0] * HASH_BUCKETS
    for i, w in pairs:
        out[i] = w
    return out


def save(model: FirstChoiceModel, path: Path = WEIGHTS_PATH) -> None:
    data = {
        "format": "mcp-codesteer first-choice logistic regression, v1",
        "buckets": HASH_BUCKETS,
        "bias": round(model.bias, 4),
        "cue_weights": model.cue_weights,
        "bucket_weights": [[i, w] for i, w in enumerate(model.bucket_weights) if w],
        "task_modes": model.task_modes,
        "info": model.info,
    }
    Path(path).write_text(json.dumps(data, separators=(",", ":"), sort_keys=False) + "\n", encoding="utf-8")


def train_and_measure(
    data_dir: Path, *, stored_per_task: int = 120, generated_per_task: int = 60, eval_per_task: int = 200,
    c: float = 4.0, cue_scale: float = 3.0, intercept: bool = True, seed: int = 0,
) -> tuple[FirstChoiceModel, dict]:  # fmt: skip
    """Fit on the seen tasks; measure on stored questions of all 37 tasks."""
    from symbench.paths import paper_table_path

    rates = table_rates(paper_table_path(data_dir))
    train = questions_by_task(
        data_dir, seen_only=True, stored_per_task=stored_per_task, generated_per_task=generated_per_task, seed=seed
    )
    model = fit(train, rates, c=c, cue_scale=cue_scale, intercept=intercept)
    evaluation = questions_by_task(
        data_dir, seen_only=False, stored_per_task=eval_per_task, generated_per_task=0, seed=seed + 1
    )
    per_task = first_choice_score(lambda q: model.choose(q).mode, evaluation, rates)
    report = {
        "classifier": summary(per_task, rates),
        **baselines(rates, list(evaluation)),
        "per_task": {k: round(v, 2) for k, v in per_task.items()},
        "trained_on": sorted(train),
        "training_questions": sum(len(v) for v in train.values()),
    }
    model.info.update({"trained_on_tasks": len(train), "training_questions": report["training_questions"],
                       "first_choice_score": report["classifier"]})  # fmt: skip
    return model, report


def leave_one_task_out(
    data_dir: Path, *, stored_per_task: int = 60, generated_per_task: int = 30, c: float = 4.0, seed: int = 0
) -> dict[str, float]:
    """Each seen task scored by a classifier fitted on the other 27: how the method does on a
    kind of question it never saw (the shipped model has seen every seen task)."""
    from symbench.paths import paper_table_path

    rates = table_rates(paper_table_path(data_dir))
    train = questions_by_task(
        data_dir, seen_only=True, stored_per_task=stored_per_task, generated_per_task=generated_per_task, seed=seed
    )
    held = questions_by_task(data_dir, seen_only=True, stored_per_task=stored_per_task, generated_per_task=0,
                             seed=seed + 1)  # fmt: skip
    scores = {}
    for name in train:
        model = fit({k: v for k, v in train.items() if k != name}, rates, c=c)
        scores.update(first_choice_score(lambda q: model.choose(q).mode, {name: held[name]}, rates))
    return scores


def configure(parser) -> None:
    parser.add_argument("--data-dir", type=Path, help="the SymBench data folder (default: $CODESTEER_SYMBENCH_DIR)")
    parser.add_argument("--out", type=Path, default=WEIGHTS_PATH, help="where to write the weights (default: the shipped file)")
    parser.add_argument("--stored-per-task", type=int, default=120, help="stored questions per seen task (default 120)")
    parser.add_argument("--generated-per-task", type=int, default=60, help="generated questions per seen task (default 60)")
    parser.add_argument("-C", type=float, default=4.0, help="inverse L2 regularisation strength (default 4)")
    parser.add_argument("--cue-scale", type=float, default=3.0, help="cue columns scaled up, so penalised less (default 3)")
    parser.add_argument("--intercept", action=argparse.BooleanOptionalAction, default=True,
                        help="fit a bias (SymBench's lean to code; default on)")  # fmt: skip
    parser.add_argument("--seed", type=int, default=0)


def run(args) -> int:
    import sys

    from symbench.paths import default_data_dir

    data_dir = args.data_dir or default_data_dir()
    if data_dir is None:
        print("mcp-codesteer guide train-first-choice: no SymBench data; pass --data-dir", file=sys.stderr)
        return 2
    try:
        model, report = train_and_measure(
            data_dir, stored_per_task=args.stored_per_task, generated_per_task=args.generated_per_task, c=args.C,
            cue_scale=args.cue_scale, intercept=args.intercept, seed=args.seed,
        )
    except (RuntimeError, FileNotFoundError, ValueError) as exc:
        print(f"mcp-codesteer guide train-first-choice: {exc}", file=sys.stderr)
        return 2
    save(model, args.out)
    print(f"wrote {args.out} ({report['training_questions']} questions of {len(report['trained_on'])} seen tasks)")
    for label in ("classifier", "always code", "always text", "per-task best"):
        s = report[label]
        print(f"  {label:<14} all {s['all']:6.2f}  seen {s['seen']:6.2f}  unseen {s['unseen']:6.2f}")
    return 0
