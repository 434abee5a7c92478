"""The real engine: finals come back with their n-best readings, partials stay single and greedy."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from server.audio.wav import read_wav
from server.stt.whisper import WhisperEngine
from tests.audio_gen import ClipMaker


@pytest.fixture(scope="module")
def engine() -> WhisperEngine:
    return WhisperEngine(nbest=4, threads=1)


@pytest.fixture(scope="module")
def audio():
    clips = ClipMaker(Path(tempfile.mkdtemp(prefix="voicelog-nbest-")))
    return read_wav(clips.clip("overhead press one thirty five for six").read_bytes())


def test_decode_options_follow_final_and_nbest(engine: WhisperEngine) -> None:
    assert engine._decode_options(final=True) == {"beam_size": 4, "num_hypotheses": 4}
    assert engine._decode_options(final=False) == {"sampling_topk": 1}


def test_a_final_keeps_distinct_readings_best_first(engine: WhisperEngine, audio) -> None:
    result = engine.transcribe_sync(audio, None, final=True)
    assert result.text
    assert result.hypotheses and result.hypotheses[0].text == result.text
    assert result.chosen == 0
    keys = [" ".join(w.strip(".,!?").lower() for w in h.text.split()) for h in result.hypotheses]
    assert len(keys) == len(set(keys))  # no two differ only by punctuation
    assert "six" in result.text.lower() or "6" in result.text


def test_a_partial_is_one_greedy_reading(engine: WhisperEngine, audio) -> None:
    result = engine.transcribe_sync(audio, None, final=False)
    assert result.text
    assert result.hypotheses == []


def test_a_second_listen_reuses_the_encoder_and_reads_the_same(audio) -> None:
    cached = WhisperEngine(nbest=3, threads=1, encoder_cache=4)
    fresh = WhisperEngine(nbest=3, threads=1, encoder_cache=0)
    cached.transcribe_sync(audio[:-1600], None, final=False)  # a partial is not kept
    cached.transcribe_sync(audio, None, final=True)
    assert cached.encoder_hits == 0
    focused = "bench press two twenty five for five reps. overhead press."
    again = cached.transcribe_sync(audio, focused, final=True)
    assert cached.encoder_hits == 1
    alone = fresh.transcribe_sync(audio, focused, final=True)
    assert [h.text for h in again.hypotheses] == [h.text for h in alone.hypotheses]
    # other audio misses
    cached.transcribe_sync(audio[1600:], focused, final=True)
    assert cached.encoder_hits == 1


def test_the_encoder_cache_is_bounded(audio) -> None:
    engine = WhisperEngine(nbest=1, threads=1, encoder_cache=2)
    for cut in (0, 800, 1600):
        engine.transcribe_sync(audio[cut:], None, final=True)
    assert len(engine._encoded) == 2
    engine.transcribe_sync(audio, None, final=True)  # the oldest was evicted
    assert engine.encoder_hits == 0


def test_a_batch_of_finals_with_prompts_of_different_lengths(engine: WhisperEngine, audio) -> None:
    """Lifters' prompts differ in length (their recent exercises, a focused second listen); a batch
    of their finals must still decode, each as it would alone."""
    prompts = [None, "bench press two twenty five for five reps. overhead press.", "overhead press."]
    audios = [audio, audio[800:], audio]
    batch = engine.transcribe_batch(audios, prompts)
    alone = [engine.transcribe_sync(a, p) for a, p in zip(audios, prompts, strict=True)]
    assert [r.text for r in batch] == [r.text for r in alone]
    assert all(r.text for r in batch)


def test_readings_are_scored_against_the_audio(engine: WhisperEngine, audio) -> None:
    heard = engine.transcribe_sync(audio, None, final=True).text
    hits = engine.encoder_hits
    scores = engine.score_readings(audio, None, [heard, "lateral raise twelve kilos for twenty", heard])
    assert engine.encoder_hits == hits + 1  # the final's encoder output is reused
    assert all(s < 0 for s in scores)
    assert scores[0] == pytest.approx(scores[2])  # the same reading, the same score
    assert scores[0] > scores[1] + 5  # what was said is far likelier than another set
    assert engine.score_readings(audio, None, []) == []
