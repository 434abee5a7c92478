from __future__ import annotations

import pytest

from matcher.fuzzy import FuzzyScorer

ENTRIES = [
    ("Hammer", ("hammer", "curl")),
    ("Barbell_Curl", ("barbell", "curl")),
    ("Incline_Hammer", ("incline", "hammer", "curl")),
    ("Bench", ("barbell", "bench", "press")),
    ("Leg_Press", ("leg", "press")),
    ("Pulldown", ("lat", "pulldown")),
]


@pytest.fixture(scope="module")
def scorer() -> FuzzyScorer:
    return FuzzyScorer(ENTRIES)


def test_similar_tokens_include_typos_and_prefixes(scorer: FuzzyScorer) -> None:
    sims = dict(scorer.similar("hamer"))
    assert 0.8 < sims["hammer"] < 1.0
    assert dict(scorer.similar("pull"))["pulldown"] == pytest.approx(0.85)
    assert dict(scorer.similar("curl")) == {"curl": 1.0}
    assert scorer.similar("zzz") == ()


def test_strings_are_order_insensitive(scorer: FuzzyScorer) -> None:
    scores = scorer.strings(("curl", "hammer"))
    assert scores["Hammer"] == 1.0
    assert scores["Hammer"] > scores.get("Barbell_Curl", 0.0)


def test_strings_tolerate_a_misspelling(scorer: FuzzyScorer) -> None:
    scores = scorer.strings(("hamer", "curl"))
    assert max(scores, key=scores.__getitem__) == "Hammer"
    assert 0.8 < scores["Hammer"] < 1.0


def test_tokens_prefer_the_entry_explaining_every_word(scorer: FuzzyScorer) -> None:
    scores = scorer.tokens(("incline", "hammer", "curl"), range(len(ENTRIES)))
    assert scores["Incline_Hammer"] == pytest.approx(1.0)
    assert scores["Hammer"] < scores["Incline_Hammer"]
    assert scores["Barbell_Curl"] < scores["Hammer"]
    assert "Leg_Press" not in scores


def test_rare_words_weigh_more_than_common_ones(scorer: FuzzyScorer) -> None:
    # "press" is shared by two entries, "bench" by one: the bench entry wins on "bench press"
    scores = scorer.tokens(("bench", "press"), range(len(ENTRIES)))
    assert scores["Bench"] > scores["Leg_Press"]


def test_extra_partners_count(scorer: FuzzyScorer) -> None:
    without = scorer.tokens(("lap", "pulldown"), range(len(ENTRIES)))
    with_alike = scorer.tokens(("lap", "pulldown"), range(len(ENTRIES)), {"lap": {"lat": 0.8}})
    assert with_alike["Pulldown"] > without["Pulldown"]


def test_empty_phrase_scores_nothing(scorer: FuzzyScorer) -> None:
    assert scorer.tokens((), range(len(ENTRIES))) == {}


def test_spelled_forms_catch_a_typo_in_a_rewritten_word() -> None:
    # "RDL" is expanded before matching; a slip in it ("RDK") is no longer an abbreviation, but it is
    # still one letter away from the alias as spelt
    scorer = FuzzyScorer([("Rdl", ("romanian", "deadlift"))], spelled=[("Rdl", "rdl")])
    without = scorer.strings(("rdk",))
    with_spelling = scorer.strings(("rdk",), spelled="rdk")
    assert "Rdl" not in without
    assert with_spelling["Rdl"] > 0.6
