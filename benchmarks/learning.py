"""Learning from corrections: replay a lifter correcting a misread exercise once, then saying it again.

For every turn of the held-out splits whose exercise the reader gets wrong, the lifter corrects it
once: the phrase the reader extracted becomes their own alias for the exercise they meant (what
`server/learning/` does on a correction). Then the same phrase comes back twice, in the sentence it
came from and in new sentences with other numbers; the report says how often it is right the second
time. Two checks that learning hurts nobody: this lifter's other turns, read with all their learned
aliases, against the same turns read without; and another lifter (no aliases) reads exactly as before.

Run: python benchmarks/learning.py [--out benchmarks/results]
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import build_parser, dev_args, load_dev, score_turn, write_report
from benchmarks.splits import SPLITS
from matcher.parser import Parser

__all__ = ["replay_corrections"]

_AGAIN = ("{p} 100 for 8", "9 reps of {p} at 45", "{p}, 3 sets of 10 at 70 kilos")
_SPLITS = ("train", "held-out (generated)", "held-out (hand-written)")


def _pct(n: int, d: int) -> float | None:
    return round(100.0 * n / d, 2) if d else None


def replay_corrections(parser: Parser) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in _SPLITS:
        path = SPLITS[name][0]
        if not path.exists():
            continue
        turns = [(t, s.default_unit) for s in load_dev(path) for t in s.turns if t.expected.exercise_ids]
        own: dict[str, str] = {}
        misread = unnamed = 0
        for turn, unit in turns:
            r = parser.parse(turn.text, unit=unit)
            got = r.parsed.exercise.id if r.parsed.exercise else None
            phrase = r.trace.exercise_phrase
            if got not in turn.expected.exercise_ids:
                misread += 1
                if phrase:
                    own.setdefault(phrase, turn.expected.exercise_ids[0])
                else:
                    unnamed += 1
        again = again_right = 0
        for turn, unit in turns:
            first = parser.parse(turn.text, unit=unit)
            phrase = first.trace.exercise_phrase
            if (first.parsed.exercise.id if first.parsed.exercise else None) in turn.expected.exercise_ids:
                continue
            if not phrase:
                continue  # no name was said ("same again" read without its context): nothing to learn
            wanted = set(turn.expected.exercise_ids)
            sentences = [turn.text] + [t.format(p=phrase) for t in _AGAIN]
            for text in sentences:
                r = parser.parse(text, unit=unit, own=own)
                again += 1
                again_right += bool(r.parsed.exercise and r.parsed.exercise.id in wanted)
        # the same lifter's turns that were right before: still right with all their aliases?
        kept = kept_right = 0
        for turn, unit in turns:
            before = parser.parse(turn.text, unit=unit)
            if not all(score_turn(before.parsed, turn.expected).values()):
                continue
            kept += 1
            kept_right += all(
                score_turn(parser.parse(turn.text, unit=unit, own=own).parsed, turn.expected).values()
            )
        out[name] = {
            "turns": len(turns),
            "misread": misread,
            "misread_with_no_name": unnamed,
            "learned_aliases": len(own),
            "said_again": again,
            "right_the_second_time_pct": _pct(again_right, again),
            "right_turns_checked": kept,
            "right_turns_still_right_pct": _pct(kept_right, kept),
        }
    return out


_SYLLABLES = ("zor", "bla", "kin", "tev", "mup", "dra", "quo", "fel", "nib", "ga", "shu", "rok", "vim", "tal")
_FIRST = (
    "{p} 80 for 10",
    "just did {p}, 12 reps at 35",
    "3 sets of 8 {p} at 60 kilos",
    "{p} 100 for 5 at rpe 8",
    "{p}: 45 pounds x 15",
)
_NEXT = ("{p} 90 for 8", "10 reps of {p} at 40", "{p}, 4 sets of 6 at 75", "hey log {p} 50 for 12, felt easy")


def nickname_replay(parser: Parser, n: int = 200, seed: int = 5) -> dict[str, Any]:
    """Lifters' own made-up names (no catalog word or alias could know them: "zorbla", "the kintev
    pull"), each corrected once after its first turn, then said in four new sentences."""
    import random

    rng = random.Random(seed)
    catalog = list(getattr(parser, "_matcher").catalog)  # noqa: B009 - benchmarks read the matcher's catalog
    right = said = learned = 0
    own: dict[str, str] = {}
    for _ in range(n):
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 3))))
        nick = rng.choice(
            (word, f"the {word}", f"{word} {rng.choice(('press', 'pull', 'thing', 'row', 'curl'))}")
        )
        meant = rng.choice(catalog).id
        first = parser.parse(rng.choice(_FIRST).format(p=nick), unit="lb", own=own)
        phrase = first.trace.exercise_phrase
        if phrase and not (first.parsed.exercise and first.parsed.exercise.id == meant):
            own[phrase] = meant
            learned += 1
        for template in _NEXT:
            r = parser.parse(template.format(p=nick), unit="lb", own=own)
            said += 1
            right += bool(r.parsed.exercise and r.parsed.exercise.id == meant)
    return {
        "nicknames": n,
        "learned": learned,
        "said_again": said,
        "right_the_second_time_pct": _pct(right, said),
    }


def _markdown(r: dict[str, Any]) -> str:
    lines = [
        "# Learning from corrections",
        "",
        "Each misread exercise corrected once (the phrase becomes the lifter's own alias), then said "
        "again in its own sentence and in three new ones. Written by `benchmarks/learning.py`.",
        "",
        "| split | turns | misread | aliases learned | said again | right the 2nd time | "
        "right turns still right |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, x in r.items():
        if name == "nicknames":
            continue
        lines.append(
            f"| {name} | {x['turns']} | {x['misread']} ({x['misread_with_no_name']} with no name) | "
            f"{x['learned_aliases']} | {x['said_again']} | "
            f"{x['right_the_second_time_pct']}% | {x['right_turns_still_right_pct']}% of "
            f"{x['right_turns_checked']} |"
        )
    nick = r.get("nicknames")
    if nick:
        lines += [
            "",
            f"Made-up names no catalog could know ({nick['nicknames']} of them, {nick['learned']} misread at "
            "first and corrected once, then "
            f"said in four new sentences): right the second time {nick['right_the_second_time_pct']}% of "
            f"{nick['said_again']}.",
        ]
    lines += ["", "Another lifter has no aliases, so reads every turn exactly as the 'before' column."]
    return "\n".join(lines) + "\n"


def main() -> None:
    args = dev_args(__doc__.splitlines()[0])
    parser = build_parser()
    report = replay_corrections(parser)
    report["nicknames"] = nickname_replay(parser)
    write_report(args.out, "learning", report, _markdown(report))
    print(_markdown(report))


if __name__ == "__main__":
    main()
