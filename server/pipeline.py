"""One utterance, typed or spoken: context → understand → decide → persist (one transaction) → outcome.

REST `utterances`, the audio upload and the websocket all come through `Pipeline.handle_text`.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

import msgspec
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.api import LoggedSet
from models.db import VoiceCommand, Workout, WorkoutSet, new_id, utcnow
from models.parsed import ParsedSet, ParseTrace
from server import heard
from server.decide import FIELD_OF, Action, Decision, amends_last_set, decide
from server.errors import BadInput, ClientIdConflict, NotFound, shown_id
from server.learning import store as own_aliases
from server.store import voice
from server.store.sets import apply_changes, require_set
from server.store.workouts import logged_set, logged_sets, require_workout
from server.stt.base import Hypothesis
from server.training import hooks as records
from server.training.store import pr_out, records_of_sets

if TYPE_CHECKING:
    from server.understand import Understander, Understanding

__all__ = ["Action", "Pipeline", "SttInfo", "UtteranceOutcome"]

_TARGETING = ("corrected", "undone")  # the actions that act on the last logged utterance


class SttInfo(msgspec.Struct, kw_only=True):
    """What speech-to-text contributed, kept on the voice command."""

    transcript: str
    duration_s: float | None = None
    stt_ms: float | None = None
    model: str | None = None
    audio_path: str | None = None
    hypotheses: list[Hypothesis] = msgspec.field(default_factory=list)
    """the decoder's n-best readings and the grammar's rescoring of them (the chosen one is `transcript`)"""
    focused_prompt: str | None = None
    """the prompt of the second, focused listen, when the first reading was unsure"""
    doubt: str | None = None
    """why the ear doubts its reading (`server.stt.reading`): such a set is asked about, not logged"""
    second_text: str | None = None
    """what a second speech model heard, when one was asked"""


def _trace_record(trace: ParseTrace, stt: SttInfo | None) -> dict[str, Any]:
    record: dict[str, Any] = msgspec.to_builtins(trace)
    if stt is not None and stt.hypotheses:
        record["stt_hypotheses"] = msgspec.to_builtins(stt.hypotheses)
    if stt is not None and stt.focused_prompt:
        record["stt_focused_prompt"] = stt.focused_prompt
    if stt is not None and stt.doubt:
        record["stt_doubt"] = stt.doubt
    if stt is not None and stt.second_text:
        record["stt_second_text"] = stt.second_text
    return record


class UtteranceOutcome(msgspec.Struct, kw_only=True):
    voice_command_id: str
    parsed: ParsedSet
    sets: list[LoggedSet]
    timing_ms: dict[str, float]
    clarify_question: str | None = None
    action: Action = "logged"
    undone: list[LoggedSet] = msgspec.field(default_factory=list)
    replayed: bool = False
    """True when a retried client_id answered the first result."""
    prs: list[Any] = msgspec.field(default_factory=list)
    """The personal records the utterance's sets made (`models.training.PrOut`)."""


