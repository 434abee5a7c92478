"""Listen again, with a focused prompt, when the first reading of a final is unsure.

The server's prompt carries ~50 catalog words so that whisper spells exercise names; for some
voices that word list is itself what pulls a reading off ("did call crushers", "forte I'm key low").
When the best first reading does not read as a sure set, the same audio is decoded once more with a
short prompt: the spoken-style examples followed by the exercises the first readings resolved to
(the likeliest names, as a lifter's recent exercises would be). Both passes' readings are then
rescored together by the set grammar (`server.stt.rescore`), so the second pass can only win by
reading better, and every reading stays on the transcription (`Hypothesis.focused` marks the second).

The second decode costs a decoder pass (the encoder's output is reused, `server.stt.whisper`), and
only on unsure utterances. It is optional work: when the shared model is busy (a final waiting, or
more than half of its recent time spent), it is skipped, since answering on time matters more then.
Measured at 40 sockets, always listening again took load p95 from 881 to 2059 ms.
Measured in `benchmarks/stt_priming.py` and `benchmarks/stream_latency.py`.
"""

from __future__ import annotations

from typing import Any

import msgspec
import numpy as np

from models.parsed import ParsedSet
from server.stt.base import Hypothesis, SttBusy, Transcriber, Transcription
from server.stt.prompt import build_prompt
from server.stt.rescore import DEFAULT_WEIGHT, grammar_reading, pick_reading

__all__ = ["RELISTEN_BELOW", "focus_names", "focused_prompt", "listen_again", "needs_second_listen"]

# the semantic endpointer's "sure" mark: a reading below it is one the lifter may well be asked about
RELISTEN_BELOW = 0.8
_MAX_NAMES = 3


def needs_second_listen(
    parser: Any, result: Transcription, *, unit: str, previous: ParsedSet | None = None
) -> bool:
    if not result.text.strip():
        return False  # no speech: a second decode would only invent some
    return grammar_reading(parser, result.text, unit=unit, previous=previous) < RELISTEN_BELOW


def focus_names(
    parser: Any, result: Transcription, *, unit: str, previous: ParsedSet | None = None
) -> list[str]:
    """The exercise each first reading resolved to, best-rescored reading first, without repeats."""
    texts = [h.text for h in result.hypotheses] or [result.text]
    if result.hypotheses and 0 <= result.chosen < len(texts):
        texts.insert(0, texts.pop(result.chosen))
    names: list[str] = []
    for text in texts:
        parsed = parser.parse(text, unit=unit, previous=previous, spoken=True).parsed
        if parsed.exercise is not None and parsed.exercise.name not in names:
            names.append(parsed.exercise.name)
    return names[:_MAX_NAMES]


def focused_prompt(names: list[str]) -> str:
    return build_prompt((), names)


async def listen_again(
    transcriber: Transcriber,
    parser: Any,
    audio: np.ndarray,
    first: Transcription,
    *,
    unit: str,
    previous: ParsedSet | None = None,
    weight: float = DEFAULT_WEIGHT,
) -> Transcription:
    """`first` (already rescored) when it reads surely; else both passes' readings, rescored together."""
    if not needs_second_listen(parser, first, unit=unit, previous=previous):
        return first
    if not _can_spare(transcriber):
        return first
    prompt = focused_prompt(focus_names(parser, first, unit=unit, previous=previous))
    try:
        second = await transcriber.transcribe(audio, prompt=prompt, final=True)
    except SttBusy:
        return first
    merged = merge_readings(first, second)
    picked = pick_reading(parser, merged, unit=unit, previous=previous, weight=weight)
    picked = _keep_first_unless_sure(picked)
    return msgspec.structs.replace(
        picked,
        stt_ms=first.stt_ms + second.stt_ms,
        queued_ms=first.queued_ms + second.queued_ms,
        focused_prompt=prompt,
    )


def _keep_first_unless_sure(picked: Transcription) -> Transcription:
    """The focused pass is there to find a sure reading. One it reads no better than unsure is no
    stronger evidence than the first pass's own, and a biased prompt makes such readings easily
    ("calf press fifteen reps at two for the hook" logged 2 kg), so the first pass's choice stands."""
    chosen = picked.hypotheses[picked.chosen] if picked.hypotheses else None
    if chosen is None or not chosen.focused or (chosen.reading or 0.0) >= RELISTEN_BELOW:
        return picked
    firsts = [i for i, h in enumerate(picked.hypotheses) if not h.focused]
    best = max(firsts, key=lambda i: (picked.hypotheses[i].total or 0.0, -i))
    return msgspec.structs.replace(picked, text=picked.hypotheses[best].text, chosen=best)


def _can_spare(transcriber: Transcriber) -> bool:
    can_spare = getattr(transcriber, "can_spare", None)
    if callable(can_spare):
        return bool(can_spare())
    return not getattr(transcriber, "saturated", False)


def merge_readings(first: Transcription, second: Transcription) -> Transcription:
    """One transcription holding the first pass's readings, then the second's (marked `focused`);
    a reading both passes gave is kept once, with the first pass's score."""
    ours = list(first.hypotheses) or [Hypothesis(text=first.text, score=round(first.avg_logprob, 4))]
    theirs = list(second.hypotheses)
    if not theirs and second.text:
        theirs = [Hypothesis(text=second.text, score=round(second.avg_logprob, 4))]
    seen = {_key(h.text) for h in ours}
    readings = [Hypothesis(text=h.text, score=h.score) for h in ours]
    for h in theirs:
        if h.text and _key(h.text) not in seen:
            seen.add(_key(h.text))
            readings.append(Hypothesis(text=h.text, score=h.score, focused=True))
    return msgspec.structs.replace(first, text=readings[0].text, hypotheses=readings, chosen=0)


def _key(text: str) -> str:
    return " ".join(w.strip(".,!?;:").lower() for w in text.split())
