"""The rewrites that turn what a lifter said into what the grammar reads: spoken forms to one wording
("benched" -> "bench", "take twenty off" -> "drop twenty", "k g" -> "kg"), comments and fillers out.

Each rewrite is a general wording rule; `clean(text)` applies them all, cheapest first.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from matcher.numbers import NUMBER_WORDS

__all__ = ["PER_HAND", "clean"]

# The marker "each arm" / "per hand" leaves in the cleaned text for the grammar.
PER_HAND = "perhand"

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
# a number an RPE can be, as a lifter says it (5..10)
_RPE_NUMBER = r"(?:10|[5-9](?:\.5)?|five|six|seven|eight|nine|ten)\b"
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
    # Effort said in words: "effort seven", "effort of 8", "eight-ish effort", "rate it a seven",
    # "i'd rate that an eight": the number is an RPE, never a load.
    (
        re.compile(
            r"\b(?:effort|exertion)(?: (?:level|was|is|of|at|around|about|maybe|like|felt like|'s))* "
            rf"(?:an? )?(?={_RPE_NUMBER})"
            r"|\brat(?:e|ed|ing)(?: (?:it|that|this|the set))?(?: (?:as|at|like))?(?: (?:an?|a solid))? "
            rf"(?={_RPE_NUMBER})"
        ),
        " rpe ",
        ("effort", "exertion", "rate", "rating"),
    ),
    (
        re.compile(rf"\b({_RPE_NUMBER}(?:\.5| and a half| point five)?)(?:-?ish)? (?:effort|exertion)\b"),
        r" rpe \1 ",
        ("effort", "exertion"),
    ),
    # "at sixty two in the tank": reps in reserve are a single digit, so "sixty two" said before "in
    # the tank" is a load and a count of reps left, not 62.
    (
        re.compile(
            r"\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety) (one|two|three|four|five) "
            r"(?=(?:reps? )?(?:left )?in (?:the )?(?:reserve|tank)\b)"
        ),
        r"\1 , \2 ",
        ("reserve", "tank"),
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
    # "bump it ten", "drop that by twenty": the pronoun is the load already on the bar
    (
        re.compile(
            r"\b(add|bump|bumped|increase|increased|drop|dropped|lower|reduce|decrease)"
            r"(?: it| that| the weight| the load)(?: by)? (?=[\w.]+)(?!up\b|down\b|off\b|back\b)"
        ),
        r" \1 ",
        (" it ", " that ", " the weight ", " the load "),
    ),
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
_NOT_A_VERDICT = (
    r"(?:rpe|rir|inreserve|at|for|with|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"kilos?|kgs?|kilograms?|pounds?|lbs?|reps?|sets?|\d|a\b|an\b)"
)
# a verdict ends its clause ("that one was a grinder, ..."); "that was chin-ups eight reps" names a lift
_VERDICT_ENDS = r"(?=\s*(?:$|[,.!?;]|(?:and|but|so|though|honestly|today|man|bro|dude)\b))"
_INTENS = r"(?:(?:pretty|really|so|super|very|kinda|kind of|a bit|a little|quite|way too|too) )?"
# Comments about how the set went: dropped, leaving a pause so they never join two phrases.
_COMMENTS = re.compile(
    r"\b(?:(?:that|this|it|which|(?:the )?(?:last|final|first) (?:set|one|rep|few reps)|the set|everything|"
    r"it all) (?:was|felt|is|looked|were)|felt|feeling|feels|felt like it was) "
    rf"{_INTENS}{_ADJ}\b"
    # "that one was a grinder", "the last rep looked ugly": any word after "that one was" is a verdict,
    # unless it is a number or an effort ("that was eight", "that was rpe nine")
    r"|\b(?:that|this|the last|the first|the final)(?: one| set| rep)? (?:was|felt|is|looked)"
    r"(?: (?:a|an|kind of|kinda|pretty|really|so|super|very|too|a bit|a little|absolute|total))* "
    rf"(?!{_NOT_A_VERDICT})[a-z']+\b{_VERDICT_ENDS}"
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


# "hey, log push ups ...", "write down squat: ...", "record 2 sets of ...": a request to log, said
# before the set. Only at the start, so the Log Lift ("log press 200 for 3") and a set of lifts said
# later keep their words.
_LEAD_IN = re.compile(
    r"^[\s,.!?]*(?:(?:hey|hi|yo|ok|okay|so|alright|all right|um+|uh+|please)[\s,.!?]+)*"
    r"(?:(?:can you|could you|would you|let me|let's|lets|i want to|i wanna|i'd like to|go ahead and) )?"
    r"(?:log|record|write down|write|note down|note|jot down|put down|mark down|track|enter|save)"
    r"(?: (?:this|that|it|these|me|down|in))?(?![\w-])(?! (?:lift|press|clean|row|carry)\b)[\s,:.!?]*"
)


def _split_number_hyphen(m: re.Match[str]) -> str:
    """ "two-twenty-five" is three number words; "push-ups" stays one word."""
    parts = m.group(0).split("-")
    return " ".join(parts) if all(p in NUMBER_WORDS or p in ("oh", "a", "and") for p in parts) else m.group(0)


_SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    s = text.lower()
    for pattern, repl, needles in _SUBS:
        if any(n in s for n in needles):
            s = pattern.sub(repl, s)
    s = _LEAD_IN.sub("", s, count=1)
    s = _COMMENTS.sub(" , ", s)
    s = _FILLERS.sub(" ", s)
    return _SPACES.sub(" ", s).strip(" ")
