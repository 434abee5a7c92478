"""The one place the server picks its speech-to-text backend from the settings."""

from __future__ import annotations

import asyncio
from typing import Any

from server.stt.scheduler import SttScheduler

__all__ = ["build_transcriber"]


async def build_transcriber(settings: Any) -> SttScheduler:
    """Loads the whisper model once (off the event loop); `stt_model_dir` overrides the bundled tiny.en.

    A GPU deployment points `VOICELOG_STT_MODEL_DIR` at a larger CTranslate2 model.
    """
    from server.stt.whisper import WhisperEngine

    model_dir = getattr(settings, "stt_model_dir", None)
    engine = await asyncio.to_thread(WhisperEngine, model_dir)
    return SttScheduler(engine, workers=1, max_pending=8)
