"""The grammar's vocabulary: each word's symbol, and the words that never name an exercise alone."""

from __future__ import annotations

from matcher.units import UNIT_WORDS

__all__ = ["FUNCTION_WORDS", "STOP_WORDS", "SYMBOLS", "symbol_of"]

# Word -> one-character symbol for the rule patterns in matcher/grammar.py; any other word is "y".
SYMBOLS: dict[str, str] = {
    # 3 x 10, 3 by 10
    **dict.fromkeys(["x", "by"], "x"),
    # times
    **dict.fromkeys(["times"], "X"),
    # reps
    **dict.fromkeys(["rep", "reps", "repetitions", "rips", "raps"], "R"),
    # sets, rounds
    **dict.fromkeys(["set", "sets", "round", "rounds"], "S"),
    # for
    **dict.fromkeys(["for"], "f"),
    # at
    **dict.fromkeys(["at"], "a"),
    # with
    **dict.fromkeys(["with"], "h"),
    # of
    **dict.fromkeys(["of"], "o"),
    # and (speech-to-text's 'of')
    **dict.fromkeys(["and"], "&"),
    # the
    **dict.fromkeys(["the"], "t"),
    # a, an
    **dict.fromkeys(["a", "an"], "n"),
    # rpe
    **dict.fromkeys(["rpe", "rp"], "P"),
    # rir
    **dict.fromkeys(["rir"], "Q"),
    # in reserve (merged by normalize)
    **dict.fromkeys(["inreserve"], "Z"),
    # leaving
    **dict.fromkeys(["leaving", "leave"], "l"),
    # seconds, minutes
    **dict.fromkeys(["second", "seconds", "sec", "secs", "s", "minute", "minutes", "min", "mins"], "D"),
    # the implement after a load
    **dict.fromkeys(["dumbbell", "dumbbells", "kettlebell", "kettlebells", "bell", "bells"], "B"),
    # plates
    **dict.fromkeys(["plate", "plates"], "p"),
    # plus
    **dict.fromkeys(["plus"], "+"),
    # more
    **dict.fromkeys(["more"], "m"),
    # another
    **dict.fromkeys(["another"], "M"),
    # same
    **dict.fromkeys(["same"], "s"),
    # again
    **dict.fromkeys(["again"], "g"),
    # weight
    **dict.fromkeys(["weight"], "W"),
    # add
    **dict.fromkeys(["add", "adding", "added", "increase", "bump"], "A"),
    # up / down: only with 'to'
    **dict.fromkeys(["up", "down"], "v"),
    # drop
    **dict.fromkeys(
        [
            "drop",
            "dropped",
            "minus",
            "reduce",
            "lower",
            "decrease",
            "subtract",
            "subtracted",
            "strip",
            "remove",
        ],
        "V",
    ),
    # "ten pounds heavier", "twenty lighter": a change said after the number
    **dict.fromkeys(["heavier"], "H"),
    **dict.fromkeys(["lighter", "less"], "K"),
    # to
    **dict.fromkeys(["to"], "T"),
    # each, per
    **dict.fromkeys(["each", "per", "hand", "side", "apiece"], "e"),
    # a take-back (self-correction)
    **dict.fromkeys(["sorry"], "!"),
    # a distance ("for 40 meters"): not part of a ParsedSet, but never a rep count
    **dict.fromkeys(["meters", "meter", "metres", "metre", "yards", "yard", "yds", "miles", "mile"], "L"),
    **dict.fromkeys(UNIT_WORDS, "U"),
}

# Words that never name an exercise on their own: trimmed from the ends of a phrase.
STOP_WORDS = frozenset(
    [
        "a",
        "add",
        "again",
        "an",
        "and",
        "another",
        "apiece",
        "at",
        "but",
        "by",
        "drop",
        "each",
        "heavier",
        "go",
        "going",
        "come",
        "coming",
        "came",
        "lighter",
        "less",
        "for",
        "had",
        "in",
        "is",
        "it",
        "leaving",
        "left",
        "more",
        "my",
        "no",
        "of",
        "on",
        "pair",
        "per",
        "perhand",
        "plus",
        "rep",
        "reps",
        "rir",
        "round",
        "rounds",
        "rpe",
        "same",
        "set",
        "sets",
        "so",
        "some",
        "sorry",
        "that",
        "the",
        "then",
        "though",
        "this",
        "to",
        "total",
        "uh",
        "um",
        "was",
        "weight",
        "with",
        "x",
        "yes",
    ]
)


def symbol_of(word: str) -> str:
    return SYMBOLS.get(word, "y")


# English closed-class words (pronouns, auxiliaries, determiners, intensifiers): talk, never part of
# a name, however they sound ("are" shares a key with "arm").
FUNCTION_WORDS = frozenset(
    (  # noqa: SIM905 - a word list reads better as words
        "i me my mine you your yours he him his she her hers it its we us our they them their this "
        "that these those there here is are was were be been being am do does did have has had will "
        "would can could should shall may might must not no so too very really quite just still even "
        "also then than now today tonight what which who why how when where if because though while "
        "yet all some any much many more most less few lot lots bit kind sort pretty super kinda"
    ).split()
)
