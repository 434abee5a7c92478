"""One websocket connection: messages in, events out; owns its tasks and its audio state.

The handler feeds `on_text` / `on_binary` and awaits `drain()` at the end. Speech flows
listener → (speculative) transcription → ordered finisher → pipeline → `transcript` + `logged`.
Finals for one connection are handled strictly in order (context carries between sets), while
transcription of the next utterance may already run. What the session holds between messages (its
settings, the utterance being spoken, the ended ones waiting) is in `server.stream.state`; what it
sends back for an outcome in `server.stream.answers`; the speech-reading stage is `server.stt.reading`.

Endpointing modes: `silence` waits out the silence timeout, then transcribes. `semantic` starts the
final transcription as soon as a pause begins (speculatively) and ends the utterance when that
transcript already reads as a complete set; otherwise the silence timeout ends it with the
transcript already in hand. Speech resuming discards the speculation.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec
import numpy as np

from models.parsed import ParsedSet
from models.protocol import (
    CLIENT_DECODER,
    Correct,
    Corrected,
    EndUtterance,
    ErrorEvent,
    Partial,
    ServerEvent,
    Start,
    Stop,
    Text,
    Transcript,
)
from server.audio.endpoint import EndpointEvent, State
from server.audio.pcm import SAMPLE_RATE, AudioFormatError
from server.audio.vad import WINDOW
from server.audio.wav import write_wav
from server.decoding import decode_json
from server.errors import BadInput, DomainError
from server.ratelimit import enforce
from server.session_store import SessionContext, SessionStore
from server.stream.answers import outcome_event, stt_info
from server.stream.breath import SameBreath
from server.stream.listener import Listener
from server.stream.semantic import completeness, ends_dangling
from server.stream.state import Job, Mode, StreamConfig, Utterance, decode_error_code
from server.stt.base import SttBusy, SttSkipped, Transcriber, Transcription
from server.stt.reading import SpeechReader

if TYPE_CHECKING:
    from server.pipeline import UtteranceOutcome

__all__ = ["StreamConfig", "StreamSession"]

log = logging.getLogger("voicelog.stream")

_TAIL_WINDOWS = 8  # 256 ms of audio kept after the last speech window
_WINDOW_S = WINDOW / SAMPLE_RATE
_HEARD_NOTHING_S = 1.0  # a voice-detected utterance this long with no words answers `no_speech`
_FRAME_CODES = ("malformed_json", "empty_body", "too_deep")
_CLOSE_GRACE_S = 30.0  # how long a closed socket's ended utterances may take to be saved


class StreamSession:
    def __init__(
        self,
        *,
        services: Any,
        user_id: str,
        workout_id: str,
        default_unit: str,
        send: Callable[[ServerEvent], Awaitable[None]],
        transcriber: Transcriber | None,
        prompt: str | None = None,
        config: StreamConfig | None = None,
        context: SessionContext | None = None,
        store: SessionStore | None = None,
        origin: str | None = None,
    ) -> None:
        self.services = services
        # this connection's id: the fan-out of what it logs skips it (it was answered directly)
        self.origin = origin
        # The resumable part of this session (unit, last set), kept in the shared KV so a client
        # that reconnects to another instance with its session_id goes on where it left off.
        self.context = context
        self.store = store
        self.user_id = user_id
        self.workout_id = workout_id
        self.unit = default_unit
        self.send = send
        self.transcriber = transcriber
        self.prompt = prompt
        self.config = config or StreamConfig()
        # speech resuming before the silence timeout would have ended the turn is that turn's rest
        self._breath = SameBreath(self.config.endpoint.silence_ms / 1000)
        self.mode: Mode = self.config.mode
        self.listener: Listener | None = None
        self.stopping = False
        self._utt: Utterance | None = None
        self._vad_ended = False  # the last utterance was ended by the server, not by end_utterance
        self._vad_job: Job | None = None  # that utterance, while a late end_utterance may still name it
        self._jobs: asyncio.Queue[Job | None] = asyncio.Queue()
        self._previous: ParsedSet | None = context.last if context is not None else None
        self.reader = (
            SpeechReader(
                transcriber,
                services.parser,
                relisten=self.config.relisten,
                repair=self.config.repair,
                unsure_below=self.config.unsure_below,
                second=getattr(services, "second_transcriber", None),
                second_ear=self.config.second_ear,
            )
            if transcriber is not None
            else None
        )
        self._tasks: set[asyncio.Task[Any]] = set()
        self._finisher = asyncio.create_task(self._finish_loop())

    # -- messages in ---------------------------------------------------------------------------------

    async def on_text(self, data: str | bytes) -> None:
        if self.stopping:  # only while the instance drains: what comes now is not answered here
            await self._error("shutting_down", "this server is shutting down: reconnect and send it again")
            return
        try:
            message = decode_json(CLIENT_DECODER, data)
        except BadInput as exc:
            # the shared decode path says malformed, empty or too deep; a well-formed message of no
            # known shape is told apart here
            code = exc.code if exc.code in _FRAME_CODES else decode_error_code(data)
            await self._error(code, f"bad message: {exc.message}")
            return
        match message:
            case Start():
                await self._start(message)
            case EndUtterance(client_id=client_id):
                await self._end_utterance(str(client_id) if client_id else None)
            case Text(text=text, client_id=client_id):
                await self._typed(text, str(client_id) if client_id else None)
            case Correct(set_id=set_id, fields=fields):
                await self._correct(set_id, fields)
            case Stop():
                await self.stop()

    async def on_binary(self, data: bytes) -> None:
        if self.stopping:
            return  # draining: the utterance in progress was already ended; later audio is not heard
        if self.listener is None:
            await self._error("not_started", 'send {"type": "start", ...} before audio')
            return
        if self.transcriber is None:
            await self._error("stt_unavailable", "speech-to-text is not configured on this server")
            return
        now = time.perf_counter()
        try:
            events = self.listener.feed(data, now)
        except AudioFormatError as exc:
            await self._error(exc.code, exc.message)
            return
        for event in events:
            await self._on_endpoint(event, now)
        if self._utt is not None and self.mode == "semantic":
            self._maybe_speculate()
            self._maybe_end_unsure()
        if self._utt is not None:
            self._maybe_partial(now)

    def heard_elsewhere(self, frame: bytes) -> None:
        """A set another client logged on this workout (fan-out): it is now what "same again" means, also
        for this session's reading of its own speech (n-best rescoring, semantic endpointing)."""
        event = msgspec.json.decode(frame)
        if isinstance(event, dict) and event.get("type") == "logged" and event.get("action") == "logged":
            self._previous = msgspec.convert(event["parsed"], ParsedSet)

    async def stop(self) -> None:
        """Finish pending work (an utterance in progress ends as if push-to-talk were released)."""
        if self.stopping:
            return
        self.stopping = True
        if self._utt is not None:
            self._finalize(time.perf_counter(), push_to_talk=True, ended_by="push_to_talk")
        await self._jobs.put(None)

    async def drain(self) -> None:
        """Wait for the finisher to answer everything queued (after `stop`)."""
        with contextlib.suppress(asyncio.CancelledError):
            await self._finisher

    async def close(self, *, grace_s: float = _CLOSE_GRACE_S) -> None:
        """The socket is gone. Utterances already ended are the session's work, not the socket's: they
        are finished and saved (their events go nowhere) within `grace_s`; cancelling them mid-save left
        a database connection to be reset under a cancelled task. Speech still in progress, which nobody
        ended, is dropped; then everything this session started is cancelled."""
        if not self.stopping:
            self.stopping = True
            if self._utt is not None:
                self._abandon()
            self._jobs.put_nowait(None)
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await asyncio.wait_for(asyncio.shield(self._finisher), grace_s)
        self._finisher.cancel()
        for task in list(self._tasks):
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self._finisher

    # -- control messages ----------------------------------------------------------------------------

    async def _start(self, message: Start) -> None:
        if self.listener is not None:
            await self._error("already_started", "the stream has already started")
            return
        try:
            self.listener = Listener(message.sample_rate, self.config.endpoint)
        except AudioFormatError as exc:
            await self._error(exc.code, exc.message)
            return
        if message.unit is not None:
            self.unit = message.unit
            await self._save_context(unit=message.unit, sample_rate=message.sample_rate)
        if message.endpointing is not None:
            self.mode = message.endpointing

    async def _end_utterance(self, client_id: str | None = None) -> None:
        if self._utt is None:
            if self._vad_ended:
                # The VAD ended this utterance before the button was released: the release is late,
                # not wrong, and its utterance is already answered. Its client_id still counts while the
                # utterance has not reached the pipeline: a retry after a crash then finds the first result.
                self._vad_ended = False
                job, self._vad_job = self._vad_job, None
                if client_id and job is not None and job.client_id is None:
                    if not job.sealed:
                        job.client_id = client_id
                    elif job.voice_command_id is not None:  # already handled: it names that command now
                        await self._adopt(job.voice_command_id, client_id)
                    else:  # in the pipeline now: adopted as soon as it is handled
                        job.late_client_id = client_id
                return
            await self._error("no_speech", "no speech was heard before end_utterance")
            return
        self._finalize(time.perf_counter(), push_to_talk=True, client_id=client_id, ended_by="push_to_talk")

    async def _typed(self, text: str, client_id: str | None = None) -> None:
        if not text.strip():
            await self._error("empty_text", "text is empty")
            return
        if len(text) > self.config.max_text_chars:
            await self._error("text_too_long", f"text is longer than {self.config.max_text_chars} characters")
            return
        await self._jobs.put(
            Job(
                utterance_id=uuid.uuid4().hex[:12],
                kind="text",
                ended_at=time.perf_counter(),
                text=text,
                client_id=client_id,
            )
        )

    async def _correct(self, set_id: str, fields: dict[str, Any]) -> None:
        from models.api import SetPatch

        try:
            patch = msgspec.convert(fields, SetPatch)
            logged = await self.services.pipeline.correct_set(
                self.user_id, set_id, patch.changes(), source="voice", origin=self.origin
            )
        except msgspec.ValidationError as exc:
            await self._error("invalid_input", f"bad correction: {exc}")
            return
        except DomainError as exc:
            await self._error(exc.code, exc.message)
            return
        await self.send(Corrected(set=logged))

    # -- endpointing ---------------------------------------------------------------------------------

    async def _on_endpoint(self, event: EndpointEvent, now: float) -> None:
        assert self.listener is not None
        ep = self.listener.endpointer
        match event:
            case EndpointEvent.STARTED:
                self._utt = Utterance()
                self._utt.continues = self._breath.started(now - ep.config.start_windows * _WINDOW_S)
            case EndpointEvent.RESUMED:
                self._drop_speculation()
            case EndpointEvent.ENDED | EndpointEvent.TOO_LONG if self._utt is not None:
                if ep.speech_ms < ep.config.min_speech_ms:
                    self._abandon()  # a click or a cough: never transcribed
                else:
                    if event is EndpointEvent.ENDED:
                        self._finalize(self.listener.speech_end_at, ended_by="silence")
                    else:
                        self._finalize(now, ended_by="too_long")
            case _:
                pass

    def _maybe_speculate(self) -> None:
        assert self.listener is not None and self._utt is not None
        ep, utt = self.listener.endpointer, self._utt
        if ep.state is not State.STOPPING or utt.spec is not None:
            return
        if ep.silence_ms < self.config.speculate_after_ms:
            return
        if ep.speech_ms < ep.config.min_speech_ms:
            return
        if getattr(self.transcriber, "saturated", False):
            return  # finals are queued: a speculation now would only delay them (and this one)
        utt.spec_end = ep.speech_end
        audio = self._speech_audio()
        utt.spec_audio = audio
        utt.spec = self._spawn(self._transcribe(audio, final=True))
        if self.reader is not None:  # started with the speculation: ready when the meaning ends the turn
            utt.spec_second = self.reader.listen_second(audio, lambda: self.prompt)
        self._spawn(self._check_semantic(utt, utt.spec, ep.speech_end))

    async def _check_semantic(self, utt: Utterance, spec: asyncio.Task[Transcription], end: int) -> None:
        try:
            result = await asyncio.shield(spec)
        except (asyncio.CancelledError, Exception):
            return
        listener = self.listener
        if listener is None or self._utt is not utt or utt.spec is not spec:
            return
        ep = listener.endpointer
        if ep.state is not State.STOPPING or ep.speech_end != end:
            return
        try:
            result = self._best_reading(result)
            utt.spec_dangling = ends_dangling(result.text)
            sure = completeness(self.services.parser, result.text, unit=self.unit, previous=self._previous)
        except Exception:  # the grammar must never take the stream down
            log.exception("semantic endpointing check failed")
            return
        if sure >= self.config.semantic_sure:
            self._finalize(listener.speech_end_at, ended_by="meaning")
            return
        # The second listen an unsure reading may get waits for the end of the utterance: started here,
        # in the pause, it delayed other finals whenever speech resumed (a decode once running cannot be
        # taken back). Dev audio, semantic p50: 126 ms with it at the end, 261 ms with it started here.
        if sure > 0:
            utt.spec_unsure = True
            self._maybe_end_unsure()

    def _maybe_end_unsure(self) -> None:
        """End on a complete but unsure speculation once the pause has lasted long enough."""
        utt, listener = self._utt, self.listener
        if utt is None or listener is None or not utt.spec_unsure:
            return
        ep = listener.endpointer
        if (
            ep.state is State.STOPPING
            and ep.speech_end == utt.spec_end
            and ep.silence_ms >= self.config.unsure_silence_ms
        ):
            self._finalize(listener.speech_end_at, ended_by="meaning")

    def _drop_speculation(self) -> None:
        utt = self._utt
        if utt is not None and utt.spec is not None:
            utt.spec.cancel()
            if utt.spec_second is not None:
                utt.spec_second.cancel()
            utt.spec = None
            utt.spec_second = None
            utt.spec_audio = None
            utt.spec_end = None
            utt.spec_dangling = False
            utt.spec_unsure = False

    def _abandon(self) -> None:
        self._drop_speculation()
        self._utt = None
        if self.listener is not None:
            self.listener.take()

    def _finalize(
        self,
        ended_at: float,
        *,
        push_to_talk: bool = False,
        client_id: str | None = None,
        ended_by: str | None = None,
    ) -> None:
        """End the current utterance now: reuse a still-valid speculation, else transcribe."""
        assert self.listener is not None and self._utt is not None
        utt, ep = self._utt, self.listener.endpointer
        if (
            utt.spec is not None
            and utt.spec_end == ep.speech_end
            and ep.state is State.STOPPING
            and not utt.spec_dangling
        ):
            stt, speech, second = utt.spec, utt.spec_audio, utt.spec_second
        else:
            self._drop_speculation()
            speech = self._speech_audio()
            stt = self._spawn(self._transcribe(speech, final=True))
            second = self.reader.listen_second(speech, lambda: self.prompt) if self.reader else None
        keep = bool(getattr(self.services.settings, "keep_audio", False))
        audio = self._speech_audio() if keep else None
        self._vad_ended = not push_to_talk
        self._utt = None
        self.listener.take()
        job = Job(
            utterance_id=utt.id,
            kind="speech",
            ended_at=ended_at,
            stt=stt,
            second=second,
            audio=audio,
            speech=speech,
            push_to_talk=push_to_talk,
            client_id=client_id,
            ended_by=ended_by,
            continues=utt.continues,
        )
        self._breath.ended(utt.id, ended_by, ended_at)
        self._vad_job = None if push_to_talk else job
        self._jobs.put_nowait(job)

    def _speech_audio(self) -> np.ndarray:
        """The utterance up to its last speech plus a short tail; the silence that ended it adds
        nothing for the recognizer but time."""
        assert self.listener is not None
        ep = self.listener.endpointer
        if ep.state is State.STOPPING:
            return self.listener.utterance_audio(end_window=ep.speech_end + _TAIL_WINDOWS)
        return self.listener.utterance_audio()

    def _maybe_partial(self, now: float) -> None:
        assert self.listener is not None and self._utt is not None
        utt, ep = self._utt, self.listener.endpointer
        if ep.state is not State.SPEAKING or now - utt.partial_at < self.config.partial_interval_s:
            return
        # speech heard, not the pre-roll: counting the pre-roll's ~0.8 s fired a first partial on
        # little more than silence, and under load those partials delayed everyone's finals
        samples = ep.speech_windows * 512
        if samples - utt.partial_samples < self.config.partial_min_new_s * SAMPLE_RATE:
            return
        utt.partial_at, utt.partial_samples = now, samples
        self._spawn(self._partial(utt, self.listener.utterance_audio()))

    async def _partial(self, utt: Utterance, audio: np.ndarray) -> None:
        try:
            result = await self._transcribe(audio, final=False)
        except (SttSkipped, SttBusy):
            return
        if self._utt is utt and result.text:
            await self.send(Partial(utterance_id=utt.id, text=result.text))

    async def _transcribe(self, audio: np.ndarray, *, final: bool) -> Transcription:
        assert self.transcriber is not None
        return await self.transcriber.transcribe(audio, prompt=self.prompt, final=final)

    def _spawn(self, coro: Awaitable[Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # -- the ordered finisher ------------------------------------------------------------------------

    async def _finish_loop(self) -> None:
        while (job := await self._jobs.get()) is not None:
            try:
                await self._finish(job)
            except asyncio.CancelledError:
                raise
            except DomainError as exc:
                await self._error(exc.code, exc.message, job.utterance_id)
            except Exception:
                log.exception("utterance %s failed", job.utterance_id)
                await self._error("internal_error", "the utterance could not be handled", job.utterance_id)

    async def _finish(self, job: Job) -> None:
        stt = None
        stt_ms = 0.0
        text = job.text
        if job.client_id is not None:
            first = await self.services.pipeline.replay(
                self.user_id, self.workout_id, job.client_id, origin=self.origin
            )
            if first is not None:  # a retry over a reconnect: the first result, no speech work, no limit
                for task in (job.stt, job.second):
                    if task is not None:
                        task.cancel()
                await self._answer(job, first, 0.0)
                return
        if job.kind == "speech":
            try:
                result: Transcription = await job.stt
            except SttBusy:
                if job.second is not None:
                    job.second.cancel()
                await self._error(
                    "busy", "the server is saturated; say it again in a moment", job.utterance_id
                )
                return
            assert self.reader is not None
            result = await self.reader.read(
                job.speech,
                result,
                unit=self.unit,
                previous=self._previous,
                prompt_for_second=lambda: self.prompt,
                second_heard=job.second,
            )
            text = result.text
            stt_ms = result.stt_ms + result.queued_ms
            if not text:
                # Noise that woke the voice detector gets no answer; an utterance as long as a spoken
                # set does: the lifter said something and must hear that it was not caught.
                if job.push_to_talk or result.audio_s >= _HEARD_NOTHING_S:
                    await self._error("no_speech", "no words were recognized", job.utterance_id)
                return
            await self.send(Transcript(utterance_id=job.utterance_id, text=text, ended_by=job.ended_by))
            stt = stt_info(result, self.transcriber, await self._keep_audio(job))
        job.sealed = True  # from here on the client_id it carries is the one it is logged with
        # engineer E: per-user limits; RateLimited is a DomainError -> `error` event `rate_limited`
        await enforce(self.services.rate_limiter, self.user_id, "utterance")
        if stt is not None and stt.duration_s:
            await enforce(self.services.rate_limiter, self.user_id, "audio_s", cost=stt.duration_s)
        outcome = await self.services.pipeline.handle_text(
            self.user_id,
            self.workout_id,
            text,
            unit=self.unit,
            client_id=job.client_id,
            source="voice" if job.kind == "speech" else "text",
            stt=stt,
            origin=self.origin,
            amends=self._breath.amends(job.continues),
        )
        job.voice_command_id = outcome.voice_command_id
        if job.late_client_id is not None and outcome.voice_command_id:
            await self._adopt(outcome.voice_command_id, job.late_client_id)
        await self._answer(job, outcome, stt_ms)

    async def _adopt(self, voice_command_id: str, client_id: str) -> None:
        """A push-to-talk release's client_id that came after the voice detector's utterance reached the
        pipeline names its voice command, so a retry of it (another instance) replays, not logs again."""
        await self.services.pipeline.adopt_client_id(self.user_id, voice_command_id, client_id)

    async def _answer(self, job: Job, outcome: UtteranceOutcome, stt_ms: float) -> None:
        """The event for a handled (or replayed) utterance; the session's context follows a logged set."""
        self._breath.answered(job.utterance_id, outcome.action)
        if outcome.action in ("logged", "corrected") and not outcome.replayed:
            if outcome.action == "logged":
                self._previous = outcome.parsed
            if self.context is not None and self.store is not None:
                await self.store.record(
                    self.context,
                    outcome.parsed,
                    voice_command_id=outcome.voice_command_id,
                    set_ids=[s.id for s in outcome.sets],
                )
        await self.send(outcome_event(job.utterance_id, job.ended_at, outcome, stt_ms))

    async def _save_context(self, **changes: Any) -> None:
        if self.context is None or self.store is None:
            return
        for name, value in changes.items():
            setattr(self.context, name, value)
        await self.store.save(self.context)

    def _best_reading(self, result: Transcription) -> Transcription:
        assert self.reader is not None
        return self.reader.best(result, unit=self.unit, previous=self._previous)

    async def _keep_audio(self, job: Job) -> str | None:
        if job.audio is None:
            return None
        path = Path(self.services.settings.data_dir) / "audio" / f"{job.utterance_id}.wav"
        await asyncio.to_thread(write_wav, path, job.audio)
        return str(path)

    async def _error(self, code: str, message: str, utterance_id: str | None = None) -> None:
        await self.send(ErrorEvent(code=code, message=message, utterance_id=utterance_id))
