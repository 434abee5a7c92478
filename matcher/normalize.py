"""From a transcript to tokens: lower-case, fillers and comments out, spoken numbers folded into one token.

The cleaned text is kept (`Normalized.text`) and every token points into it, so the exercise phrase
the grammar finds is a slice of what was said, hyphens and all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from matcher.numbers import NUMBER_WORDS, digits_value, plural_spelling, read_number

__all__ = ["LIMB_WORDS", "PER_HAND", "Normalized", "Token", "clean", "normalize", "tokenize"]

# The marker "each arm" / "per hand" leaves in the cleaned text for the grammar.
PER_HAND = "perhand"


class Token(NamedTuple):
    kind: str  # "num", "word" or "punct"
    text: str
    start: int
    end: int
    value: float | None = None
    plural: bool = False  # "the 60s", "the seventy fives"
    guess: str = ""  # why this token is a guess ("four as for", "to as two"); empty when certain
    rep_word: bool = False  # "a single", "a double": a count of reps said as a word


class Normalized(NamedTuple):
    text: str
    tokens: list[Token]


_NUMBER_ALT = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
# "I benched 185", "was squatting 275": the verb names the lift, so it becomes the lift's noun.
# "rowing" stays (it is also the rowing machine); "pulled" + a load is a deadlift in gym speech.
_LIFT_VERBS = {
    "bench": ("benched", "benching"),
    "squat": ("squatted", "squatting", "squated"),
    "deadlift": ("deadlifted", "deadlifting", "dead lifted", "dead lifting"),
    "press": ("pressed", "pressing"),
    "curl": ("curled", "curling"),
    "row": ("rowed",),
    "shrug": ("shrugged", "shrugging"),
    "lunge": ("lunged", "lunging"),
    "dip": ("dipped", "dipping"),
    "clean": ("cleaned", "cleaning"),
    "snatch": ("snatched", "snatching"),
    "jerk": ("jerked", "jerking"),
    "thrust": ("thrusted", "thrusting"),
    "swing": ("swung", "swinging"),
    "carry": ("carried", "carrying"),
    "pull": ("pulled", "pulling"),
    "push": ("pushed", "pushing"),
    "raise": ("raised", "raising"),
}
_OFF_VERBS = (
    "take|took|taking|takes|knock|knocked|knocking|strip|stripped|stripping|pull|pulled|pulling|"
    "shave|shaved|peel|peeled"
)
_ON_VERBS = "put|putting|throw|threw|throwing|slap|slapped|load|loaded|stick|stuck|tack|tacked|toss|tossed"
_MOVE_VERBS = (
    "go|going|goes|went|come|coming|came|bump|bumped|bumping|jump|jumped|jumping|move|moved|moving|"
    "bring|brought|take|took|bumps|crank|cranked|knock|knocked|drop|dropped|dropping"
)
# "pulled 405 off the floor" is a deadlift, not a change of load.
_FROM_THE_FLOOR = r"(?! (?:the |a )?(?:floor|ground|blocks?|pins?|rack|deck|box))"
_PLATE_COINS = {"quarter": "25", "dime": "10", "nickel": "5"}
_LIFT_VERB_FORMS = {form: noun for noun, forms in _LIFT_VERBS.items() for form in forms}
_Repl = str | Callable[[re.Match[str]], str]
# (pattern, replacement, needles): a rewrite runs only if one of its needles is in the text, which
# keeps the common sentence (that needs none of them) cheap.
_SUBS: list[tuple[re.Pattern[str], _Repl, tuple[str, ...]]] = [
    (re.compile(r"[’‘`]"), "'", ("’", "‘", "`")),
    (re.compile(r"(\d),(\d{3})\b"), r"\1\2", (",",)),
    (re.compile(r"(\d+(?:\.\d+)?)\s*[x×*]\s*(\d+)\b"), r"\1 x \2", ("x", "×", "*")),
    (re.compile(r"(\d)\s*(lbs?|kgs?|kilos?|pounds?)\b"), r"\1 \2", ("lb", "kg", "kilo", "pound")),
    (re.compile(r"(\d)k\b"), r"\1 kg", ("k",)),
    # Units spelled out letter by letter or split by speech-to-text: "k g", "kay gee", "l b s", "kilo grams".
    (re.compile(r"\b(?:k\.? g\.?|kay gee)(?: ?s)?\b"), " kg ", ("k g", "k. g", "kay gee")),
    (re.compile(r"\bl\.? b\.?(?: ?s)?\b"), " lbs ", ("l b", "l. b")),
    (re.compile(r"\bkilo grams?\b"), " kilograms ", ("kilo gram",)),
    (re.compile(r"\br\.?\s*p\.?\s*e\b\.?"), "rpe", ("r p", "r.p", "rp")),
    (re.compile(r"\brpe?-?(?=\d)"), "rpe ", ("rp",)),
    (re.compile(r"\br\.?\s*i\.?\s*r\b\.?"), "rir", ("r i", "r.i", "ri")),
    (re.compile(r"\be\.?\s*z\b\.?"), "ez", ("e z", "e.z", "ez")),
    (re.compile(r"\bd\.\s*b\b\.?"), "db", ("d.",)),
    # Reps in reserve said as a story: "could have done two more", "one more in me", "nothing left".
    (
        re.compile(
            r"\b(?:no|zero|nothing|none)(?: more)?(?: reps?)?(?: left)?(?: in (?:the )?(?:reserve|tank|me))"
            r"|\b(?:no|zero|nothing|none)(?: more)?(?: reps?)? left\b"
        ),
        " 0 inreserve ",
        ("no", "zero", "nothing", "none"),
    ),
    (
        re.compile(
            r"\bcould(?: have|'ve| of)?(?: done| gotten| got| hit| had| squeezed out| ground out| managed)? "
            r"(?:maybe |probably |like )?([\w.]+) more(?: reps?)?(?: in me| left)?\b"
            r"|\b(?:had )?([\w.]+) more(?: reps?)? (?:in me|left(?: in me)?)\b"
            r"|\bwith ([\w.]+)(?: reps?)? left\b(?! (?:arm|leg|side|hand))"
        ),
        lambda m: f" {m.group(1) or m.group(2) or m.group(3)} inreserve ",
        ("could", " in me", " left"),
    ),
    (
        re.compile(r"\b([\w.]+(?: and a half| point five)?) out of (?:ten|10)\b"),
        r" rpe \1 ",
        ("out of",),
    ),
    (
        re.compile(r"\brpe(?: (?:was|is|of|around|about|maybe|probably|like|at|would be|felt like|'s))+ "),
        "rpe ",
        ("rpe",),
    ),
    (
        re.compile(r"\b(?:reps? )?(?:left )?in (?:the )?(?:reserve|tank)\b"),
        " inreserve ",
        ("reserve", "tank"),
    ),
    (
        re.compile(
            r"\b(?:felt|feels|feeling) like (?:(?:a|an) )?"
            r"(?=\d|one|two|three|four|five|six|seven|eight|nine|ten)"
        ),
        " at an ",
        ("like",),
    ),
    # Relative loads said every other way become "add" / "drop" (the grammar's delta words).
    (
        re.compile(rf"\b(?:{_OFF_VERBS}) (?:it |that |the weight )?(?:back )?off\b"),
        " drop ",
        (" off",),
    ),
    (
        re.compile(rf"\b(?:{_OFF_VERBS}) ((?:[\w.]+ ){{0,2}}?[\w.]+) off\b{_FROM_THE_FLOOR}"),
        r" drop \1 ",
        (" off",),
    ),
    (re.compile(rf"\b(?:{_ON_VERBS}) on (?:another |an extra |one more )?(?=[\w.]+)"), " add ", (" on",)),
    (
        re.compile(
            rf"\b(?:{_ON_VERBS}) ((?:[\w.]+ ){{0,2}}?[\w.]+) on\b"
            r"(?! (?:the |a |my )?(?:bench|floor|box|rack|bar))"
        ),
        r" add \1 ",
        (" on",),
    ),
    (
        re.compile(
            rf"\b(?:{_MOVE_VERBS})(?: it| that| the weight| things)? (up|down)(?: by| another)?\b(?! to\b)"
        ),
        lambda m: " add " if m.group(1) == "up" else " drop ",
        ("up", "down"),
    ),
    (re.compile(rf"\b(?:{_MOVE_VERBS})(?: it| that| the weight)? (?=(?:up|down) to\b)"), " ", ("up", "down")),
    (re.compile(r"\boff (?:of )?the (?:floor|ground)\b"), " , ", ("off",)),
    (
        re.compile(rf"(?:^|,)\s*(up|down)(?: by| another)? (?=\d|(?:{_NUMBER_ALT}|a)\b)"),
        lambda m: " , add " if m.group(1) == "up" else " , drop ",
        ("up", "down"),
    ),
    (
        re.compile(
            r"\b(?:add|adding|added|drop|dropped|dropping) (?:on |off )?(?:another|an extra|one more)\b"
        ),
        lambda m: " add " if m.group(0).startswith("add") else " drop ",
        ("another", "extra", "one more"),
    ),
    (
        re.compile(r"\b(?:" + "|".join(sorted(_LIFT_VERB_FORMS, key=len, reverse=True)) + r")\b"),
        lambda m: _LIFT_VERB_FORMS[m.group(0)],
        ("ed", "ing", "swung"),
    ),
    # How the reps were done, not how long the set was: "with a three second pause", "tempo three one one".
    (
        re.compile(
            r"\b(?:with |and )?(?:an? )?(?:[\w.]+ ){1,2}(?:second|sec|count)s? "
            r"(?:pause|paused|negative|eccentric|lowering|descent|tempo)s?\b"
        ),
        " , ",
        ("pause", "negative", "eccentric", "lowering", "descent", "tempo"),
    ),
    (
        re.compile(
            r"\b(?:(?:slow|controlled) )?tempo(?:[ -]+(?:\d|zero|one|two|three|four|five|x|oh)\b){0,4}"
        ),
        " , ",
        ("tempo",),
    ),
    # "eight reps not five": the value ruled out is not part of the set.
    (
        re.compile(rf"(?<=\w) ,? ?not (?:(?:{_NUMBER_ALT}|\d+(?:\.\d+)?|oh)\b ?)+"),
        " , ",
        ("not ",),
    ),
    (re.compile(r"\bi mean[t]?\b"), " sorry ", ("mean",)),  # before "i" goes out with the fillers
    (re.compile(r"\breps? left\b"), " inreserve ", ("left",)),
    (
        re.compile(
            r"\b(?:same (?:thing|as before|as last time|as the last one)|ditto|repeat(?: that| it)?)\b"
        ),
        " same again ",
        ("same", "ditto", "repeat"),
    ),
    (re.compile(r"\banother (?:one|1)\b"), " another set ", ("another",)),
    (re.compile(r"\b(?:a|one) buck\b"), " a hundred ", ("buck",)),  # "a buck eighty five" = 185
    # "a plate and a quarter": a 25 on each side as well (the grammar adds it per side).
    (
        re.compile(r"\b(plates?) and an? (quarter|dime|nickel)\b"),
        lambda m: f"{m.group(1)} and a {_PLATE_COINS[m.group(2)]}",
        ("quarter", "dime", "nickel"),
    ),
    (re.compile(r"\ba couple(?: of)?(?= more\b| sets?\b| reps?\b)"), " 2 ", ("couple",)),
    (re.compile(r"\b(?:to|till|until|all the way to) (?:absolute )?failure\b"), " rpe 10 ", ("failure",)),
    # Speech-to-text hears "four by twelve" as "for my twelve".
    (re.compile(rf"\bfor (?:my|by|buy|bye) (?=\d|(?:{_NUMBER_ALT})\b)"), " 4 by ", ("for m", "for b")),
    (re.compile(r"@"), " at ", ("@",)),
    (re.compile(r"\+"), " plus ", ("+",)),
    (re.compile(r"&"), " and ", ("&",)),
    (re.compile(r"#"), " lb ", ("#",)),
    (re.compile(r"\b[a-z]+(?:-[a-z]+)+\b"), lambda m: _split_number_hyphen(m), ("-",)),
    (re.compile(r"\b(\d+) point (\d+)\b"), r"\1.\2", (" point ",)),
    (re.compile(r"\b(\d+) and a half\b"), r"\1.5", ("and a half",)),
    (re.compile(r"\b(?:a )?minute and a half\b"), " 90 seconds ", ("minute and",)),
    (re.compile(r"\bhalf (?:a|of a) minute\b"), " 30 seconds ", ("half a", "half of")),
    # A load "each arm" / "per hand" is held in each hand: a dumbbell (or kettlebell) lift.
    (re.compile(r"\b(?:each|per|a) (?:arm|hand)\b"), f" , {PER_HAND} , ", ("each", "per ", " a ")),
    (re.compile(r"\b(?:each|per) (?:arm|leg|side|hand)\b"), " , ", ("each", "per ")),
    (re.compile(r"\b(?:at|with|just) (?:my )?(?:body ?weight|bw)\b"), " , ", ("body", "bw")),
    # "dips body weight for twelve", "chin ups bodyweight ten reps": the load word, not a name
    # ("bodyweight squat" keeps it).
    (
        re.compile(
            r"\b(?:body ?weight|bw)(?: only)?"
            rf"(?=\s*(?:$|[,.]|(?:for|x|plus|and|reps?|sets?|at)\b|\d|(?:{_NUMBER_ALT})\b))"
        ),
        " , ",
        ("body", "bw"),
    ),
    (
        re.compile(r"(?:^|,)\s*(?:body ?weight|bw|no weight|unweighted)\s*(?=,|\.|$)"),
        " , ",
        ("body", "bw", "weight"),
    ),
    (
        re.compile(r"\b(\d{1,2}):([0-5]\d)\b"),
        lambda m: f"{int(m.group(1)) * 60 + int(m.group(2))} seconds",
        (":",),
    ),
]

_ADJ = (
    r"(?:tough|hard|easy|brutal|rough|heavy|light|good|great|nice|solid|awful|killer|fine|smooth|grindy|"
    r"fast|slow|terrible|strong|weak|amazing|horrible|difficult|challenging|ok|okay|decent|fun)"
)
_INTENS = r"(?:(?:pretty|really|so|super|very|kinda|kind of|a bit|a little|quite|way too|too) )?"
# Comments about how the set went: dropped, leaving a pause so they never join two phrases.
_COMMENTS = re.compile(
    r"\b(?:(?:that|this|it|which|(?:the )?(?:last|final|first) (?:set|one|rep|few reps)|the set|everything|"
    r"it all) (?:was|felt|is|looked|were)|felt|feeling|feels|felt like it was) "
    rf"{_INTENS}{_ADJ}\b"
    r"|\bnice and (?:smooth|easy|slow|controlled|clean|crisp)\b"
    r"|\b(?:a )?(?:new )?(?:pr|personal (?:record|best))\b"
    r"|\b(?:warm ?up|warmup|working|top|back ?off) sets?\b"
    # Gear is not the lift: "put on my belt and ...", "with wraps", "beltless".
    r"|\b(?:(?:put on|threw on|wearing|with|without|no|in|using) )?(?:my |a |the )?"
    r"(?:belt|belted|beltless|knee wraps|wrist wraps|wraps|knee sleeves|sleeves|lifting shoes|chalk)\b"
    r"|\b(?:my |the |this |that )?(?:last|final|first|second|third|fourth|fifth|heavy|heavier|light|lighter|"
    r"hardest|heaviest|next) set(?: of)?\b"
    r"|\b(?:and )?do\b"  # "drop twenty and do eight": a pause, so "twenty" and "eight" stay apart
    r"|\b(?:(?:just|only) )?(?:(?:as )?an? |my )?(?:warm[ -]?ups?|warmups?)\b"
    rf"|\b(?:pretty|really|so|super|very|kinda|quite|way too|too) {_ADJ}\b"
    r"|\b(?:ugh+|solid|phew|whew|oof|brutal|yeah|yep|yay|wow|man|dude|bro|haha|nice)\b"
)
# Words that carry no meaning for the set. "did" and "just" can sit anywhere ("next, did ...").
_FILLERS = re.compile(
    r"\b(?:u+h+|u+m+|e+r+m*|hmm+|mm+|okay|ok|so|alright|all right|right then|well|logging|"
    r"just did|just finished|just|did|done|finished|held|"
    r"you know|probably|maybe|about|roughly|i think|i guess|"
    r"i'd say|i would say|id say|i'd call it|call it|"
    r"i've|i'm|i'd|i'll|i|we|got|completed|hit|hitting|doing|"
    r"performed|knocked out|banged out|cranked out|went|repped|repping|rep'd|paused|pause|pausing|"
    r"next set|next up|next|then|now|and then|for my next set|please|thanks|thank you|"
    r"let's see|let me see|like|gonna|going to log|this time|that time|this round|on this one|for this one)\b"
)


def _split_number_hyphen(m: re.Match[str]) -> str:
    """ "two-twenty-five" is three number words; "push-ups" stays one word."""
    parts = m.group(0).split("-")
    return " ".join(parts) if all(p in NUMBER_WORDS or p in ("oh", "a", "and") for p in parts) else m.group(0)


_TOKEN = re.compile(r"\d+(?:\.\d+)?(?:'?s\b)?|[a-z]+(?:['\-][a-z]+)*'?s?|[,.;:!?]")
_SPACES = re.compile(r"\s+")
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


def clean(text: str) -> str:
    s = text.lower()
    for pattern, repl, needles in _SUBS:
        if any(n in s for n in needles):
            s = pattern.sub(repl, s)
    s = _COMMENTS.sub(" , ", s)
    s = _FILLERS.sub(" ", s)
    return _SPACES.sub(" ", s).strip(" ")


def normalize(text: str) -> Normalized:
    s = clean(text)
    return Normalized(s, tokenize(s))


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
        if w == "that" and i + 1 < n and _starts_number(words, i + 1):
            tokens.append(Token("word", "at", a, b, guess="that as at"))  # "pull down that thirty"
            i += 1
            continue
        guess = ""
        if (
            w == "to"
            and i + 1 < n
            and (tokens == [] or (tokens[-1].text not in _TO_CONTEXT and tokens[-1].kind != "num"))
            and (
                words[i + 1] in ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
            )
        ):
            words[i] = "two"
            guess = "to as two"
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
    return _four_between_numbers(tokens)


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
