"""Reversi: flipping, the shown-board defect and its strict reading, generator."""

from symbench.registry import get_task
from symbench.tasks import reversi as rv
from symbench.tasks._grids import flat_grid

TASK = get_task("reversi")


def test_a_move_flips_enclosed_pieces_in_every_direction_and_nothing_unenclosed():
    board = [list(r) for r in ["****", "*10*", "*01*", "****"]]
    after = rv.play(board, [(4, 3, rv.BLACK)])
    assert ["".join(r) for r in after] == ["****", "*10*", "*00*", "**0*"]
    # a white piece at (1,1) would enclose nothing on the diagonal (no white piece beyond)
    assert rv.flips(after, 0, 0, rv.WHITE) == []
    # white at (4,2) encloses (3,2) against the white (2,2) above; the diagonal ends on an empty cell
    assert sorted(rv.flips(after, 3, 1, rv.WHITE)) == [(2, 1)]


def test_the_shown_board_of_every_stored_question_is_the_opening_with_the_moves_played(samples):
    """The README's defect, confirmed: the question gives the answer away."""
    for sample in samples:
        meta = sample.metadata
        replayed = flat_grid(rv.play(rv.opening(meta["n"]), meta["moves"]))
        assert replayed == flat_grid(meta["board"]) == sample.gold.split(","), sample.id


def test_stored_golds_verify_in_strict_mode_unless_replaying_the_moves_flips_more(samples):
    assert len(samples) == 180
    defects = 0
    for sample in samples:
        answer = TASK.gold_answer(sample)
        assert TASK.verify(sample, answer, "faithful").verdict == "correct", sample.id
        reason = TASK.gold_defect(sample)
        strict = TASK.verify(sample, answer, "strict")
        if reason is None:
            assert strict.verdict == "correct", sample.id
            assert TASK.reference_check(sample.question, answer).verdict == "correct", sample.id
        else:
            defects += 1
            assert strict.verdict == "incorrect" and "already the opening position" in reason
            strict_answer = "<<<" + ",".join(rv.reference(sample.metadata)) + ">>>"
            assert TASK.verify(sample, strict_answer, "strict").verdict == "correct"
            assert TASK.verify(sample, strict_answer, "faithful").verdict == "incorrect"
    assert 0 < defects < len(samples) // 4


def test_one_changed_cell_and_a_short_board_are_rejected(samples):
    sample = next(s for s in samples if TASK.gold_defect(s) is None)
    cells = sample.gold.split(",")
    cells[0] = "0" if cells[0] != "0" else "1"
    assert TASK.verify(sample, "<<<" + ",".join(cells) + ">>>", "strict").verdict == "incorrect"
    assert TASK.verify(sample, "<<<" + ",".join(cells[1:]) + ">>>", "strict").verdict == "incorrect"


def test_a_board_written_as_rows_is_read(samples):
    sample = next(s for s in samples if TASK.gold_defect(s) is None)
    n = sample.metadata["n"]
    cells = sample.gold.split(",")
    rows = "\n".join("".join(cells[i : i + n]) for i in range(0, n * n, n))
    assert TASK.verify(sample, f"<<<\n{rows}\n>>>", "strict").verdict == "correct"


def test_generated_questions_show_the_real_previous_board_and_their_gold_verifies():
    assert rv.generate(2).question == rv.generate(2).question
    for seed in range(100):
        sample = rv.generate(seed, complexity=1 + seed % 5)
        n = sample.metadata["n"]
        assert sample.metadata["board"] == rv.opening(n)
        assert sample.gold != ",".join(flat_grid(rv.opening(n)))
        assert TASK.reference_check(sample.question, TASK.gold_answer(sample)).verdict == "correct"
        assert TASK.verify(sample, TASK.gold_answer(sample), "faithful").verdict == "correct"
