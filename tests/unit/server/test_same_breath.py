"""Same breath (server.stream.breath): which utterance a new one continues, and when it amends a set."""

from __future__ import annotations

from server.stream.breath import SameBreath


def test_speech_resuming_before_the_silence_timeout_continues_a_turn_the_meaning_ended() -> None:
    breath = SameBreath(0.7)
    breath.ended("a", "meaning", speech_end_at=10.0)
    assert breath.started(10.5) == "a"
    breath.answered("a", "logged")
    assert breath.amends("a")


def test_later_speech_or_a_turn_the_silence_ended_starts_a_new_turn() -> None:
    breath = SameBreath(0.7)
    breath.ended("a", "meaning", speech_end_at=10.0)
    assert breath.started(10.8) is None  # the silence timeout would have ended the first turn by then
    for ended_by in ("silence", "push_to_talk", "too_long"):
        breath.ended("b", ended_by, speech_end_at=20.0)
        assert breath.started(20.1) is None
    breath.ended("c", "meaning", speech_end_at=30.0)
    assert breath.started(30.1) == "c"
    assert breath.started(30.2) is None  # only the first speech after it


def test_only_a_turn_whose_answer_logged_a_set_is_amended() -> None:
    breath = SameBreath(0.7)
    breath.answered("a", "clarify")  # asked about: nothing logged to amend
    assert not breath.amends("a")
    breath.answered("a", "logged")
    breath.answered("t", "logged")  # a typed turn came between: it is the last set now
    assert not breath.amends("a")
    assert not breath.amends(None)
