"""The one place the server picks its speech-to-text backend from the settings."""

from __future__ import annotations

import asyncio
import functools
import os
from collections.abc import Callable
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
    load = _engine_loader(
        settings, getattr(settings, "stt_model", None), getattr(settings, "stt_model_dir", None)
    )
    return SttScheduler(await asyncio.to_thread(load), workers=1, max_pending=max_pending)


async def build_second_transcriber(settings: Any) -> SttScheduler | None:
    """The second ear (`VOICELOG_STT_SECOND_MODEL` / `_DIR`, e.g. whisper base; `server.stt.reading` says
    when it listens); None when not configured."""
    model_dir = getattr(settings, "stt_second_model_dir", None)
    name = None if model_dir is not None else getattr(settings, "stt_second_model", None)
    if name is not None and name.strip().lower() in ("", "none", "off"):
        name = None
    if getattr(settings, "stt_mode", "local") == "workers" and model_dir is None:
        return None  # the speech runs in workers: this instance loads no model of its own
    if name is None and model_dir is None:
        return None
    load = _engine_loader(settings, name, model_dir, what="VOICELOG_STT_SECOND_MODEL")
    return SttScheduler(await asyncio.to_thread(load), workers=1, max_pending=8)


def _engine_loader(
    settings: Any, name: str | None, model_dir: Any, *, what: str = "VOICELOG_STT_MODEL"
) -> Callable[[], Any]:
    """A blocking loader of the engine: a packaged model by name (`server.stt.packaged`), a directory, or
    (neither) the bundled tiny.en."""
    from server.stt.whisper import WhisperEngine

    if name is not None and model_dir is not None:
        raise ValueError(f"set {what} or {what}_DIR, not both")
    if name is None:
        return functools.partial(WhisperEngine, model_dir, nbest=nbest_from(settings))

    def load() -> Any:
        from server.stt.packaged import packaged_model_files

        files = packaged_model_files(name)
        return WhisperEngine(f"whisper-{name} (packaged)", files=files, nbest=nbest_from(settings))

    return load
