from __future__ import annotations

from matcher.phonetic import SOUND_ALIKE_SIMILARITY, PhoneticIndex, token_keys

ENTRIES = [
    ("Squat", ("back", "squat")),
    ("Face", ("face", "pull")),
    ("Lunge", ("walking", "lunge")),
    ("Curl", ("hammer", "curl")),
]


def test_sound_alikes_share_a_key() -> None:
    assert token_keys("squad") & token_keys("squat") - {"=squad", "=squat"}
    assert token_keys("pools") & token_keys("pulls") - {"=pools", "=pulls"}
    assert not (token_keys("bench") & token_keys("squat"))


def test_short_and_numeric_tokens_only_match_themselves() -> None:
    assert token_keys("45") == frozenset({"=45"})
    assert token_keys("ez") == frozenset({"=ez"})


def test_scores_the_entry_that_sounds_like_the_phrase() -> None:
    index = PhoneticIndex(ENTRIES)
    scores = index.score(("back", "squad"), range(len(ENTRIES)))
    # "back" is spelt alike (no phonetic gain); "squad"/"squat" only sound alike: (4 - 2) / 4
    assert scores["Squat"] == 0.5
    assert "Curl" not in scores


def test_a_clean_phrase_gains_nothing_from_sound() -> None:
    index = PhoneticIndex(ENTRIES)
    assert index.score(("back", "squat"), range(len(ENTRIES))).get("Squat", 0.0) == 0.0


def test_partial_phonetic_overlap_scores_partially() -> None:
    index = PhoneticIndex(ENTRIES)
    scores = index.score(("face", "pools", "rope"), range(len(ENTRIES)))
    # two of three query words and both entry words agree, "face" by spelling: (2 + 2 - 2) / (3 + 2)
    assert scores["Face"] == 2 / 5


def test_only_the_given_entries_are_scored() -> None:
    index = PhoneticIndex(ENTRIES)
    assert index.score(("back", "squad"), [1, 2, 3]) == {}
    assert index.score((), range(4)) == {}


def test_sound_alikes_come_from_the_vocabulary() -> None:
    index = PhoneticIndex(ENTRIES)
    alikes = index.sound_alikes("squad")
    assert alikes == {"squat": SOUND_ALIKE_SIMILARITY}
    assert index.sound_alikes("squat") == {}  # itself excluded
