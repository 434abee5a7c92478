from __future__ import annotations

import numpy as np
import pytest

from server.audio.endpoint import EndpointConfig, EndpointEvent, State
from server.audio.pcm import AudioFormatError
from server.stream.listener import Listener
from tests.audio_gen import pcm_of, shared_clips


def _feed_all(listener: Listener, pcm: bytes, frame_bytes: list[int]) -> list[EndpointEvent]:
    events: list[EndpointEvent] = []
    pos, k = 0, 0
    while pos < len(pcm):
        size = frame_bytes[k % len(frame_bytes)]
        events.extend(listener.feed(pcm[pos : pos + size], now=float(pos)))
        pos += size
        k += 1
    return events


@pytest.mark.parametrize("rate", [16000, 48000])
def test_a_clip_in_uneven_frames_starts_pauses_and_ends(rate: int) -> None:
    pcm, _ = pcm_of(
        shared_clips().clip("incline dumbbell press seventy fives for ten", rate=rate, trail_s=1.5)
    )
    listener = Listener(rate, EndpointConfig(silence_ms=700))
    ms = rate // 1000 * 2
    events = _feed_all(listener, pcm, [10 * ms, 20 * ms, 250 * ms, 13 * ms])
    assert events[0] is EndpointEvent.STARTED
    assert EndpointEvent.ENDED in events
    assert listener.state is State.STOPPING
    audio = listener.utterance_audio(end_window=listener.endpointer.speech_end)
    seconds = len(audio) / 16000
    speech_s = (len(pcm) / 2 / rate) - 0.5 - 1.5  # minus lead and trail silence
    assert speech_s - 0.3 < seconds < speech_s + 0.5  # plus the pre-roll
    assert len(listener.utterance_audio()) > len(audio)  # to now: the trailing silence too
    listener.take()
    assert listener.state is State.QUIET


def test_buffer_stays_bounded_through_long_silence() -> None:
    listener = Listener(16000)
    second = np.zeros(16000, dtype="<i2").tobytes()
    for _ in range(120):
        assert listener.feed(second, now=0.0) == []
    assert listener._buffered <= 16000 + listener._quiet_keep
    assert listener.received_s == pytest.approx(120.0)


def test_bad_frame_changes_nothing() -> None:
    listener = Listener(16000)
    listener.feed(np.zeros(3200, dtype="<i2").tobytes(), now=0.0)
    before = (listener.now_sample, listener.received_s, listener.endpointer.window)
    with pytest.raises(AudioFormatError):
        listener.feed(b"\x01\x02\x03", now=1.0)
    assert (listener.now_sample, listener.received_s, listener.endpointer.window) == before
