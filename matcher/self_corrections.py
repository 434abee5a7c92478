"""Self-corrections inside one utterance: "for eleven, sorry, twelve", "squats, sorry, front squat".

Runs on the tokens before the grammar's rules, so the rules only ever see the corrected wording.
"""

from __future__ import annotations

import re

from matcher.normalize import Token
from matcher.vocabulary import symbol_of

__all__ = ["self_corrections", "symbol"]


def symbol(t: Token) -> str:
    """The one-character symbol the grammar's rule patterns read for a token."""
    if t.kind == "num":
        return "r" if t.rep_word else "N"
    if t.kind == "punct":
        return ","
    return symbol_of(t.text)


def self_corrections(tokens: list[Token], notes: list[str]) -> list[Token]:
    """ "for eleven, sorry, twelve": the later value wins; "squats, sorry, front squat": the later name."""
    out = list(tokens)
    k = 0
    while k < len(out):
        t = out[k]
        is_marker = t.kind == "word" and (t.text == "sorry" or t.text == "no")
        if not is_marker:
            k += 1
            continue
        p = k - 1
        while p >= 0 and out[p].kind == "punct":
            p -= 1
        q = k + 1
        while q < len(out) and out[q].kind == "punct":
            q += 1
        if t.text == "no" and not (p >= 0 and q < len(out) and out[p].kind == out[q].kind == "num"):
            k += 1
            continue
        if p >= 0 and q < len(out) and out[p].kind == "num" and out[q].kind == "num":
            after = "".join(symbol(x) for x in out[q : q + 3])
            if re.match(r"N[fxX]N", after):  # "225 for 5, sorry, 235 for 5": the whole set said again
                notes.append("self-correction: numbers said again")
                out = [x for x in out[:k] if x.kind == "word" and symbol_of(x.text) == "y"] + out[q:]
                k = 0
                continue
            if after.startswith("NU"):  # "225 for 5, sorry, 235 pounds": the load said again
                w = next((i for i in range(k) if out[i].kind == "num" and _weight_like(out, i)), None)
                if w is not None:
                    notes.append(f"self-correction: {out[w].text} -> {out[q].text}")
                    end = w + 2 if w + 1 < k and symbol_of(out[w + 1].text) == "U" else w + 1
                    out = out[:w] + out[end:k] + out[q:]
                    k = 0
                    continue
            notes.append(f"self-correction: {out[p].text} -> {out[q].text}")
            del out[p:q]
            k = p + 1
            continue
        if q < len(out) and out[q].kind == "word" and symbol_of(out[q].text) == "y":
            dropped = [x for x in out[:k] if x.kind == "word" and symbol_of(x.text) == "y"]
            if dropped:
                notes.append("self-correction: dropped " + " ".join(x.text for x in dropped))
            out = [x for x in out[:k] if not (x.kind == "word" and symbol_of(x.text) == "y")] + out[q:]
            k = 0
            continue
        del out[k]
    return out


def _weight_like(tokens: list[Token], i: int) -> bool:
    """A number followed by a unit or by "for"/"x" is the load."""
    return i + 1 < len(tokens) and symbol_of(tokens[i + 1].text) in ("U", "f", "x", "X")
