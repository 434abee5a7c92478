"""The dev set said the other ways lifters say it, to measure whether the parser's rules generalise.

Each rewrite is a general wording change whose graded answer is unchanged, applied only to the turns it
fits (`rephrase(sessions)` -> {kind: sessions that changed}):

* `lift_verb`: "bench press 225 for 5" -> "I benched 225 for 5", "front squat" -> "front squatted"
  (bench, squat, deadlift, curl, row; not machines or cables);
* `relative_load`: "add 10 pounds" -> "go up 10 pounds", "drop 20" -> "take off 20",
  "drop to" -> "go down to";
* `rep_word`: "for 1/2/3 (reps)" -> "for a single / double / triple";
* `mixed_duration`: "for 90 seconds" / "ninety seconds" -> "for a minute thirty", "one minute and thirty";
  "120 seconds" -> "two minutes".
"""

from __future__ import annotations

import random
import re

import msgspec

from benchmarks.common import Session, Turn
from matcher.numbers import read_number

__all__ = ["KINDS", "rephrase"]

KINDS = ("lift_verb", "relative_load", "rep_word", "mixed_duration")

# The head noun of an exercise phrase -> ways to say it as a verb ("front squat" -> "front squatted").
_VERBS = [
    (re.compile(r"\bbench(?: press)?$"), ("benched", "benching")),
    (re.compile(r"\bsquats?$"), ("squatted", "squatting")),
    (re.compile(r"\bdead ?lifts?$"), ("deadlifted", "deadlifting")),
    (re.compile(r"\bcurls?$"), ("curled",)),
    (re.compile(r"\brows?$"), ("rowed",)),
]
# Machines and cables are not said as verbs ("I leg curled" is not speech).
_NOT_VERBED = re.compile(r"\b(?:leg|machine|cable|smith|hamstring|dips?|bugs?|seated|iso)\b", re.I)
_ADD = re.compile(r"\b[Aa]dd (?!to\b|another\b)")
_DROP = re.compile(r"\b[Dd]rop (?!to\b|it\b|down\b)")
_DROP_TO = re.compile(r"\b[Dd]rop to\b")
_REPS_123 = re.compile(r"\bfor (1|2|3|one|two|three)(?: reps?)?\b")
_SECONDS = re.compile(r"\bseconds\b", re.I)
_REP_WORDS = {1: "a single", 2: "a double", 3: "a triple"}
_ONES = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty"]


def _seconds_words(n: int) -> str:
    if n < 10:
        return _ONES[n]
    if n < 19:
        return _TEENS[n - 10]
    tens, ones = divmod(n, 10)
    return _TENS[tens] + ("" if ones == 0 else " " + _ONES[ones])


def _lift_verb(t: Turn, rng: random.Random) -> str | None:
    variant = t.tags.get("variant") or ""
    at = t.text.lower().find(variant.lower()) if variant else -1
    if at < 0 or _NOT_VERBED.search(variant):
        return None
    for pattern, forms in _VERBS:
        if pattern.search(variant.lower()):
            said = pattern.sub(rng.choice(forms), variant.lower())
            if at == 0:
                said = "I " + said
            return t.text[:at] + said + t.text[at + len(variant) :]
    return None


def _relative_load(t: Turn, rng: random.Random) -> str | None:
    if _ADD.search(t.text):
        return _ADD.sub(rng.choice(("go up ", "bump it up ", "put on ")), t.text, count=1)
    if _DROP.search(t.text):
        return _DROP.sub(rng.choice(("take off ", "knock off ", "subtract ", "down ")), t.text, count=1)
    if _DROP_TO.search(t.text):
        return _DROP_TO.sub(rng.choice(("go down to", "bring it down to", "come down to")), t.text, count=1)
    return None


def _rep_word(t: Turn, rng: random.Random) -> str | None:
    m = _REPS_123.search(t.text)
    if m is None or t.expected.reps not in _REP_WORDS or t.expected.sets != 1:
        return None
    return t.text[: m.start()] + f"for {_REP_WORDS[t.expected.reps]}" + t.text[m.end() :]


def _said_seconds(text: str, value: int) -> tuple[int, int] | None:
    """The span of "(for) N seconds" where N says `value`, in digits ("90") or in words ("ninety")."""
    for m in _SECONDS.finditer(text):
        before = list(re.finditer(r"[A-Za-z0-9]+", text[: m.start()]))[-5:]
        for k in range(len(before), 0, -1):
            words = [w.group(0).lower() for w in before[-k:]]
            if k == 1 and words[0].isdigit():
                said = int(words[0]) == value
            else:
                r = read_number(words, 0)
                said = r is not None and r.end == k and r.value == value
            if said:
                start = before[-k].start()
                if k < len(before) and before[-k - 1].group(0).lower() == "for":
                    start = before[-k - 1].start()
                return start, m.end()
    return None


def _mixed_duration(t: Turn, rng: random.Random) -> str | None:
    value = t.expected.duration_s
    if value is None or not 60 <= value <= 179:
        return None
    span = _said_seconds(t.text, value)
    if span is None:
        return None
    minutes, seconds = divmod(value, 60)
    head = (
        "a minute" if minutes == 1 and rng.random() < 0.5 else f"{_ONES[minutes]} minute{'s' * (minutes > 1)}"
    )
    joint = " and " if rng.random() < 0.3 else " "
    tail = f"{joint}{_seconds_words(seconds)}" if seconds else ""
    return t.text[: span[0]] + f"for {head}{tail}" + t.text[span[1] :]


_REWRITES = {
    "lift_verb": _lift_verb,
    "relative_load": _relative_load,
    "rep_word": _rep_word,
    "mixed_duration": _mixed_duration,
}


def rephrase(sessions: list[Session], seed: int = 13) -> dict[str, list[Session]]:
    rng = random.Random(seed)
    out: dict[str, list[Session]] = {kind: [] for kind in KINDS}
    for kind, rewrite in _REWRITES.items():
        for s in sessions:
            turns = []
            changed = False
            for t in s.turns:
                text = rewrite(t, rng)
                changed = changed or text is not None
                turns.append(msgspec.structs.replace(t, text=text) if text is not None else t)
            if changed:
                out[kind].append(msgspec.structs.replace(s, turns=turns))
    return out
