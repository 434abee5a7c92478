"""Repair the numbers tiny.en most often mishears, and let the audio decide.

The decoder's n-best rarely holds the right number when it got one wrong: "sixteen on" comes out as
"sixty-one", "forty five" as "forte I'm". Those confusions are few and well known, so the set grammar
proposes the repairs and whisper itself weighs them: each candidate
is scored against the same audio (its teacher-forced log-probability, `WhisperEngine.score_readings`,
~15 ms a reading on the cached encoder output) and compared with the heard reading's. Two rules,
each only where the heard reading is in doubt:

- **unsure** (the grammar reads it below 0.8, so it would be asked about): words that sound like
  number words ("forte", "I'm", "won", "ate") next to a number or a unit are replaced by them. A
  candidate is kept when it reads surely and the audio scores it no worse than `UNSURE_MARGIN`
  below the heard reading.
- **implausible reps** (a loaded set of more than `REPS_PLAUSIBLE`): a "-ty" number counted as reps
  is tried as its "-teen" ("sixty-one rear lunges" as "sixteen on rear lunges"). The audio's score
  plus a prior against long loaded sets (`REPS_PRIOR_PER_REP` nats a rep over the mark) decides.
  Bodyweight sets are left alone: fifty push-ups are a set, fifty reps with a load hardly ever.

Tried and dropped: "with the fifteen" (no unit after it) as the plural the audio prefers, "fifteens"
or "fifties". On espeak clips outside the dev set (24 of `benchmarks/number_repair.py`'s sentences, in
its 4 voices, before the rule was removed) it fixed 8 and broke 5: tiny.en scores "-ties" above
"-teens" whichever was said.

Every candidate stays on the transcription as a hypothesis (`repair` names the rule, `acoustic` the
score against the heard reading's), so a repaired set can be explained and corrected like any other.
Scoring is optional work: skipped when finals are waiting or the engine cannot score.
"""

from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass
from typing import Any

import msgspec
import numpy as np

from matcher.numbers import NUMBER_WORDS
from matcher.units import UNIT_WORDS
from models.parsed import ParsedSet
from server.stt.base import Hypothesis, SttBusy, SttSkipped, Transcriber, Transcription
from server.stt.relisten import RELISTEN_BELOW
from server.stt.rescore import grammar_reading

__all__ = [
    "REPS_PLAUSIBLE",
    "REPS_PRIOR_PER_REP",
    "UNSURE_MARGIN",
    "Candidate",
    "repair_candidates",
    "repair_reading",
]

# nats the audio may prefer the heard reading by and still let a sure repair of an unsure one win
UNSURE_MARGIN = 1.0
# the dev set's loaded sets (294) never go past 28 reps; its bodyweight sets reach 48
REPS_PLAUSIBLE = 30
REPS_PRIOR_PER_REP = 0.15
_MAX_CANDIDATES = 8

_TEEN_TY = {
    "thirteen": "thirty",
    "fourteen": "forty",
    "fifteen": "fifty",
    "sixteen": "sixty",
    "seventeen": "seventy",
    "eighteen": "eighty",
    "nineteen": "ninety",
}
_TY_TEEN = {ty: teen for teen, ty in _TEEN_TY.items()}
# words whisper writes for number words it did not catch (never grammar words such as "for", "to")
_SOUND_ALIKES: dict[str, tuple[str, ...]] = {
    "won": ("one",),
    "too": ("two",),
    "tree": ("three",),
    "fore": ("four",),
    "fife": ("five",),
    "i'm": ("five", "nine"),
    "i": ("five", "nine"),
    "eye": ("five", "nine"),
    "sex": ("six",),
    "ate": ("eight",),
    "nein": ("nine",),
    "tin": ("ten",),
    "forte": ("forty",),
    "fitty": ("fifty",),
}
_TY_ONE = re.compile(r"^(thirty|forty|fifty|sixty|seventy|eighty|ninety)-one$")
# the same confusion as whisper writes it in digits ("leg extension 135 for 40" for "... fourteen")
_TY_DIGITS = {f"{tens}0": f"1{tens}" for tens in range(3, 10)}
_PUNCT = ".,!?;:"


@dataclass(frozen=True)
class Candidate:
    text: str
    rule: str  # "unsure" | "reps"
    prior: float = 0.0  # nats added to the audio's score (the reps prior's gain)


def _bare(word: str) -> str:
    return word.strip(_PUNCT).lower()


def _swap(words: list[str], i: int, replacement: str) -> list[str]:
    """`words` with word `i` replaced, its trailing punctuation kept."""
    word = words[i]
    tail = word[len(word.rstrip(_PUNCT)) :]
    return [*words[:i], replacement + tail, *words[i + 1 :]]


def _is_number_or_unit(word: str) -> bool:
    bare = _bare(word)
    return bare in NUMBER_WORDS or bare in UNIT_WORDS or bare.replace(".", "").isdigit()


