"""Utterances that are not sets: a profile update said aloud ("I weigh 82 kilos today") or a question for
the coach ("how do I stop my knees caving on squats?"). The pipeline asks here only about an utterance
it would otherwise answer with a clarify question, so a set is never taken for either."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from server.profile.ledger import PatchRefused
from server.profile.spoken import read_spoken_update
from server.profile.store import change_profile, current_profile

if TYPE_CHECKING:
    from server.coach.service import Coach
    from server.training.voice import TrainingAnswers

__all__ = ["SpokenReply", "VoiceAssistant", "is_question"]

_QUESTION = re.compile(
    r"^(?:hey coach,?\s+|coach,?\s+)?(?:how|what|why|when|where|which|should|shall|can|could|would|is|are|"
    r"do|does|any tips|tips on|tell me)\b",
    re.IGNORECASE,
)


def is_question(text: str) -> bool:
    words = text.strip()
    return words.endswith("?") or bool(_QUESTION.match(words))


class SpokenReply(msgspec.Struct, kw_only=True):
    action: Literal["answered", "profile_updated"]
    text: str


class VoiceAssistant:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        coach: Coach | None,
        training: TrainingAnswers | None = None,
    ) -> None:
        """`training` answers questions about the lifter's own numbers (PRs, last time, next set) from
        the data, before the coach is asked."""
        self._sessionmaker = sessionmaker
        self._coach = coach
        self._training = training

    async def handle(self, user_id: str, text: str, *, default_unit: str) -> SpokenReply | None:
        async with self._sessionmaker() as session:
            profile = (await current_profile(session, user_id))[0]
        update = read_spoken_update(text, profile, default_unit=default_unit, today=datetime.now(UTC).date())
        if update is not None:
            try:
                await change_profile(
                    self._sessionmaker,
                    user_id,
                    update.patch,
                    source="voice",
                    reason=update.reason,
                    transcript=text,
                )
            except PatchRefused:
                return None  # the profile moved under the words: ask, as for any unclear utterance
            return SpokenReply(action="profile_updated", text=f"Noted in your profile: {update.reason}.")
        if self._training is not None:
            spoken = await self._training.answer(user_id, text, default_unit=default_unit)
            if spoken is not None:
                return SpokenReply(action="answered", text=spoken)
        if self._coach is not None and is_question(text):
            answer = await self._coach.ask(user_id, text)
            return SpokenReply(action="answered", text=answer.answer)
        return None
