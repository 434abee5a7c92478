"""From a transcript to tokens: lower-case, fillers and comments out (matcher/rewrites.py), spoken numbers
folded into one token.

The cleaned text is kept (`Normalized.text`) and every token points into it, so the exercise phrase
the grammar finds is a slice of what was said, hyphens and all.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from matcher.numbers import NUMBER_WORDS, digits_value, plural_spelling, read_number
from matcher.rewrites import PER_HAND, clean
from matcher.split_numbers import join_split_numbers
from matcher.tokens import Token

__all__ = ["LIMB_WORDS", "PER_HAND", "Normalized", "Token", "clean", "normalize", "tokenize"]


class Normalized(NamedTuple):
    text: str
    tokens: list[Token]


_TOKEN = re.compile(r"\d+(?:\.\d+)?(?:'?s\b)?|[a-z]+(?:['\-][a-z]+)*'?s?|[,.;:!?]")
LIMB_WORDS = frozenset({"arm", "arms", "armed", "leg", "legs", "legged", "hand", "handed", "side", "sided"})
_TWO_HANDED = frozenset({"arm", "arms", "armed", "hand", "handed"})
_REP_WORDS = {
    "single": 1.0,
    "double": 2.0,
    "triple": 3.0,
    "singles": 1.0,
    "doubles": 2.0,
    "triples": 3.0,
}
# "double unders", "single arm", "double kettlebell": here the word is part of a name, not a count.
# What follows a rep word that counts: a pause, a number, or a word of the set ("a double at 405").
_AFTER_REP_WORD = frozenset(
    {
        "at",
        "with",
        "rpe",
        "on",
        "for",
        "of",
        "and",
        "then",
        "rir",
        "leaving",
        "plus",
        "sorry",
        "same",
        "again",
    }
)
_NAMED_AFTER_REP_WORD = LIMB_WORDS | {
    "under",
    "unders",
    "crunch",
    "crunches",
    "kettlebell",
    "kettlebells",
    "kb",
    "dumbbell",
    "dumbbells",
    "db",
    "cable",
    "extension",
    "extensions",
    "bar",
    "handle",
    "grip",
    "bell",
    "bells",
}
# "drop two one eighty five": "two" right after one of these and before a number is the word "to".
# Only verbs: "raise", "back", "down", "up" end exercise names ("calf raise two twenty").
_TO_VERBS = frozenset(
    {
        "drop",
        "dropped",
        "dropping",
        "go",
        "going",
        "went",
        "bump",
        "bumped",
        "bumping",
        "increase",
        "increased",
        "decrease",
        "decreased",
        "reduce",
        "reduced",
        "lower",
        "lowered",
        "change",
        "changed",
        "jump",
        "jumped",
        "move",
        "moved",
    }
)
# After these a "to" really is "to" ("down to twenty five"), never a misheard "two".
_TO_CONTEXT = _TO_VERBS | {
    "down",
    "up",
    "back",
    "from",
    "it",
    "that",
    "this",
    "them",
    "weight",
    "is",
    "was",
    "be",
    "way",
    "raise",
    "raised",
    "add",
    "added",
}


def normalize(text: str) -> Normalized:
    s = clean(text)
    return Normalized(s, tokenize(s))


_TENS_WORDS = frozenset({"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"})
# a connective still to come that brings the rep count: "... for 5", "... x 5", a "four" read as "for"
# ("for twenty reps" has none: twenty is the count)
_COUNT_LATER = frozenset({"for", "four", "x", "times", "by"})
_PRONOUN_ONE = frozenset(
    {"last", "first", "next", "final", "other", "this", "that", "which", "hard", "heavy", "good"}
)


def tokenize(s: str) -> list[Token]:
    """Tokens of an already cleaned string, spoken numbers folded into single "num" tokens."""
    raw = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(s)]
    # "the eighty's", "the thirtys": spellings of a plural number word the reader knows.
    words = [w if w in NUMBER_WORDS else (plural_spelling(w) or w) for w, _, _ in raw]
    tokens: list[Token] = []
    i = 0
    n = len(raw)
    while i < n:
        w, a, b = raw[i]
        if w[0].isdigit():
            dv = digits_value(w)
            if dv is not None:
                tokens.append(Token("num", w, a, b, dv[0], dv[1]))
                i += 1
                continue
        if w in (",", ".", ";", ":", "!", "?"):
            tokens.append(Token("punct", ",", a, b))
            i += 1
            continue
        if (
            w == "one"
            and tokens
            and tokens[-1].text in _PRONOUN_ONE
            and (i + 1 == n or not _starts_number(words, i + 1))
        ):
            # "spotter helped on the last one", "that one was a grinder": a pronoun, not a count
            tokens.append(Token("word", w, a, b))
            i += 1
            continue
        if w in ("a", "one") and i + 1 < n and words[i + 1] in _REP_WORDS:
            tokens.append(
                Token("num", s[a : raw[i + 1][2]], a, raw[i + 1][2], _REP_WORDS[words[i + 1]], rep_word=True)
            )
            i += 2
            continue
        if (
            w == "two"
            and i + 1 < n
            and _starts_number(words, i + 1)
            and words[i + 1] not in ("hundred", "thousand")
            and tokens
            and tokens[-1].text in _TO_VERBS
        ):
            tokens.append(Token("word", "to", a, b, guess="two as to"))
            i += 1
            continue
        if (
            w in ("one", "two", "single", "double")
            and i + 1 < n
            and words[i + 1] in LIMB_WORDS
            and (w != "two" or words[i + 1] in _TWO_HANDED)  # nothing is named "two leg ..."
            and not _counts_here(tokens)
        ):
            tokens.append(Token("word", w, a, b))  # "one arm row" names the exercise, it counts nothing
            i += 1
            continue
        if w in _REP_WORDS and _rep_word_here(words, i):
            # "squat 315 triple"; "three doubles at 405" (the plural counts sets of it)
            tokens.append(Token("num", w, a, b, _REP_WORDS[w], rep_word=True))
            i += 1
            continue
        if (
            w == "that"
            and i + 1 < n
            and _starts_number(words, i + 1)
            and not (words[i + 1] == "one" and (i + 2 == n or not _starts_number(words, i + 2)))
        ):
            tokens.append(Token("word", "at", a, b, guess="that as at"))  # "pull down that thirty"
            i += 1
            continue
        if w == "my" and tokens and tokens[-1].kind == "num" and i + 1 < n and _starts_number(words, i + 1):
            tokens.append(Token("word", "by", a, b, guess="my as by"))  # "five my five": whisper's "by"
            i += 1
            continue
        guess = ""
        heard = _count_homophone(words, i, tokens)
        if heard is not None:
            words[i], guess = heard, f"count homophone: {w} as {heard}"
        elif (
            w == "to"
            and i + 1 < n
            and (tokens == [] or (tokens[-1].text not in _TO_CONTEXT and tokens[-1].kind != "num"))
            and (words[i + 1] in _TENS_WORDS)
        ):
            words[i] = "two"
            guess = "to as two"
        elif (
            w == "for"
            and i + 1 < n
            and words[i + 1] in _TENS_WORDS
            and tokens
            and tokens[-1].kind == "word"
            and not any(t.kind == "num" for t in tokens)
            and _COUNT_LATER.intersection(words[i + 2 :])
        ):
            # "dead lift for fifty five for a single": whisper's "for" for a spoken "four" hundred; the
            # reps have their own "for" later, so this one opens the load (455)
            words[i] = "four"
            guess = "for as four"
        if words[i] in NUMBER_WORDS or (w == "a" and i + 1 < n and words[i + 1] == "hundred"):
            r = read_number(words, i)
            if r is not None:
                end_char = raw[r.end - 1][2]
                tokens.append(
                    Token(
                        "num",
                        s[a:end_char],
                        a,
                        end_char,
                        r.value,
                        r.plural,
                        guess or ("shorthand hundreds" if r.shorthand else ""),
                    )
                )
                if r.guessed_for:
                    fa, fb = raw[r.end][1], raw[r.end][2]
                    tokens.append(Token("word", "for", fa, fb, guess="four as for"))
                    i = r.end + 1
                else:
                    i = r.end
                continue
        words[i] = w
        tokens.append(Token("word", w, a, b))
        i += 1
    return join_split_numbers(_four_between_numbers(tokens), s)


# Words whisper writes for a spoken count word ("for sets of eight", "free by twelve", "sorry, for").
_COUNT_HOMOPHONES = {"for": "four", "to": "two", "too": "two", "free": "three", "tree": "three"}
_COUNT_NOUNS = frozenset({"sets", "rounds"})
_CORRECTION_MARKERS = frozenset({"sorry", "no"})


def _count_homophone(words: list[str], i: int, tokens: list[Token]) -> str | None:
    """The number word a homophone stands for where only a number can be: before "sets" ("for sets of
    eight"), before "by"/"x" and a number ("free by twelve"), or as the last word of a self-correction
    after a number was said ("400 for three, sorry, for"). Elsewhere "for" and "to" are themselves."""
    heard = _COUNT_HOMOPHONES.get(words[i])
    if heard is None or (tokens and tokens[-1].kind == "num"):
        return None
    nxt = words[i + 1] if i + 1 < len(words) else None
    if nxt in _COUNT_NOUNS:
        return heard
    if nxt in ("by", "x", "my") and i + 2 < len(words) and _starts_number(words, i + 2):
        return heard
    before = [t for t in tokens if t.kind != "punct"]
    if (
        before
        and before[-1].text in _CORRECTION_MARKERS
        and any(t.kind == "num" for t in before)
        and (nxt is None or not (_starts_number(words, i + 1) or nxt in _COUNT_HOMOPHONES))
    ):
        return heard
    return None


def _rep_word_here(words: list[str], i: int) -> bool:
    """ "squat 315 triple", "single at nine": a count; "double hyperextensions", "single arm": a name."""
    if i + 1 >= len(words):
        return True
    nxt = words[i + 1]
    if nxt in _NAMED_AFTER_REP_WORD:
        return False
    return nxt in _AFTER_REP_WORD or _starts_number(words, i + 1) or not nxt[:1].isalpha()


def _counts_here(tokens: list[Token]) -> bool:
    """After "sets of" / "3 x" a "one" before "leg press" is the rep count; elsewhere "one arm" is a name."""
    if len(tokens) < 2 or tokens[-1].text not in ("of", "x", "by"):
        return False
    return tokens[-2].kind == "num" or tokens[-2].text in ("set", "sets", "round", "rounds")


def _starts_number(words: list[str], i: int) -> bool:
    return words[i] in NUMBER_WORDS or words[i][:1].isdigit()


def _four_between_numbers(tokens: list[Token]) -> list[Token]:
    """ "225 four 5": a lone spoken "four" between two numbers is the word "for"."""
    out = list(tokens)
    for k in range(1, len(out) - 1):
        t = out[k]
        if t.kind == "num" and t.text == "four" and out[k - 1].kind == "num" and out[k + 1].kind == "num":
            out[k] = Token("word", "for", t.start, t.end, guess="four as for")
    return out
