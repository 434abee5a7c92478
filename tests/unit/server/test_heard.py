"""Short answers that agree with a quoted reading, and nothing longer."""

from __future__ import annotations

import pytest

from server.heard import affirms, heard_question


@pytest.mark.parametrize("text", ["yes", "Yes.", "yeah that's right", "correct, log it", "yep!", "that's it"])
def test_agreeing_answers(text: str) -> None:
    assert affirms(text)


@pytest.mark.parametrize("text", ["no", "yes 225", "yes, bench 225 for 5", "yesterday", "right knee hurts"])
def test_anything_more_is_not_a_yes(text: str) -> None:
    assert not affirms(text)


def test_the_question_quotes_what_was_heard() -> None:
    assert '"bench 235 for 4"' in heard_question(" bench 235 for 4 ")
