"""Words for retrieval: tokens, a light stemmer, stopwords, and the lifters' synonyms that connect how a
question is asked ("knees caving") to how a cue is written ("knee valgus")."""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["STOPWORDS", "expand", "stem", "tokens"]

_STOP = """a about above after again all am an and any are as at be because been before being below
    between both
    but by can could did do does doing down during each few for from further had has have having he her here
    hers him his how i if in into is it its just me more most my myself no nor not now of off on once only or
    other our out over own same she should so some such than that the their them then there these they this
    those through to too under until up very was we were what when where which while who why will with would
    you your yours get got keep make im ive dont whats much many really feel feels one also like
    any way"""
STOPWORDS = frozenset(_STOP.split())

_WORD = re.compile(r"[a-z0-9]+")

# Phrase → words it also means. Keys and values are raw words; both sides are stemmed before use.
_SYNONYMS: dict[str, str] = {
    "cave": "valgus inward collapse",
    "caving": "valgus inward collapse",
    "buckle": "valgus inward collapse",
    "buckling": "valgus inward collapse",
    "knock": "valgus inward",
    "ohp": "overhead press",
    "military": "overhead press",
    "shoulder press": "overhead press",
    "rdl": "romanian deadlift",
    "rdls": "romanian deadlift",
    "dl": "deadlift",
    "pull": "deadlift pull",
    "bench": "bench press",
    "chin": "pull-up",
    "chinup": "pull-up",
    "pullup": "pull-up",
    "sore": "soreness doms",
    "doms": "soreness",
    "aching": "soreness pain",
    "hurt": "pain",
    "hurts": "pain",
    "twinge": "pain injury",
    "tweaked": "injury pain",
    "injured": "injury",
    "cut": "diet fat loss deficit",
    "cutting": "diet fat loss deficit",
    "lean": "fat loss",
    "shred": "fat loss diet",
    "bulk": "surplus gain muscle",
    "bulking": "surplus gain muscle",
    "weigh": "bodyweight",
    "stuck": "plateau stall",
    "stalled": "plateau stall",
    "plateaued": "plateau stall",
    "wink": "butt wink pelvic tuck",
    "tuck": "pelvic tilt",
    "hypertrophy": "muscle growth size",
    "grow": "muscle growth hypertrophy",
    "bigger": "size muscle growth hypertrophy",
    "gains": "muscle growth progress",
    "macros": "protein nutrition",
    "eat": "nutrition protein calories food",
    "rest": "rest recovery",
    "burnout": "overtraining fatigue",
    "exhausted": "fatigue overtraining tired",
    "slip": "grip",
    "slipping": "grip",
    "hands": "grip",
    "meet": "competition peaking",
    "comp": "competition peaking",
    "max": "max test",
    "1rm": "max test",
    "lower back": "lower back spine",
    "back": "back spine",
    "heel": "heels ankle",
    "tiptoes": "heels toes ankle",
    "toes": "heels",
    "arch": "arch",
    "effort": "rpe",
    "reserve": "rir rpe",
    "warming": "warm-up ramp",
    "stretch": "mobility stretching",
    "flexibility": "mobility",
    "schedule": "frequency days per week",
    "often": "frequency days per week",
    "week": "frequency",
    "record": "pr best",
    "best": "pr",
    "heaviest": "pr best",
    "swinging": "swing momentum cheat",
    "swing": "momentum cheat",
    "jerk": "momentum",
    "glute": "glutes",
    "bum": "glutes",
    "butt": "glutes",
    "quick": "short time",
    "minutes": "time short",
    "home": "home dumbbells equipment",
    "dumbbells": "dumbbell",
    "deep": "depth",
    "deeper": "depth",
}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A few English suffixes, enough to meet "caving"/"caves", "squats"/"squatting", "presses"/"press"."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if (
            word.endswith(suffix)
            and len(word) - len(suffix) >= 3
            and not (suffix == "s" and word.endswith("ss"))
        ):
            word = word[: len(word) - len(suffix)] + keep
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiousl":
        word = word[:-1]  # squatt → squat
    return word[:-1] if len(word) > 3 and word.endswith("e") else word  # cave → cav, as caving


def tokens(text: str) -> list[str]:
    text = text.lower().replace("-", "").replace("'", "")
    return [stem(w) for w in _WORD.findall(text) if w not in STOPWORDS]


def expand(text: str) -> list[str]:
    """Extra query words the synonyms add (single words and two-word phrases), stemmed, stopwords dropped."""
    words = _WORD.findall(text.lower().replace("-", "").replace("'", ""))
    extra: list[str] = []
    for i, w in enumerate(words):
        for key in (w, f"{w} {words[i + 1]}" if i + 1 < len(words) else None):
            if key and key in _SYNONYMS:
                extra += tokens(_SYNONYMS[key])
    return extra
