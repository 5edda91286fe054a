"""The assertion most SymBench task tests open with: every stored gold is right."""


def assert_stored_golds_verify(task, samples, count: int) -> None:
    """``count`` samples, none with a documented gold defect, each gold correct in strict and
    faithful mode and by the question alone (the task's steering check, else its reference check)."""
    assert len(samples) == count
    by_question = task.check or task.reference_check
    for sample in samples:
        if task.gold_defect is not None:
            assert task.gold_defect(sample) is None, sample.id
        answer = task.gold_answer(sample)
        assert task.verify(sample, answer, "strict").verdict == "correct", sample.id
        assert task.verify(sample, answer, "faithful").verdict == "correct", sample.id
        assert by_question(sample.question, answer).verdict == "correct", sample.id
