"""The one place the server picks its speech-to-text backend from the settings."""

from __future__ import annotations

import asyncio
import functools
import os
from typing import Any

from server.stt.scheduler import SttScheduler

__all__ = [
    "DEFAULT_NBEST",
    "build_local_transcriber",
    "build_second_transcriber",
    "build_transcriber",
    "nbest_from",
]

# finals decode with beam search and this many readings, rescored by the set grammar
# (benchmarks/stt_priming.py and stream_latency.py chose it); 1 is plain greedy decoding
DEFAULT_NBEST = 3


def nbest_from(settings: Any) -> int:
    """`stt_nbest` from the settings, else VOICELOG_STT_NBEST, else the default."""
    value = getattr(settings, "stt_nbest", None) or os.environ.get("VOICELOG_STT_NBEST")
    try:
        return max(1, int(value)) if value else DEFAULT_NBEST
    except ValueError:
        raise ValueError(f"VOICELOG_STT_NBEST must be a whole number, not {value!r}") from None


async def build_transcriber(settings: Any) -> Any:
    """The local model (`stt_mode` local, the default), or the speech workers' client (`workers`)."""
    if getattr(settings, "stt_mode", "local") == "workers":
        if not getattr(settings, "redis_url", None):
            raise ValueError("VOICELOG_STT_MODE=workers needs VOICELOG_REDIS_URL (the jobs go through Redis)")
        from server.stt.workers.client import WorkerTranscriber

        return WorkerTranscriber(settings.redis_url, timeout_s=settings.stt_job_timeout_s)
    return await build_local_transcriber(settings)


async def build_local_transcriber(settings: Any, *, max_pending: int = 8) -> SttScheduler:
    """Loads the whisper model once (off the event loop); `stt_model_dir` overrides the bundled tiny.en.

    A GPU deployment points `VOICELOG_STT_MODEL_DIR` at a larger CTranslate2 model.
    """
    from server.stt.whisper import WhisperEngine

    model_dir = getattr(settings, "stt_model_dir", None)
    engine = await asyncio.to_thread(functools.partial(WhisperEngine, model_dir, nbest=nbest_from(settings)))
    return SttScheduler(engine, workers=1, max_pending=max_pending)


async def build_second_transcriber(settings: Any) -> SttScheduler | None:
    """The second ear (`VOICELOG_STT_SECOND_MODEL_DIR`, e.g. whisper base), asked only about readings the
    first was unsure of (`server.stt.reading`); None when not configured."""
    from server.stt.whisper import WhisperEngine

    model_dir = getattr(settings, "stt_second_model_dir", None)
    if model_dir is None:
        return None
    engine = await asyncio.to_thread(functools.partial(WhisperEngine, model_dir, nbest=nbest_from(settings)))
    return SttScheduler(engine, workers=1, max_pending=8)