def _unsure_candidates(words: list[str]) -> list[list[str]]:
    """Runs of sound-alike words next to a number or a unit, each word tried as what it sounds like."""
    out: list[list[str]] = []
    i = 0
    while i < len(words):
        if _bare(words[i]) not in _SOUND_ALIKES:
            i += 1
            continue
        j = i
        while j < len(words) and _bare(words[j]) in _SOUND_ALIKES:
            j += 1
        before = words[i - 1] if i > 0 else ""
        after = words[j] if j < len(words) else ""
        if _is_number_or_unit(before) or _is_number_or_unit(after):
            options = [(words[k], *_SOUND_ALIKES[_bare(words[k])]) for k in range(i, j)]
            for combo in itertools.product(*options):
                if list(combo) == words[i:j]:
                    continue
                repaired = list(words)
                for k, replacement in zip(range(i, j), combo, strict=True):
                    if replacement != words[k]:
                        repaired = _swap(repaired, k, replacement)
                out.append(repaired)
        i = j
    return out


def _teen_readings(words: list[str]) -> list[list[str]]:
    """Each "-ty" word (or "40"-style digits) as its "-teen"; "sixty-one X" (and "sixty one X") also as
    "sixteen on X"."""
    out: list[list[str]] = []
    for i, word in enumerate(words):
        bare = _bare(word)
        if bare in _TY_TEEN:
            out.append(_swap(words, i, _TY_TEEN[bare]))
            nxt = _bare(words[i + 1]) if i + 1 < len(words) else ""
            if nxt == "one":
                out.append([*_swap(words, i, _TY_TEEN[bare])[: i + 1], "on", *words[i + 2 :]])
        elif m := _TY_ONE.match(bare):
            out.append(_swap(words, i, f"{_TY_TEEN[m.group(1)]} on"))
        elif bare in _TY_DIGITS:
            out.append(_swap(words, i, _TY_DIGITS[bare]))
    return out


def repair_candidates(
    parser: Any, text: str, *, unit: str, previous: ParsedSet | None = None
) -> list[Candidate]:
    """The repairs worth weighing for `text`, by rule; none when the heard reading is not in doubt."""
    words = text.split()
    if not words:
        return []
    heard = parser.parse(text, unit=unit, previous=previous, spoken=True).parsed
    out: list[Candidate] = []
    seen = {text}

    def add(repaired: list[str], rule: str, prior: float = 0.0) -> None:
        candidate = " ".join(repaired)
        if candidate not in seen and len(out) < _MAX_CANDIDATES:
            seen.add(candidate)
            out.append(Candidate(candidate, rule, prior))

    if grammar_reading(parser, text, unit=unit, previous=previous) < RELISTEN_BELOW:
        for repaired in _unsure_candidates(words):
            add(repaired, "unsure")
    if heard.weight is not None and heard.reps is not None and heard.reps > REPS_PLAUSIBLE:
        for repaired in _teen_readings(words):
            parsed = parser.parse(" ".join(repaired), unit=unit, previous=previous, spoken=True).parsed
            if parsed.reps is None or parsed.reps >= heard.reps or parsed.weight != heard.weight:
                continue  # only a repair of the count itself, not one that moves the load
            gain = REPS_PRIOR_PER_REP * (heard.reps - max(parsed.reps, REPS_PLAUSIBLE))
            add(repaired, "reps", prior=gain)
    return out


def _choose(
    parser: Any,
    candidates: list[Candidate],
    scores: list[float],
    heard_score: float,
    *,
    unit: str,
    previous: ParsedSet | None,
) -> int | None:
    """Index of the repair to keep, if any."""
    best: tuple[float, int] | None = None
    for i, cand in enumerate(candidates):
        delta = scores[i] - heard_score
        if cand.rule == "unsure":
            sure = grammar_reading(parser, cand.text, unit=unit, previous=previous) >= RELISTEN_BELOW
            if not sure or delta < -UNSURE_MARGIN:
                continue
        elif delta + cand.prior <= 0:
            continue
        if best is None or delta + cand.prior > best[0]:
            best = (delta + cand.prior, i)
    return None if best is None else best[1]


async def repair_reading(
    transcriber: Transcriber,
    parser: Any,
    audio: np.ndarray,
    result: Transcription,
    *,
    unit: str,
    previous: ParsedSet | None = None,
) -> Transcription:
    """`result`, or a repaired reading of the same audio when the rules above find one the audio backs."""
    score = getattr(transcriber, "score", None)
    if not result.text.strip() or not callable(score) or not getattr(transcriber, "can_score", True):
        return result
    candidates = repair_candidates(parser, result.text, unit=unit, previous=previous)
    if not candidates:
        return result
    started = time.perf_counter()
    try:
        scores = await score(audio, [result.text, *(c.text for c in candidates)])
    except (SttSkipped, SttBusy):
        return result
    result = msgspec.structs.replace(result, stt_ms=result.stt_ms + (time.perf_counter() - started) * 1000)
    heard, rest = scores[0], scores[1:]
    picked = _choose(parser, candidates, rest, heard, unit=unit, previous=previous)
    readings = list(result.hypotheses) or [Hypothesis(text=result.text, score=round(result.avg_logprob, 4))]
    chosen = result.chosen if result.hypotheses else 0
    for i, cand in enumerate(candidates):
        readings.append(
            Hypothesis(
                text=cand.text,
                score=readings[chosen].score,
                reading=round(grammar_reading(parser, cand.text, unit=unit, previous=previous), 4),
                repair=cand.rule,
                acoustic=round(rest[i] - heard, 3),
            )
        )
    if picked is None:
        return msgspec.structs.replace(result, hypotheses=readings, chosen=chosen)
    index = len(readings) - len(candidates) + picked
    return msgspec.structs.replace(result, text=candidates[picked].text, hypotheses=readings, chosen=index)
