"""Audio ingest: PCM decoding, resampling to 16 kHz, WAV reading and VAD endpointing."""

from __future__ import annotations

from server.audio.pcm import SAMPLE_RATE, AudioFormatError, FrameDecoder, decode_s16le
from server.audio.resample import Resampler, resample
from server.audio.wav import read_wav

__all__ = [
    "SAMPLE_RATE",
    "AudioFormatError",
    "FrameDecoder",
    "Resampler",
    "decode_s16le",
    "read_wav",
    "resample",
]
