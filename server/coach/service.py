"""The coach: retrieve over the shared cues and the lifter's own chunks, answer with an LLM when one is
configured (the AI context as system context), else with the retrieved cues; always cite what was used."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.coach import Citation, CoachOut
from server.backends.llm.record import invocation_rows
from server.coach.answer import constraint_warnings, extractive_answer
from server.coach.chunks import Chunk, exercise_cue_chunks, knowledge_chunks, lifter_chunks
from server.coach.history import history_texts
from server.coach.llm import CoachLLM, build_messages
from server.coach.retrieval import ChunkIndex
from server.profile.service import load_context

if TYPE_CHECKING:
    from server.settings import Settings

__all__ = ["Coach", "build_coach"]

_RETRIEVE = 5
_QUOTE = 3
# A chunk far below the best one is noise, not support: it is neither quoted nor cited.
_RELATIVE_FLOOR = 0.35


def _cite(chunks: list[Chunk]) -> list[Citation]:
    return [Citation(source=c.source, id=c.id, title=c.title) for c in chunks]


class Coach:
    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], *, llm: CoachLLM | None, index: ChunkIndex
    ) -> None:
        self._sessionmaker = sessionmaker
        self.llm = llm
        self.index = index

    async def ask(self, user_id: str, question: str) -> CoachOut:
        async with self._sessionmaker() as session:
            context = await load_context(session, user_id)
            history = await history_texts(session, user_id)
        hits = self.index.search(question, extra=lifter_chunks(context.facts, history), limit=_RETRIEVE)
        if hits:
            hits = [h for h in hits if h.score >= hits[0].score * _RELATIVE_FLOOR]
        chunks = [h.chunk for h in hits]
        warnings = constraint_warnings(context.facts["constraints"], chunks)
        tone = context.facts["preferences"]["coachingTone"]
        if self.llm is not None and chunks:
            reply = await self.llm.ask(build_messages(question, context.prose, chunks, warnings))
            async with self._sessionmaker() as session, session.begin():
                session.add_all(invocation_rows([reply.invocation], voice_command_id=None, user_id=user_id))
            if reply.answer is not None:
                cited = [c for c in chunks if c.ref in set(reply.citations)] or chunks[:_QUOTE]
                answer = reply.answer
                missed = [
                    w
                    for w in warnings
                    if not any(k in answer.lower() for k in ("caution", "careful", "injur"))
                ]
                if missed:  # the model skipped the warning: the lifter still gets it
                    answer = "\n".join([*missed, answer])
                return CoachOut(
                    answer=answer, citations=_cite(cited), llm=True, model=self.llm.model, warnings=warnings
                )
        quoted = chunks[:_QUOTE]
        return CoachOut(
            answer=extractive_answer(question, quoted, tone, warnings),
            citations=_cite(quoted),
            llm=False,
            warnings=warnings,
        )

    async def aclose(self) -> None:
        if self.llm is not None:
            await self.llm.aclose()


def build_coach(settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]) -> Coach:
    """The LLM is used when OPENAI_API_KEY or OPENAI_BASE_URL is set (a local endpoint may need no key)."""
    llm = None
    if settings.openai_api_key or settings.openai_base_url:
        llm = CoachLLM(
            api_key=settings.openai_api_key or "unused",
            model=settings.llm_model,
            base_url=settings.openai_base_url,
            # A coaching answer is paragraphs, not a set: the 1.5 s extraction budget is far too short.
            timeout_s=max(settings.llm_timeout_s, 30.0),
        )
    return Coach(sessionmaker, llm=llm, index=ChunkIndex(knowledge_chunks() + exercise_cue_chunks()))
