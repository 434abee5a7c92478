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


def _lifter_with_a_voice_behind(behind_db: float) -> tuple[bytes, int]:
    """A set said at the phone, and another voice across the room `behind_db` below it, talking on for
    2.5 s after the lifter stopped. Returns the PCM and the sample where the lifter's voice ends."""
    clips = shared_clips()
    lifter = np.frombuffer(
        pcm_of(clips.clip("bench press two twenty five for five", lead_s=0.5, trail_s=2.5))[0], dtype="<i2"
    ).astype(np.float32)
    words = "next set is mine, can you spot me, how many plates are on there"
    other = np.frombuffer(
        pcm_of(clips.clip(words, voice="en+m2", lead_s=0.0, trail_s=0.0))[0], dtype="<i2"
    ).astype(np.float32)
    other = np.tile(other, int(np.ceil(len(lifter) / len(other))))[: len(lifter)]
    voiced = lifter[np.abs(lifter) > 0.02 * np.abs(lifter).max()]
    gain = np.sqrt(np.mean(voiced**2) / (np.mean(other**2) * 10 ** (behind_db / 10)))
    spoken = np.nonzero(np.abs(lifter) > 0.02 * np.abs(lifter).max())[0][-1]
    mixed = np.clip(lifter + other * gain, -32000, 32000)
    return mixed.astype("<i2").tobytes(), int(spoken)


def _ended_at(pcm: bytes, config: EndpointConfig) -> int | None:
    """The sample at which the utterance ended, or None."""
    listener = Listener(16000, config)
    for pos in range(0, len(pcm), 640):
        if EndpointEvent.ENDED in listener.feed(pcm[pos : pos + 640], now=float(pos)):
            return (pos + 640) // 2
    return None


@pytest.mark.parametrize("behind_db", [18.0, 24.0])
def test_another_voice_behind_the_lifter_does_not_hold_the_turn_open(behind_db: float) -> None:
    pcm, spoken = _lifter_with_a_voice_behind(behind_db)
    with_gate = _ended_at(pcm, EndpointConfig(silence_ms=700))
    assert with_gate is not None
    # ended within the silence timeout (plus the pause's few windows) of the lifter's last word
    assert (with_gate - spoken) / 16000 < 0.7 + 0.4
    # without the gate the other voice kept the utterance open past that
    without = _ended_at(pcm, EndpointConfig(silence_ms=700, foreground_margin_db=None))
    assert without is None or (without - spoken) / 16000 > 1.2


def test_in_a_quiet_room_the_gate_changes_nothing() -> None:
    pcm, _ = pcm_of(shared_clips().clip("face pulls fifty for fifteen at rpe eight", trail_s=1.5))
    runs = []
    for margin in (16.0, None):
        listener = Listener(16000, EndpointConfig(silence_ms=700, foreground_margin_db=margin))
        events = _feed_all(listener, pcm, [640])
        runs.append((events, listener.endpointer.speech_end))
    assert runs[0] == runs[1]