class Pipeline:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        understander: Understander,
        *,
        confidence_threshold: float,
        assistant: Any | None = None,
    ) -> None:
        """`assistant` (server.coach.voice.VoiceAssistant) takes what would be a clarify question when the
        words are a profile update or a question for the coach."""
        self._sessions = sessionmaker
        self._understander = understander
        self.threshold = confidence_threshold
        self.assistant = assistant
        self.announce: Callable[[str, UtteranceOutcome, str | None], Awaitable[None]] | None = None
        """Set by the services (server.fanout): tells every socket open on the workout what changed."""
        self.announce_set: Callable[[str, LoggedSet, str | None], Awaitable[None]] | None = None
        bind = sessionmaker.kw.get("bind")
        # SQLite has one writer at a time and its busy handler waits by sleeping: queueing this process's
        # writers on a lock instead keeps throughput up under concurrency (other processes still rely on
        # busy_timeout).
        self._write_lock = asyncio.Lock() if bind is not None and bind.dialect.name == "sqlite" else None

    def _writing(self) -> contextlib.AbstractAsyncContextManager[object]:
        return self._write_lock if self._write_lock is not None else contextlib.nullcontext()

    async def handle_text(
        self,
        user_id: str,
        workout_id: str,
        text: str,
        unit: str | None = None,
        client_id: str | None = None,
        source: str = "text",
        stt: SttInfo | None = None,
        origin: str | None = None,
        amends: bool = False,
    ) -> UtteranceOutcome:
        """`origin`: the websocket connection that answers this utterance itself (its fan-out skips it).
        `amends`: the utterance is the rest of the one that logged the workout's last set
        (server.stream.breath): what it adds to that set, naming no exercise or set count, corrects it."""
        outcome = await self._handle(user_id, workout_id, text, unit, client_id, source, stt, amends)
        await self._announce(workout_id, outcome, origin)
        return outcome

    async def _announce(self, workout_id: str, outcome: UtteranceOutcome, origin: str | None) -> None:
        if self.announce is not None:
            await self.announce(workout_id, outcome, origin)

    async def _handle(
        self,
        user_id: str,
        workout_id: str,
        text: str,
        unit: str | None,
        client_id: str | None,
        source: str,
        stt: SttInfo | None,
        amends: bool = False,
    ) -> UtteranceOutcome:
        started = time.perf_counter()
        text = _clean(text)
        async with self._sessions() as session:
            owner_unit = await voice.workout_unit(session, user_id, workout_id)
            if owner_unit is None:
                raise NotFound(f"no workout {shown_id(workout_id)}")
            if client_id is not None:
                earlier = await voice.by_client_id(session, user_id, client_id)
                if earlier is not None:
                    return await self._replay(session, earlier, workout_id)
            unit = unit or owner_unit
            last = await voice.last_logged_command(session, workout_id)
            previous = voice.final_output(last) if last is not None else None
            # a question the ear's doubt asked, which this utterance may settle (server/heard.py)
            asked = await heard.doubted_command(session, workout_id) if stt or heard.affirms(text) else None
            confirmed = asked is not None and heard.affirms(text)
            if confirmed and asked is not None:
                text = asked.raw_transcript  # "yes": the reading asked about, as it was heard
            recent = await voice.recent_exercise_ids(session, user_id)
            own, own_names = await own_aliases.reader_phrases(session, user_id)

        t_understand = time.perf_counter()
        understanding = await self._understander.understand(
            text,
            unit=unit,  # type: ignore[arg-type]
            previous=previous,
            recent=recent,
            user_id=user_id,
            own=own,
            own_names=own_names,
            spoken=stt is not None,
        )
        understand_ms = (time.perf_counter() - t_understand) * 1000
        parsed = understanding.result.parsed
        if amends and last is not None and amends_last_set(understanding.result):
            parsed.intent = "correction"
            understanding.result.trace.notes.append(
                "same breath: the rest of the utterance that logged the last set, so it amends that set"
            )
        decision = decide(understanding, last, previous, self.threshold)
        if confirmed:
            understanding.result.trace.notes.append("confirmed: yes to the reading the ear was unsure of")
        elif stt is not None and stt.doubt and decision.action in ("logged", "corrected"):
            # The words read as a sure set, but the ear was not sure of the words (server.stt.reading):
            # ask, unless the lifter just said the same set and was asked about it (heard twice alike).
            before = voice.final_output(asked) if asked is not None else None
            if decision.action == "logged" and heard.same_set(before, parsed):
                stt = msgspec.structs.replace(stt, doubt=f"{stt.doubt}; settled: the same set was just heard")
            else:
                decision = Decision(action="clarify", question=heard.heard_question(text))
        if self.assistant is not None:  # "create exercise ...": a command, whatever the reader made of it
            made = await self.assistant.command(user_id, text)
            if made is not None:
                decision = Decision(action=made.action, question=made.text)
        if decision.action == "clarify" and self.assistant is not None:
            reply = await self.assistant.handle(user_id, text, default_unit=owner_unit)
            if reply is not None:  # the reply rides in clarify_question: what the server said back
                decision = Decision(action=reply.action, question=reply.text)

        t_persist = time.perf_counter()
        try:
            outcome = await self._persist(
                user_id, workout_id, text, client_id, source, stt, understanding, decision, last, unit
            )
        except IntegrityError:
            if client_id is None:
                raise
            # A concurrent retry with the same client_id won the race: answer its result.
            async with self._sessions() as session:
                earlier = await voice.by_client_id(session, user_id, client_id)
                if earlier is None:
                    raise
                return await self._replay(session, earlier, workout_id)
        persist_ms = (time.perf_counter() - t_persist) * 1000

        match_ms = float(understanding.result.trace.stages_ms.get("match", 0.0))
        outcome.timing_ms = {
            "parse": round(max(understand_ms - match_ms, 0.0), 3),
            "match": round(match_ms, 3),
            "persist": round(persist_ms, 3),
            "total": round((time.perf_counter() - started) * 1000, 3),
        }
        if stt is not None and stt.stt_ms is not None:
            outcome.timing_ms["stt"] = round(stt.stt_ms, 3)
        outcome.parsed = parsed
        return outcome

    # -- deciding ---------------------------------------------------------------------------------

    # -- persisting -------------------------------------------------------------------------------

    async def _persist(
        self,
        user_id: str,
        workout_id: str,
        text: str,
        client_id: str | None,
        source: str,
        stt: SttInfo | None,
        understanding: Understanding,
        decision: Decision,
        last: VoiceCommand | None,
        unit: str,
    ) -> UtteranceOutcome:
        parsed = understanding.result.parsed
        trace = understanding.result.trace
        command_id = new_id()
        sets: list[WorkoutSet] = []
        undone: list[LoggedSet] = []
        prs: list[Any] = []
        async with self._writing(), self._sessions() as session, session.begin():
            # One writer per workout at a time (PostgreSQL row lock; SQLite already has one writer):
            # concurrent utterances on a workout still get consecutive, distinct set numbers.
            await session.execute(select(Workout.id).where(Workout.id == workout_id).with_for_update())
            command = VoiceCommand(
                id=command_id,
                user_id=user_id,
                workout_id=workout_id,
                client_id=client_id,
                source=source,
                raw_transcript=stt.transcript if stt is not None else text,
                normalized_text=trace.normalized,
                intent=parsed.intent,
                action=decision.action,
                parsed=_storable(msgspec.to_builtins(parsed)),
                confidence=parsed.confidence,
                model_used=understanding.model_used,
                understand_path=list(understanding.path),
                candidates=_storable(msgspec.to_builtins(trace.candidates)),
                latency_ms=_storable(dict(trace.stages_ms)),
                trace=_storable(_trace_record(trace, stt)),
                clarify_question=decision.question,
                stt_model=stt.model if stt else None,
                audio_duration_s=stt.duration_s if stt else None,
                stt_ms=stt.stt_ms if stt else None,
                audio_path=stt.audio_path if stt else None,
                target_command_id=last.id if last is not None and decision.action in _TARGETING else None,
                created_at=utcnow(),
            )
            session.add(command)
            invocations = getattr(understanding, "invocations", None)
            if invocations:
                from server.backends.llm.record import invocation_rows

                session.add_all(invocation_rows(invocations, voice_command_id=command_id, user_id=user_id))
            if decision.action == "logged":
                sets = await self._log_sets(session, user_id, workout_id, command, parsed, client_id)
                command.result_set_ids = [r.id for r in sets]
                prs = await records.records_of_new_sets(session, user_id, sets)
                # The exercise's name is already known: no lookup on the hot path.
                out_sets = _logged(sets, parsed)
            else:
                await session.flush()
                if decision.action == "corrected" and last is not None:
                    sets = await voice.sets_of(session, last.id)
                    before = records.touched(sets)
                    await apply_changes(
                        session,
                        user_id=user_id,
                        rows=sets,
                        changes=decision.changes,
                        source="voice",
                        default_unit=unit,
                        voice_command_id=command_id,
                    )
                    command.result_set_ids = [r.id for r in sets]
                    prs = await records.records_after_change(session, user_id, before, sets)
                elif decision.action == "undone" and last is not None:
                    removed = await voice.sets_of(session, last.id)
                    undone = await logged_sets(session, removed)
                    before = records.touched(removed)
                    for row in removed:
                        await session.delete(row)
                    await session.flush()
                    await records.records_after_change(session, user_id, before)
                    command.result_set_ids = [r.id for r in removed]
                    last_row = await session.get(VoiceCommand, last.id)
                    if last_row is not None:
                        last_row.action = "undone"
                await session.flush()
                out_sets = await logged_sets(session, sets)
        return UtteranceOutcome(
            voice_command_id=command_id,
            parsed=parsed,
            sets=out_sets,
            timing_ms={},
            clarify_question=decision.question,
            action=decision.action,
            undone=undone,
            prs=prs,
        )

    async def _log_sets(
        self,
        session: AsyncSession,
        user_id: str,
        workout_id: str,
        command: VoiceCommand,
        parsed: ParsedSet,
        client_id: str | None,
    ) -> list[WorkoutSet]:
        assert parsed.exercise is not None
        highest = (
            await session.execute(
                select(func.max(WorkoutSet.set_number)).where(
                    WorkoutSet.workout_id == workout_id, WorkoutSet.exercise_id == parsed.exercise.id
                )
            )
        ).scalar_one_or_none() or 0
        now = utcnow()
        rows = [
            WorkoutSet(
                id=new_id(),
                workout_id=workout_id,
                user_id=user_id,
                exercise_id=parsed.exercise.id,
                set_number=highest + i + 1,
                reps=parsed.reps,
                weight=parsed.weight,
                unit=parsed.unit if parsed.weight is not None else None,
                rpe=parsed.rpe,
                duration_s=parsed.duration_s,
                voice_command_id=command.id,
                client_id=client_id,
                created_at=now,
            )
            for i in range(max(1, parsed.sets))
        ]
        session.add_all(rows)
        return rows

    async def replay(
        self, user_id: str, workout_id: str, client_id: str, *, origin: str | None = None
    ) -> UtteranceOutcome | None:
        """The first result of a retried `client_id`, or None when it is new. Callers ask before spending
        anything on the utterance (rate limits, speech-to-text): a retry never counts. A replay is announced
        again: the instance that logged it may have died between its commit and its announcement."""
        async with self._sessions() as session:
            earlier = await voice.by_client_id(session, user_id, client_id)
            outcome = await self._replay(session, earlier, workout_id) if earlier is not None else None
        if outcome is not None:
            await self._announce(workout_id, outcome, origin)
        return outcome

    async def adopt_client_id(self, user_id: str, voice_command_id: str, client_id: str) -> bool:
        """A client_id that came after its utterance was handled (push-to-talk released after the voice
        detector had ended and answered it): it names that voice command from now on, so a retry finds
        the first result. False when the command already has one, or the client_id names another."""
        try:
            async with self._sessions() as session, session.begin():
                result = await session.execute(
                    update(VoiceCommand)
                    .where(
                        VoiceCommand.id == voice_command_id,
                        VoiceCommand.user_id == user_id,
                        VoiceCommand.client_id.is_(None),
                    )
                    .values(client_id=client_id)
                )
        except IntegrityError:
            return False
        return bool(getattr(result, "rowcount", 0))

    async def _replay(
        self, session: AsyncSession, command: VoiceCommand, workout_id: str
    ) -> UtteranceOutcome:
        if command.workout_id != workout_id:
            # Answering the other workout's set would tell the client it was logged here; it was not.
            raise ClientIdConflict(
                f"client_id {command.client_id} was already used in workout {command.workout_id}; "
                "a new utterance needs a new client_id"
            )
        ids = list(command.result_set_ids or [])
        # Sets removed since (undo, DELETE) are simply no longer there to answer.
        found: list[WorkoutSet] = []
        if ids:
            found = list((await session.execute(select(WorkoutSet).where(WorkoutSet.id.in_(ids)))).scalars())
        by_id = {r.id: r for r in found}
        rows = [by_id[i] for i in ids if i in by_id]
        held = await records_of_sets(session, [r.id for r in rows])
        return UtteranceOutcome(
            voice_command_id=command.id,
            parsed=msgspec.convert(command.parsed, ParsedSet),
            sets=await logged_sets(session, rows),
            timing_ms={},
            clarify_question=command.clarify_question,
            action=_replayed_action(command),
            replayed=True,
            prs=[pr_out(p.exercise_id, p) for p in held],
        )

    # -- sets changed directly (PATCH, websocket `correct`, DELETE) ----------------------------------

    async def correct_set(
        self,
        user_id: str,
        set_id: str,
        changes: Mapping[str, Any],
        *,
        source: str = "api",
        origin: str | None = None,
    ) -> LoggedSet:
        unknown = set(changes) - set(FIELD_OF.values())
        if unknown:
            raise BadInput(f"unknown field(s): {', '.join(sorted(unknown))}", code="unknown_field")
        if not changes:
            raise BadInput(
                "nothing to change: send any of exercise_id, reps, weight, unit, rpe, duration_s",
                code="empty_correction",
            )
        async with self._writing(), self._sessions() as session, session.begin():
            row = await require_set(session, user_id, set_id)
            unit = await voice.user_default_unit(session, user_id)
            before = records.touched([row])
            changed = await apply_changes(
                session, user_id=user_id, rows=[row], changes=changes, source=source, default_unit=unit
            )
            if changed:
                await records.records_after_change(session, user_id, before, [row])
            (out,) = await logged_sets(session, [row])
        if self.announce_set is not None:
            await self.announce_set(out.workout_id, out, origin)
        return out

    async def delete_set(self, user_id: str, set_id: str) -> None:
        async with self._writing(), self._sessions() as session, session.begin():
            row = await require_set(session, user_id, set_id)
            before = records.touched([row])
            await session.delete(row)
            await session.flush()
            await records.records_after_change(session, user_id, before)

    async def delete_workout(self, user_id: str, workout_id: str) -> None:
        """The workout and its sets, in one transaction; each set's deletion is journaled (and its records
        replayed) as `DELETE /v1/sets/{id}` does, and the workout leaves a tombstone sync devices pull."""
        async with self._writing(), self._sessions() as session, session.begin():
            workout = await require_workout(session, user_id, workout_id)
            rows = list(
                (
                    await session.execute(select(WorkoutSet).where(WorkoutSet.workout_id == workout.id))
                ).scalars()
            )
            before = records.touched(rows)
            for row in rows:
                await session.delete(row)
            await session.flush()
            await session.delete(workout)
            await session.flush()
            await records.records_after_change(session, user_id, before)


def _clean(text: str) -> str:
    """Text any database can store: no NUL, no lone surrogates (speech-to-text and sockets pass anything)."""
    return text.replace("\x00", " ").encode("utf-8", "replace").decode("utf-8")


def _storable(value: Any) -> Any:
    """JSON any database stores: infinities and NaN (a reading of 400 nines) become null; PostgreSQL's
    json type refuses the `Infinity` token outright."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _storable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_storable(v) for v in value]
    return value


def _logged(rows: list[WorkoutSet], parsed: ParsedSet) -> list[LoggedSet]:
    assert parsed.exercise is not None
    return [logged_set(r, parsed.exercise) for r in rows]


def _replayed_action(command: VoiceCommand) -> Action:
    # A logged utterance later undone by "scratch that" still answers what it did at the time.
    action = command.action
    return "logged" if action == "undone" and command.target_command_id is None else action  # type: ignore[return-value]
