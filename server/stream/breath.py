"""Same breath: speech that resumes right after the meaning ended a turn is the rest of that turn.

Semantic endpointing ends a turn as soon as the running transcript reads as a complete set, so a lifter
who pauses at a comma ("front squat two twenty five for five, ... felt like an eight") has the first
half logged and the second heard as a turn of its own, which the reader, by the multi-turn rules, takes
as another set at the same weight: a duplicate, with the effort on the wrong one. When that speech
started before the silence timeout would have ended the first turn, silence endpointing would have
heard one utterance; so its words amend the set just logged instead (`Pipeline.handle_text(amends=)`).
Only the meaning's early end is undone this way: a turn the silence ended, or one that was not logged,
is never amended.
"""

from __future__ import annotations

__all__ = ["SameBreath"]


class SameBreath:
    def __init__(self, within_s: float) -> None:
        self.within_s = within_s
        self._ended: tuple[str, float] | None = None  # (utterance id, end of its speech) ended by meaning
        self._logged: str | None = None  # the utterance whose answer, the latest one, logged a set

    def ended(self, utterance_id: str, ended_by: str | None, speech_end_at: float) -> None:
        self._ended = (utterance_id, speech_end_at) if ended_by == "meaning" else None

    def started(self, speech_began_at: float) -> str | None:
        """The utterance that new speech, begun at `speech_began_at`, continues; None for a new turn."""
        if self._ended is None:
            return None
        utterance_id, end = self._ended
        self._ended = None
        return utterance_id if speech_began_at - end < self.within_s else None

    def answered(self, utterance_id: str, action: str) -> None:
        self._logged = utterance_id if action == "logged" else None

    def amends(self, continues: str | None) -> bool:
        """Does an utterance continuing `continues` amend its set (that turn's answer logged one)?"""
        return continues is not None and continues == self._logged
