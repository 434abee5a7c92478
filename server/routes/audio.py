"""`POST /v1/workouts/{id}/audio`: a WAV file in, the same answer as `utterances` plus the transcript."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import msgspec
import numpy as np
from litestar import Request, post
from litestar.status_codes import HTTP_201_CREATED

from models.api import UtteranceOut
from server.audio.pcm import AudioFormatError
from server.audio.vad import StreamingVad
from server.audio.wav import read_wav
from server.auth import CurrentUser
from server.errors import DomainError
from server.ratelimit import enforce
from server.routes.workouts import utterance_out
from server.services import Services
from server.store.workouts import iso
from server.stt.base import SttBusy
from server.stt.prompt import prompt_for

__all__ = ["upload_audio"]

# Hard ceiling for the transport; the setting `max_audio_bytes` is checked below it.
_TRANSPORT_LIMIT = 64 * 1024 * 1024
_MAX_SECONDS = 30.0


class AudioRejected(DomainError):
    status = 422
    code = "bad_audio"


class TooLarge(DomainError):
    status = 413
    code = "body_too_large"


class Busy(DomainError):
    status = 503
    code = "busy"


@post(
    "/v1/workouts/{workout_id:str}/audio",
    status_code=HTTP_201_CREATED,
    tags=["workouts"],
    request_max_body_size=_TRANSPORT_LIMIT,
)
async def upload_audio(
    workout_id: str,
    request: Request,
    user: CurrentUser,
    services: Services,
    client_id: uuid.UUID | None = None,
    recorded_at: datetime | None = None,
) -> UtteranceOut:
    """`client_id` makes a retry answer the first result; `recorded_at` (audio recorded offline, uploaded
    later) logs the sets at the time they were said."""
    from server.pipeline import SttInfo
    from server.store.voice import final_output, last_logged_command, recent_exercise_ids, workout_unit
    from server.store.workouts import require_workout
    from server.stt.reading import SpeechReader

    async with services.sessionmaker() as db:
        await require_workout(db, user.id, workout_id)  # 404 before any work on the audio
        recent = await recent_exercise_ids(db, user.id)
        unit = await workout_unit(db, user.id, workout_id)
        last = await last_logged_command(db, workout_id)
        previous = final_output(last) if last is not None else None  # what "same again" would repeat
    data = await _body(request, services.settings.max_audio_bytes)
    try:
        audio = await asyncio.to_thread(read_wav, data, max_seconds=_MAX_SECONDS)
    except AudioFormatError as exc:
        raise AudioRejected(exc.message, code=exc.code) from exc
    # engineer E: per-user limits, before any speech work is spent on the upload
    await enforce(services.rate_limiter, user.id, "utterance")
    await enforce(services.rate_limiter, user.id, "audio_s", cost=len(audio) / 16000)
    if services.transcriber is None:
        raise DomainError("speech-to-text is not configured on this server", code="stt_unavailable")
    if not await asyncio.to_thread(_has_speech, audio):
        raise AudioRejected("no speech was found in the audio", code="no_speech")
    try:
        prompt = prompt_for(getattr(services.matcher, "catalog", None), recent)
        result = await services.transcriber.transcribe(audio, prompt=prompt, final=True)
    except SttBusy as exc:
        raise Busy(str(exc)) from exc
    reader = SpeechReader(
        services.transcriber,
        services.parser,
        relisten=services.settings.stt_relisten,
        repair=services.settings.stt_repair,
        unsure_below=services.settings.stt_unsure_below,
        second=services.second_transcriber,
        second_ear=services.settings.stt_second_ear,
    )
    result = await reader.read(
        audio, result, unit=unit or "lb", previous=previous, prompt_for_second=lambda: prompt
    )
    if not result.text:
        raise AudioRejected("no words were recognized in the audio", code="no_speech")
    outcome = await services.pipeline.handle_text(
        user.id,
        workout_id,
        result.text,
        unit=None,
        client_id=str(client_id) if client_id else None,
        source="audio",
        stt=SttInfo(
            transcript=result.text,
            duration_s=round(result.audio_s, 3),
            stt_ms=round(result.stt_ms, 3),
            model=getattr(getattr(services.transcriber, "engine", None), "model_dir", None),
            hypotheses=list(result.hypotheses),
            focused_prompt=result.focused_prompt,
            doubt=result.doubt,
            second_text=result.second_text,
        ),
    )
    if recorded_at is not None and not outcome.replayed:
        from server.sync.backdate import backdate

        at = recorded_at if recorded_at.tzinfo else recorded_at.replace(tzinfo=UTC)
        await backdate(services.sessionmaker, [s.id for s in outcome.sets], outcome.voice_command_id, at)
        outcome = msgspec.structs.replace(
            outcome, sets=[msgspec.structs.replace(s, created_at=iso(at) or "") for s in outcome.sets]
        )
    return utterance_out(outcome, transcript=result.text)


async def _body(request: Request, limit: int) -> bytes:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise AudioRejected("multipart body needs a `file` field holding the WAV", code="missing_file")
        data = await upload.read()
    else:
        data = await request.body()
    if len(data) > limit:
        raise TooLarge(f"audio is {len(data)} bytes; at most {limit}")
    return data


def _has_speech(audio: np.ndarray, *, min_s: float = 0.2) -> bool:
    """VAD gate before whisper: silence and noise must not reach the model, which would invent words."""
    probs = np.array(StreamingVad(min_windows=1).process(audio))
    return bool((probs >= 0.5).sum() * 512 / 16000 >= min_s)
