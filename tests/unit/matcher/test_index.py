from __future__ import annotations

import pytest

from matcher.index import IndexDocument, KeywordIndex, SearchHit

DOCS = [
    IndexDocument(
        id="Bench",
        name=("barbell", "bench", "press"),
        aliases=(("bench",), ("flat", "bench")),
        equipment=("barbell",),
        muscles=("chest",),
    ),
    IndexDocument(id="Leg_Press", name=("leg", "press"), equipment=("machine",), muscles=("quadricep",)),
    IndexDocument(id="Curl", name=("barbell", "curl"), equipment=("barbell",), muscles=("bicep",)),
    IndexDocument(
        id="Fly",
        name=("dumbbell", "fly"),
        aliases=(("chest", "fly"),),
        equipment=("dumbbell",),
        muscles=("chest",),
    ),
]


@pytest.fixture(scope="module")
def index() -> KeywordIndex:
    return KeywordIndex(DOCS)


def test_ranks_by_keyword_relevance(index: KeywordIndex) -> None:
    hits = index.search(("bench", "press"))
    assert [h.id for h in hits][:2] == ["Bench", "Leg_Press"]
    assert all(isinstance(h, SearchHit) for h in hits)


def test_aliases_are_searchable(index: KeywordIndex) -> None:
    assert index.search(("flat",))[0].id == "Bench"


def test_name_outweighs_muscle(index: KeywordIndex) -> None:
    hits = {h.id: h.score for h in index.search(("chest",))}
    assert hits["Fly"] > hits["Bench"]  # an alias says "chest"; for the bench it is only a muscle


def test_scores_are_bounded_and_penalise_unexplained_words(index: KeywordIndex) -> None:
    full = index.search(("leg", "press"))[0]
    partial = index.search(("leg", "press", "wobble"))[0]
    assert full.id == partial.id == "Leg_Press"
    assert 0.0 < partial.score < full.score <= 1.0


def test_k_limits_and_unknown_words_find_nothing(index: KeywordIndex) -> None:
    assert len(index.search(("barbell",), k=1)) == 1
    assert index.search(("zzz",)) == []
    assert len(index) == 4


def test_text_queries_go_through_the_normaliser() -> None:
    index = KeywordIndex(DOCS, normalize=lambda q: q.lower().replace("-", " ").split())
    assert index.search("Leg-Press")[0].id == "Leg_Press"
    assert index.search("Leg-Press") == index.search(("leg", "press"))
