"""One way to cut long text, shared by the guide's conversation and the eval's feedback."""

from guide.text import cap_text


def test_text_that_fits_is_returned_as_is():
    assert cap_text("abc", 3) == "abc"


def test_long_text_keeps_its_head_and_tail_and_counts_exactly_what_was_cut():
    text = "H" * 10 + "m" * 81 + "T" * 10
    capped = cap_text(text, 20)
    head, marker, tail = capped.split("\n")
    assert (head, tail) == ("H" * 10, "T" * 10)
    assert marker == "... [81 characters cut] ..."
    assert len(head) + len(tail) + 81 == len(text)


def test_an_odd_budget_still_counts_the_cut_characters_right():
    capped = cap_text("x" * 100, 7)
    head, marker, tail = capped.split("\n")
    assert len(head) == len(tail) == 3 and "[94 characters cut]" in marker
