"""Letter logic diagram: the rules, answers in several layouts, alternate solutions, generator."""

import pytest

from gold_checks import assert_stored_golds_verify
from symbench.tasks import letter_logic_diagram as lld

TASK = lld.TASK


def solutions(puzzle, limit):
    """Up to ``limit`` completions of ``puzzle``, by backtracking over the most constrained cell."""
    n = len(puzzle)
    alphabet = lld.letters(n)
    grid = [row[:] for row in puzzle]
    found = []

    def options(r, c):
        used = set(grid[r]) | {grid[i][c] for i in range(n)}
        if r + c == n - 1:
            diagonal = {grid[i][n - 1 - i] for i in range(n)} - {None}
            if diagonal:
                return [d for d in diagonal if d not in used]
        return [a for a in alphabet if a not in used]

    def search():
        if len(found) >= limit:
            return
        empty = [(r, c) for r in range(n) for c in range(n) if grid[r][c] is None]
        if not empty:
            found.append([row[:] for row in grid])
            return
        r, c = min(empty, key=lambda rc: len(options(*rc)))
        for letter in options(r, c):
            grid[r][c] = letter
            search()
            grid[r][c] = None

    search()
    return found


def as_answer(grid):
    return "<<<\n" + "\n".join(",".join(row) for row in grid) + "\n>>>"


def test_stored_golds_verify_in_both_modes_and_by_question_alone(samples):
    assert_stored_golds_verify(TASK, samples, 180)


def test_a_stored_question_is_rendered_back_exactly(samples):
    for sample in samples[:20]:
        assert lld.render_question(sample.metadata["puzzle"]) == sample.question


def test_another_valid_completion_is_accepted_in_strict_mode_and_rejected_in_faithful_mode(samples):
    for sample in samples:
        if sample.metadata["complexity"] not in (4, 5):
            continue
        other = [g for g in solutions(sample.metadata["puzzle"], 2) if g != sample.gold]
        if other:
            break
    else:
        pytest.fail("no stored puzzle with a second solution")
    answer = as_answer(other[0])
    assert TASK.verify(sample, answer, "strict").verdict == "correct"
    assert TASK.check(sample.question, answer).verdict == "correct"
    assert TASK.verify(sample, answer, "faithful").verdict == "incorrect"


def test_swapping_two_cells_of_a_row_is_rejected_with_the_broken_rule(samples):
    sample = samples[0]
    grid = [row[:] for row in sample.gold]
    free = [c for c in range(7) if sample.metadata["puzzle"][0][c] is None]
    a, b = free[0], free[1]
    grid[0][a], grid[0][b] = grid[0][b], grid[0][a]
    score = TASK.verify(sample, as_answer(grid), "strict")
    assert score.verdict == "incorrect" and ("column" in score.reason or "diagonal" in score.reason)


def test_changing_a_prefilled_cell_is_rejected_even_when_the_rules_hold(samples):
    sample = samples[0]
    # relabel two letters everywhere: rows, columns and diagonal stay valid, the clues do not
    swap = {"a": "b", "b": "a"}
    grid = [[swap.get(x, x) for x in row] for row in sample.gold]
    score = TASK.verify(sample, as_answer(grid), "strict")
    assert score.verdict == "incorrect" and "pre-filled" in score.reason


def test_a_grid_with_the_wrong_shape_or_a_non_letter_is_unreadable(samples):
    sample = samples[0]
    rows = [",".join(r) for r in sample.gold]
    assert "could not read" in TASK.verify(sample, "<<<\n" + "\n".join(rows[:6]) + "\n>>>", "strict").reason
    assert "could not read" in TASK.verify(sample, "<<<\n" + "\n".join(rows[:6] + ["a,b,c,d,e,f,1"]) + "\n>>>", "strict").reason
    assert TASK.verify(sample, "no answer here", "strict").verdict == "incorrect"


def test_answers_as_lists_or_rows_without_commas_are_read(samples):
    sample = samples[0]
    assert TASK.verify(sample, f"<<<{sample.gold!r}>>>", "strict").verdict == "correct"
    assert TASK.verify(sample, "<<<" + "\n".join("".join(r).upper() for r in sample.gold) + ">>>", "strict").verdict == "correct"
    spaced = "<<<\n" + "\n".join(" ".join(r) for r in sample.gold) + "\n>>>"
    assert TASK.verify(sample, spaced, "strict").verdict == "correct"


def test_the_random_solution_is_a_latin_square_with_a_constant_minor_diagonal():
    import random

    for seed in range(20):
        grid = lld.random_solution(random.Random(seed), 7)
        empty = [[None] * 7 for _ in range(7)]
        assert lld.rule_violation(empty, grid) is None


def test_generated_samples_are_deterministic_with_the_complexitys_clue_count_and_their_golds_verify():
    assert lld.generate(3) == lld.generate(3)
    for seed in range(100):
        complexity = 1 + seed % 5
        sample = lld.generate(seed, complexity=complexity)
        clues = sum(c is not None for row in sample.metadata["puzzle"] for c in row)
        assert clues == lld.PREFILLED_BY_COMPLEXITY[complexity]
        answer = TASK.gold_answer(sample)
        assert TASK.verify(sample, answer, "strict").verdict == "correct"
        assert TASK.check(sample.question, answer).verdict == "correct"
    small = lld.generate(1, size=5)
    assert TASK.check(small.question, TASK.gold_answer(small)).verdict == "correct"
