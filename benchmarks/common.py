"""Shared by the benchmark scripts: the dev set, running its sessions through the parser, scoring a turn."""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
from rapidfuzz import fuzz, process

from matcher.catalog import load_catalog
from matcher.parser import Parser
from matcher.resolver import ExerciseMatcher
from models.parsed import ParsedSet, ParseResult

__all__ = [
    "DEFAULT_DEV",
    "FIELDS",
    "RESULTS",
    "Baseline",
    "Session",
    "Turn",
    "build_parser",
    "dev_args",
    "load_dev",
    "perturb",
    "run_session",
    "say_numbers",
    "score_turn",
    "write_report",
]

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
DEFAULT_DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
FIELDS = ("exercise", "sets", "reps", "weight", "unit", "rpe", "duration_s")


class Expected(msgspec.Struct):
    exercise_ids: list[str]
    sets: int
    reps: int | None
    weight: float | None
    unit: str | None
    rpe: float | None
    duration_s: int | None


class Turn(msgspec.Struct):
    text: str
    expected: Expected
    tags: dict[str, Any] = msgspec.field(default_factory=dict)


class Session(msgspec.Struct):
    id: str
    default_unit: str
    turns: list[Turn]
    audio_text: str | None = None  # what the synthesizer spoke: numbers and abbreviations spelled out


def dev_args(description: str) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--dev", type=Path, default=DEFAULT_DEV, help="dev set (JSON lines)")
    ap.add_argument("--out", type=Path, default=RESULTS, help="directory for the reports")
    return ap.parse_args()


def load_dev(path: Path) -> list[Session]:
    decoder = msgspec.json.Decoder(Session)
    return [decoder.decode(line) for line in path.read_bytes().splitlines() if line.strip()]


def build_parser() -> Parser:
    return Parser(ExerciseMatcher.from_fixtures())


def run_session(parser: Parser, session: Session) -> Iterator[tuple[Turn, ParseResult]]:
    """Turns in order, each with the parser's own previous output as context (as a live session would)."""
    previous: ParsedSet | None = None
    recent: list[str] = []
    for turn in session.turns:
        result = parser.parse(turn.text, unit=session.default_unit, previous=previous, recent=tuple(recent))
        p = result.parsed
        if p.intent in ("log_set", "correction"):
            previous = p
            if p.exercise is not None and p.exercise.id not in recent:
                recent.insert(0, p.exercise.id)
        yield turn, result


def score_turn(parsed: ParsedSet, expected: Expected) -> dict[str, bool]:
    got_ex = parsed.exercise.id if parsed.exercise else None
    return {
        "exercise": got_ex in expected.exercise_ids,
        "sets": parsed.sets == expected.sets,
        "reps": parsed.reps == expected.reps,
        "weight": parsed.weight == expected.weight,
        "unit": parsed.unit == expected.unit,
        "rpe": parsed.rpe == expected.rpe,
        "duration_s": parsed.duration_s == expected.duration_s,
    }


class Baseline:
    """The naive way: rapidfuzz `process.extractOne` with `WRatio` over the catalog names."""

    def __init__(self) -> None:
        catalog = list(load_catalog())
        self.names = [e.name for e in catalog]
        self.ids = [e.id for e in catalog]

    def top1(self, text: str) -> str | None:
        if not text:
            return None
        hit = process.extractOne(text, self.names, scorer=fuzz.WRatio)
        return self.ids[hit[2]] if hit else None


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _garble_word(word: str, rng: random.Random) -> str:
    if len(word) < 3:
        return word
    k = rng.randrange(1, len(word) - 1)
    op = rng.choice(("drop", "swap", "sub", "add"))
    if op == "drop":
        return word[:k] + word[k + 1 :]
    if op == "swap":
        return word[: k - 1] + word[k] + word[k - 1] + word[k + 1 :]
    if op == "sub":
        return word[:k] + rng.choice(_LETTERS) + word[k + 1 :]
    return word[:k] + rng.choice(_LETTERS) + word[k:]


def perturb(sessions: list[Session], seed: int = 7) -> list[Session]:
    """The dev set with speech-to-text-like damage to each exercise phrase (letters garbled, or a word
    from another exercise slipped in), expected answers unchanged. It exists to measure whether
    confidence drops when the answer goes wrong, which the clean dev set cannot show once it is solved.
    Dropping a word is left out on purpose: "handstand push-ups" without "handstand" names another real
    exercise, so the expected answer would no longer be what the words say.
    Generated at run time from the dev file; no sentence is stored.
    """
    rng = random.Random(seed)
    catalog_words = sorted({w for e in load_catalog() for w in re.findall(r"[a-z]{4,}", e.name.lower())})
    out = []
    for session in sessions:
        turns = []
        for turn in session.turns:
            variant = turn.tags.get("variant")
            text = turn.text
            low = text.lower()
            if isinstance(variant, str) and variant and variant in low:
                words = variant.split()
                mode = rng.choice(("garble", "garble", "intrude"))
                if mode == "intrude":
                    words.insert(rng.randrange(len(words) + 1), rng.choice(catalog_words))
                else:
                    k = rng.randrange(len(words))
                    words[k] = _garble_word(words[k], rng)
                start = low.index(variant)
                text = text[:start] + " ".join(words) + text[start + len(variant) :]
            turns.append(msgspec.structs.replace(turn, text=text))
        out.append(msgspec.structs.replace(session, turns=turns))
    return out


_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _below_100(n: int) -> str:
    if n < 10:
        return _ONES[n]
    if n < 20:
        return _TEENS[n - 10]
    tens, ones = divmod(n, 10)
    return _TENS[tens] + ("" if ones == 0 else " " + _ONES[ones])


def _words(n: int, rng: random.Random) -> str:
    if n < 100 or n >= 1000:
        return _below_100(n) if n < 100 else str(n)
    hundreds, rest = divmod(n, 100)
    style = rng.choice(("formal", "plain", "gym"))
    if style == "gym" and rest:  # "two twenty five", "four oh five"
        return f"{_ONES[hundreds]} {_below_100(rest) if rest >= 10 else 'oh ' + _ONES[rest]}"
    head = "a hundred" if hundreds == 1 and rng.random() < 0.5 else f"{_ONES[hundreds]} hundred"
    if not rest:
        return head
    return f"{head}{' and ' if style == 'formal' else ' '}{_below_100(rest)}"


def say_numbers(sessions: list[Session], seed: int = 11) -> list[Session]:
    """The dev set with every number written in digits said in words instead ("225" -> "two twenty five",
    "a hundred and thirty five", ...; "62.5" -> "sixty two point five" or "... and a half"); "3x10" stays."""
    rng = random.Random(seed)

    def say(m: re.Match[str]) -> str:
        whole, _, frac = m.group(0).partition(".")
        head = _words(int(whole), rng)
        if not frac:
            return head
        if frac == "5" and rng.random() < 0.5:
            return f"{head} and a half"
        return f"{head} point {' '.join(_ONES[int(c)] for c in frac)}"

    digits = re.compile(r"(?<![\dx.])\d+(?:\.\d+)?(?![\dx])")
    return [
        msgspec.structs.replace(
            s, turns=[msgspec.structs.replace(t, text=digits.sub(say, t.text)) for t in s.turns]
        )
        for s in sessions
    ]


def write_report(out: Path, stem: str, data: dict[str, Any], markdown: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{stem}.json").write_text(json.dumps(data, indent=2) + "\n")
    (out / f"{stem}.md").write_text(markdown)
