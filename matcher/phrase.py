"""Normalising an exercise phrase so that catalog names, aliases and spoken words compare equal.

The same function runs over the catalog, the alias data and every query, so the rules only need to be
consistent, not linguistically perfect: lowercase, punctuation and hyphens to spaces, possessives off,
a light plural stemmer, then the data-driven rewrites (joined words, STT confusions) and abbreviations
from `fixtures/aliases.json`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import msgspec

__all__ = ["Normalizer", "PhraseRules", "stem"]

_APOSTROPHE = re.compile(r"['’`]s\b|['’`]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_IRREGULAR = {
    "calves": "calf",
    "halves": "half",
    "flyes": "fly",
    "flye": "fly",
    "flies": "fly",
    "flys": "fly",
    "series": "series",
    "axes": "axe",
}
_KEEP = frozenset({"press", "cross", "plus", "bus", "chess", "pass"})


def stem(token: str) -> str:
    """A light plural stemmer: crunches→crunch, raises→raise, flies→fly, rdls→rdl, calves→calf."""
    if token in _IRREGULAR:
        return _IRREGULAR[token]
    if token[:-1].isdigit() and token.endswith("s"):
        return token[:-1]  # "the 180s"
    if len(token) < 3 or token in _KEEP or not token.endswith("s") or token[-2] in "su" or token[0].isdigit():
        return token
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    if token.endswith(("ches", "shes", "sses", "xes", "zes")):
        return token[:-2]
    return token[:-1]


class PhraseRules(msgspec.Struct, frozen=True):
    """The text-rewriting half of the alias data."""

    stopwords: list[str] = msgspec.field(default_factory=list)
    abbreviations: dict[str, str] = msgspec.field(default_factory=dict)
    rewrites: dict[str, str] = msgspec.field(default_factory=dict)
    # a phrase ending in this word means more: "incline bench" is an incline bench *press*
    endings: dict[str, str] = msgspec.field(default_factory=dict)


def _join_letters(words: list[str]) -> list[str]:
    """Spelled-out letters become one word: "r d l s" → "rdls", "o h p" → "ohp"."""
    out: list[str] = []
    run: list[str] = []
    for w in [*words, ""]:
        if len(w) == 1 and w.isalpha() and (run or w != "a"):
            run.append(w)
            continue
        if len(run) >= 2:
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if w:
            out.append(w)
    return out


def _tokens(text: str) -> list[str]:
    text = _APOSTROPHE.sub("", text.lower().replace("&", " and "))
    return [stem(t) for t in _join_letters(_NON_WORD.sub(" ", text).split())]


class Normalizer:
    """`normalize(phrase) -> tuple of tokens`, deterministic and idempotent."""

    def __init__(self, rules: PhraseRules) -> None:
        self._stop = frozenset(rules.stopwords)
        self._abbrev = {stem(k.lower()): tuple(_tokens(v)) for k, v in rules.abbreviations.items()}
        # rewrite keys are stemmed like queries; longest first so "lat pull down" beats "pull down"
        rewrites: dict[tuple[str, ...], tuple[str, ...]] = {}
        for src, dst in rules.rewrites.items():
            rewrites[tuple(_tokens(src))] = tuple(_tokens(dst))
        self._rewrites = rewrites
        self._max_rewrite = max((len(k) for k in rewrites), default=0)
        self._endings = {stem(k.lower()): tuple(_tokens(v)) for k, v in rules.endings.items()}

    def _rewrite(self, tokens: list[str]) -> list[str]:
        out: list[str] = []
        i = 0
        while i < len(tokens):
            for n in range(min(self._max_rewrite, len(tokens) - i), 0, -1):
                dst = self._rewrites.get(tuple(tokens[i : i + n]))
                if dst is not None:
                    out.extend(dst)
                    i += n
                    break
            else:
                out.append(tokens[i])
                i += 1
        return out

    def _expand(self, tokens: Iterable[str]) -> list[str]:
        out: list[str] = []
        for t in tokens:
            out.extend(self._abbrev.get(t, (t,)))
        return out

    def normalize(self, phrase: str) -> tuple[str, ...]:
        tokens = self._rewrite(_tokens(phrase))
        tokens = self._rewrite(self._expand(tokens))
        while tokens and tokens[-1] in self._stop:
            tokens.pop()
        if tokens and tokens[-1] in self._endings:
            tokens[-1:] = self._endings[tokens[-1]]
        out: list[str] = []
        for t in tokens:
            if t in self._stop or (out and out[-1] == t):
                continue
            out.append(t)
        return tuple(out)

    @staticmethod
    def spelled(phrase: str) -> str:
        """The phrase as spelt, only lowercased, de-punctuated, de-pluralised and without spaces:
        a typo in a word the rules would rewrite ("militery", "pul down") still compares letter by letter."""
        return "".join(_tokens(phrase))

    @property
    def abbreviations(self) -> Mapping[str, tuple[str, ...]]:
        return self._abbrev
