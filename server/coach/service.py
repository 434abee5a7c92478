"""The coach: retrieve over the shared cues and the lifter's own chunks, answer with an LLM when one is
configured (the AI context as system context), else with the retrieved cues; always cite what was used."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.coach import Citation, CoachOut
from models.db import new_id, utcnow
from models.db_coach import CoachConversation, CoachMessage
from server.backends.llm.base import Invocation
from server.backends.llm.record import invocation_rows
from server.coach.answer import constraint_warnings, extractive_answer
from server.coach.chunks import Chunk, exercise_cue_chunks, knowledge_chunks, lifter_chunks
from server.coach.conversations import earlier_turns, require_conversation
from server.coach.history import history_texts
from server.coach.llm import CoachLLM, build_messages
from server.coach.remote import RemoteCues
from server.coach.retrieval import ChunkIndex, fuse
from server.profile.context import ProfileContext
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
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        llm: CoachLLM | None,
        index: ChunkIndex,
        remote: RemoteCues | None = None,
    ) -> None:
        self._sessionmaker = sessionmaker
        self.llm = llm
        self.index = index
        self.remote = remote

    async def ask(self, user_id: str, question: str, conversation_id: str | None = None) -> CoachOut:
        started, asked_at = time.perf_counter(), utcnow()
        turns: list[dict[str, Any]] = []
        async with self._sessionmaker() as session:
            if conversation_id is not None:  # an unknown or foreign id answers 404 before any work
                await require_conversation(session, user_id, conversation_id)
                turns = await earlier_turns(session, conversation_id)
            context = await load_context(session, user_id)
            history = await history_texts(session, user_id)
        out, invocation = await self._answer(question, context, history, turns)
        async with self._sessionmaker() as session, session.begin():
            if conversation_id is None:
                conversation = CoachConversation(id=new_id(), user_id=user_id, created_at=asked_at)
                session.add(conversation)
                await session.flush()
                conversation_id = conversation.id
            invocation_id = None
            if invocation is not None:
                (row,) = invocation_rows([invocation], voice_command_id=None, user_id=user_id)
                row.id = invocation_id = new_id()
                session.add(row)
            answer = CoachMessage(
                id=new_id(),
                conversation_id=conversation_id,
                user_id=user_id,
                role="assistant",
                content=out.answer,
                citations=msgspec.to_builtins(out.citations),
                llm=out.llm,
                model=invocation.model if invocation is not None else None,
                prompt_tokens=invocation.prompt_tokens if invocation is not None else None,
                completion_tokens=invocation.completion_tokens if invocation is not None else None,
                latency_ms=round((time.perf_counter() - started) * 1000, 2),
                invocation_id=invocation_id,
                created_at=utcnow(),
            )
            asked = CoachMessage(
                id=new_id(),
                conversation_id=conversation_id,
                user_id=user_id,
                role="user",
                content=question,
                created_at=asked_at,
            )
            session.add_all([asked, answer])
        out.conversation_id, out.message_id = conversation_id, answer.id
        return out

    async def _answer(
        self, question: str, context: ProfileContext, history: dict[str, str], turns: list[dict[str, Any]]
    ) -> tuple[CoachOut, Invocation | None]:
        lifter = lifter_chunks(context.facts, history)
        hits = self.index.search(question, extra=lifter, limit=_RETRIEVE * 2 if self.remote else _RETRIEVE)
        retrieval = "embedded"
        if self.remote is not None:
            refs = await self.remote.search(question, limit=_RETRIEVE * 2)
            if refs is None:
                retrieval = f"embedded ({self.remote.name} unavailable)"
            else:
                hits, retrieval = fuse(hits, refs, self.index.by_ref, limit=_RETRIEVE), self.remote.name
        hits = hits[:_RETRIEVE]
        if hits:
            hits = [h for h in hits if h.score >= hits[0].score * _RELATIVE_FLOOR]
        chunks = [h.chunk for h in hits]
        warnings = constraint_warnings(context.facts["constraints"], chunks)
        tone = context.facts["preferences"]["coachingTone"]
        invocation = None
        if self.llm is not None and chunks:
            messages = build_messages(question, context.prose, chunks, warnings)
            messages[1:1] = turns  # earlier turns of the conversation sit between the rules and the question
            reply = await self.llm.ask(messages)
            invocation = reply.invocation
            if reply.answer is not None:
                cited = [c for c in chunks if c.ref in set(reply.citations)] or chunks[:_QUOTE]
                answer = reply.answer
                said = any(k in answer.lower() for k in ("caution", "careful", "injur"))
                if warnings and not said:  # the model skipped the warning: the lifter still gets it
                    answer = "\n".join([*warnings, answer])
                out = CoachOut(
                    answer=answer,
                    citations=_cite(cited),
                    llm=True,
                    model=self.llm.model,
                    warnings=warnings,
                    retrieval=retrieval,
                )
                return out, invocation
        quoted = chunks[:_QUOTE]
        out = CoachOut(
            answer=extractive_answer(question, quoted, tone, warnings),
            citations=_cite(quoted),
            llm=False,
            warnings=warnings,
            retrieval=retrieval,
        )
        return out, invocation

    async def aclose(self) -> None:
        if self.llm is not None:
            await self.llm.aclose()
        if self.remote is not None:
            await self.remote.aclose()


def build_coach(settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]) -> Coach:
    """The LLM is used when OPENAI_API_KEY or OPENAI_BASE_URL is set (a local endpoint may need no key);
    Upstash Search joins the embedded index when UPSTASH_SEARCH_REST_URL and _TOKEN are."""
    llm = None
    if settings.openai_api_key or settings.openai_base_url:
        llm = CoachLLM(
            api_key=settings.openai_api_key or "unused",
            model=settings.llm_model,
            base_url=settings.openai_base_url,
            # A coaching answer is paragraphs, not a set: the 1.5 s extraction budget is far too short.
            timeout_s=max(settings.llm_timeout_s, 30.0),
        )
    remote = None
    if settings.upstash_search_rest_url and settings.upstash_search_rest_token:
        remote = RemoteCues(
            settings.upstash_search_rest_url,
            settings.upstash_search_rest_token,
            # A question is not the hot path of a set, but the lifter is still waiting.
            timeout_s=max(settings.search_timeout_s, 1.0),
            semantic_weight=settings.search_semantic_weight,
        )
    index = ChunkIndex(knowledge_chunks() + exercise_cue_chunks())
    return Coach(sessionmaker, llm=llm, index=index, remote=remote)
