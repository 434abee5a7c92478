from __future__ import annotations

from server.audio.endpoint import EndpointConfig, Endpointer, EndpointEvent, State

CFG = EndpointConfig(start_windows=3, pause_windows=2, silence_ms=320, preroll_windows=2, max_utterance_s=2.0)


def _feed(ep: Endpointer, probs: list[float]) -> list[tuple[int, EndpointEvent]]:
    out = []
    for p in probs:
        out.extend((ep.window, e) for e in ep.feed(p))  # window count after this one
    return out


def test_isolated_loud_windows_do_not_start_speech() -> None:
    ep = Endpointer(CFG)
    assert _feed(ep, [0.9, 0.1, 0.9, 0.9, 0.2, 0.95, 0.0] * 5) == []
    assert ep.state is State.QUIET


def test_full_utterance_start_pause_end_with_preroll() -> None:
    ep = Endpointer(CFG)
    events = _feed(ep, [0.0] * 5 + [0.9] * 10 + [0.1] * 20)
    kinds = [e for _, e in events]
    assert kinds[:3] == [EndpointEvent.STARTED, EndpointEvent.PAUSED, EndpointEvent.ENDED]
    # speech ran over windows 5..14; the start is pulled back by the pre-roll
    assert ep.speech_start == 3
    assert ep.speech_end == 15
    # ended after 10 windows (320 ms) of silence past the last speech window
    assert events[2][0] == 15 + 10


def test_hysteresis_keeps_middling_probabilities_as_speech() -> None:
    ep = Endpointer(EndpointConfig(start_windows=3, pause_windows=2, silence_ms=320, max_utterance_s=30))
    # 0.4 is below the start bar but above the stop bar: once speaking, it still counts as speech
    kinds = [e for _, e in _feed(ep, [0.9] * 4 + [0.4] * 30)]
    assert kinds == [EndpointEvent.STARTED]
    assert ep.state is State.SPEAKING
    # while quiet, the same 0.4 never starts speech
    quiet = Endpointer(CFG)
    assert _feed(quiet, [0.4] * 30) == []


def test_short_pause_resumes_instead_of_ending() -> None:
    ep = Endpointer(CFG)
    kinds = [e for _, e in _feed(ep, [0.9] * 5 + [0.1] * 4 + [0.9] * 5)]
    assert kinds == [EndpointEvent.STARTED, EndpointEvent.PAUSED, EndpointEvent.RESUMED]
    assert ep.state is State.SPEAKING


def test_maximum_length_is_reported() -> None:
    ep = Endpointer(CFG)
    kinds = [e for _, e in _feed(ep, [0.9] * 80)]
    assert EndpointEvent.TOO_LONG in kinds
    # 2 s = 62.5 windows from the (pre-rolled) start
    first = kinds.index(EndpointEvent.TOO_LONG)
    assert first < 70


def test_reset_returns_to_quiet_and_a_new_utterance_starts_cleanly() -> None:
    ep = Endpointer(CFG)
    _feed(ep, [0.9] * 5 + [0.1] * 12)
    ep.reset()
    assert ep.state is State.QUIET
    kinds = [e for _, e in _feed(ep, [0.9] * 5)]
    assert kinds == [EndpointEvent.STARTED]
    assert ep.speech_start >= 17 - CFG.preroll_windows


def test_preroll_never_reaches_back_into_the_utterance_already_taken() -> None:
    ep = Endpointer(EndpointConfig(start_windows=3, pause_windows=2, silence_ms=320, preroll_windows=20))
    _feed(ep, [0.9] * 10 + [0.1] * 4)  # taken mid-pause (push-to-talk or semantic endpointing)
    taken_at = ep.window
    ep.reset()
    _feed(ep, [0.9] * 3)  # the next utterance starts at once
    assert ep.state is State.SPEAKING
    assert ep.speech_start == taken_at


def _feed_fg(ep: Endpointer, windows: list[tuple[float, bool]]) -> list[tuple[int, EndpointEvent]]:
    out = []
    for p, fg in windows:
        out.extend((ep.window, e) for e in ep.feed(p, fg))
    return out


def test_another_voice_behind_the_lifter_does_not_keep_the_utterance_going() -> None:
    cfg = EndpointConfig(start_windows=3, pause_windows=2, silence_ms=320, background_windows=4)
    lifter, behind = [(0.9, True)] * 10, [(0.9, False)] * 40
    events = _feed_fg(Endpointer(cfg), lifter + behind)
    assert [e for _, e in events][:3] == [EndpointEvent.STARTED, EndpointEvent.PAUSED, EndpointEvent.ENDED]
    assert events[1][0] == 10 + 4  # the pause begins after `background_windows` such windows
    assert events[2][0] == 10 + 10  # and the silence is counted from the lifter's last window
    # the same windows taken as the lifter's own keep the utterance going
    kinds = [e for _, e in _feed_fg(Endpointer(cfg), lifter + [(0.9, True)] * 40)]
    assert kinds == [EndpointEvent.STARTED]


def test_a_soft_syllable_of_the_lifter_does_not_begin_a_pause() -> None:
    cfg = EndpointConfig(start_windows=3, pause_windows=2, silence_ms=320, background_windows=4)
    # three windows below the lifter's level, then the lifter again: shorter than background_windows
    windows = [(0.9, True)] * 6 + [(0.8, False)] * 3 + [(0.9, True)] * 6
    ep = Endpointer(cfg)
    assert [e for _, e in _feed_fg(ep, windows)] == [EndpointEvent.STARTED]
    assert ep.speech_end == 15


def test_a_pause_is_resumed_only_by_the_lifters_voice() -> None:
    cfg = EndpointConfig(start_windows=3, pause_windows=2, silence_ms=320, background_windows=4)
    ep = Endpointer(cfg)
    kinds = [e for _, e in _feed_fg(ep, [(0.9, True)] * 5 + [(0.1, True)] * 3 + [(0.95, False)] * 3)]
    assert kinds == [EndpointEvent.STARTED, EndpointEvent.PAUSED]
    assert ep.state is State.STOPPING
    assert [e for _, e in _feed_fg(ep, [(0.95, True)])] == [EndpointEvent.RESUMED]
