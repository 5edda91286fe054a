"""Logical Puzzle: selection rules, alternate selections, broken stored golds, generator."""

import pytest

from symbench.registry import get_task
from symbench.tasks import logic_puzzle as lg

TASK = get_task("logic_puzzle")

SMALL = {
    "n": 2, "k": 3, "grid": [[1, 2], [3, 1]], "rule": "sum_le", "bound": 4, "first": (0, 1),
}


def test_a_valid_selection_has_no_violations_and_each_rule_is_enforced():
    assert lg.violations(SMALL, [(0, 1), (1, 0), (0, 0)]) == []
    assert any("first cell" in p for p in lg.violations(SMALL, [(0, 0), (1, 0), (1, 1)]))
    assert any("not all different" in p for p in lg.violations(SMALL, [(0, 1), (0, 0), (1, 1)]))
    assert any("asks for 3" in p for p in lg.violations(SMALL, [(0, 1), (1, 0)]))
    assert any("outside" in p for p in lg.violations(SMALL, [(0, 1), (1, 0), (2, 0)]))
    product = {"n": 2, "k": 4, "grid": [[-2, -3], [-5, -4]], "rule": "product_gt_0", "bound": None, "first": (0, 1)}
    assert lg.violations(product, [(0, 1), (0, 0), (1, 0), (1, 1)]) == []  # two negatives per line
    product["k"] = 2
    assert any("row 0 has product -3" in p for p in lg.violations(product, [(0, 1), (1, 1)]))


def test_stored_golds_verify_unless_they_break_their_own_rules(samples):
    assert len(samples) == 180
    broken = []
    for sample in samples:
        answer = TASK.gold_answer(sample)
        reason = TASK.gold_defect(sample)
        if reason is None:
            assert TASK.verify(sample, answer, "faithful").verdict == "correct", sample.id
            assert TASK.verify(sample, answer, "strict").verdict == "correct", sample.id
            assert TASK.check(sample.question, answer).verdict == "correct", sample.id
        else:
            broken.append(sample)
            assert TASK.verify(sample, answer, "strict").verdict == "incorrect", sample.id
            assert "breaks the puzzle's rules" in reason
    # only the small puzzles (complexity 1-3) have broken golds
    assert 0 < len(broken) < 40
    assert all(s.metadata["complexity"] <= 3 for s in broken)


def test_an_unsolvable_puzzle_is_reported_as_such():
    unsolvable = {"n": 2, "k": 3, "grid": [[3, 1], [2, 3]], "rule": "sum_le", "bound": 4, "first": (0, 1)}
    assert lg.solvable(unsolvable) is False
    assert lg.solvable(SMALL) is True


def test_another_valid_selection_than_the_stored_one_is_accepted(samples):
    sample = next(s for s in samples if s.metadata["n"] == 10)
    gold = [tuple(p) for p in sample.gold]
    reordered = "<<<" + ", ".join(f"({r},{c})" for r, c in reversed(gold)) + ">>>"
    assert TASK.verify(sample, reordered, "strict").verdict == "correct"
    # swap one non-required cell for an unselected cell that keeps every rule, if one exists
    first = tuple(sample.metadata["first"])
    for i, cell in enumerate(gold):
        if cell == first:
            continue
        for r in range(10):
            for c in range(10):
                other = gold[:i] + [(r, c)] + gold[i + 1 :]
                if (r, c) not in gold and not lg.violations(sample.metadata, other):
                    answer = "<<<" + ", ".join(f"{a} {b}" for a, b in other) + ">>>"
                    assert sorted(other) != sorted(gold)
                    assert TASK.verify(sample, answer, "strict").verdict == "correct"
                    return
    pytest.fail("no alternative selection found in a 10x10 puzzle")


def test_a_changed_cell_and_a_malformed_answer_are_rejected(samples):
    sample = next(s for s in samples if s.metadata["n"] == 6 and TASK.gold_defect(s) is None)
    gold = [tuple(p) for p in sample.gold]
    first = tuple(sample.metadata["first"])
    dropped = [p for p in gold if p != first]
    assert TASK.verify(sample, "<<<" + ", ".join(f"{r} {c}" for r, c in dropped) + ">>>", "strict").verdict == "incorrect"
    assert TASK.verify(sample, "<<<0 1, 2>>>", "strict").verdict == "incorrect"


def test_generator_is_deterministic_and_its_gold_verifies_for_100_seeds():
    assert lg.generate(3).question == lg.generate(3).question
    for seed in range(100):
        sample = lg.generate(seed, complexity=1 + seed % 10)
        assert TASK.check(sample.question, TASK.gold_answer(sample)).verdict == "correct"
        assert TASK.verify(sample, TASK.gold_answer(sample), "strict").verdict == "correct"


def test_faithful_mode_is_the_original_scorer_that_counts_positions_and_checks_rows_and_columns_only():
    sample = TASK.generate(3)
    gold = [tuple(p) for p in sample.gold]
    rendered = ", ".join(f"{r} {c}" for r, c in gold)
    assert TASK.verify(sample, f"<<<{rendered}>>>", "faithful").verdict == "correct"
    # The same position twice passes the original (it checked membership), not strict.
    doubled = ", ".join(f"{r} {c}" for r, c in gold[:-1] + [gold[0]])
    assert TASK.verify(sample, f"<<<{doubled}>>>", "faithful").verdict == "correct"
    assert TASK.verify(sample, f"<<<{doubled}>>>", "strict").verdict == "incorrect"
    # One position short: rejected by both.
    short = ", ".join(f"{r} {c}" for r, c in gold[:-1])
    assert TASK.verify(sample, f"<<<{short}>>>", "faithful").verdict == "incorrect"
    assert TASK.verify(sample, f"<<<{short}>>>", "strict").verdict == "incorrect"
